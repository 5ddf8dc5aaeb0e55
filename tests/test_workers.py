"""The worker pool survives a worker that dies, and workers end with their crawl."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from newsbot.run.workers import WorkerPool, _worker_context

pytestmark = pytest.mark.slow  # every test here starts a process


def die_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.touch()
        os._exit(3)  # the worker process dies mid-job
    return f"ok from {os.getpid()}"


def test_a_dead_worker_is_replaced_and_the_job_retried(tmp_path):
    pool = WorkerPool(1)
    try:
        result = asyncio.run(pool.run(die_once, str(tmp_path / "marker")))
    finally:
        pool.close()
    assert result.startswith("ok from ")
    assert int(result.split()[-1]) != os.getpid()  # it ran in a worker process


def sleep_for(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return "done"


def test_a_stuck_job_times_out_and_the_pool_keeps_working():
    # The timeout counts from submission, so it also covers starting the replacement worker:
    # 5 s leaves room for that on a loaded machine (1 s failed there now and then).
    pool = WorkerPool(1, timeout=5.0)

    async def scenario() -> tuple[str, str]:
        try:
            await pool.run(sleep_for, 60)
        except TimeoutError as exc:
            stuck = str(exc)
        else:  # pragma: no cover - the job must not finish
            stuck = "finished"
        return stuck, await pool.run(sleep_for, 0)

    try:
        stuck, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert "longer than 5 s" in stuck
    assert after == "done"


def _report_sigint_handler(queue) -> None:  # type: ignore[no-untyped-def]
    queue.put(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)


def test_a_worker_ignores_ctrl_c_from_its_first_instruction():
    # The fork server restored Python's default SIGINT handler in each child it forked, so a
    # Ctrl-C that came before the worker's initializer printed a KeyboardInterrupt traceback.
    context = _worker_context()
    queue = context.Queue()
    process = context.Process(target=_report_sigint_handler, args=(queue,))
    process.start()
    try:
        assert queue.get(timeout=60) is True
    finally:
        process.join(10)
