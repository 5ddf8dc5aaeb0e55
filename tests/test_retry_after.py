"""A 429 or 503 with Retry-After is retried only after the wait the server asked for."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from newsbot.downloadermiddlewares.retry_after import RetryAfterMiddleware, retry_after_seconds


def middleware(**settings) -> RetryAfterMiddleware:
    crawler = get_crawler(settings_dict={"NEWSBOT_RETRY_AFTER_MAX": 1.0, **settings})
    crawler.stats.open_spider()
    return RetryAfterMiddleware.from_crawler(crawler)


def answer(status: int, retry_after: str | None) -> Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Response("http://127.0.0.1/5301", status=status, headers=headers)


def waited(
    mw: RetryAfterMiddleware, request: Request, response: Response, monkeypatch: pytest.MonkeyPatch
) -> list[float]:
    """The waits the middleware asked the event loop for while handling ``response``."""
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float, *args: object) -> None:
        waits.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    try:
        assert asyncio.run(mw.process_response(request, response)) is response
    finally:
        monkeypatch.setattr(asyncio, "sleep", real_sleep)
    return waits


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None


def test_a_429_with_retry_after_waits_before_the_retry(monkeypatch):
    mw = middleware()
    assert waited(mw, Request("http://127.0.0.1/5301"), answer(429, "1"), monkeypatch) == [1]
    assert mw.crawler.stats.get_value("newsbot/retry_after/waits") == 1


@pytest.mark.parametrize(
    ("response", "meta"),
    [
        (answer(429, "5"), {}),  # longer than NEWSBOT_RETRY_AFTER_MAX: the next run retries
        (answer(429, None), {}),  # nothing asked
        (answer(500, "1"), {}),  # not a "come back later" status
        (answer(503, "1"), {"retry_times": 3}),  # the last attempt: no retry follows
        (answer(503, "1"), {"dont_retry": True}),
    ],
)
def test_no_wait_when_no_retry_follows_or_the_wait_is_too_long(response, meta, monkeypatch):
    mw = middleware()
    assert waited(mw, Request("http://127.0.0.1/5301", meta=meta), response, monkeypatch) == []
    assert mw.crawler.stats.get_value("newsbot/retry_after/waits") is None


def test_waiting_can_be_switched_off():
    with pytest.raises(NotConfigured):
        RetryAfterMiddleware.from_crawler(get_crawler(settings_dict={"NEWSBOT_RETRY_AFTER_MAX": 0}))
