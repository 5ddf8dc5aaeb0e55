"""Ctrl-C (SIGINT) and SIGTERM during a crawl: stop soon, say so, keep what was written.

Scrapy's own handling waits for every request in flight (up to ``DOWNLOAD_TIMEOUT``) and for the
extraction workers, without a word; a second Ctrl-C skips the closing steps, so the run looked
as if it had never started. Instead, while :class:`InterruptGuard` is active:

1. the first signal prints one line, closes the spider with the reason ``interrupted`` (no new
   requests; posts already written stay, each written atomically) and allows ``GRACE`` seconds
   for that;
2. if the spider is still closing then (a slow page in flight), the crawl is cut: the reactor
   stops, the command records the run from its stats and ends the workers;
3. a second signal cuts at once; if even that cannot happen in ``FORCE_AFTER`` seconds (the
   main thread is stuck), the run is recorded and the process exits with code 130 from a
   helper thread.

Extraction workers never see the signal (see ``newsbot.run.workers``): the parent stops them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType, TracebackType
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from newsbot import exitcodes
from newsbot.run.workers import WorkerPool

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


class InterruptGuard:
    GRACE = 1.0  # seconds a graceful stop may take before the crawl is cut
    FORCE_AFTER = 0.6  # seconds a cut may take before the process exits anyway

    def __init__(
        self, crawler: Crawler | Sequence[Crawler], on_force_exit: Callable[[str], None]
    ) -> None:
        # every crawler of the process (``newsbot crawl --all`` runs one per outlet)
        self.crawlers = [crawler] if isinstance(crawler, Crawler) else list(crawler)
        self.on_force_exit = on_force_exit  # records and reports the run; then we _exit
        self.signal: str | None = None  # the first signal received, e.g. "SIGINT"
        self.cut = False  # the reactor was stopped before the spider closed
        self.finished = False  # the command is past the crawl: no forced exit any more
        self._previous: dict[int, Any] = {}

    # ------------------------------------------------------------------ install
    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.finished = True
        for signum, previous in self._previous.items():
            # Once interrupted, another Ctrl-C while the command wraps up just ends it.
            signal.signal(signum, _exit_interrupted if self.signal else previous)
        self._previous.clear()

    # ------------------------------------------------------------------ signals
    def _handle(self, signum: int, frame: FrameType | None) -> None:
        """Runs in the main thread between two bytecodes: only flags and scheduling here."""
        if self.signal is None:
            self.signal = signal.Signals(signum).name
            for crawler in self.crawlers:
                WorkerPool.interrupted(crawler)
            self._in_reactor(self._stop_gracefully)
            self._later(self.GRACE, self._cut_from_timer)
        else:
            self._in_reactor(self._cut)
            self._later(self.FORCE_AFTER, self._force_exit)

    @staticmethod
    def _later(seconds: float, action: Callable[[], None]) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        timer.start()

    @staticmethod
    def _in_reactor(action: Callable[[], None]) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(action)

    # ------------------------------------------------------------------ stopping
    def _stop_gracefully(self) -> None:
        if self.finished or self.cut:
            return
        print(
            f"newsbot: interrupted ({self.signal}); stopping -- press Ctrl-C again to stop at once",
            file=sys.stderr,
            flush=True,
        )
        running = False
        for crawler in self.crawlers:
            engine = getattr(crawler, "_engine", None)
            if engine is not None and engine.spider is not None and crawler.crawling:
                running = True
                closing = deferred_from_coro(engine.close_spider_async(reason="interrupted"))
                closing.addErrback(lambda _: None)
        if not running:
            self._cut()

    def _cut_from_timer(self) -> None:
        if self.finished:
            return
        self._in_reactor(self._cut)
        self._later(self.FORCE_AFTER, self._force_exit)

    def _cut(self) -> None:
        """Stop the reactor now, without waiting for requests in flight."""
        if self.finished or self.cut:
            return
        self.cut = True
        # What fails while the crawl is torn down (connections dropped mid-download, pending
        # tasks) is a consequence of the interruption, not news for the operator.
        logging.disable(logging.ERROR)
        for crawler in self.crawlers:
            crawler.crawling = False  # Scrapy's shutdown trigger then does not wait for it
        from twisted.internet import reactor

        with contextlib.suppress(RuntimeError):  # already stopping
            reactor.stop()  # type: ignore[misc]

    def _force_exit(self) -> None:
        if self.finished:
            return
        try:
            self.on_force_exit(self.signal or "SIGINT")
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(exitcodes.INTERRUPTED)


def _exit_interrupted(signum: int, frame: FrameType | None) -> None:
    os._exit(exitcodes.INTERRUPTED)
