"""The outlets the benchmark serves on 127.0.0.1, in two designs, with their responses cached.

- ``news-cms``: the demo outlet (``newsbot.demo.outlet.OutletSite``): a Korean news CMS with
  full page furniture, robots.txt, a sitemap index with month sitemaps, RSS and listings;
- ``tistory``: the same articles as a Tistory blog (``tests/sites/tistory.py``, the
  ``odyssey-like`` layout, real 404s), which is what newsdao.kr is.

Both are sites of the test kit (``tests/sites``); ``CachedSite`` wraps either one: responses
are cached (rendering stays out of the timing), requests are counted, and the time of the first
request after ``reset()`` is kept for the start-up figure. ``served_articles(rows, n)`` makes
``n`` articles from the corpus, more than the corpus holds if asked.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import shared_data
from sites import Site
from sites.tistory import TistorySite

from newsbot.demo.outlet import Delivery, OutletSite, Response, SampleArticle

DESIGNS = ("news-cms", "tistory")
TISTORY_LAYOUT = "odyssey-like"
# what newsbot's discovery and the peer ask for besides the articles
DISCOVERY_PATHS = (
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/rss",
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/",
)
LISTING_PAGE_SIZE = 10  # both designs list ten articles per page
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
_HREF = re.compile(r'href="(/[^"#]*)"')
_ARTICLE = re.compile(r"^/\d+/?$")


class CachedSite:
    """A site with rendered responses cached, so page rendering stays out of the timing.

    Safe because the served sites have no faults and nothing in them depends on time: a
    response depends only on (path, host). ``served`` counts requests (hits and misses);
    ``first_request_at`` is ``time.perf_counter()`` at the first request since ``reset()``.
    """

    def __init__(self, site: Site, article_ids: list[int]) -> None:
        self.site = site
        self.article_ids = article_ids
        self._cache: dict[tuple[str, str], Response] = {}
        self._lock = threading.Lock()
        self.served = 0
        self.first_request_at: float | None = None

    def respond(self, path: str, host: str) -> Response:
        with self._lock:
            if self.first_request_at is None:
                self.first_request_at = time.perf_counter()
            self.served += 1
        key = (path, host)
        hit = self._cache.get(key)
        if hit is None:
            hit = self.site.respond(path, host)
            self._cache[key] = hit
        return hit

    def delivery(self, path: str) -> Delivery:
        return Delivery()  # no slow or cut-short answers on a benchmark outlet

    def reset(self) -> None:
        with self._lock:
            self.served = 0
            self.first_request_at = None

    def warm(self, host: str) -> None:
        """Render what a crawl asks for: the articles, the discovery paths, the sitemaps they
        list, the home listing's pages and the pages it links to (sections, categories).
        Anything else is rendered on its first request."""
        pending = [f"/{i}" for i in self.article_ids] + list(DISCOVERY_PATHS)
        pages = math.ceil(len(self.article_ids) / LISTING_PAGE_SIZE)
        pending += [f"/?page={n}" for n in range(2, pages + 1)]
        seen: set[str] = set()
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            status, headers, body = self.respond(path, host)
            if status == 200 and "xml" in headers.get("Content-Type", "") and b"<loc>" in body:
                for url in _LOC.findall(body.decode("utf-8", errors="replace")):
                    parts = urlsplit(url)
                    if parts.netloc == host and parts.path.endswith(".xml"):
                        pending.append(parts.path)
            if path == "/" and status == 200:
                links = _HREF.findall(body.decode("utf-8", errors="replace"))
                pending += [link for link in links if not _ARTICLE.match(link)]
        self.reset()


def make_site(design: str, articles: list[SampleArticle]) -> CachedSite:
    ids = sorted(a.id for a in articles)
    if design == "news-cms":
        return CachedSite(OutletSite(articles), ids)
    if design == "tistory":
        return CachedSite(TistorySite(articles, TISTORY_LAYOUT), ids)
    raise ValueError(f"unknown design {design!r} (known: {', '.join(DESIGNS)})")


def served_articles(rows: list[dict[str, Any]], n: int) -> list[SampleArticle]:
    """``n`` articles: an even spread of the corpus, or all of it and then reissues.

    A reissue is a corpus article under a new id above the highest corpus id, with a title
    suffix, so that newsbot does not skip it as the same content under another URL.
    """
    if n <= len(rows):
        return [shared_data.sample_article(r) for r in shared_data.sample_rows(rows, n)]
    ordered = [shared_data.sample_article(r) for r in shared_data.sample_rows(rows, len(rows))]
    top = max(a.id for a in ordered)
    extra = [
        replace(
            ordered[i % len(ordered)],
            id=top + 1 + i,
            title=f"{ordered[i % len(ordered)].title} (재게시 {i + 1})",
        )
        for i in range(n - len(ordered))
    ]
    return ordered + extra
