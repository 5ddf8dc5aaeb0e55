"""Tables of contents in an article body: their in-page links become plain text."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_TOC_TITLE = re.compile(
    r"^\W*(?:목\s*차|차\s*례|contents|table of contents|in this article)\W*$", re.I
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def unlink_table_of_contents(tree: HtmlElement) -> None:
    """A table of contents keeps its entries as text: as links, trafilatura takes it for
    navigation and drops the list but not its heading, and in a republished post the anchors
    lead nowhere. A table of contents is a list whose links all jump within the page, to
    headings or under a "목차"/"Contents" title (tabs of a sidebar widget jump within the page
    too, to their panels, and stay as they are)."""
    ids = {node.get("id") or node.get("name"): node for node in tree.xpath("//*[@id or @name]")}
    for listing in tree.iter("ul", "ol"):
        links = listing.findall(".//a")
        targets = [(link.get("href") or "")[1:] for link in links]
        if len(links) < 2 or not all(
            (link.get("href") or "").startswith("#") and target
            for link, target in zip(links, targets, strict=True)
        ):
            continue
        to_headings = sum(_is_heading(ids.get(target)) for target in targets) * 2 > len(targets)
        if to_headings or _titled_contents(listing):
            for link in links:
                link.drop_tag()


def _is_heading(node: HtmlElement | None) -> bool:
    if node is None:
        return False
    return (
        node.tag in _HEADINGS
        or next(node.iterancestors(*_HEADINGS), None) is not None
        or (len(node) > 0 and node[0].tag in _HEADINGS)
    )


def _titled_contents(listing: HtmlElement) -> bool:
    """The list follows a "목차" / "Contents" title (or carries it in its parent's heading)."""
    before = listing.getprevious()
    while before is not None and not before.text_content().strip():
        before = before.getprevious()
    if before is None:
        parent = listing.getparent()
        before = parent.getprevious() if parent is not None else None
    return before is not None and bool(_TOC_TITLE.match(before.text_content().strip()))
