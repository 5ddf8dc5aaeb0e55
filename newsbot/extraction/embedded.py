"""Articles drawn by script from JSON embedded in the page (Arc XP's ``Fusion.globalContent``,
Next.js ``__NEXT_DATA__``, Nuxt ``window.__NUXT__``, JSON in a ``<pre>``).

Such a page's HTML holds no article text; its platform file (``embedded:`` in
``newsbot/platforms/<name>.yaml``) says which element holds the JSON, where the article's body
elements are (JMESPath) and how each kind of element becomes HTML. The HTML made here is then
treated like the editor's HTML of a body container: the same pruning, boilerplate removal and
sanitising (``newsbot.extraction.body``), so JSON cannot bring in what an HTML body could not.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

import jmespath
from lxml.html import HtmlElement

from newsbot.extraction.page_rules import select
from newsbot.platforms.rules import ElementKind, EmbeddedRules

MAX_DEPTH = 8  # lists in quotes in lists: deeper nesting is not an article's


@dataclass(frozen=True)
class EmbeddedArticle:
    """What the JSON says: the body as HTML (not yet sanitised) and the article's fields."""

    html: str
    source: str  # where it came from, for the operator: "Fusion.globalContent"
    fields: dict[str, str] = field(default_factory=dict)  # title, published, author, ...


def read_embedded(tree: HtmlElement, declared: tuple[EmbeddedRules, ...]) -> EmbeddedArticle | None:
    """The first article that a declared embedded-JSON source of the page yields."""
    for rules in declared:
        for node in select(tree, rules.source_xpath):
            data = _json_in(node.text_content() or "", rules.assignment)
            if data is None:
                continue
            article = jmespath.search(rules.article, data) if rules.article else data
            if not isinstance(article, dict):
                continue
            elements = jmespath.search(rules.elements, article)
            body = _Renderer(rules).elements(elements) if isinstance(elements, list) else ""
            fields = {name: text for name, path in rules.fields
                      if (text := _text(jmespath.search(path, article)))}  # fmt: skip
            if body.strip() or fields:
                return EmbeddedArticle(body, rules.label, fields)
    return None


def _json_in(text: str, assignment: str | None) -> Any:
    """The JSON value of ``text``, or of the value assigned to ``assignment`` in it."""
    start = 0
    if assignment:
        at = text.find(assignment)
        while at >= 0:
            rest = text[at + len(assignment) :].lstrip()
            if rest.startswith("=") and not rest.startswith("=="):
                start = len(text) - len(rest) + 1
                break
            at = text.find(assignment, at + 1)
        else:
            return None
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:].lstrip())
    except ValueError:
        return None
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        names = [text for entry in value if (text := _text(entry))]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("basic") or value.get("content"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


class _Renderer:
    def __init__(self, rules: EmbeddedRules) -> None:
        self._kind = rules.kind
        self._kinds = dict(rules.kinds)

    def elements(self, elements: list[Any], depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            return ""
        return "".join(self.element(element, depth) for element in elements)

    def element(self, element: Any, depth: int) -> str:
        if not isinstance(element, dict):
            return ""
        kind = self._kinds.get(str(jmespath.search(self._kind, element)))
        if kind is None:
            return ""  # ads, videos, embeds, interstitial links: not the article's text
        inline = self._inline(kind, element)
        if kind.render == "paragraph":
            return f"<p>{inline}</p>" if inline.strip() else ""
        if kind.render == "heading":
            level = _level(_get(kind.level, element))
            return f"<h{level}>{inline}</h{level}>" if inline.strip() else ""
        if kind.render == "html":
            return inline
        if kind.render == "image":
            return self._image(kind, element)
        items = _get(kind.items, element)
        inner = items if isinstance(items, list) else []
        if kind.render == "list":
            tag = "ol" if _get(kind.ordered, element) is True else "ul"
            rendered = (self.element(item, depth + 1) for item in inner)
            lis = "".join(f"<li>{item}</li>" for item in rendered if item.strip())
            return f"<{tag}>{lis}</{tag}>" if lis else ""
        quoted = self.elements(inner, depth + 1) or (f"<p>{inline}</p>" if inline.strip() else "")
        cite = _escaped(_get(kind.citation, element))
        if cite:
            quoted += f"<p>{cite}</p>"
        return f"<blockquote>{quoted}</blockquote>" if quoted else ""

    def _inline(self, kind: ElementKind, element: dict[str, Any]) -> str:
        markup = _get(kind.html, element)
        if isinstance(markup, str):
            return markup
        return _escaped(_get(kind.text, element))

    def _image(self, kind: ElementKind, element: dict[str, Any]) -> str:
        src = _get(kind.src, element)
        if not isinstance(src, str) or not src.strip():
            return ""
        alt = _escaped(_get(kind.alt, element))
        caption = _escaped(_get(kind.caption, element))
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure><img src="{html.escape(src)}" alt="{alt}">{figcaption}</figure>'


def _get(expression: str | None, element: dict[str, Any]) -> Any:
    return jmespath.search(expression, element) if expression else None


def _escaped(value: Any) -> str:
    text = _text(value)
    return html.escape(text, quote=True) if text else ""


def _level(value: Any) -> int:
    try:
        return min(6, max(1, int(value)))
    except (TypeError, ValueError):
        return 2
