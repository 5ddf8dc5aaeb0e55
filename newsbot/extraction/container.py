"""The body of a page that has a platform's article container, taken as the editor wrote it.

When a platform declares where its editor's HTML sits (Tistory's ``contents_style``,
WordPress's ``entry-content``), that container *is* the article: there is nothing to guess, and
a guess can only lose text. What the platform injects inside it (ads, buttons, category boxes)
has already been pruned by the platform's ``drop`` rules; here the container's HTML is reduced to
the same plain vocabulary as trafilatura's output (``<p>``, headings, lists, tables,
``<strong>``/``<em>``, links), whitespace kept exactly as written.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement, tostring

from newsbot.extraction.boilerplate import HTML, drop_boilerplate
from newsbot.extraction.html_blocks import BLOCKS, remove_node, wrap_loose_text

# Never article text: interactive, embedded or hidden machinery.
_NOT_TEXT = (
    "script", "style", "noscript", "template", "form", "input", "button", "select",
    "textarea", "iframe", "object", "embed", "svg", "canvas", "ins",
)  # fmt: skip
# Inside the article container these hold the author's text (an <aside> box of sources, say).
_LAYOUT = (
    "div", "section", "article", "main", "header", "footer", "center", "details", "aside",
    "nav", "address",
)  # fmt: skip
_INLINE_WRAPPERS = ("span", "font", "summary")
_RENAMED = {"b": "strong", "i": "em"}


def container_fragment(
    container: HtmlElement, url: str, pattern: re.Pattern[str], *, images: bool = False
) -> str:
    """The container's article HTML (not yet sanitised). ``container`` is modified in place."""
    for node in list(container.iter(*_NOT_TEXT)):
        if node is not container:
            remove_node(node)
    if not images:
        for image in list(container.iter("img")):
            figure = next((a for a in image.iterancestors("figure")), None)
            remove_node(figure if figure is not None and figure is not container else image)
    wrap_loose_text(container, element_runs=True)
    drop_boilerplate(container, pattern, HTML)
    for node in container.iter(*_RENAMED):
        node.tag = _RENAMED[node.tag]
    _flatten_layout(container)
    for node in list(container.iter(*_INLINE_WRAPPERS)):
        node.drop_tag()
    for paragraph in list(container.iter("p")):
        if not paragraph.text_content().strip() and next(paragraph.iter("img"), None) is None:
            remove_node(paragraph)  # editor spacers (<p data-ke-size="size16">&nbsp;</p>)
    container.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
    parts = [_escape(container.text or "")]
    parts.extend(tostring(child, encoding="unicode", method="html") for child in container)
    return "".join(parts)


def _flatten_layout(container: HtmlElement) -> None:
    """Layout wrappers go; one that holds only inline content was a paragraph in all but name.

    Loose text next to blocks was made into paragraphs already (``wrap_loose_text``), so
    unwrapping a wrapper never runs two texts together.
    """
    for node in reversed(list(container.iter(*_LAYOUT))):
        if node is container:
            continue
        if any(isinstance(child.tag, str) and child.tag in BLOCKS for child in node):
            node.drop_tag()
        elif node.text_content().strip():
            node.tag = "p"
            node.attrib.clear()
        else:
            remove_node(node)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
