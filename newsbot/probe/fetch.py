"""Fetch what a site offers, with newsbot's own HTTP stack: a small Scrapy spider run with the
project's settings and downloader middlewares (newsbot's User-Agent, robots.txt obeyed,
AutoThrottle, retries, charset recovery, the redirect guard and the unreachable-site check).

It asks for robots.txt, the usual sitemap and feed paths and the home page; then for the
sitemaps robots.txt names (and the sitemaps of an index), the feeds the home page advertises and
the section listings of its menus; once those are in, for a few pages of each article pattern
candidate (``proposal.sample_urls``). What answered goes into a ``Capture``; the analysis runs
after the crawl, off the reactor.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot.discovery.article_urls import bare_host
from newsbot.probe.capture import Capture, FetchedPage
from newsbot.probe.proposal import discovered, sample_urls
from newsbot.probe.site_pages import read_home_page, read_sitemap_page, robots_sitemaps
from newsbot.spiders.fast import FastSettings

logger = logging.getLogger(__name__)

USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")
USUAL_FEEDS = ("/rss", "/feed", "/rss.xml", "/atom.xml")
MAX_SITEMAPS = 12  # sitemap files read in all (an index's newest first)
MAX_FEEDS = 4  # advertised feeds read
MAX_SECTIONS = 8  # menu links read as possible section listings
# newsbot's crawl components that have no business in a probe (no posts, no run log, no git)
# The probe is no crawl of a blog: none of the extensions that read or write the blog's state
# (the index of posts, retry lists, the lock and the run log) or publish.
CRAWL_EXTENSIONS = (
    "newsbot.extensions.post_index.PublishedPosts",
    "newsbot.extensions.retry_failed.RetryFailed",
    "newsbot.extensions.run_summary.RunSummary",
    "newsbot.extensions.progress.Progress",
    "newsbot.extensions.git_publish.GitPublish",
    "newsbot.run.record.RunRecord",
)


class ProbeSpider(FastSettings, scrapy.Spider):
    name = "newsbot-probe"

    def __init__(self, url: str, capture: Capture, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = url
        self.capture = capture
        parts = urlsplit(url)
        self.base = self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.allowed_domains = [bare_host(parts.hostname or "")]
        self._sitemap_requests = 0
        self._requested: set[str] = set()
        self._sampled = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ProbeSpider:
        spider: ProbeSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        yield self._request(urljoin(self.base, "/robots.txt"), "robots", "robots.txt", 10)
        yield self._request(self.start_url, "home", "start", 10)
        for path in USUAL_SITEMAPS:
            yield self._request(urljoin(self.base, path), "sitemap", "usual path")
        for path in USUAL_FEEDS:
            yield self._request(urljoin(self.base, path), "feed", "usual path")

    def _request(self, url: str, kind: str, via: str, priority: int = 0) -> Request:
        self._requested.add(url)
        self._sitemap_requests += kind == "sitemap"
        return Request(
            url,
            self.parse,
            errback=self.failed,
            priority=priority,
            meta={"probe_kind": kind, "probe_via": via},
        )

    def _new(self, url: str) -> bool:
        return url not in self._requested and self.capture.page(url) is None

    def parse(self, response: Response) -> Iterator[Request]:
        kind = response.meta["probe_kind"]
        text = response.text if isinstance(response, TextResponse) else None
        requested = response.request.url if response.request else response.url
        self.capture.pages.append(
            FetchedPage(
                requested, response.url, kind, response.meta["probe_via"], response.body, text
            )
        )
        if kind == "robots":
            for url in robots_sitemaps(response.body, response.url):
                if self._new(url):
                    yield self._request(url, "sitemap", "robots.txt", 5)
        elif kind == "sitemap":
            yield from self._sitemap_children(response)
        elif kind == "home" and text is not None:
            home = read_home_page(text, response.url)
            for url in home.feeds[:MAX_FEEDS]:
                if self._new(url):
                    yield self._request(url, "feed", "advertised", 5)
            for url in home.section_links[:MAX_SECTIONS]:
                if self._new(url):
                    yield self._request(url, "listing", "menu")

    def _sitemap_children(self, response: Response) -> Iterator[Request]:
        sitemap = read_sitemap_page(response.body)
        if sitemap.kind != "sitemapindex":
            return
        # the newest sitemaps first (an index lists them in any order): the latest articles
        dates = sitemap.lastmods if len(sitemap.lastmods) == len(sitemap.locs) else []
        children = [url for _, url in sorted(zip(dates, sitemap.locs, strict=False), reverse=True)]
        for url in children or sitemap.locs:
            if self._sitemap_requests >= MAX_SITEMAPS:
                return
            if self._new(url):
                yield self._request(url, "sitemap", "index", 5)

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError) and isinstance(failure.value, HttpError):
            reason = f"HTTP {failure.value.response.status}"
        else:
            reason = failure.getErrorMessage()
        self.capture.failures.append((request.url, request.meta.get("probe_kind", ""), reason))
        logger.debug("Probe: %s: %s", request.url, reason)

    def on_idle(self) -> None:
        """Discovery is in: fetch a few pages of each article pattern candidate, once."""
        if self._sampled or self.capture.home is None:
            return
        self._sampled = True
        urls = [url for url in sample_urls(discovered(self.capture)) if self._new(url)]
        for url in urls:
            self.crawler.engine.crawl(self._request(url, "article", "sample"))
        if urls:
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        unreachable = stats.get_value("newsbot/unreachable") if stats else None
        if unreachable:
            self.capture.unreachable = str(unreachable)


def probe_settings(
    base: Settings, *, fast: bool = False, verbose: int = 0, extra: dict[str, Any] | None = None
) -> Settings:
    """The project's settings, without the crawl's pipelines and run extensions."""
    settings = base.copy()
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions.update(dict.fromkeys(CRAWL_EXTENSIONS))
    values: dict[str, Any] = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": extensions,
        "NEWSBOT_FAST": fast,
        "LOG_LEVEL": {0: "ERROR", 1: "INFO"}.get(verbose, "DEBUG"),
    }
    values.update(extra or {})
    settings.setdict(values, priority="cmdline")
    return settings


def fetch_site(url: str, settings: Settings) -> Capture:
    """Run the probe's crawl in this process (once: the reactor cannot restart)."""
    capture = Capture(url)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ProbeSpider)
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    process.crawl(crawler, url=url, capture=capture)
    process.start()
    return capture
