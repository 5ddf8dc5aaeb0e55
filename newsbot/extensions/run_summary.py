"""Counts of a run (new, updated, skipped, failed, seconds) from the crawl's stats."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsbot.atomic_write import write_atomic

OK_FINISH_REASONS = {"finished", "limit", "closespider_itemcount"}


@dataclass
class RunReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    finish_reason: str = ""
    responses: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.finish_reason in OK_FINISH_REASONS and self.responses > 0

    def line(self, outlet: str, dry_run: bool = False) -> str:
        prefix = "newsbot (dry run)" if dry_run else "newsbot"
        return (
            f"{prefix}: {outlet}: {self.new} new, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failed} failed in {self.seconds:.1f}s"
            + ("" if self.finish_reason in OK_FINISH_REASONS else f" ({self.finish_reason})")
        )


def report_from_stats(stats: dict[str, Any], failures: list[tuple[str, str]]) -> RunReport:
    def total(prefix: str) -> int:
        return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))

    errors = [f"{url}: {reason}" for url, reason in failures]
    if stats.get("newsbot/discovery/errors"):
        errors.append(f"{stats['newsbot/discovery/errors']} discovery source(s) failed")
    return RunReport(
        new=stats.get("newsbot/posts/new", 0),
        updated=stats.get("newsbot/posts/updated", 0),
        unchanged=stats.get("newsbot/posts/unchanged", 0),
        skipped=total("newsbot/skipped/")
        - stats.get("newsbot/skipped/id_walk_miss", 0)  # guessed ids that do not exist
        + stats.get("newsbot/posts/unchanged", 0),
        failed=total("newsbot/failed/"),
        seconds=round(stats.get("elapsed_time_seconds", 0.0), 2),
        finish_reason=str(stats.get("finish_reason", "")),
        responses=stats.get("response_received_count", 0),
        errors=errors,
    )


class RunSummary:
    """Puts the RunReport of the finished crawl on ``crawler.newsbot_report`` and in the log."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats: StatsCollector | None = self.crawler.stats
        values = dict(stats.get_stats()) if stats else {}
        values.setdefault("finish_reason", reason)
        values.setdefault("elapsed_time_seconds", time.monotonic() - self.started)
        report = report_from_stats(values, list(getattr(spider, "failures", [])))
        self.crawler.newsbot_report = report  # type: ignore[attr-defined]
        stats_file = self.crawler.settings.get("NEWSBOT_STATS_FILE")
        if stats_file:
            write_atomic(
                Path(stats_file),
                json.dumps(values, default=str, ensure_ascii=False, indent=1, sort_keys=True),
            )
        name = getattr(getattr(spider, "outlet", None), "name", spider.name)
        spider.logger.info(report.line(name, self.crawler.settings.getbool("NEWSBOT_DRY_RUN")))
