"""Block structure of HTML trees: what is a block, loose text made into paragraphs, removal of
a node that keeps the text after it."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement, defs

BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote",
     "figure", "section", "article", "pre", "hr", "form", "header", "footer", "aside", "nav"}
)  # fmt: skip


_LOOSE_TEXT_PARENTS = ("div", "article", "section", "main", "td", "body", "blockquote")
# Elements that never hold article text: they end a run of loose text without joining it.
_NEUTRAL = frozenset(
    {"script", "style", "noscript", "template", "iframe", "ins", "button", "input"}
)


def wrap_loose_text(tree: HtmlElement, *, element_runs: bool = False) -> None:
    """Loose text that sits between blocks (``</table>Text <b>bold</b> more<h2>``, a blog
    editor's habit) becomes one paragraph per run: trafilatura drops such tails after tables and
    headings. A run is everything inline between two blocks, so emphasis and the spaces around
    it stay inside the sentence; two or more ``<br>`` in a row also end a paragraph (news CMSs
    separate paragraphs that way), a single ``<br>`` stays a line break. A run of elements
    with no loose text between them (hidden microdata spans, icons) is left for trafilatura to
    judge, unless ``element_runs``: inside a known article container it is text too."""
    for parent in list(tree.iter(*_LOOSE_TEXT_PARENTS)):
        children = list(parent)
        if not any(
            _is_block(child) or _is_break_pair(children, i) for i, child in enumerate(children)
        ):
            continue
        _Runs(parent, children, element_runs).rebuild()


def _is_block(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and (node.tag in BLOCKS or node.tag in _NEUTRAL)


def _is_break_pair(children: list[etree._Element], i: int) -> bool:
    """``children[i]`` is a ``<br>`` followed (blank text apart) by another ``<br>``."""
    node = children[i]
    return (
        node.tag == "br"
        and i + 1 < len(children)
        and children[i + 1].tag == "br"
        and not (node.tail or "").strip()
    )


class _Runs:
    """Regroups a parent's children: blocks stay, each run of inline content becomes a <p>."""

    def __init__(
        self, parent: HtmlElement, children: list[etree._Element], element_runs: bool
    ) -> None:
        self.parent, self.children, self.element_runs = parent, children, element_runs
        self.result: list[etree._Element] = []
        self.text: str | None = parent.text
        self.inline: list[etree._Element] = []

    def rebuild(self) -> None:
        self.parent.text = None
        children, i = self.children, 0
        while i < len(children):
            child = children[i]
            if _is_block(child):
                self._close()
                self.text, child.tail = child.tail, None
                self.result.append(child)
            elif _is_break_pair(children, i):
                self._close()
                while i + 1 < len(children) and _is_break_pair(children, i):
                    i += 1  # the whole row of <br>s is one paragraph boundary
                self.text = children[i].tail
            else:
                self.inline.append(child)
            i += 1
        self._close()
        for child in self.children:
            if child.getparent() is self.parent:
                self.parent.remove(child)
        self.parent.extend(self.result)

    def _close(self) -> None:
        """A run with loose text becomes a paragraph; one of elements alone stays as it was
        (hidden microdata spans, icons: trafilatura judges them as before), except inside a known
        article container (``element_runs``)."""
        text, inline = self.text, self.inline
        self.text, self.inline = None, []
        loose = (text and text.strip()) or any((node.tail or "").strip() for node in inline)
        if loose or (self.element_runs and any(_has_text(node) for node in inline)):
            paragraph = self.parent.makeelement("p", {})
            paragraph.text = text.lstrip() if text else text
            paragraph.extend(inline)  # moves each node with its tail
            last = paragraph[-1] if len(paragraph) else None
            if last is None:
                paragraph.text = (paragraph.text or "").rstrip()
            elif last.tail:
                last.tail = last.tail.rstrip()
            self.result.append(paragraph)
        else:
            self.result.extend(inline)


def _has_text(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and bool(node.text_content().strip())


def remove_node(node: etree._Element) -> None:
    """Remove a node but keep its tail text."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


_KNOWN_TAGS = frozenset(defs.tags | defs.html5_tags) | {
    "main", "template", "picture", "source", "track", "wbr", "dialog", "slot", "search",
    "hgroup", "data", "time", "output", "meter", "progress", "details", "summary", "menu",
    "noscript", "svg", "math", "font", "center",
}  # fmt: skip


def unwrap_unknown_elements(tree: HtmlElement) -> None:
    """Text in angle brackets that HTML parsers take for a tag (``영국의 <The Register> 보도``
    opens an element ``<the>`` that holds the rest of the article) stays text in the flow, as a
    browser shows it: unknown plain-word elements are unwrapped. Custom elements (with a
    hyphen) and SVG/MathML content are left alone."""
    for node in list(tree.iter()):
        tag = node.tag
        if (
            isinstance(tag, str)
            and tag.isalpha()
            and tag.isascii()
            and tag.lower() not in _KNOWN_TAGS
            and node.getparent() is not None
            and next(node.iterancestors("svg", "math"), None) is None
        ):
            node.drop_tag()
