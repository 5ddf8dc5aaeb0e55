"""Decode HTML by the charset its bytes are really in, when the declared one does not fit.

Scrapy decodes a page by the charset of its ``Content-Type`` header first. A server that says
``charset=UTF-8`` for an EUC-KR (CP949) page, a common misconfiguration of Korean sites, turns
the article into replacement characters, and extraction then refuses it as garbled. When the
declared charset does not decode the bytes cleanly, this middleware tries, in order:

1. the page's own declaration (``<meta charset>``, ``http-equiv``, the XML declaration),
2. UTF-8,
3. detection (charset-normalizer, a dependency of Scrapy itself),

and keeps the first that decodes every byte (or, failing that, the one with the fewest
errors). It also catches the opposite mistake, a header saying ISO-8859-1 or windows-1252
(what some servers send by default) for a page that is valid UTF-8, which would otherwise
decode into mojibake without a single error. A byte order mark is always believed.

A page that no charset turns into text (binary data served as ``text/html``) is not passed
on as garbage: the request fails with ``IgnoreRequest``, so an article page is counted as a
failure and tried again by the next run instead of being skipped for good.

Counted in the stats as ``newsbot/charset/recovered`` (and ``.../<declared>-><used>``) and
``newsbot/charset/undecodable``. Off with ``NEWSBOT_CHARSET_RECOVERY = False``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from scrapy.statscollectors import StatsCollector

from newsbot.config.run_settings import RunSettings
from newsbot.extraction.charset import is_unreadable, recovered_encoding

logger = logging.getLogger(__name__)


class CharsetRecoveryMiddleware:
    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRecoveryMiddleware:
        if not RunSettings.from_crawler(crawler).charset_recovery:
            raise NotConfigured("NEWSBOT_CHARSET_RECOVERY is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        declared = response.encoding
        better = recovered_encoding(response.body, declared)
        if better is not None:
            logger.info("Decoding %s as %s, not %s", response.url, better, declared)
            self._count("recovered")
            self._count(f"{declared}->{better}")
            response = response.replace(encoding=better)
        if is_unreadable(response.text):
            self._count("undecodable")
            raise IgnoreRequest(
                f"undecodable page: binary data or text in no known charset ({declared} declared)"
            )
        return response

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newsbot/charset/{key}")
