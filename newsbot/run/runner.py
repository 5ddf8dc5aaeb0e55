"""Run one outlet's crawl in this process: check, lock, crawl, record, report, exit code."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsbot import exitcodes
from newsbot.addons.scale_out import ScaleOutError, shared_worker
from newsbot.config.preflight import ConfigError, check_crawl_settings
from newsbot.config.sources import SourcesError
from newsbot.run.interrupts import InterruptGuard
from newsbot.run.lock import RunLocked, run_lock
from newsbot.run.record import CrawlOutcome, finish_unclosed, outlet_name, state_dir
from newsbot.run.workers import WorkerPool

logger = logging.getLogger(__name__)


@dataclass
class CrawlOptions:
    outlet: str | None  # None: every enabled outlet (``newsbot crawl --all``)
    output: Path
    sources: Path | None = None  # the sources file; None: NEWSBOT_SOURCES, else the bundled one
    base_url: str | None = None
    since: str | None = None
    limit: int = 0
    backfill: int = 0
    dry_run: bool = False
    fast: bool = False
    refresh: bool = False
    overwrite_edited: bool = False
    profile: str | None = None
    download_images: bool = False
    commit: bool = False
    push: bool = False
    remote: str | None = None
    branch: str | None = None
    author: str | None = None
    verbose: int = 0  # 0: errors (warnings too on a terminal), 1: info, 2: debug
    progress: bool | None = None
    extra_settings: dict[str, Any] = field(default_factory=dict)


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    return get_project_settings()


def crawl_settings(options: CrawlOptions) -> Settings:
    settings = project_settings()
    values: dict[str, Any] = {
        "NEWSBOT_OUTPUT_DIR": str(options.output),
        "NEWSBOT_BASE_URL": options.base_url,
        "NEWSBOT_SINCE": options.since,
        "NEWSBOT_LIMIT": options.limit,
        "NEWSBOT_BACKFILL": options.backfill,
        "NEWSBOT_DRY_RUN": options.dry_run,
        "NEWSBOT_FAST": options.fast,
        "NEWSBOT_REFRESH": options.refresh,
        "NEWSBOT_OVERWRITE_EDITED": options.overwrite_edited,
        "NEWSBOT_DOWNLOAD_IMAGES": options.download_images,
        "NEWSBOT_PROGRESS": options.progress,
        "NEWSBOT_GIT_COMMIT": options.commit or options.push,
        "NEWSBOT_GIT_PUSH": options.push,
    }
    if options.profile:
        values["NEWSBOT_PROFILE"] = options.profile
    if options.sources:
        values["NEWSBOT_SOURCES"] = str(options.sources)
    for key, value in (
        ("REMOTE", options.remote),
        ("BRANCH", options.branch),
        ("AUTHOR", options.author),
    ):
        if value:
            values[f"NEWSBOT_GIT_{key}"] = value
    interactive = sys.stderr.isatty()
    level = {0: "WARNING" if interactive else "ERROR", 1: "INFO"}.get(options.verbose, "DEBUG")
    values["LOG_LEVEL"] = level
    values.update(options.extra_settings)
    settings.setdict(values, priority="cmdline")
    return settings


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
    try:
        with run_lock(state_dir(settings)), _scale_out(settings, spider):
            outcome = crawl_once(make_process(), spider, spider_kwargs)
    except RunLocked as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return exitcodes.LOCKED
    except ScaleOutError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    name = getattr(outlet, "name", spider)
    print_outcome(outcome, name, settings.getbool("NEWSBOT_DRY_RUN"))
    if outcome.exit_code == exitcodes.INTERRUPTED and exit_when_interrupted:
        # Everything is recorded and the workers are gone: skip the interpreter's teardown of
        # a crawl cut short (most of a second of garbage collection).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exitcodes.INTERRUPTED)
    return outcome.exit_code


def _scale_out(settings: BaseSettings, spider: str) -> contextlib.AbstractContextManager[None]:
    """With ``NEWSBOT_REDIS_URL``: join the shared frontier and update the clone first."""
    if not settings.get("NEWSBOT_REDIS_URL"):
        return contextlib.nullcontext()
    return shared_worker(settings, spider)


def crawl_once(process: Any, spider: str, spider_kwargs: dict[str, Any]) -> CrawlOutcome:
    """Run one crawl in this process (the Twisted reactor cannot restart: one per process)."""
    crawler = process.create_crawler(spider)
    logging.getLogger("scrapy").setLevel(crawler.settings.get("LOG_LEVEL"))
    startup_errors: list[str] = []

    def force_exit(signame: str) -> None:  # a helper thread, the main thread being stuck
        outcome = finish_unclosed(crawler, "interrupted")
        print_outcome(outcome, outlet_name(crawler), crawler.settings.getbool("NEWSBOT_DRY_RUN"))
        WorkerPool.close_all(grace=0)

    guard = InterruptGuard(crawler, force_exit)
    try:
        with guard:
            watch_startup(process.crawl(crawler, **spider_kwargs), startup_errors)
            process.start(install_signal_handlers=False)
    except Exception as exc:  # a crash still leaves a line in the run log
        finish_unclosed(crawler, "crashed", f"newsbot crashed: {exc!r}")
        raise
    if guard.signal:
        WorkerPool.close_all(grace=0)
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
