"""robots.txt fetched once per run: Scrapy's ``RobotsTxtMiddleware`` obeying the robots.txt the
spider asks for itself.

The spider requests robots.txt for its ``Sitemap:`` lines. Scrapy's middleware knows nothing of
that request and fetches robots.txt a second time for itself (``engine.download``, outside the
spider and the HTTP cache's discovery flag). Here the spider's request, marked with
:data:`SPIDER_ROBOTS`, is the one: while it is on its way every other request to that host waits
for it, as it would for Scrapy's own fetch, and its answer (from the network or, within 24 hours,
from the discovery cache) is parsed as Scrapy parses its own. A host the spider did not ask about
(an image host) is fetched by Scrapy as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

#: Request meta key: this request is the spider's robots.txt, obeyed for its host.
SPIDER_ROBOTS = "newsbot_robots"


class SpiderRobotsTxt(RobotsTxtMiddleware):
    async def process_request(self, request: Request, spider: Any = None) -> None:
        marker = request.meta.get(SPIDER_ROBOTS)
        if isinstance(marker, str):
            # a redirect of the spider's robots.txt (to the home page, to the www host): its
            # answer is the original host's robots.txt, which it must not wait for itself
            return None
        if marker and urlparse_cached(request).path == "/robots.txt":
            netloc = urlparse_cached(request).netloc
            if netloc not in self._parsers:  # others wait for this request's answer
                self._parsers[netloc] = Deferred()
                self._stats.inc_value("robotstxt/request_count")
                request.meta[SPIDER_ROBOTS] = netloc
                # Whatever ends the request (a middleware may raise before this one's
                # process_exception or process_response is reached), the spider's errback
                # sees it: the waiting requests are released there at the latest.
                request.errback = self._releasing(netloc, request.errback)
            return None
        await super().process_request(request)
        return None

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        netloc = self._awaited(request)
        if netloc is not None:
            await self._parse_robots(response, netloc, request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        netloc = self._awaited(request)
        if netloc is not None:  # unreachable or refused: Scrapy then allows everything
            self._robots_error(exception, netloc)
        return None

    def _releasing(
        self, netloc: str, errback: Callable[[Failure], Any] | None
    ) -> Callable[[Failure], Any]:
        def release(failure: Failure) -> Any:
            if isinstance(self._parsers.get(netloc), Deferred):
                exception = failure.value
                self._robots_error(
                    exception if isinstance(exception, Exception) else IgnoreRequest(), netloc
                )
            return failure if errback is None else errback(failure)

        return release

    def _awaited(self, request: Request) -> str | None:
        """The host whose parser waits for this request, if it is the spider's robots.txt."""
        netloc = request.meta.get(SPIDER_ROBOTS)
        if isinstance(netloc, str) and isinstance(self._parsers.get(netloc), Deferred):
            return netloc
        return None
