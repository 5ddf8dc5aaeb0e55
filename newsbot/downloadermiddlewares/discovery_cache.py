"""Discovery documents revalidated, not downloaded again: Scrapy's ``HttpCacheMiddleware`` with an
``RFC2616Policy`` restricted to the requests the spider marks as discovery (robots.txt, sitemaps,
feeds, listing pages), stored in the blog's state folder (``StateFolder.http_cache``).

- A discovery document is always revalidated (``If-None-Match`` / ``If-Modified-Since``): a new
  article must show up in the very next run, whatever the heuristics of HTTP freshness say. A 304
  hands the spider the cached page, which lists nothing new.
- A sitemap that its sitemap index dates before the index's newest child (a past month's), and
  that the cache holds from after that date, is used as it is: an archive of 120 monthly
  sitemaps costs one revalidated index and its newest children per run, not 120 requests.
- robots.txt (or its absence, a 404) is reused without asking for as long as HTTP allows and at
  most 24 hours (RFC 9309 section 2.4), then revalidated.
- After a 304 the stored entry takes the new response's headers (``Date`` first), so its freshness
  starts again (scrapy#3778; Scrapy 2.19 does it, this class keeps ``Content-Length`` as RFC 9111
  section 3.2 asks).
- Article pages are never cached: the blog is their copy.
- An outlet that cannot be reached gets no stale copy served instead (Scrapy's error recovery
  is off): the run's reachability check sees the failure.

- Entries are written atomically, an unreadable one is a cache miss, and entries no run used for
  ``NEWSBOT_DISCOVERY_CACHE_DAYS`` (30) days are pruned (``discovery_cache_storage``).

Off with ``NEWSBOT_DISCOVERY_CACHE=False`` and in a dry run (which writes nothing).
"""

from __future__ import annotations

from time import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy, rfc1123_to_epoch
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

from newsbot.config.run_settings import RunSettings
from newsbot.downloadermiddlewares.discovery_cache_storage import DiscoveryCacheStorage

#: Request meta key the spider sets on discovery requests: "robots", "sitemap", "feed", "listing".
DISCOVERY = "newsbot_discovery"
#: Request meta key: the time (epoch seconds) since which the document has not changed, as
#: a sitemap index dates an older child: a cached copy fetched after it is used as it is.
UNCHANGED_SINCE = "newsbot_unchanged_since"
#: Response flag: a cached response the outlet just confirmed with a 304.
REVALIDATED = "revalidated"
ROBOTS_MAX_AGE = 24 * 3600  # RFC 9309 2.4: a cached robots.txt is used for at most 24 hours


def is_robots(request: Request) -> bool:
    return urlparse_cached(request).path == "/robots.txt"


class DiscoveryCachePolicy(RFC2616Policy):
    """RFC 2616 caching for discovery requests only, always revalidated but for robots.txt."""

    def should_cache_request(self, request: Request) -> bool:
        return bool(request.meta.get(DISCOVERY)) and super().should_cache_request(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if is_robots(request) and response.status in (200, 404, 410):
            # reusable for a day even without validators; a missing robots.txt (RFC 9309:
            # "unavailable", crawl allowed) is not asked for again on every run either
            return b"no-store" not in self._parse_cachecontrol(response)
        return super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if is_robots(request):
            cc = self._parse_cachecontrol(cachedresponse)
            now = time()
            lifetime: float = ROBOTS_MAX_AGE
            if b"no-cache" in cc:
                lifetime = 0
            elif b"max-age" in cc or b"Expires" in cachedresponse.headers:
                lifetime = min(
                    self._compute_freshness_lifetime(cachedresponse, request, now), ROBOTS_MAX_AGE
                )
            if self._compute_current_age(cachedresponse, request, now) < lifetime:
                return True
        since = request.meta.get(UNCHANGED_SINCE)
        if since is not None:
            fetched = rfc1123_to_epoch(cachedresponse.headers.get(b"Date"))
            if fetched is not None and fetched >= since:
                return True
        self._set_conditional_validators(request, cachedresponse)
        return False


class DiscoveryCacheMiddleware(HttpCacheMiddleware):
    """``HttpCacheMiddleware`` with :class:`DiscoveryCachePolicy` and a filesystem storage kept in
    the state folder, one folder per outlet (spider)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiscoveryCacheMiddleware:
        run = RunSettings.from_crawler(crawler)
        if not run.discovery_cache or run.dry_run:
            raise NotConfigured
        settings = crawler.settings.copy()
        settings.frozen = False  # a copy for the cache alone: the crawl's stay as they are
        settings.setdict(
            {
                "HTTPCACHE_ENABLED": True,
                "HTTPCACHE_DIR": str(run.state.http_cache),
                "HTTPCACHE_POLICY": f"{__name__}.DiscoveryCachePolicy",
                "HTTPCACHE_STORAGE": f"{DiscoveryCacheStorage.__module__}.DiscoveryCacheStorage",
                "HTTPCACHE_EXPIRATION_SECS": 0,  # the policy decides
                "HTTPCACHE_GZIP": True,
                "HTTPCACHE_IGNORE_MISSING": False,
                "HTTPCACHE_ALWAYS_STORE": False,
            },
            priority="spider",
        )
        middleware = cls(settings, crawler.stats)
        if isinstance(middleware.storage, DiscoveryCacheStorage):
            middleware.storage.max_unused_days = run.discovery_cache_days
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        revalidating = "cached_response" in request.meta
        answer = super().process_response(request, response)
        if revalidating and response.status == 304:
            self.stats.inc_value("newsbot/discovery/unchanged")
            answer.flags.append(REVALIDATED)  # the outlet answered, unlike a plain cache hit
        return answer

    def process_exception(
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        """No stale copy when the outlet cannot be reached: the failure is the news (the run's
        reachability check and the spider's errback see it), not an old sitemap."""
        request.meta.pop("cached_response", None)
        return None

    def _freshen_cached_response(self, cachedresponse: Response, response: Response) -> None:
        length = cachedresponse.headers.get(b"Content-Length")
        super()._freshen_cached_response(cachedresponse, response)
        if length is None:  # a 304 has no body: its Content-Length (if any) is not the page's
            cachedresponse.headers.pop(b"Content-Length", None)
        else:
            cachedresponse.headers[b"Content-Length"] = length
