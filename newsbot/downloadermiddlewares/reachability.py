"""Stop at once when the outlet cannot be reached at all (offline, DNS, refused, no route).

Without this, every discovery source and every article is tried and retried in turn: about
40 s of waiting and a page of tracebacks before the run admits what the first request knew.
Placed after RetryMiddleware, so a request is given up only once its retries are spent; when
that happens before the outlet ever answered, the spider is closed with the reason
``outlet_unreachable`` (exit code 1) and the error is reported as one line.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import ConnectError, DNSLookupError, TimeoutError

from newsbot.discovery.article_urls import outlet_urls
from newsbot.downloadermiddlewares.discovery_cache import REVALIDATED

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ConnectError,  # twisted: refused, no route, DNS lookup, connect timeout
    DNSLookupError,
    TimeoutError,
)


def describe(exception: BaseException, url: str) -> str:
    if isinstance(exception, CannotResolveHostError | DNSLookupError):
        why = "its host name does not resolve (offline, or a wrong host?)"
    elif isinstance(exception, DownloadConnectionRefusedError):
        why = "the connection was refused (nothing listens there)"
    elif isinstance(exception, DownloadTimeoutError | TimeoutError):
        why = "it did not answer in time"
    else:
        why = str(exception).strip() or type(exception).__name__
    return f"cannot reach the outlet at {url}: {why}"


class OutletReachability:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.answered = False  # the outlet sent at least one response (any status)
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutletReachability:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.closing:  # the verdict is in: do not wait for the queue's turn to fail again
            raise IgnoreRequest(f"outlet unreachable: {request.url}")
        return None

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        if "cached" not in response.flags or REVALIDATED in response.flags:
            self.answered = True  # a page from the discovery cache alone proves nothing
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if self.answered or not isinstance(exception, CONNECTION_ERRORS):
            return None
        if not self.closing:
            self.closing = True
            spider = self.crawler.spider
            urls = outlet_urls(self.crawler)
            base = urls.base if urls else request.url
            message = describe(exception, base)
            stats = self.crawler.stats
            if stats is not None:
                stats.set_value("newsbot/unreachable", message)
            logger.warning("%s; stopping", message)
            if spider is not None:
                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="outlet_unreachable")
                )
        # The reason is recorded once; the other requests end quietly.
        raise IgnoreRequest(f"outlet unreachable: {request.url}")
