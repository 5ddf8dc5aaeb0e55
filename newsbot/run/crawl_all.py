"""``newsbot crawl --all``: every enabled outlet of the sources file, in one process.

The settings are checked once (exit 2) and the run's session (``newsbot.run.session``: the
output folder's lock, exit 3; the interrupts; the worker pool) is the same as one outlet's.
One ``CrawlerProcess`` runs one crawler per outlet, side by side, each with its outlet's
politeness (the spider's ``custom_settings``, see ``newsbot.spiders.loader``). With
``--commit``/``--push`` the crawlers only collect what they wrote (``NEWSBOT_GIT_DEFER``) and
the run makes ONE commit for all of them; then each outlet gets its run-log line and its summary
line, and the exit code is the worst of the outlets' (``exitcodes.worst``).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader

from newsbot import exitcodes
from newsbot.blog.publish_posts import PublishResult
from newsbot.config.outlet import Outlet
from newsbot.config.preflight import ConfigError, check_crawl_settings
from newsbot.config.run_settings import RunSettings
from newsbot.config.sources import SourcesError
from newsbot.extensions.git_publish import GitPublish, commit_together, deferred, publishing
from newsbot.run.lock import RunLocked
from newsbot.run.plan import CrawlOptions, crawl_settings
from newsbot.run.record import (
    CrawlOutcome,
    RunRecord,
    assess_outcome,
    extension,
    finish_unclosed,
)
from newsbot.run.runner import backing_off, print_outcome, watch_startup
from newsbot.run.session import Session
from newsbot.run.workers import WorkerPool

logger = logging.getLogger(__name__)


@dataclass
class OutletRun:
    name: str
    crawler: Crawler
    outcome: CrawlOutcome | None = None
    record_later: bool = False  # closed with its run-log line left to us (deferred commit)


def enabled_outlets(settings: BaseSettings) -> list[Outlet]:
    """The enabled outlets of the sources file, in its order (SourcesError when invalid)."""
    loader = get_spider_loader(settings)
    outlets = [getattr(loader.load(name), "outlet", None) for name in loader.list()]
    return [outlet for outlet in outlets if outlet is not None and outlet.enabled]


def run_all(options: CrawlOptions) -> int:
    """Check, lock once, crawl every enabled outlet, commit once, record, report."""
    settings = crawl_settings(options)
    if RunSettings.from_settings(settings).base_url:
        print("newsbot: --base-url is one outlet's host; it cannot go with --all", file=sys.stderr)
        return exitcodes.USAGE
    try:
        outlets = enabled_outlets(settings)
    except SourcesError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    if not outlets:
        where = RunSettings.from_settings(settings).sources or "the sources file"
        print(f"newsbot: no enabled outlet in {where}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        check_crawl_settings(settings, outlets[0])  # nothing outlet-specific without a base URL
    except ConfigError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    waiting = {outlet.name: backing_off(settings, outlet.name) for outlet in outlets}
    for line in filter(None, waiting.values()):
        print(line, flush=True)
    outlets = [outlet for outlet in outlets if not waiting[outlet.name]]
    if not outlets:
        return exitcodes.OK
    if publishing(RunSettings.from_settings(settings)):
        settings.set("NEWSBOT_GIT_DEFER", True, priority="cmdline")
    try:
        with Session(settings) as session:
            runs, publish, publish_error = crawl_all_once(
                CrawlerProcess(settings), [outlet.name for outlet in outlets], settings, session
            )
    except RunLocked as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return exitcodes.LOCKED
    dry_run = RunSettings.from_settings(settings).dry_run
    codes = []
    for run in runs:
        assert run.outcome is not None
        print_outcome(run.outcome, run.name, dry_run, show_publish=False)
        codes.append(run.outcome.exit_code)
    if publish_error:
        print(f"newsbot: publish failed: {publish_error}", file=sys.stderr)
    if publish is not None and publish.worth_showing:
        print(f"newsbot: git: {publish.message}", flush=True)
    code = exitcodes.worst(codes)
    if code == exitcodes.INTERRUPTED:  # as `newsbot crawl`: skip the teardown of a cut crawl
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exitcodes.INTERRUPTED)
    return code


def crawl_all_once(
    process: CrawlerProcess, names: list[str], settings: BaseSettings, session: Session
) -> tuple[list[OutletRun], PublishResult | None, str | None]:
    """Run one crawler per outlet in this process, then the one commit of the run."""
    runs = [OutletRun(name, process.create_crawler(name)) for name in names]
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    startup_errors: dict[str, list[str]] = {run.name: [] for run in runs}

    def force_exit(signame: str) -> None:  # a helper thread, the main thread being stuck
        for run in runs:
            outcome = finish_unclosed(run.crawler, "interrupted")
            print_outcome(outcome, run.name, RunSettings.from_settings(settings).dry_run)
        WorkerPool.close_all(grace=0)

    try:
        with session.guard([run.crawler for run in runs], force_exit):
            for run in runs:
                watch_startup(process.crawl(run.crawler), startup_errors[run.name])
            process.start(install_signal_handlers=False)
    except Exception as exc:  # a crash still leaves a line per outlet in the run log
        for run in runs:
            finish_unclosed(run.crawler, "crashed", f"newsbot crashed: {exc!r}")
        raise
    interrupted = session.interrupted
    if interrupted:
        WorkerPool.close_all(grace=0)
    for run in runs:
        record = extension(run.crawler, RunRecord)
        closed: CrawlOutcome | None = record.outcome if record is not None else None
        if closed is not None:
            run.outcome, run.record_later = closed, deferred(RunSettings.from_crawler(run.crawler))
        elif interrupted:
            run.outcome = finish_unclosed(run.crawler, "interrupted")
        else:
            why = "; ".join(startup_errors[run.name]) or "see the log above"
            run.outcome = finish_unclosed(
                run.crawler, "did not start", f"the crawl did not start: {why}"
            )
    publish, publish_error = _commit_once(runs, settings, interrupted=bool(interrupted))
    for run in runs:
        if run.record_later and run.outcome is not None:
            git = extension(run.crawler, GitPublish)
            error = (git.error if git is not None else None) or publish_error
            run.outcome = assess_outcome(run.outcome.ledger, publish, error)
            record = extension(run.crawler, RunRecord)
            if record is not None:
                record.record(run.outcome)
    return runs, publish, publish_error


def _commit_once(
    runs: list[OutletRun], settings: BaseSettings, *, interrupted: bool
) -> tuple[PublishResult | None, str | None]:
    """The run's one commit: the posts every closed outlet wrote (nothing when none closed)."""
    pending = []
    for run in runs:
        if not run.record_later:
            continue
        git = extension(run.crawler, GitPublish)
        if git is not None and git.pending is not None:
            pending.append(git.pending)
    if not pending:
        return None, None
    return commit_together(RunSettings.from_settings(settings), pending, interrupted=interrupted)
