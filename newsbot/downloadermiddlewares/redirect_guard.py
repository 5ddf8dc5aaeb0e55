"""A redirect that loops or leaves the outlet fails its request, with the reason.

Scrapy drops both silently: a redirect back to an URL already visited is filtered as a
duplicate request, and a redirect to a host outside the spider's ``allowed_domains`` is
filtered as offsite; neither calls the request's errback. For an article page that means
an article neither published nor counted as failed. This middleware sees the redirect first
and raises ``IgnoreRequest`` with the reason, so the spider's errback records the failure
and the next run tries the article again.

Counted as ``newsbot/redirect/loop`` and ``newsbot/redirect/offsite``. Off with
``NEWSBOT_REDIRECT_GUARD = False``.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

from newsbot.config.run_settings import RunSettings

REDIRECTS = (301, 302, 303, 307, 308)


class RedirectGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        if not RunSettings.from_crawler(crawler).redirect_guard:
            raise NotConfigured("NEWSBOT_REDIRECT_GUARD is off")
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        visited = {
            urldefrag(url)[0] for url in [*request.meta.get("redirect_urls", []), request.url]
        }
        if urldefrag(target)[0] in visited:
            self._count("loop")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        if not self._allowed(target):
            self._count("offsite")
            raise IgnoreRequest(f"redirected off the outlet: {request.url} -> {target}")
        return response

    def _allowed(self, url: str) -> bool:
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if not domains:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in map(str.lower, domains))

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newsbot/redirect/{key}")
