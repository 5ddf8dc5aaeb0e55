"""A spider for any outlet declared in ``newsbot.outlets``: discovery from every source, one
request per canonical article URL, extraction off the reactor thread.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from newsbot.article_urls import ArticleRef, ArticleUrls
from newsbot.config_check import check_crawl_settings
from newsbot.discovery.feeds import read_feed
from newsbot.discovery.id_walk import IdWalk
from newsbot.discovery.listings import read_listing
from newsbot.discovery.sitemaps import read_sitemap
from newsbot.extraction import Hints, NotAnArticle, extract_article
from newsbot.outlets.declaration import Outlet
from newsbot.profiles import load_profile
from newsbot.published import PublishedIndex
from newsbot.retry_list import RetryList
from newsbot.workers import WorkerPool

logger = logging.getLogger(__name__)
MISSING = (404, 410)
GUESSED_SOURCES = ("id-walk", "backfill", "retry")  # ids we guessed, not ids we saw linked
# Skipped pages that still prove their id is a post. An error, empty or too short page does not:
# an outlet that answers 200 for every id would otherwise walk the ids for ever.
EXISTING_POSTS = frozenset({"protected", "notice"})


class OutletSpider(scrapy.Spider):
    outlet: ClassVar[Outlet]

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if settings.getbool("NEWSBOT_FAST"):
            for key, value in settings.getdict("NEWSBOT_FAST_SETTINGS").items():
                settings.set(key, value, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider: OutletSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup(crawler, kwargs.get("base_url"))
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def setup(self, crawler: Crawler, base_url: str | None) -> None:
        s = crawler.settings
        check_crawl_settings(s, self.outlet, base_url)  # ConfigError: one line naming it
        self.urls = ArticleUrls(self.outlet, base_url or s.get("NEWSBOT_BASE_URL"))
        self.rules = self.outlet.extraction
        if s.get("NEWSBOT_MIN_BODY_CHARS") is not None:
            self.rules = replace(self.rules, min_body_chars=s.getint("NEWSBOT_MIN_BODY_CHARS"))
        self.profile = load_profile(s.get("NEWSBOT_PROFILE"))
        self.output_dir = Path(s.get("NEWSBOT_OUTPUT_DIR")).resolve()
        state_dir = self.output_dir / s.get("NEWSBOT_STATE_DIR")
        self.published = PublishedIndex.load(
            self.output_dir / self.profile.posts_dir,
            cache=None if s.getbool("NEWSBOT_DRY_RUN") else state_dir / "published.json",
        )
        self.retry = RetryList(state_dir / "retry.json")
        self.since: date | None = _parse_since(s.get("NEWSBOT_SINCE"))
        self.refresh = s.getbool("NEWSBOT_REFRESH")
        self.backfill = s.getint("NEWSBOT_BACKFILL")
        self.max_listing_pages = s.getint("NEWSBOT_MAX_LISTING_PAGES")
        self.walk = IdWalk(s.getint("NEWSBOT_ID_WALK_MISSES") if self.outlet.numeric_ids else 0)
        self.failures: list[tuple[str, str]] = []  # (url, reason) of articles not fetched
        self._seen: set[str] = set()
        self._listings_seen: set[str] = set()
        self._sitemapped: set[str] = set()  # article URLs that a sitemap lists
        self._sitemaps_requested: set[str] = set()
        self._sitemaps_pending = 0  # sitemap sources asked for and not answered yet
        # listing pagination waiting for the sitemaps: (article URLs listed, next pages, depth)
        self._deferred_pages: list[tuple[list[str], list[str], int]] = []
        self._unfetched: set[str] = set()  # published articles seen but not fetched (yet)
        self._fingerprints: set[str] = set()  # content written (or skipped) in this run
        self._backfilled = False
        self.allowed_domains = sorted({h.split(":")[0] for h in self.urls.hosts})
        self.base_url = self.urls.base

    # ----------------------------------------------------------------- discovery
    async def start(self) -> AsyncIterator[Request]:
        for post in self.published:
            ref = self.urls.match(post.source_url)
            if ref and ref.number is not None:
                self.walk.hit(ref.number)
        self._sitemaps_pending += 1  # robots.txt may name sitemaps
        yield Request(
            self.urls.absolute("/robots.txt"),
            self.parse_robots,
            errback=self.discovery_error,
            dont_filter=True,
            priority=10,
            meta={"newsbot_sitemap_source": True},
        )
        for path in self.outlet.sitemaps:
            for request in self._sitemap_request(self.urls.absolute(path)):
                yield request
        for path in self.outlet.feeds:
            yield self._discovery(path, self.parse_feed)
        for path in self.outlet.listing_pages:
            for request in self._listing_request(self.urls.absolute(path), self.parse_listing):
                yield request
        for url in self.retry.load():
            ref = self.urls.match(url)
            if ref:
                for request in self._article_requests(ref, Hints(source="retry")):
                    yield request
        if len(self.published):
            for request in self._walk_requests():
                yield request

    def _discovery(self, path: str, callback: Any) -> Request:
        return Request(self.urls.absolute(path), callback, errback=self.discovery_error, priority=5)

    def _sitemap_request(self, url: str) -> Iterator[Request]:
        """One request per sitemap URL (robots.txt and the usual paths often name the same),
        counted until answered: listing pagination waits for the sitemaps (see below)."""
        if url in self._sitemaps_requested:
            return
        self._sitemaps_requested.add(url)
        self._sitemaps_pending += 1
        yield Request(url, self.parse_sitemap, errback=self.discovery_error, priority=5,
                      meta={"newsbot_sitemap_source": True})  # fmt: skip

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in sitemap_urls_from_robots(response.text, base_url=response.url):
            yield from self._sitemap_request(url)
        yield from self._sitemap_answered()

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        try:
            async for request in self._read_sitemap(response):
                yield request
        finally:
            requests = list(self._sitemap_answered())
        for request in requests:
            yield request

    async def _read_sitemap(self, response: Response) -> AsyncIterator[Request]:
        kind, entries = await WorkerPool.for_crawler(self.crawler).run_in_thread(
            read_sitemap, response.body, self.rules.timezone
        )
        self.crawler.stats.inc_value(f"newsbot/sitemaps/{kind or 'unreadable'}")
        since = self.since
        if kind == "sitemapindex":
            for entry in entries:
                if since and entry.lastmod and entry.lastmod.date() < since:
                    continue
                for request in self._sitemap_request(entry.loc):
                    yield request
            return
        refs = []
        for entry in entries:
            if since and entry.lastmod and entry.lastmod.date() < since:
                continue
            ref = self.urls.match(entry.loc)
            if ref:
                refs.append((ref, Hints(modified=entry.lastmod, source="sitemap")))
        self._sitemapped.update(ref.url for ref, _ in refs)
        for request in self._discovered(refs):
            yield request

    async def parse_feed(self, response: Response) -> AsyncIterator[Request]:
        refs = []
        entries = await WorkerPool.for_crawler(self.crawler).run_in_thread(
            read_feed, response.body, self.rules.timezone
        )
        for entry in entries:
            ref = self.urls.match(response.urljoin(entry.link))
            if ref:
                hints = Hints(
                    title=entry.title,
                    published=entry.published,
                    modified=entry.updated,
                    description=entry.summary,
                    category=entry.category,
                    source="feed",
                )
                refs.append((ref, hints))
        self.crawler.stats.inc_value("newsbot/feeds/read")
        for request in self._discovered(refs):
            yield request

    async def parse_listing(self, response: Response) -> AsyncIterator[Request]:
        if not isinstance(response, TextResponse):
            return
        depth = response.meta.get("depth_listing", 0)
        page = await WorkerPool.for_crawler(self.crawler).run_in_thread(
            read_listing, response.text, response.url
        )
        for url in page.feeds:
            for request in self._listing_request(url, self.parse_feed):
                yield request
        refs = [
            (ref, Hints(source="listing")) for url in page.links if (ref := self.urls.match(url))
        ]
        for request in self._discovered(refs):
            yield request
        pages = [url for url in page.pagination if not self.urls.match(url)]
        if depth == 0 and self.outlet.listing_pattern:
            # section listings linked from a listing page: its other pages, in effect
            pages += [url for url in page.links if self.urls.is_listing(url)]
        if pages and depth + 1 < self.max_listing_pages:
            listed = [ref.url for ref, _ in refs]
            if self._sitemaps_pending:  # decide once the sitemaps have said what they list
                self._deferred_pages.append((listed, pages, depth + 1))
            else:
                for request in self._next_pages(listed, pages, depth + 1):
                    yield request

    def _next_pages(self, listed: list[str], pages: list[str], depth: int) -> Iterator[Request]:
        """Follow a listing's pagination (and, from a first listing page, the section listings
        it links) while its page shows articles that neither the blog nor a sitemap (a complete
        source, unlike a feed) accounts for: all of it on a first run without sitemaps, none of
        it when a sitemap lists everything or nothing is new."""
        if all(url in self.published or url in self._sitemapped for url in listed):
            return
        for url in pages:
            if self.urls.is_own_host(url):
                yield from self._listing_request(url, self.parse_listing, depth)

    def _sitemap_answered(self) -> Iterator[Request]:
        """A sitemap source answered (or failed): once none is pending, the pagination of the
        listings parsed meanwhile is decided."""
        self._sitemaps_pending -= 1
        if self._sitemaps_pending <= 0:
            yield from self._deferred_pagination()

    def _deferred_pagination(self) -> Iterator[Request]:
        deferred, self._deferred_pages = self._deferred_pages, []
        for listed, pages, depth in deferred:
            yield from self._next_pages(listed, pages, depth)

    def _listing_request(self, url: str, callback: Any, depth: int = 0) -> Iterator[Request]:
        """One request per listing or feed URL (pages link each other many times over)."""
        key = url.split("#", 1)[0]
        if key in self._listings_seen:
            return
        self._listings_seen.add(key)
        yield Request(key, callback, errback=self.discovery_error,
                      meta={"depth_listing": depth})  # fmt: skip

    def discovery_error(self, failure: Failure) -> list[Request]:
        request = failure.request  # type: ignore[attr-defined]
        answered: list[Request] = []
        if request.meta.get("newsbot_sitemap_source"):
            answered = list(self._sitemap_answered())
        status = _http_status(failure)  # (HttpError is an IgnoreRequest too: check it first)
        if status in MISSING or (status is None and failure.check(IgnoreRequest)):
            # absent, or forbidden by robots.txt: the other sources carry on
            self.crawler.stats.inc_value("newsbot/discovery/missing")
            logger.debug("No discovery source at %s", request.url)
            return answered
        self.crawler.stats.inc_value("newsbot/discovery/errors")
        logger.warning("Discovery source failed: %s (%s)", request.url, failure.getErrorMessage())
        return answered

    def _discovered(self, refs: Iterable[tuple[ArticleRef, Hints]]) -> Iterator[Request]:
        for ref, hints in refs:
            yield from self._article_requests(ref, hints)
        if self.walk.started:
            yield from self._walk_requests()

    def _article_requests(self, ref: ArticleRef, hints: Hints) -> Iterator[Request]:
        stats = self.crawler.stats
        if ref.number is not None and hints.source not in GUESSED_SOURCES:
            self.walk.hit(ref.number)  # a link to it exists: the id is real
        post = self.published.get(ref.url)
        if ref.url in self._seen:
            stats.inc_value("newsbot/discovered/duplicate")
            # Another source may say more: a sitemap's lastmod after a listing's bare link.
            if not (post and ref.url in self._unfetched and self._needs_refresh(post.path, hints)):
                return
            stats.inc_value("newsbot/skipped/already_published", -1)
        else:
            self._seen.add(ref.url)
            stats.inc_value(f"newsbot/discovered/{hints.source or 'other'}")
            if post is not None and not self._needs_refresh(post.path, hints):
                stats.inc_value("newsbot/skipped/already_published")
                self._unfetched.add(ref.url)
                return
        self._unfetched.discard(ref.url)
        if hints.source not in GUESSED_SOURCES:  # an article that exists: start the workers
            WorkerPool.for_crawler(self.crawler).warm()
        yield Request(
            ref.url,
            self.parse_article,
            errback=self.article_error,
            meta={"newsbot_ref": ref, "newsbot_hints": hints},
        )

    def _needs_refresh(self, path: Path, hints: Hints) -> bool:
        if self.refresh:
            return True
        if hints.modified is None:
            return False
        try:
            return hints.modified.timestamp() > path.stat().st_mtime
        except OSError:
            return True

    def _walk_requests(self) -> Iterator[Request]:
        for number in self.walk.take():
            ref = self.urls.for_id(number)
            yield from self._article_requests(ref, Hints(source="id-walk"))

    def on_idle(self) -> None:
        """Discovery is done: start the id walk (fresh output) and the backfill, once each."""
        requests = list(self._deferred_pagination())  # a sitemap request that never answered
        if not self.walk.started:
            requests.extend(self._walk_requests())
        if self.backfill and not self._backfilled and self.walk.highest is not None:
            self._backfilled = True
            top = self.walk.highest
            for number in range(top - 1, max(top - 1 - self.backfill, 0), -1):
                requests.extend(
                    self._article_requests(self.urls.for_id(number), Hints(source="backfill"))
                )
        if requests:
            for request in requests:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    # ------------------------------------------------------------------ articles
    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        ref: ArticleRef = response.meta["newsbot_ref"]
        hints: Hints = response.meta["newsbot_hints"]
        stats = self.crawler.stats
        landed = self.urls.match(response.url)
        if landed is None or not isinstance(response, TextResponse):
            stats.inc_value("newsbot/skipped/not_article")  # redirected away, or not HTML
            return
        try:
            item = await WorkerPool.for_crawler(self.crawler).run(
                extract_article, response.text, response.url, hints, self.rules, markdown=False
            )
        except NotAnArticle as skip:
            stats.inc_value(f"newsbot/skipped/{skip.reason}")
            logger.info("Skipped %s: %s", response.url, skip)
            if skip.reason in EXISTING_POSTS and ref.number is not None:
                self.walk.hit(ref.number)
            for request in self._walk_requests():
                yield request
            return
        except Exception as exc:  # a bug or a pathological page: record it, keep crawling
            stats.inc_value("newsbot/failed/extraction")
            self.failures.append((ref.url, f"extraction error: {exc!r}"))
            logger.exception("Extraction failed for %s", response.url)
            return
        page_ref = self.urls.match(item.url) or landed
        if page_ref.url != ref.url:
            if page_ref.url in self._seen or page_ref.url in self.published:
                stats.inc_value("newsbot/skipped/duplicate")
                return
            self._seen.add(page_ref.url)
            ref = page_ref
        duplicate = item.fingerprint in self._fingerprints
        if ref.number is not None and not duplicate:
            self.walk.hit(ref.number)
        for request in self._walk_requests():
            yield request
        if duplicate:  # the same article under another URL (or one page for every id)
            stats.inc_value("newsbot/skipped/duplicate_content")
            return
        self._fingerprints.add(item.fingerprint)
        if self.since and item.published and item.published.date() < self.since:
            stats.inc_value("newsbot/skipped/too_old")
            return
        if item.published is None:
            # No date anywhere on the page or in the feed: date the post by its discovery.
            item.published = hints.modified or datetime.now(ZoneInfo(self.rules.timezone))
            stats.inc_value("newsbot/articles/date_missing")
        item.url, item.slug, item.outlet = ref.url, ref.slug, self.outlet.name
        stats.inc_value("newsbot/articles/extracted")
        yield item

    def article_error(self, failure: Failure) -> Iterator[Request]:
        request = failure.request  # type: ignore[attr-defined]
        ref: ArticleRef = request.meta["newsbot_ref"]
        hints: Hints = request.meta["newsbot_hints"]
        stats = self.crawler.stats
        status = _http_status(failure)
        if status in MISSING:
            source = "id_walk_miss" if hints.source in GUESSED_SOURCES else "http_404"
            stats.inc_value(f"newsbot/skipped/{source}")
            return
        reason = f"HTTP {status}" if status else failure.getErrorMessage()
        stats.inc_value("newsbot/failed/download")
        self.failures.append((ref.url, reason))
        logger.error("Could not fetch %s: %s", ref.url, reason)
        yield from ()

    def closed(self, reason: str) -> None:
        self.retry.save(url for url, _ in self.failures)


def _http_status(failure: Failure) -> int | None:
    if failure.check(HttpError) and isinstance(failure.value, HttpError):
        return int(failure.value.response.status)
    return None


def _parse_since(value: str | None) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    return date.fromisoformat(str(value))
