"""Worker processes for CPU-heavy work (extraction, rendering), one pool per crawl.

Scrapy's reactor thread only schedules: page parsing, extraction and YAML rendering run in
``NEWSBOT_EXTRACT_PROCESSES`` worker processes (0: one helper thread, for debugging).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary, WeakSet

if TYPE_CHECKING:  # workers unpickle this module: it must not import Scrapy
    from scrapy.crawler import Crawler

T = TypeVar("T")
_POOLS: WeakKeyDictionary[Crawler, WorkerPool] = WeakKeyDictionary()
_INTERRUPTED: WeakSet[Crawler] = WeakSet()  # crawls whose workers get no time to finish


class WorkerPool:
    def __init__(self, processes: int, timeout: float | None = None) -> None:
        self.processes = processes
        self.timeout = timeout or None  # seconds a job may take; None: no limit
        self._executor: Executor | None = None
        self._thread: ThreadPoolExecutor | None = None  # discovery documents (see run_in_thread)
        self._starting: Future[None] | None = None  # the worker processes' start (see warm)

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> WorkerPool:
        """The crawl's pool, made on first use and shut down when the spider closes."""
        pool = _POOLS.get(crawler)
        if pool is None:
            from newsbot.config.run_settings import RunSettings

            settings = RunSettings.from_crawler(crawler)
            pool = cls(settings.extract_processes, settings.worker_timeout)
            _POOLS[crawler] = pool
            pool._crawler = weakref.ref(crawler)
            from scrapy import signals

            crawler.signals.connect(pool.engine_stopped, signal=signals.engine_stopped)
        return pool

    _crawler: weakref.ref[Crawler] | None = None

    def engine_stopped(self) -> None:
        """After the crawl: let workers finish their job, unless the run was interrupted."""
        crawler = self._crawler() if self._crawler else None
        self.close(grace=0.0 if crawler in _INTERRUPTED else 10.0)

    @staticmethod
    def interrupted(crawler: Crawler) -> None:
        """The crawl was interrupted: when it stops, its workers are stopped at once."""
        _INTERRUPTED.add(crawler)

    @staticmethod
    def close_all(grace: float = 0.0) -> None:
        """Stop the workers of every crawl in this process (an interrupted run's last step)."""
        for pool in list(_POOLS.values()):
            pool.close(grace)

    def _get(self) -> Executor:
        if self._executor is None:
            if self.processes > 0:
                self._executor = ProcessPoolExecutor(
                    self.processes,
                    mp_context=_worker_context(),
                    initializer=_exit_with_parent,
                    initargs=(os.getpid(),),
                )
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="newsbot-worker")
        return self._executor

    async def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``func(*args, **kwargs)`` in a worker. A job that outlives ``timeout`` raises
        TimeoutError and its (stuck) workers are replaced, so a pathological page can never
        hang a cron run that holds the blog's lock."""
        job = partial(func, *args, **kwargs)
        try:
            return await self._submit(job)
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in a C library): start a fresh pool and
            # try this job once more; if it kills the new pool too, the error is the job's.
            self._discard_broken()
            return await self._submit(job)

    async def run_in_thread(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``func(*args, **kwargs)`` in the pool's helper thread, off the reactor thread.

        For discovery documents (robots.txt, sitemaps, feeds, listing pages): a few per run,
        parsed in C for the most part, and all a run with nothing new has to read. Such a run
        then never starts the worker processes."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="newsbot-discovery")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(func, *args, **kwargs))

    def warm(self) -> None:
        """Start the worker processes now, in a helper thread: called when the first article
        is requested, so they are ready when its page arrives. Their first start waits for the
        fork server to import the extraction code (half a second or more); on the reactor
        thread, that wait would stall every download of the crawl."""
        if self._starting is not None or self.processes <= 0:
            return
        starting: Future[None] = Future()
        self._starting = starting
        crawler = self._crawler() if self._crawler else None
        if crawler is not None and crawler.stats is not None:  # a run's stats show it started them
            crawler.stats.set_value("newsbot/workers/started", self.processes)

        def start() -> None:
            try:
                with _sigint_blocked():  # the fork server and the workers inherit the mask
                    executor = self._get()
                    for _ in range(self.processes):
                        executor.submit(os.getpid)
            except BaseException as exc:  # the first job meets the same error, and reports it
                starting.set_exception(exc)
            else:
                starting.set_result(None)

        threading.Thread(target=start, name="newsbot-worker-start", daemon=True).start()

    async def _submit(self, job: Callable[[], T]) -> T:
        if self.processes > 0:
            self.warm()
            starting = self._starting
            if starting is not None and not starting.done():
                with contextlib.suppress(Exception):  # then submitting raises it again
                    await asyncio.wrap_future(starting)
        loop = asyncio.get_running_loop()
        with _sigint_blocked():  # workers start (spawn) inside submit: they inherit the mask
            future = loop.run_in_executor(self._get(), job)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._discard_broken(kill=True)
            raise TimeoutError(f"worker job took longer than {self.timeout:g} s") from None

    def _discard_broken(self, kill: bool = False) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill and isinstance(executor, ProcessPoolExecutor):
            # no public way to stop one job: end the pool's processes (private but stable)
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self, grace: float = 10.0) -> None:
        """Stop the workers: they finish their current job for up to ``grace`` seconds."""
        starting = self._starting
        if starting is not None and not starting.done():
            with contextlib.suppress(Exception):
                starting.result(timeout=30)  # a pool still starting is stopped once started
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.shutdown(wait=False, cancel_futures=True)
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        if grace <= 0:
            for process in processes:
                process.kill()
        executor.shutdown(wait=not processes, cancel_futures=True)
        deadline = time.monotonic() + grace
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


# What every worker runs: imported once, in the fork server, before any worker exists.
PRELOAD = [
    "newsbot.run.worker_signals",  # first: Ctrl-C ignored before any worker exists
    "newsbot.run.workers",
    "newsbot.extraction.article",
    "newsbot.render.post",
    "newsbot.discovery.sitemaps",  # imports Scrapy's sitemap reader (and so Scrapy)
    "newsbot.discovery.feeds",
    "newsbot.discovery.listings",
]


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers are forked from a fork server: a fresh interpreter started for the purpose, so
    they never inherit the reactor, sockets or threads of the crawl (as with "spawn"), which has
    imported the extraction and rendering code once. Each worker then starts in milliseconds
    instead of importing lxml, trafilatura and the renderer itself (~0.5 s of CPU each), and the
    workers share those modules' memory pages (copy-on-write). Falls back to "spawn" where
    there is no fork server (not POSIX)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread for the block. A process spawned meanwhile starts with it
    blocked, so a Ctrl-C (sent to the whole process group by the terminal) never reaches a
    worker: the parent alone decides when workers stop. A SIGINT that arrives meanwhile is
    delivered to the parent when the block ends, not lost."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exit_with_parent(parent_pid: int) -> None:
    """Runs in each worker: ignore Ctrl-C (the parent stops the workers), and end the worker
    when the crawl process is gone (killed with SIGKILL, say), instead of leaving it waiting
    forever on a call queue nobody writes to. A worker's parent is the fork server, which stays
    while any worker lives: the worker watches the crawl process itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server = os.getppid()  # the fork server (or, with "spawn", the crawl itself)

    def watch() -> None:
        while os.getppid() == server and _alive(parent_pid):
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="newsbot-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Is process ``pid`` running? A killed process that its parent has not reaped yet (a
    zombie) is not: it still answers ``kill(pid, 0)``, so /proc is read where there is one."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone (or a reused PID of another user)
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: kill() said it exists
    return state not in (b"Z", b"X")
