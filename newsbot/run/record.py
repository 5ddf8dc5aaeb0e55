"""The end of one outlet's run, in one order: ledger -> publish -> exit code -> run log.

The same for ``newsbot crawl``, ``newsbot crawl --all``, ``scrapy crawl newsdao`` (scrapyd runs
that one) and a script that runs the spider: ``RunRecord`` is the run's hook into the crawler.
It takes the output folder's lock when the crawler is built (unless this process already holds
it: ``newsbot crawl`` and newsbot's ``scrapy crawl`` take it before Scrapy starts). When the
spider closes, :meth:`RunRecord.finish` runs in a thread (``deferToThread``: the git push never
blocks the reactor, and the engine waits for it): it closes the run's
:class:`~newsbot.run.ledger.Ledger` (RunSummary), publishes (GitPublish: commit, push), derives
the exit code from the ledger and the publish result, and appends one line to
``OUTPUT/.newsbot/runs.jsonl`` -- in that order, written here, not decided by extension
priorities. When the commit is deferred (``NEWSBOT_GIT_DEFER``: one commit for several outlets),
the command records the line once it has committed. The outcome stays on the extension
(``outcome``). A run that never closes its spider (cut short by Ctrl-C, or that never started)
is recorded by the command through :func:`finish_unclosed`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from newsbot.blog.publish_posts import PublishResult
from newsbot.config.run_settings import RunSettings
from newsbot.extensions.git_publish import GitPublish, deferred
from newsbot.extensions.run_summary import RunSummary, snapshot, write_stats_file
from newsbot.health.judge import judge
from newsbot.notify.on_change import notify_on_change
from newsbot.run.ledger import Ledger
from newsbot.run.lock import holds_lock
from newsbot.state.run_log import append_run, read_runs
from newsbot.state.run_log_compaction import compact

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class CrawlOutcome:
    exit_code: int
    ledger: Ledger
    publish: PublishResult | None = None  # when git publishing ran
    publish_error: str | None = None


def extension(crawler: Crawler, cls: type[T]) -> T | None:
    """The crawl's extension of class ``cls``; None when it is off, or when the crawl stopped
    before its extensions were made."""
    try:
        return crawler.get_extension(cls)
    except RuntimeError:
        return None


def failures(crawler: Crawler) -> list[tuple[str, str]]:
    summary = extension(crawler, RunSummary)
    return list(summary.failures) if summary else []


def outcome_of(crawler: Crawler, ledger: Ledger) -> CrawlOutcome:
    git = extension(crawler, GitPublish)
    publish = git.result if git else None
    publish_error = git.error if git else None
    return assess_outcome(ledger, publish, publish_error)


def assess_outcome(ledger: Ledger, publish: Any, publish_error: str | None) -> CrawlOutcome:
    code, problem = ledger.assess(publish_error)
    if problem and problem not in ledger.errors:
        ledger.errors.append(problem)
    return CrawlOutcome(code, ledger, publish, publish_error)


def outlet_name(crawler: Crawler) -> str:
    outlet = getattr(crawler.spidercls, "outlet", None)
    return str(getattr(outlet, "name", None) or crawler.spidercls.name)


class RunRecord:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.run_settings = RunSettings.from_crawler(crawler)
        self.state = self.run_settings.state
        self.start = dt.datetime.now().astimezone()
        self._lock = contextlib.ExitStack()
        self._recording = threading.Lock()
        self.recorded = False
        self.outcome: CrawlOutcome | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecord:
        extension = cls(crawler)
        if not holds_lock(extension.state):
            # RunLocked when another run holds it: the crawl does not start.
            # (a script's CrawlerProcess: the crawl gets the session of a run here)
            from newsbot.run.session import Session

            extension._lock.enter_context(Session(crawler.settings))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> Deferred[CrawlOutcome]:
        # Scrapy waits for the Deferred before it stops the engine; the work runs off the
        # reactor thread.
        return deferToThread(self.finish, spider, reason)

    def finish(self, spider: Any, reason: str) -> CrawlOutcome:
        """The end of the run, in this order: the ledger, publishing, the exit code, the run
        log (the run log's line is left to the command when the commit is deferred)."""
        summary = extension(self.crawler, RunSummary)
        if summary is not None:
            ledger = summary.close(spider, reason)
        else:
            values = snapshot(self.crawler)
            values.setdefault("finish_reason", reason)
            ledger = Ledger.from_stats(values, failures(self.crawler))
        git = extension(self.crawler, GitPublish)
        if git is not None:
            git.commit(spider, reason)
        self.outcome = outcome_of(self.crawler, ledger)
        if not deferred(self.run_settings):
            self.record(self.outcome)
        return self.outcome

    def engine_stopped(self) -> None:
        self._lock.close()

    def record(self, outcome: CrawlOutcome) -> None:
        """Append this run's line to the run log, once (later calls do nothing)."""
        if not self._recording.acquire(blocking=False):
            return
        try:
            if self.recorded:
                return
            self.recorded = True
            _append(self.run_settings, run_line(self.run_settings, outlet_name(self.crawler),
                                                  outcome, self.start))  # fmt: skip
            tell_on_change(self.crawler, self.run_settings)
        finally:
            self._recording.release()


def tell_on_change(crawler: Crawler, settings: RunSettings) -> None:
    """Judge the outlet from the run log just written (``newsbot.health``) and tell people
    when its health changed (``newsbot.notify``); never the run's failure."""
    if settings.dry_run:
        return
    try:
        outlet = getattr(crawler.spidercls, "outlet", None)
        urls = [*settings.notify_urls, *getattr(outlet, "notify", ())]
        health = judge(
            read_runs(settings.state.run_log), outlet_name(crawler), settings.health_failing_runs
        )
        notice = notify_on_change(settings.state, health, urls, str(settings.output))
        if notice is not None and urls and notice.error is None:
            logger.info("Told %d notifier(s): %s", len(urls), notice.title)
    except Exception:
        logger.exception("Cannot judge or notify the outlet's health (the run is not affected)")


def _append(settings: RunSettings, line: dict[str, Any]) -> None:
    """The run log is the operator's record, not the run's result: a full or read-only disk
    loses the line (said on stderr), never the summary or the exit code. Then the log is
    compacted when it has grown over its limit (a stat; ``newsbot.state.run_log_compaction``)."""
    path = settings.state.run_log
    try:
        append_run(path, line)
    except OSError as exc:
        logger.error("Cannot write the run log %s: %s", path, exc)
        return
    if settings.dry_run:
        return
    try:
        done = compact(settings.state, keep=settings.run_log_keep, history=settings.health_history)
    except OSError as exc:
        logger.error("Cannot compact the run log %s: %s", path, exc)
        return
    except Exception:  # a bug in the compaction must not cost the run its summary or exit code
        logger.exception("Cannot compact the run log %s (the run is not affected)", path)
        return
    if done is not None:
        logger.info(
            "Compacted the run log: %d lines kept, %d archived to %s",
            done.kept,
            done.archived,
            done.archive,
        )


def run_line(
    settings: RunSettings, outlet: str, outcome: CrawlOutcome, start: dt.datetime
) -> dict[str, Any]:
    publish = outcome.publish
    return outcome.ledger.log_entry(
        outlet=outlet,
        start=start,
        exit_code=outcome.exit_code,
        publish_error=outcome.publish_error,
        committed=getattr(publish, "committed", None),
        pushed=getattr(publish, "pushed", None) if settings.git_push else None,
        dry_run=settings.dry_run,
    )


def finish_unclosed(crawler: Crawler, reason: str, error: str | None = None) -> CrawlOutcome:
    """The outcome of a crawl whose spider never closed (cut short, or never started), from
    its stats so far; recorded in the run log unless that was done already."""
    record = extension(crawler, RunRecord)
    if record is not None and record.outcome is not None:
        return record.outcome
    values = snapshot(crawler)
    values["finish_reason"] = reason
    if record is not None:
        elapsed = dt.datetime.now().astimezone() - record.start
        values["elapsed_time_seconds"] = elapsed.total_seconds()
    with contextlib.suppress(OSError):
        write_stats_file(crawler, values)
    ledger = Ledger.from_stats(values, failures(crawler))
    if error:
        ledger.errors.append(error)
    outcome = outcome_of(crawler, ledger)
    if record is not None:
        record.outcome = outcome
        record.record(outcome)
    else:  # stopped before its extensions were made: recorded, and told, all the same
        settings = RunSettings.from_crawler(crawler)
        line = run_line(settings, outlet_name(crawler), outcome, dt.datetime.now().astimezone())
        _append(settings, line)
        tell_on_change(crawler, settings)
    return outcome
