"""Make article HTML safe to publish: a sanitiser (nh3), Liquid/shortcode neutralising, Markdown.

A post body ends up inside a Markdown file that Jekyll (Liquid, then kramdown) or Hugo
(shortcodes, then goldmark) processes, so "safe" means three things: no active HTML (scripts,
handlers, unsafe URLs), no template syntax (every brace becomes an entity) and no Markdown link
syntax hiding in text (``[x](javascript:...)`` would become a live link under kramdown).
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cache
from typing import Any

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"style"},  # filtered to STYLE_PROPERTIES with plain values by _filter_attribute
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# The Korean blog editor colours emphasis (<b><span style="color: #ee2323;">); keep just that.
STYLE_PROPERTIES = {
    "color",
    "background-color",
    "text-align",
    "font-weight",
    "font-style",
    "text-decoration",
}
# Colours, keywords, numbers with units: no url(), expression(), escapes, comments or quotes.
_STYLE_VALUE = re.compile(r"[#a-zA-Z0-9 .,%-]{1,40}")
URL_SCHEMES = {"http", "https", "mailto"}
# Liquid ({{ }}, {% %}), kramdown ({: }, {:: }) and Hugo shortcodes ({{< >}}) all open with "{".
_BRACES = {"{": "&#123;", "}": "&#125;"}
# nh3 serialises attributes as name="value" with ", <, > and & escaped, so a tag never holds a
# raw ">" and these patterns are exact on its output.
_ATTRS = r'(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*'
_IMG = re.compile(rf"<img({_ATTRS})\s*/?>")
_A_EMPTY = re.compile(rf"<a{_ATTRS}>(?:\s|&nbsp;|<br\s*/?>)*</a>")
_A_NO_HREF = re.compile(r"<a((?:\s+title=\"[^\"]*\")?)>(.*?)</a>", re.S)
_HAS_SRC = re.compile(r'\ssrc="\s*[^"\s]')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Drop C0/C1 control characters (NUL, ESC, NEL, ...) except tab, newline and CR."""
    return _CONTROL.sub("", text)


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr != "style":
        return value
    kept = []
    for declaration in value.split(";"):
        prop, sep, val = declaration.partition(":")
        prop, val = prop.strip().lower(), val.strip()
        if sep and prop in STYLE_PROPERTIES and _STYLE_VALUE.fullmatch(val):
            kept.append(f"{prop}: {val};")
    return " ".join(kept) or None


def sanitize_html(fragment: str) -> str:
    """Keep the article's formatting; drop scripts, styles, frames, handlers and unsafe URLs.

    Images left without a source (their URL was unsafe or missing) and links left without a
    target or without text are removed; a link whose URL was dropped keeps its text.
    """
    cleaned = nh3.clean(
        strip_controls(fragment),
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _IMG.sub(lambda m: m.group(0) if _HAS_SRC.search(m.group(1)) else "", cleaned)
    cleaned = _A_NO_HREF.sub(lambda m: m.group(2), cleaned)
    return _A_EMPTY.sub("", cleaned)


def neutralise_templates(text: str) -> str:
    """Escape braces as HTML entities so Liquid, kramdown and Hugo see no template syntax."""
    return re.sub(r"[{}]", lambda m: _BRACES[m.group(0)], text)


def neutralise_markdown_links(html: str) -> str:
    """Write ``]`` as ``&#93;`` so text inside HTML cannot form Markdown links or footnotes.

    Entities are decoded in text and attribute values alike, so the page looks the same.
    """
    return html.replace("]", "&#93;")


def html_body_for_markdown_file(fragment: str) -> str:
    """Sanitised HTML that stays inert inside a Jekyll/Hugo Markdown file."""
    return neutralise_templates(neutralise_markdown_links(sanitize_html(fragment)))


def escape_text(text: str) -> str:
    """Plain text for an HTML context in a post (safe in text and in "double-quoted" attributes,
    template-safe, no Markdown links). Apostrophes stay as they are, like the house style."""
    escaped = html_lib.escape(strip_controls(text), quote=False).replace('"', "&quot;")
    return neutralise_templates(neutralise_markdown_links(escaped))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+!|~])")


def escape_markdown_text(text: str) -> str:
    """Plain text for a Markdown context: punctuation backslash-escaped, HTML and braces inert."""
    text = html_lib.escape(strip_controls(text), quote=True)
    return neutralise_templates(_MD_SPECIAL.sub(r"\\\1", text))


@cache
def _safe_markdown() -> type[Any]:
    """markdownify's converter with text escaped so it cannot turn into raw HTML or links.
    Built on first use: markdownify (and BeautifulSoup under it) load only for the profiles
    that write Markdown, and only in the process that renders."""
    from markdownify import MarkdownConverter

    class _SafeMarkdown(MarkdownConverter):
        """markdownify, with text escaped so it cannot turn into raw HTML or links."""

        def escape(self, text: str, parent_tags: set[str]) -> str:
            base: Any = super()  # markdownify's stubs do not declare the hooks
            text = base.escape(text, parent_tags)
            text = text.replace("<", "&lt;").replace(">", "&gt;")
            return text.replace("[", "\\[").replace("]", "\\]")

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            alt = (el.attrs.get("alt") or "").replace("[", "").replace("]", "")
            el.attrs["alt"] = alt.replace("<", "&lt;").replace(">", "&gt;")
            base: Any = super()
            return str(base.convert_img(el, text, parent_tags))

    return _SafeMarkdown


def html_to_markdown(fragment: str) -> str:
    """Sanitised HTML -> Markdown (ATX headings, ``**`` emphasis, pipe tables kept as HTML)."""
    md = _safe_markdown()(heading_style="ATX", bullets="-", strong_em_symbol="*", escape_misc=False)
    text = md.convert(fragment)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return neutralise_templates(text)
