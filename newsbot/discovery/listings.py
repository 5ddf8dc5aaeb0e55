"""Links on home and section pages: articles, feeds, pagination, section listings.

Works on the page's lxml tree directly: listing pages carry hundreds of links each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.html import HtmlElement

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_NEXT_TEXT = re.compile(r"^\s*(?:다음|next|›|»|>|→|다음\s*페이지)\s*$", re.IGNORECASE)
_PAGE_PARAM = re.compile(r"(?:[?&](?:page|p|pg|pageNo|page_no|paged)=\d+|/page/\d+/?$)", re.I)


@dataclass(frozen=True)
class ListingLinks:
    links: list[str]  # every link on the page, absolute
    pagination: list[str]  # next-page links of this listing
    feeds: list[str]  # RSS/Atom feeds the page advertises


def read_listing(page: str, url: str) -> ListingLinks:
    """A pure function (it runs in a worker process): the links a listing page offers."""
    root = lxml.html.document_fromstring(page.encode("utf-8"), parser=_PARSER)
    anchors = _anchors(root, url)
    return ListingLinks(
        links=[link for link, _ in anchors],
        pagination=pagination_links(root, url, anchors),
        feeds=feed_links(root, url),
    )


_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _anchors(root: HtmlElement, base: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every <a href> on the page."""
    found = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        found.append((urljoin(base, href), " ".join(anchor.text_content().split())))
    return found


def page_links(root: HtmlElement, base: str) -> list[str]:
    """Every link of the page (or of one of its elements), absolute, without its fragment,
    once each, in the page's order."""
    return list(dict.fromkeys(url.split("#", 1)[0] for url, _ in _anchors(root, base)))


def feed_links(root: HtmlElement, base: str) -> list[str]:
    found = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES:
            href = link.get("href")
            if href:
                found.append(urljoin(base, href.strip()))
    return found


def pagination_links(
    root: HtmlElement, base: str, anchors: list[tuple[str, str]] | None = None
) -> list[str]:
    """Next-page links: rel=next, "다음"/next, and numbered page links of the same listing."""
    here = urlsplit(base).netloc
    found = [
        urljoin(base, node.get("href", "").strip())
        for node in root.iter("a", "link")
        if "next" in (node.get("rel") or "").lower().split() and node.get("href")
    ]
    for url, text in anchors if anchors is not None else _anchors(root, base):
        if urlsplit(url).netloc != here:
            continue
        if _NEXT_TEXT.match(text) or (text.isdigit() and _PAGE_PARAM.search(url)):
            found.append(url)
    return list(dict.fromkeys(found))
