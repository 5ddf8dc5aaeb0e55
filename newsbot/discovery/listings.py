"""Links on home and section pages: articles, feeds, pagination, section listings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import TextResponse

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_NEXT_TEXT = re.compile(r"^\s*(?:다음|next|›|»|>|→|다음\s*페이지)\s*$", re.IGNORECASE)
_PAGE_PARAM = re.compile(r"(?:[?&](?:page|p|pg|pageNo|page_no|paged)=\d+|/page/\d+/?$)", re.I)


def links(response: TextResponse) -> list[str]:
    hrefs = response.xpath("//a[@href]/@href").getall()
    return [response.urljoin(h.strip()) for h in hrefs if not h.strip().startswith(("#", "java"))]


def feed_links(response: TextResponse) -> list[str]:
    found = []
    for link in response.xpath("//link[@rel='alternate'][@href]"):
        if (link.attrib.get("type") or "").lower() in FEED_TYPES:
            found.append(response.urljoin(link.attrib["href"]))
    return found


def pagination_links(response: TextResponse) -> list[str]:
    """Next-page links: rel=next, "다음"/next, and numbered page links of the same listing."""
    found = [response.urljoin(h) for h in response.xpath("//*[@rel='next']/@href").getall()]
    here = urlsplit(response.url)
    for anchor in response.xpath("//a[@href]"):
        href = anchor.attrib["href"]
        text = " ".join(anchor.xpath("string()").get("").split())
        url = response.urljoin(href)
        parts = urlsplit(url)
        if parts.netloc != here.netloc:
            continue
        if _NEXT_TEXT.match(text) or (text.isdigit() and _PAGE_PARAM.search(href)):
            found.append(url)
    return list(dict.fromkeys(found))
