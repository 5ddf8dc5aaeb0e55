"""The session of a run, around its crawl(s): the output folder's lock, the interrupts, the
worker pool -- the same for ``newsbot crawl``, ``newsbot crawl --all`` and newsbot's
``scrapy crawl`` (scrapyd).

``with Session(settings, spider) as session:`` takes the lock (:class:`RunLocked`: exit 3) and,
with ``NEWSBOT_REDIS_URL``, a place in the shared frontier (``ScaleOutError``: exit 1);
``session.guard(crawlers, force_exit)`` handles Ctrl-C and SIGTERM while the reactor runs. On the
way out, an interrupted session ends the extraction workers at once, then releases the lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot.config.run_settings import RunSettings
from newsbot.run.interrupts import InterruptGuard
from newsbot.run.lock import run_lock
from newsbot.run.workers import WorkerPool
from newsbot.state.folder import StateFolder


class Session:
    def __init__(self, settings: BaseSettings, spider: str | None = None) -> None:
        self.settings = settings
        self.spider = spider
        self.run = RunSettings.from_settings(settings)
        self.state: StateFolder = self.run.state
        self._guard: InterruptGuard | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Session:
        with contextlib.ExitStack() as stack:
            stack.enter_context(run_lock(self.state))
            if self.run.redis_url and self.spider is not None:
                from newsbot.addons.scale_out import shared_worker

                stack.enter_context(shared_worker(self.settings, self.spider))
            self._stack = stack.pop_all()
        return self

    def guard(
        self, crawlers: Sequence[Crawler], force_exit: Callable[[str], Any]
    ) -> InterruptGuard:
        """The interrupt guard of the session's crawl(s): ``with session.guard(...):`` around
        the reactor; ``force_exit`` runs in a helper thread on a second signal."""
        self._guard = InterruptGuard(list(crawlers), force_exit)
        return self._guard

    @property
    def interrupted(self) -> str | None:
        """The signal that interrupted the crawl (``SIGINT``, ``SIGTERM``), or None."""
        return self._guard.signal if self._guard is not None else None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self.interrupted:
                WorkerPool.close_all(grace=0)
        finally:
            self._stack.close()
