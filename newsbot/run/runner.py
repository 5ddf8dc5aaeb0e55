"""Run one outlet's crawl in this process: plan, check, session (lock, interrupts, worker
pool), crawl (whose end -- ledger, publish, run log -- is ``newsbot.run.record``), report,
exit code. ``newsbot crawl`` and newsbot's ``scrapy crawl`` (so scrapyd) come through here;
``newsbot crawl --all`` through ``newsbot.run.crawl_all``, with the same session."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsbot import exitcodes
from newsbot.addons.scale_out import ScaleOutError
from newsbot.config.preflight import ConfigError, check_crawl_settings
from newsbot.config.run_settings import RunSettings
from newsbot.config.sources import SourcesError
from newsbot.health.backoff import backoff_line, next_try
from newsbot.health.body_length import outlet_runs
from newsbot.health.judge import FAILED_EXITS, trailing
from newsbot.run.lock import RunLocked
from newsbot.run.plan import CrawlOptions, crawl_settings
from newsbot.run.record import CrawlOutcome, finish_unclosed, outlet_name
from newsbot.run.session import Session
from newsbot.run.workers import WorkerPool
from newsbot.state.run_log import read_runs

logger = logging.getLogger(__name__)


def run_crawl(options: CrawlOptions) -> int:
    """``newsbot crawl``: check, lock, crawl, record, report; the exit code."""
    settings = crawl_settings(options)
    assert options.outlet is not None
    return run_checked(lambda: CrawlerProcess(settings), settings, options.outlet, {})


def run_checked(
    make_process: Callable[[], Any],
    settings: BaseSettings,
    spider: str,
    spider_kwargs: dict[str, Any],
    prog: str = "newsbot",
    exit_when_interrupted: bool = True,
) -> int:
    """Check the settings (exit 2), take the output folder's lock (exit 3), crawl once, print
    the errors and the summary line; return the exit code. Shared by ``newsbot crawl`` and
    newsbot's ``scrapy crawl``."""
    try:
        outlet = getattr(get_spider_loader(settings).load(spider), "outlet", None)
    except (SourcesError, KeyError) as exc:  # an invalid sources file, an unknown outlet
        print(f"{prog}: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return exitcodes.USAGE
    if outlet is not None:
        try:
            check_crawl_settings(settings, outlet, spider_kwargs.get("base_url"))
        except ConfigError as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return exitcodes.USAGE
    name = getattr(outlet, "name", spider)
    waiting = backing_off(settings, name)
    if waiting:
        print(waiting, flush=True)
        return exitcodes.OK
    try:
        with Session(settings, spider) as session:
            outcome = crawl_once(make_process(), spider, spider_kwargs, session)
    except RunLocked as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return exitcodes.LOCKED
    except ScaleOutError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    print_outcome(outcome, name, RunSettings.from_settings(settings).dry_run)
    if outcome.exit_code == exitcodes.INTERRUPTED and exit_when_interrupted:
        # Everything is recorded and the workers are gone: skip the interpreter's teardown of
        # a crawl cut short (most of a second of garbage collection).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exitcodes.INTERRUPTED)
    return outcome.exit_code


def backing_off(settings: BaseSettings, outlet: str) -> str | None:
    """The line a scheduled run (``--scheduled``) prints instead of crawling an outlet that
    keeps failing, until its next try (``newsbot.health.backoff``); None: crawl."""
    run_settings = RunSettings.from_settings(settings)
    if not run_settings.scheduled:
        return None
    runs = read_runs(run_settings.state.run_log)
    s = run_settings
    until = next_try(runs, outlet, after=s.backoff_after, base=s.backoff_base, cap=s.backoff_max)
    if until is None or until <= dt.datetime.now().astimezone():
        return None
    return backoff_line(outlet, until, trailing(outlet_runs(runs, outlet), FAILED_EXITS))


def crawl_once(
    process: Any, spider: str, spider_kwargs: dict[str, Any], session: Session
) -> CrawlOutcome:
    """Run one crawl in this process (the Twisted reactor cannot restart: one per process)."""
    crawler = process.create_crawler(spider)
    logging.getLogger("scrapy").setLevel(crawler.settings.get("LOG_LEVEL"))
    startup_errors: list[str] = []

    def force_exit(signame: str) -> None:  # a helper thread, the main thread being stuck
        outcome = finish_unclosed(crawler, "interrupted")
        print_outcome(outcome, outlet_name(crawler), RunSettings.from_crawler(crawler).dry_run)
        WorkerPool.close_all(grace=0)

    try:
        with session.guard([crawler], force_exit):
            watch_startup(process.crawl(crawler, **spider_kwargs), startup_errors)
            process.start(install_signal_handlers=False)
    except Exception as exc:  # a crash still leaves a line in the run log
        finish_unclosed(crawler, "crashed", f"newsbot crashed: {exc!r}")
        raise
    if session.interrupted:
        WorkerPool.close_all(grace=0)  # before the run is recorded, as crawl --all does
        return finish_unclosed(crawler, "interrupted")
    why = "; ".join(startup_errors) or "see the log above"
    return finish_unclosed(crawler, "did not start", f"the crawl did not start: {why}")


def watch_startup(started: Any, errors: list[str]) -> None:
    """Note why a crawl failed to start (its traceback goes to the log)."""

    def failed(exc: BaseException) -> None:
        errors.append(f"{type(exc).__name__}: {exc}")
        logger.error("The crawl did not start", exc_info=(type(exc), exc, exc.__traceback__))

    if isinstance(started, Deferred):

        def errback(failure: Failure) -> None:
            failed(failure.value or RuntimeError(failure.getErrorMessage()))

        started.addErrback(errback)
    elif isinstance(started, asyncio.Future):

        def done(task: asyncio.Future[Any]) -> None:
            exc = None if task.cancelled() else task.exception()
            if exc is not None:
                failed(exc)

        started.add_done_callback(done)


def print_outcome(
    outcome: CrawlOutcome, outlet: str, dry_run: bool, show_publish: bool = True
) -> None:
    """The errors (stderr), then the summary line; ``show_publish``: the git outcome too."""
    report = outcome.ledger
    for error in report.errors[:20]:
        print(f"newsbot: error: {error}", file=sys.stderr)
    if len(report.errors) > 20:
        print(f"newsbot: … and {len(report.errors) - 20} more errors", file=sys.stderr)
    for kept in report.kept_edited[:20]:
        print(f"newsbot: kept {kept} (--overwrite-edited replaces it)", file=sys.stderr)
    if len(report.kept_edited) > 20:
        print(f"newsbot: … and {len(report.kept_edited) - 20} more kept posts", file=sys.stderr)
    if outcome.publish_error and show_publish:
        print(f"newsbot: publish failed: {outcome.publish_error}", file=sys.stderr)
    line = report.line(outlet, dry_run)
    publish = outcome.publish
    if show_publish and publish is not None and publish.worth_showing:
        line += f"; git: {publish.message}"
    print(line, flush=True)
