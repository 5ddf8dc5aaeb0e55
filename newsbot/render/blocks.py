"""A post body laid out block by block, as people read and diff it in git.

The seed post writes one block a line, blocks apart::

    <h2>소제목</h2>

    <p>첫 문단 …</p>

    <ul>
        <li>첫 항목</li>
        <li>둘째 항목</li>
    </ul>

:func:`html_block_lines` does that to the sanitised HTML body of an HTML profile without
parsing and serialising it again (which would undo the entity escaping of braces and
brackets): it reads the tag structure of the string and inserts line breaks only where a
browser, kramdown and goldmark do not care:

- between two top-level blocks (a blank line: kramdown and goldmark end a raw HTML block at a
  blank line, so no blank line is ever put *inside* one);
- between the items of a list, the rows of a table, and the blocks of a blockquote or figure
  (a line break, indented, no blank line).

Loose text or inline elements between two blocks stay on the line of the block before them
(alone on a line they would become a Markdown paragraph and render differently), unless the
source already set them apart with a blank line (the seed's Markdown paragraphs). A ``<pre>``
is left exactly as it is. A blank line inside a block's text (``\\n\\n`` in a paragraph) would
end the raw HTML block early: it becomes a single line break, which HTML shows the same.

:func:`split_blocks` reads the blocks of a post body back; :func:`first_blocks` keeps the start
of a body on a block boundary (excerpt-only profiles).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote",
     "figure", "pre", "hr", "section", "article", "aside", "header", "footer", "nav", "details"}
)  # fmt: skip
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# Containers whose child elements go one a line (list items, table rows, quoted paragraphs).
_CONTAINERS = frozenset(
    {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "blockquote", "figure"}
)
_INDENT = "    "
# nh3 writes attribute values quoted with '"', '<' and '>' escaped: a tag never holds a raw '>'.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


@dataclass
class _Node:
    """A top-level piece of the fragment: an element (with its children) or a run of text."""

    tag: str | None  # None for text
    start: int
    end: int
    children: list[_Node]
    open_end: int = 0  # end of the start tag
    close_start: int = 0  # start of the end tag


def _parse(html: str) -> list[_Node] | None:
    """The element tree of `html` as offsets into it; None when tags do not nest (then the
    body is left as it is)."""
    root = _Node(None, 0, len(html), [])
    stack: list[_Node] = [root]
    pos = 0
    for match in _TAG.finditer(html):
        if match.start() > pos:
            stack[-1].children.append(_Node(None, pos, match.start(), []))
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if stack[-1].tag != tag:
                return None
            node = stack.pop()
            node.close_start, node.end = match.start(), match.end()
        else:
            node = _Node(tag, match.start(), match.end(), [], open_end=match.end())
            stack[-1].children.append(node)
            if tag not in VOID_TAGS and not self_closing:
                stack.append(node)
        pos = match.end()
    if pos < len(html):
        stack[-1].children.append(_Node(None, pos, len(html), []))
    return root.children if len(stack) == 1 else None


def _is_block(node: _Node) -> bool:
    return node.tag in BLOCK_TAGS


def _blank(html: str, node: _Node) -> bool:
    return node.tag is None and not html[node.start : node.end].strip()


def _text(html: str, start: int, end: int) -> str:
    """Source text with any blank line folded into one line break (never inside <pre>)."""
    return _BLANK_LINES.sub("\n", html[start:end])


def _render(html: str, node: _Node, depth: int) -> str:
    """One block, its container children one a line (indented by depth)."""
    if node.tag == "pre":
        return html[node.start : node.end]
    if node.tag is None or node.tag not in _CONTAINERS:
        return _inline(html, node)
    elements = [c for c in node.children if not _blank(html, c)]
    if not elements or any(c.tag is None for c in elements):
        return _inline(html, node)  # text directly in the container: leave it on one line
    if node.tag in ("blockquote", "figure") and not all(_is_block(c) for c in elements):
        return _inline(html, node)
    inner = "\n".join(_INDENT * (depth + 1) + _render(html, c, depth + 1) for c in elements)
    head = html[node.start : node.open_end]
    tail = html[node.close_start : node.end]
    return f"{head}\n{inner}\n{_INDENT * depth}{tail}"


def _inline(html: str, node: _Node) -> str:
    """An element written as it came, except blank lines folded (not inside a <pre>)."""
    pieces: list[str] = []
    pos = node.start

    def walk(n: _Node) -> None:
        nonlocal pos
        if n.tag == "pre":
            pieces.append(_text(html, pos, n.start))
            pieces.append(html[n.start : n.end])
            pos = n.end
            return
        for child in n.children:
            walk(child)

    walk(node)
    pieces.append(_text(html, pos, node.end))
    return "".join(pieces)


def html_block_lines(html: str) -> str:
    """`html` (a sanitised body fragment) with each block on its own line(s), blocks apart."""
    html = html.strip()
    nodes = _parse(html)
    if nodes is None:
        return html
    units: list[str] = []  # each: a block and the loose content after it
    opened = False  # has a block begun a unit yet? (loose content first joins the first block)
    apart = False  # did the source already put a blank line before this piece?
    for node in nodes:
        if node.tag is None:
            # Loose text at the top level is Markdown: its blank lines part paragraphs, as before
            parts = _BLANK_LINES.split(html[node.start : node.end])
        else:
            parts = [_render(html, node, 0)]
        for i, piece in enumerate(parts):
            apart = apart or i > 0
            if not piece.strip():
                continue
            if (_is_block(node) and opened) or apart or not units:
                units.append(piece)
            else:
                units[-1] += piece
            apart = False
        opened = opened or _is_block(node)
        apart = apart or (len(parts) > 1 and not parts[-1].strip())
    return "\n\n".join(unit.strip() for unit in units)


def split_blocks(body: str) -> list[str]:
    """The blocks of a post body laid out by :func:`html_block_lines` or written as Markdown:
    the pieces between blank lines (a ``<pre>`` with a blank line inside stays one block)."""
    blocks: list[str] = []
    for piece in re.split(r"\n[ \t]*\n", body.strip("\n")):
        if not piece.strip():
            continue
        if blocks and blocks[-1].count("<pre") > blocks[-1].count("</pre>"):
            blocks[-1] += "\n\n" + piece
        else:
            blocks.append(piece)
    return blocks


_TAGS = re.compile(r"<[^>]*>")


def block_text(block: str) -> str:
    """The text a reader sees in a block (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html_lib.unescape(_TAGS.sub(" ", block)).split())


def first_blocks(body: str, *, blocks: int | None = None, chars: int | None = None) -> str:
    """The start of a body on a block boundary: its first ``blocks`` blocks, or the whole blocks
    whose text fits in ``chars`` characters (always at least the first block)."""
    pieces = split_blocks(body)
    if blocks is not None:
        return "\n\n".join(pieces[:blocks])
    kept: list[str] = []
    used = 0
    for piece in pieces:
        used += len(block_text(piece))
        if kept and chars is not None and used > chars:
            break
        kept.append(piece)
    return "\n\n".join(kept)
