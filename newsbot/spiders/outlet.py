"""A spider for any outlet declared in ``newsbot.config.sources``: discovery from every source, one
request per canonical article URL (decided by
:class:`newsbot.discovery.frontier.Frontier`), extraction off
the reactor thread. What becomes of an extracted article is up to the item pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from newsbot import signals as newsbot_signals
from newsbot.config.outlet import Outlet
from newsbot.config.preflight import check_crawl_settings
from newsbot.config.run_settings import RunSettings
from newsbot.discovery.article_urls import ArticleRef, ArticleUrls
from newsbot.discovery.feeds import read_feed
from newsbot.discovery.frontier import EXISTING_POSTS, GUESSED_SOURCES, Fetch, Frontier, Page
from newsbot.discovery.listings import read_listing
from newsbot.discovery.sitemaps import read_sitemap
from newsbot.downloadermiddlewares.discovery_cache import DISCOVERY, UNCHANGED_SINCE
from newsbot.downloadermiddlewares.robots import SPIDER_ROBOTS
from newsbot.extensions.post_index import PublishedPosts
from newsbot.extensions.retry_failed import RetryFailed
from newsbot.extraction import Hints, NotAnArticle, extract_article
from newsbot.extraction.dates import parse_day
from newsbot.run.ledger import FailReason, SkipReason, count_failure, count_skip
from newsbot.run.workers import WorkerPool
from newsbot.spiders.fast import FastSettings
from newsbot.state.discovery_memory import DiscoveryMemory

logger = logging.getLogger(__name__)
MISSING = (404, 410)
GUESSED = "newsbot_guessed"  # request meta: a usual path the outlet's entry did not choose


class OutletSpider(FastSettings, scrapy.Spider):
    outlet: ClassVar[Outlet]
    frontier: Frontier

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider: OutletSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup(crawler, kwargs.get("base_url"))
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    def setup(self, crawler: Crawler, base_url: str | None) -> None:
        s = crawler.settings
        check_crawl_settings(s, self.outlet, base_url)  # ConfigError: one line naming it
        if base_url:  # `scrapy crawl -a base_url=URL`: the setting every component reads
            s.set("NEWSBOT_BASE_URL", base_url, priority="cmdline")
        run = RunSettings.from_settings(s)  # not yet final: the crawler's addons come later
        self.urls = ArticleUrls(self.outlet, run.base_url)
        self.rules = self.outlet.extraction
        if run.min_body_chars is not None:
            self.rules = replace(self.rules, min_body_chars=run.min_body_chars)
        self.allowed_domains = sorted({h.split(":")[0] for h in self.urls.hosts})

    # ----------------------------------------------------------------- discovery
    async def start(self) -> AsyncIterator[Request]:
        s = self.crawler.settings
        run = RunSettings.from_crawler(self.crawler)
        posts = self.crawler.get_extension(PublishedPosts)
        retry = self.crawler.get_extension(RetryFailed)
        self.memory = DiscoveryMemory.load(
            run.state.discovery_memory(self.name) if run.discovery_memory else None
        )
        self.frontier = Frontier(
            self.urls,
            posts.index if posts else PublishedPosts.load(s),
            since=parse_day(run.since),
            refresh=run.refresh,
            walk_misses=run.id_walk_misses if self.outlet.numeric_ids else 0,
            backfill=run.backfill,
            max_listing_pages=run.max_listing_pages,
            count=self.crawler.stats.inc_value,
            memory=self.memory,
            probe=True,
        )
        self.frontier.robots_requested()
        yield Request(
            self.urls.absolute("/robots.txt"),
            self.parse_robots,
            errback=self.discovery_error,
            dont_filter=True,
            priority=10,
            # the one robots.txt of the run, obeyed too (SpiderRobotsTxt), reused for a day
            meta={"newsbot_sitemap_source": True, SPIDER_ROBOTS: True, DISCOVERY: "robots"},
        )
        sitemaps = [path for path in self.outlet.sitemaps if self._worth_asking(path)]
        for request in self._sitemap_requests(map(self.urls.absolute, sitemaps)):
            yield request
        for path in self.outlet.feeds:
            if self._worth_asking(path):
                meta = {DISCOVERY: "feed", GUESSED: self.outlet.guessed(path)}
                yield Request(self.urls.absolute(path), self.parse_feed,
                              errback=self.discovery_error, priority=5, meta=meta)  # fmt: skip
        for path in self.outlet.listing_pages:
            if url := self.frontier.listing(self.urls.absolute(path)):
                yield self._listing_request(url, self.parse_listing)
        for request in self._article_requests(self.frontier.start(retry.previous if retry else ())):
            yield request

    def _worth_asking(self, path: str) -> bool:
        """A usual path guessed for this outlet that answered 404/410 in the last day is not
        asked again; the paths the outlet's entry chose always are."""
        if self.outlet.guessed(path) and self.memory.missing_recently(self.urls.absolute(path)):
            self.crawler.stats.inc_value("newsbot/discovery/remembered_missing")
            return False
        return True

    def _sitemap_requests(self, urls: Iterable[str]) -> Iterator[Request]:
        """One request per sitemap URL, counted until answered: listing pagination waits for
        the sitemaps (see ``Frontier.listing_read``)."""
        for url in self.frontier.sitemaps(urls):
            yield self._sitemap_request(url)

    def _sitemap_request(self, url: str) -> Request:
        guessed = any(url == self.urls.absolute(p) and self.outlet.guessed(p)
                      for p in self.outlet.sitemaps)  # fmt: skip
        meta = {"newsbot_sitemap_source": True, DISCOVERY: "sitemap", GUESSED: guessed}
        settled = self.frontier.settled_sitemaps.get(url)
        if settled is not None:
            meta[UNCHANGED_SINCE] = settled.timestamp()
        return Request(url, self.parse_sitemap, errback=self.discovery_error, priority=5,
                       meta=meta)  # fmt: skip

    def _listing_request(self, url: str, callback: Any, depth: int = 0) -> Request:
        return Request(url, callback, errback=self.discovery_error,
                       meta={"depth_listing": depth, DISCOVERY: "listing"})  # fmt: skip

    def _listing_requests(self, pages: Iterable[Page]) -> Iterator[Request]:
        for url, depth in pages:
            yield self._listing_request(url, self.parse_listing, depth)

    def _article_requests(self, fetch: Iterable[Fetch]) -> Iterator[Request]:
        for ref, hints in fetch:
            if hints.source not in GUESSED_SOURCES:  # an article that exists: start the workers
                WorkerPool.for_crawler(self.crawler).warm()
            yield Request(ref.url, self.parse_article, errback=self.article_error,
                          meta={"newsbot_ref": ref, "newsbot_hints": hints})  # fmt: skip

    def parse_robots(self, response: Response) -> Iterator[Request]:
        yield from self._sitemap_requests(
            sitemap_urls_from_robots(response.text, base_url=response.url)
        )
        yield from self._listing_requests(self.frontier.sitemap_answered())

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        self.memory.found(response.request.url if response.request else response.url)
        try:
            kind, entries, damaged = await WorkerPool.for_crawler(self.crawler).run_in_thread(
                read_sitemap, response.body, self.rules.timezone
            )
            self.crawler.stats.inc_value(f"newsbot/sitemaps/{kind or 'unreadable'}")
            if damaged:
                self._damaged("sitemap", response.url)
            sitemaps, fetch = self.frontier.sitemap_read(kind, entries, damaged)
        finally:
            pages = self.frontier.sitemap_answered()
        for url in sitemaps:  # new ones only
            yield self._sitemap_request(url)
        for request in self._article_requests(fetch):
            yield request
        for request in self._listing_requests(pages):
            yield request

    async def parse_feed(self, response: Response) -> AsyncIterator[Request]:
        self.memory.found(response.request.url if response.request else response.url)
        found = []
        entries, damaged = await WorkerPool.for_crawler(self.crawler).run_in_thread(
            read_feed, response.body, self.rules.timezone
        )
        if damaged:
            self._damaged("feed", response.url)
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
                found.append((ref, hints))
        self.crawler.stats.inc_value("newsbot/feeds/read")
        for request in self._article_requests(self.frontier.discovered(found, damaged)):
            yield request

    async def parse_listing(self, response: Response) -> AsyncIterator[Request]:
        if not isinstance(response, TextResponse):
            return
        depth = response.meta.get("depth_listing", 0)
        page = await WorkerPool.for_crawler(self.crawler).run_in_thread(
            read_listing, response.text, response.url
        )
        for url in page.feeds:
            if key := self.frontier.listing(url):
                yield self._listing_request(key, self.parse_feed)
        found = [
            (ref, Hints(source="listing")) for url in page.links if (ref := self.urls.match(url))
        ]
        for request in self._article_requests(self.frontier.discovered(found)):
            yield request
        listed = [ref for ref, _ in found]
        pages = self.frontier.listing_read(listed, page.pagination, page.links, depth)
        for request in self._listing_requests(pages):
            yield request

    def _damaged(self, kind: str, url: str) -> None:
        self.crawler.stats.inc_value("newsbot/discovery/damaged")
        logger.warning(
            "The %s at %s was cut short: its entries were read as far as it goes, and the "
            "fallback listing pages are read too",
            kind,
            url,
        )

    def discovery_error(self, failure: Failure) -> list[Request]:
        request = failure.request  # type: ignore[attr-defined]
        answered: list[Request] = []
        if request.meta.get("newsbot_sitemap_source"):
            answered = list(self._listing_requests(self.frontier.sitemap_answered()))
        status = _http_status(failure)  # (HttpError is an IgnoreRequest too: check it first)
        if status in MISSING or (status is None and failure.check(IgnoreRequest)):
            # absent, or forbidden by robots.txt: the other sources carry on
            self.crawler.stats.inc_value("newsbot/discovery/missing")
            if status in MISSING and request.meta.get(GUESSED):  # not asked again for a day
                logger.debug("No discovery source at %s", request.url)
                self.memory.missing(request.url)
            elif status in MISSING and request.meta.get(DISCOVERY) in ("sitemap", "feed"):
                # one the sources file names: asked on every run, so its loss must show
                self.crawler.stats.inc_value("newsbot/discovery/declared_missing")
                logger.warning(
                    "The %s the sources file names is gone (%s): %s",
                    request.meta[DISCOVERY],
                    status,
                    request.url,
                )
            else:
                logger.debug("No discovery source at %s", request.url)
            return answered
        self.crawler.stats.inc_value("newsbot/discovery/errors")
        logger.warning("Discovery source failed: %s (%s)", request.url, failure.getErrorMessage())
        return answered

    def on_idle(self) -> None:
        """Discovery is done: start the id walk (fresh output) and the backfill, once each."""
        pages, fetch = self.frontier.idle()
        requests = [*self._listing_requests(pages), *self._article_requests(fetch)]
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
            count_skip(stats, SkipReason.NOT_ARTICLE)  # redirected away, or not HTML
            return
        try:
            item = await WorkerPool.for_crawler(self.crawler).run(
                extract_article, response.text, response.url, hints, self.rules
            )
        except NotAnArticle as skip:
            count_skip(stats, skip.reason)
            if skip.reason in EXISTING_POSTS:  # fetched again in a week, or when lastmod moves
                self.memory.not_article(ref.url, skip.reason, hints.modified)
            logger.info("Skipped %s: %s", response.url, skip)
            for request in self._article_requests(self.frontier.skipped(ref, skip.reason)):
                yield request
            return
        except Exception as exc:  # a bug or a pathological page: record it, keep crawling
            count_failure(stats, FailReason.EXTRACTION)
            self._failed(ref.url, f"extraction error: {exc!r}")
            logger.exception("Extraction failed for %s", response.url)
            return
        self.memory.article(ref.url)
        page_ref = self.frontier.landed(ref, self.urls.match(item.url) or landed)
        if page_ref is None:
            return
        for request in self._article_requests(self.frontier.extracted(page_ref, item.fingerprint)):
            yield request
        yield item  # FinishArticlePipeline drops duplicates and finishes it

    def article_error(self, failure: Failure) -> list[Request]:
        request = failure.request  # type: ignore[attr-defined]
        ref: ArticleRef = request.meta["newsbot_ref"]
        hints: Hints = request.meta["newsbot_hints"]
        status = _http_status(failure)
        if status in MISSING:
            count_skip(self.crawler.stats, Frontier.missing_reason(hints))
            return []
        reason = f"HTTP {status}" if status else failure.getErrorMessage()
        count_failure(self.crawler.stats, FailReason.DOWNLOAD)
        self._failed(ref.url, reason)
        logger.error("Could not fetch %s: %s", ref.url, reason)
        return list(self._article_requests(self.frontier.unanswered(ref, hints)))

    def on_closed(self) -> None:
        if not RunSettings.from_crawler(self.crawler).dry_run and hasattr(self, "memory"):
            self.memory.save()

    def _failed(self, url: str, reason: str) -> None:
        self.crawler.signals.send_catch_log(newsbot_signals.article_failed, url=url, reason=reason)


def _http_status(failure: Failure) -> int | None:
    if failure.check(HttpError) and isinstance(failure.value, HttpError):
        return int(failure.value.response.status)
    return None
