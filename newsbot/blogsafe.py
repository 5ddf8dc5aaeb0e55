"""Make article HTML safe to publish: a sanitiser (nh3), Liquid/shortcode neutralising, Markdown."""

from __future__ import annotations

import html as html_lib
import re

import nh3
from markdownify import MarkdownConverter

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Liquid ({{ }}, {% %}), kramdown ({: }, {:: }) and Hugo shortcodes ({{< >}}) all open with "{".
_BRACES = {"{": "&#123;", "}": "&#125;"}


def sanitize_html(fragment: str) -> str:
    """Keep the article's formatting; drop scripts, styles, frames, handlers and unsafe URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def neutralise_templates(text: str) -> str:
    """Escape braces as HTML entities so Liquid, kramdown and Hugo see no template syntax."""
    return re.sub(r"[{}]", lambda m: _BRACES[m.group(0)], text)


def escape_text(text: str) -> str:
    """Plain text for an HTML context in a post (attribute-safe, template-safe)."""
    return neutralise_templates(html_lib.escape(text, quote=True))


class _SafeMarkdown(MarkdownConverter):
    """markdownify, with text escaped so it cannot turn into raw HTML in the Markdown output."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)
        return text.replace("<", "&lt;").replace(">", "&gt;")


def html_to_markdown(fragment: str) -> str:
    """Sanitised HTML -> Markdown (ATX headings, ``**`` emphasis, pipe tables kept as HTML)."""
    md = _SafeMarkdown(heading_style="ATX", bullets="-", strong_em_symbol="*", escape_misc=False)
    text = md.convert(fragment)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return neutralise_templates(text)
