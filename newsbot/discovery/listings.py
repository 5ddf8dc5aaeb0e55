"""Links on home and section pages: articles, feeds, pagination, section listings.

Works on the page's lxml tree directly: listing pages carry hundreds of links each.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_NEXT_TEXT = re.compile(r"^\s*(?:다음|next|›|»|>|→|다음\s*페이지)\s*$", re.IGNORECASE)
_PAGE_PARAM = re.compile(r"(?:[?&](?:page|p|pg|pageNo|page_no|paged)=\d+|/page/\d+/?$)", re.I)


def _anchors(response: TextResponse) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every <a href> on the page."""
    base = response.url
    found = []
    for anchor in response.selector.root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        found.append((urljoin(base, href), " ".join(anchor.text_content().split())))
    return found


def links(response: TextResponse) -> list[str]:
    return [url for url, _ in _anchors(response)]


def feed_links(response: TextResponse) -> list[str]:
    found = []
    for link in response.selector.root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES:
            href = link.get("href")
            if href:
                found.append(urljoin(response.url, href.strip()))
    return found


def pagination_links(response: TextResponse) -> list[str]:
    """Next-page links: rel=next, "다음"/next, and numbered page links of the same listing."""
    here = urlsplit(response.url).netloc
    found = [
        urljoin(response.url, node.get("href", "").strip())
        for node in response.selector.root.iter("a", "link")
        if "next" in (node.get("rel") or "").lower().split() and node.get("href")
    ]
    for url, text in _anchors(response):
        if urlsplit(url).netloc != here:
            continue
        if _NEXT_TEXT.match(text) or (text.isdigit() and _PAGE_PARAM.search(url)):
            found.append(url)
    return list(dict.fromkeys(found))
