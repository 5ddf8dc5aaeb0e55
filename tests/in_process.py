"""``newsbot crawl`` in the test process: the fast tier's crawls.

The command runs as it does from a shell (``newsbot.cli.main``: settings checks, the lock,
the crawl, the run log, the summary line and the exit code), with two differences:

- Scrapy's reactor cannot restart, so one asyncio reactor runs in a helper thread for the whole
  test session and every crawl is scheduled on it (``CrawlerRunner``) instead of a
  ``CrawlerProcess`` owning the main thread;
- extraction runs in a helper thread (``NEWSBOT_EXTRACT_PROCESSES=0``), not in worker processes;
- deprecation warnings are ignored during the crawl, as in a ``newsbot`` process.

Tests about the command line itself, the worker processes, signals or exit of the process use
``tests.newsbot_runner`` (a real subprocess, marked ``slow``).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerRunner
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import Settings
from scrapy.utils.reactor import (
    install_reactor,
    is_asyncio_reactor_installed,
    is_reactor_installed,
)

from newsbot import cli
from newsbot.probe import fetch as probe_fetch
from newsbot.run import crawl_all
from newsbot.run import runner as crawl_runner
from tests.newsbot_runner import Run

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

_reactor_lock = threading.Lock()
_reactor_started = False


def _reactor() -> Any:
    """The session's reactor, running in a daemon thread (started on first use)."""
    global _reactor_started
    with _reactor_lock:
        if not _reactor_started:
            if not is_reactor_installed():
                install_reactor(ASYNCIO_REACTOR)
            assert is_asyncio_reactor_installed(), "another reactor was installed first"
            from twisted.internet import reactor

            thread = threading.Thread(
                target=reactor.run,
                kwargs={"installSignalHandlers": False},
                name="test-reactor",
                daemon=True,
            )
            thread.start()
            _reactor_started = True
        from twisted.internet import reactor

        return reactor


class ReactorThreadProcess:
    """What ``crawl_runner.run_checked`` needs of a ``CrawlerProcess``, on the session's
    reactor thread: ``create_crawler``, ``crawl`` (a Deferred) and ``start`` (blocks until
    the crawl is over)."""

    def __init__(self, settings: Settings) -> None:
        from twisted.internet import threads

        self._reactor = _reactor()
        self._call = threads.blockingCallFromThread
        self.runner = CrawlerRunner(settings)

    def create_crawler(self, spider: str) -> Any:
        return self._call(self._reactor, self.runner.create_crawler, spider)

    def crawl(self, crawler: Any, **kwargs: Any) -> Any:
        # a list, so that blockingCallFromThread hands back the Deferred instead of waiting
        return self._call(self._reactor, lambda: [self.runner.crawl(crawler, **kwargs)])[0]

    def start(self, install_signal_handlers: bool = False) -> None:
        self._call(self._reactor, self.runner.join)


# the modules that start a crawl with a CrawlerProcess: newsbot crawl, crawl --all, add
_CRAWL_STARTERS = (crawl_runner, crawl_all, probe_fetch)


@contextlib.contextmanager
def _crawls_on_the_reactor_thread() -> Iterator[None]:
    originals = [module.CrawlerProcess for module in _CRAWL_STARTERS]
    for module in _CRAWL_STARTERS:
        module.CrawlerProcess = ReactorThreadProcess  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        for module, original in zip(_CRAWL_STARTERS, originals, strict=True):
            module.CrawlerProcess = original  # type: ignore[misc]


def newsbot(*args: str | Path, timeout: float | None = None) -> Run:
    """``newsbot ARGS`` run by ``newsbot.cli.main`` in this process: the exit code, stdout,
    stderr (with what the crawl logs at ERROR, tracebacks included, as Scrapy's log handler
    writes it there in a newsbot process) and, for a crawl, the final stats, as
    :func:`tests.newsbot_runner.newsbot` gives them. ``timeout``: pytest's timeout applies."""
    argv = [str(arg) for arg in args]
    stats_file = None
    if argv and argv[0] == "crawl":
        output = Path(argv[argv.index("--output") + 1]) if "--output" in argv else Path(".")
        stats_file = output.parent / f".stats-{output.name}.json"
        stats_file.unlink(missing_ok=True)
        argv += ["-s", f"NEWSBOT_STATS_FILE={stats_file}", "-s", "NEWSBOT_EXTRACT_PROCESSES=0"]
    out, err = io.StringIO(), io.StringIO()
    log_handler = logging.StreamHandler(err)
    log_handler.setLevel(logging.ERROR)
    log_handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(log_handler)
    with (
        _crawls_on_the_reactor_thread(),
        warnings.catch_warnings(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        # as in a newsbot process: deprecations are not shown, let alone raised (the suite's
        # filterwarnings = error would turn them into spider exceptions)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)  # logged at WARNING there
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            root.removeHandler(log_handler)
    stats: dict[str, Any] = {}
    if stats_file and stats_file.exists():
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
        stats_file.unlink()
    return Run(code, out.getvalue(), err.getvalue(), stats)


def crawl(base_url: str, output: Path, *extra: str | Path, timeout: float | None = None) -> Run:
    """``newsbot crawl newsdao --fast`` against a test outlet, in-process."""
    return newsbot(
        "crawl", "newsdao", "--base-url", base_url, "--output", output, "--fast", *extra
    )  # fmt: skip
