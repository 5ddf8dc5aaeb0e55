"""Feeds the run's :class:`~newsbot.run.ledger.Ledger` from the crawl's signals and stats: pages
fetched, articles failed, posts kept as edited by hand, the articles that got through."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from newsbot import signals as newsbot_signals
from newsbot.config.run_settings import RunSettings
from newsbot.run.ledger import ArticleRecord, Ledger
from newsbot.state.atomic_write import write_atomic


def snapshot(crawler: Crawler) -> dict[str, Any]:
    """A copy of the crawl's stats (safe to call from another thread)."""
    stats: StatsCollector | None = getattr(crawler, "_stats", None)
    for _ in range(5):
        try:
            return dict(stats.get_stats()) if stats else {}
        except RuntimeError:  # changed size during the copy
            continue
    return {}


class RunSummary:
    """Counts the pages fetched, collects the articles that failed, the posts kept as edited
    by hand and the articles written (newsbot's and Scrapy's signals), and makes the Ledger of
    the finished crawl (``ledger``; other components ask ``crawler.get_extension(RunSummary)``)
    and its log line."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = time.monotonic()
        self.failures: list[tuple[str, str]] = []  # (url, reason) of articles not published
        self.kept_edited: list[str] = []  # "relpath: why" of posts left alone
        self.articles: list[ArticleRecord] = []  # the articles that passed every pipeline
        self.ledger: Ledger | None = None  # once the spider closed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.article_failed, signal=newsbot_signals.article_failed)
        crawler.signals.connect(extension.post_kept, signal=newsbot_signals.post_kept)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.article_held, signal=newsbot_signals.article_held)
        return extension

    def item_scraped(self, item: Any, **_: Any) -> None:
        url, body = getattr(item, "url", None), getattr(item, "body_text", None)
        if isinstance(url, str) and isinstance(body, str):
            path = str(getattr(item, "extraction", "") or "")
            self.articles.append(ArticleRecord(url, len(body), path))

    def article_held(self, url: str, chars: int, extraction: str) -> None:
        self.articles.append(ArticleRecord(url, chars, extraction, held=True))

    def article_failed(self, url: str, reason: str) -> None:
        self.failures.append((url, reason))

    def post_kept(self, relpath: str, reason: str) -> None:
        self.kept_edited.append(f"{relpath}: {reason}")

    def response_received(self, response: Response, request: Request, **_: Any) -> None:
        if not 200 <= response.status < 300 or self.crawler.stats is None:
            return
        kind = "article_pages" if "newsbot_ref" in request.meta else "discovery_pages"
        self.crawler.stats.inc_value(f"newsbot/fetched/{kind}")

    def values(self, reason: str | None = None) -> dict[str, Any]:
        values = snapshot(self.crawler)
        if reason is not None:
            values.setdefault("finish_reason", reason)
        values.setdefault("elapsed_time_seconds", time.monotonic() - self.started)
        return values

    def close(self, spider: Any, reason: str) -> Ledger:
        """The ledger of the closed spider (RunRecord asks once the spider closed); logged, and
        the stats written to ``NEWSBOT_STATS_FILE``."""
        if self.ledger is not None:
            return self.ledger
        values = self.values(reason)
        ledger = self.make_ledger(values)
        self.ledger = ledger
        write_stats_file(self.crawler, values)
        name = getattr(getattr(spider, "outlet", None), "name", spider.name)
        spider.logger.info(ledger.line(name, RunSettings.from_crawler(self.crawler).dry_run))
        return ledger

    def make_ledger(self, values: dict[str, Any]) -> Ledger:
        ledger = Ledger.from_stats(values, list(self.failures))
        ledger.kept_edited = list(self.kept_edited)
        ledger.articles = list(self.articles)
        return ledger


def write_stats_file(crawler: Crawler, values: dict[str, Any]) -> None:
    stats_file = RunSettings.from_crawler(crawler).stats_file
    if stats_file:
        write_atomic(
            Path(stats_file),
            json.dumps(values, default=str, ensure_ascii=False, indent=1, sort_keys=True),
        )
