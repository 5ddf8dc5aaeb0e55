"""Counts of a run (new, updated, skipped, failed, seconds) from the crawl's stats, and what
they mean for the exit code (:func:`assess`)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from newsbot import exitcodes
from newsbot import signals as newsbot_signals
from newsbot.state.atomic_write import write_atomic

OK_FINISH_REASONS = {"finished", "limit", "closespider_itemcount"}
# Skips that say nothing bad about the outlet or about extraction: the article is in the blog
# already, is the same as another one, was excluded on purpose, or is gone.
BENIGN_SKIPS = {
    "already_published",
    "unchanged",
    "edited",
    "duplicate",
    "duplicate_content",
    "too_old",
    "http_404",
}
# Pages an outlet publishes that are not meant for the blog; on a blog that already has this
# outlet's posts they are routine, on an empty one they mean nothing could be published.
EDITORIAL_SKIPS = {"notice", "protected"}


def breakdown(counts: dict[str, int]) -> str:
    """``{"protected": 3, "too_short": 1}`` -> ``"protected 3, too short 1"`` (largest first)."""
    items = sorted(((n, r) for r, n in counts.items() if n), key=lambda x: (-x[0], x[1]))
    return ", ".join(f"{reason.replace('_', ' ')} {n}" for n, reason in items)


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
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    failed_reasons: dict[str, int] = field(default_factory=dict)
    article_pages: int = 0  # article pages fetched (2xx)
    discovery_pages: int = 0  # robots.txt, sitemaps, feeds and listings fetched (2xx)
    discovery_errors: int = 0
    unreachable: str | None = None  # why the outlet could not be reached at all
    kept_edited: list[str] = field(default_factory=list)  # posts left alone: changed by hand
    # A worker sharing a frontier (NEWSBOT_REDIS_URL) gets part of the articles: what the whole
    # run found (fetched or already published) and published, as the workers counted it.
    run_found: int = 0
    run_published: int = 0

    @property
    def already_published(self) -> int:
        return self.skipped_reasons.get("already_published", 0)

    @property
    def published(self) -> int:
        """Articles that are (or, on a dry run, would be) in the blog after this run."""
        return self.new + self.updated + self.unchanged + self.skipped_reasons.get("edited", 0)

    def line(self, outlet: str, dry_run: bool = False) -> str:
        prefix = "newsbot (dry run)" if dry_run else "newsbot"
        skipped = breakdown(self.skipped_reasons)
        failed = breakdown(self.failed_reasons)
        reason = self.finish_reason
        return (
            f"{prefix}: {outlet}: {self.new} new, {self.updated} updated, "
            f"{self.skipped} skipped{f' ({skipped})' if skipped else ''}, "
            f"{self.failed} failed{f' ({failed})' if failed else ''} in {self.seconds:.1f}s"
            + ("" if reason in OK_FINISH_REASONS else f" ({reason.replace('_', ' ')})")
        )


def assess(report: RunReport, publish_error: str | None = None) -> tuple[int, str | None]:
    """The exit code of a finished run, and the reason when it is not self-explanatory."""
    if report.finish_reason == "interrupted":
        return exitcodes.INTERRUPTED, None
    if report.unreachable:
        return exitcodes.FAILED, report.unreachable
    if report.finish_reason not in OK_FINISH_REASONS:
        return exitcodes.FAILED, None
    if report.responses == 0:
        return exitcodes.FAILED, "no page of the outlet could be fetched (is the base URL right?)"
    if report.failed:
        return exitcodes.FAILED, None
    if report.discovery_errors and not report.discovery_pages:
        return exitcodes.FAILED, (
            f"every discovery source failed ({report.discovery_errors} errors): "
            f"no robots.txt, sitemap, feed or listing page could be read"
        )
    if not report.published and not report.run_published:
        known = report.already_published
        if not known and not report.article_pages and not report.run_found:
            gone = report.skipped_reasons.get("http_404", 0)
            if gone:
                detail = f"the {gone} article link(s) found answered 404 or 410"
            elif report.discovery_pages:
                detail = (
                    f"{report.discovery_pages} page(s) of the site were read but none linked "
                    "an article of this outlet (is it the outlet's site?)"
                )
            else:
                detail = (
                    "the site has no robots.txt, sitemap, feed or home page that could be read "
                    "(is the base URL the outlet's site?)"
                )
            return exitcodes.NOTHING_PUBLISHED, f"no article found: {detail}"
        refused = {
            reason: n
            for reason, n in report.skipped_reasons.items()
            if reason not in BENIGN_SKIPS and not (known and reason in EDITORIAL_SKIPS)
        }
        if refused:
            return exitcodes.NOTHING_PUBLISHED, (
                f"nothing published: none of the {report.article_pages} article page(s) "
                f"fetched could be published ({breakdown(refused)})"
            )
    if publish_error:
        return exitcodes.PUBLISH_FAILED, None
    return exitcodes.OK, None


def report_from_stats(stats: dict[str, Any], failures: list[tuple[str, str]]) -> RunReport:
    def prefixed(prefix: str) -> dict[str, int]:
        return {
            k.removeprefix(prefix): v
            for k, v in stats.items()
            if k.startswith(prefix) and isinstance(v, int) and v
        }

    skipped = prefixed("newsbot/skipped/")
    skipped.pop("id_walk_miss", None)  # guessed ids that do not exist
    if stats.get("newsbot/posts/unchanged"):
        skipped["unchanged"] = stats["newsbot/posts/unchanged"]
    failed = prefixed("newsbot/failed/")
    errors = [f"{url}: {reason}" for url, reason in failures]
    if stats.get("newsbot/discovery/errors"):
        errors.append(f"{stats['newsbot/discovery/errors']} discovery source(s) failed")
    hook_failed = stats.get("newsbot/title_hook/failed")
    if hook_failed:
        last = stats.get("newsbot/title_hook/last_error")
        errors.append(
            f"the title hook failed for {hook_failed} post(s), written with their original "
            f"title and excerpt; last: {last}"
        )
    unreachable = stats.get("newsbot/unreachable")
    return RunReport(
        new=stats.get("newsbot/posts/new", 0),
        updated=stats.get("newsbot/posts/updated", 0),
        unchanged=stats.get("newsbot/posts/unchanged", 0),
        skipped=sum(skipped.values()),
        failed=sum(failed.values()),
        seconds=round(stats.get("elapsed_time_seconds", 0.0), 2),
        finish_reason=str(stats.get("finish_reason", "")),
        responses=stats.get("response_received_count", 0),
        errors=errors,
        skipped_reasons=skipped,
        failed_reasons=failed,
        article_pages=stats.get("newsbot/fetched/article_pages", 0),
        discovery_pages=stats.get("newsbot/fetched/discovery_pages", 0),
        discovery_errors=stats.get("newsbot/discovery/errors", 0),
        unreachable=str(unreachable) if unreachable else None,
        run_found=stats.get("newsbot/frontier/run_found", 0),
        run_published=stats.get("newsbot/frontier/run_published", 0),
    )


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
    """Counts the pages fetched, collects the articles that failed and the posts kept as edited
    by hand (newsbot's signals), and makes the RunReport of the finished crawl (``report``;
    other components ask ``crawler.get_extension(RunSummary)``) and its log line."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = time.monotonic()
        self.failures: list[tuple[str, str]] = []  # (url, reason) of articles not published
        self.kept_edited: list[str] = []  # "relpath: why" of posts left alone
        self.report: RunReport | None = None  # once the spider closed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.article_failed, signal=newsbot_signals.article_failed)
        crawler.signals.connect(extension.post_kept, signal=newsbot_signals.post_kept)
        return extension

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

    def spider_closed(self, spider: Any, reason: str) -> None:
        values = self.values(reason)
        report = report_from_stats(values, list(self.failures))
        report.kept_edited = list(self.kept_edited)
        self.report = report
        write_stats_file(self.crawler, values)
        name = getattr(getattr(spider, "outlet", None), "name", spider.name)
        spider.logger.info(report.line(name, self.crawler.settings.getbool("NEWSBOT_DRY_RUN")))


def write_stats_file(crawler: Crawler, values: dict[str, Any]) -> None:
    stats_file = crawler.settings.get("NEWSBOT_STATS_FILE")
    if stats_file:
        write_atomic(
            Path(stats_file),
            json.dumps(values, default=str, ensure_ascii=False, indent=1, sort_keys=True),
        )
