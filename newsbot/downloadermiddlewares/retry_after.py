"""Wait as long as a server's ``Retry-After`` asks before Scrapy retries a 429 or 503.

Scrapy's RetryMiddleware retries at once: against an outlet that answers 429 Too Many
Requests with ``Retry-After: 5``, all its attempts land inside the five seconds and the
article fails. This middleware sees the answer first and waits (without blocking the
reactor) when a retry will follow, up to ``NEWSBOT_RETRY_AFTER_MAX`` seconds; a longer wait
is left to the next run (the article is listed as failed and kept in the retry list).

Counted as ``newsbot/retry_after/waits`` and ``newsbot/retry_after/seconds``.
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from newsbot.config.run_settings import RunSettings

STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds asked for by a ``Retry-After`` value (delay seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.longest = RunSettings.from_crawler(crawler).retry_after_max
        self.retries = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        if RunSettings.from_crawler(crawler).retry_after_max <= 0:
            raise NotConfigured("NEWSBOT_RETRY_AFTER_MAX is 0")
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in STATUSES or not header:
            return response
        retries = request.meta.get("max_retry_times", self.retries)
        if request.meta.get("dont_retry") or request.meta.get("retry_times", 0) >= retries:
            return response  # no retry follows: nothing to wait for
        delay = retry_after_seconds(header.decode("latin-1"))
        if delay is None or delay > self.longest:
            return response
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("newsbot/retry_after/waits")
            stats.inc_value("newsbot/retry_after/seconds", math.ceil(delay))
        await asyncio.sleep(delay)
        return response
