"""Ctrl-C during a crawl: one SIGINT stops without waiting for the pages in flight and says
"interrupted" (exit 130), a second one cuts at once, no traceback from the crawl or its workers,
the run log records it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.run.interrupts import InterruptGuard
from tests.conftest import extra_article
from tests.newsbot_runner import REPO, crawl, read_posts
from tests.operator_helpers import alive, children_of, descendants_of, run_log
from tests.sites import OutletSite
from tests.sites.faults import Faulty, Hold, article_pages

COMMANDS = {
    "newsbot": lambda base, out: [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao",
                                  "--base-url", base, "--output", str(out), "--fast"],
    "scrapy": lambda base, out: [sys.executable, "-m", "scrapy.cmdline", "crawl", "newsdao",
                                 "-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={out}",
                                 "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR"],
}  # fmt: skip


def start(argv: list[str]) -> subprocess.Popen[str]:
    # A session of its own: os.killpg then reaches the crawl and its workers, like a terminal's
    # Ctrl-C reaches the whole foreground process group.
    return subprocess.Popen(
        argv, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def wait_for_workers(pid: int, timeout: float = 30) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # the fork server, its workers (forked from it) and the resource tracker
        helpers = {p for p in descendants_of(pid) if b"multiprocessing" in _cmdline(p)}
        if helpers - children_of(pid):  # a worker exists, not just the fork server
            return helpers
        time.sleep(0.05)
    return set()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_exit(proc: subprocess.Popen[str], timeout: float) -> None:
    """Until the process exited (its pipes may stay open a little longer)."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"still running {timeout} s after the signal")


@pytest.fixture
def slow_site(serve_site, samples):
    """The first article page comes at once, the others hang for 8 s, longer than the grace
    period: the crawl has to be cut."""
    outlet = OutletSite([*samples, *(extra_article(6000 + i) for i in range(20))])
    hang = Hold(article_pages(of=outlet), first_free=1, timeout=8.0)
    return hang, serve_site(Faulty(outlet, hang))


def wait_for_a_post(proc: subprocess.Popen[str], output: Path) -> None:
    """Until the crawl wrote its first post: its extraction worker is up and working (a signal
    that lands while a worker process is still starting is another case)."""
    deadline = time.monotonic() + 60
    while not list((output / "_posts").glob("*.md")):
        assert proc.poll() is None and time.monotonic() < deadline, "no post was written"
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_one_sigint_stops_without_waiting_for_pages_in_flight_and_says_interrupted(
    slow_site, tmp_path, command
):
    hang, base = slow_site
    proc = start(COMMANDS[command](base, tmp_path))
    workers = wait_for_workers(proc.pid)
    assert workers, "the crawl started no extraction worker"
    assert hang.requested.wait(60), "no article page was held"
    wait_for_a_post(proc, tmp_path)
    os.killpg(proc.pid, signal.SIGINT)
    wait_exit(proc, timeout=30)
    answered_before_exit = hang.answered
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == exitcodes.INTERRUPTED, err[-3000:]
    assert answered_before_exit == 0, "the crawl waited for the article pages in flight"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "interrupted (SIGINT)" in err
    assert out.strip().endswith("(interrupted)"), out
    record = run_log(tmp_path)[-1]
    assert record["reason"] == "interrupted" and record["exit_code"] == exitcodes.INTERRUPTED
    assert "did not start" not in str(record)
    time.sleep(1.5)  # orphans would notice their parent is gone within a second
    assert not [pid for pid in workers if alive(pid)], "worker processes outlived the crawl"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_a_second_sigint_cuts_the_crawl_at_once(slow_site, tmp_path):
    hang, base = slow_site
    proc = start(COMMANDS["newsbot"](base, tmp_path))
    workers = wait_for_workers(proc.pid)
    assert hang.requested.wait(60)
    wait_for_a_post(proc, tmp_path)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    wait_exit(proc, timeout=30)
    answered_before_exit = hang.answered
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == exitcodes.INTERRUPTED, err[-3000:]
    assert answered_before_exit == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "(interrupted)" in out
    records = run_log(tmp_path)
    assert len(records) == 1 and records[0]["reason"] == "interrupted"
    time.sleep(1.5)
    assert not [pid for pid in workers if alive(pid)]


@pytest.mark.slow
def test_an_interrupted_run_keeps_its_posts_and_the_next_run_completes(serve_site, samples,
                                                                        tmp_path):  # fmt: skip
    outlet = OutletSite(samples)
    # two article pages come, the rest hang (an id walk's misses are not held)
    hang = Hold(article_pages(of=outlet), first_free=2, timeout=5.0)
    base = serve_site(Faulty(outlet, hang))
    proc = start(COMMANDS["newsbot"](base, tmp_path))
    deadline = time.monotonic() + 60
    while len(list((tmp_path / "_posts").glob("*.md"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hang.requested.wait(60), "no article page was held"
    os.killpg(proc.pid, signal.SIGINT)  # while the other article pages hang: cut mid-crawl
    wait_exit(proc, timeout=30)
    _, err = proc.communicate(timeout=30)
    kept = read_posts(tmp_path)
    assert proc.returncode == exitcodes.INTERRUPTED, err[-2000:]
    assert len(kept) == 2, "the posts written before the interruption are kept"
    assert not list((tmp_path / "_posts").glob(".newsbot-tmp-*")), "a partial file was left"

    hang.release()
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK, again.stderr
    assert len(read_posts(tmp_path)) == len(samples)
    assert again.stat("newsbot/posts/new") == len(samples) - len(kept)


def test_the_first_signal_stops_gracefully_and_a_second_cuts_without_waiting_for_the_grace():
    scheduled: list[object] = []
    timers: list[tuple[float, object]] = []
    guard = InterruptGuard([], on_force_exit=lambda name: None)
    guard._in_reactor = scheduled.append  # type: ignore[method-assign]
    guard._later = lambda seconds, action: timers.append((seconds, action))  # type: ignore[method-assign]

    guard._handle(signal.SIGINT, None)
    assert scheduled == [guard._stop_gracefully]
    assert timers == [(InterruptGuard.GRACE, guard._cut_from_timer)]
    assert guard.signal == "SIGINT"

    guard._handle(signal.SIGINT, None)
    assert scheduled[1:] == [guard._cut]  # now, not after GRACE
    assert timers[1:] == [(InterruptGuard.FORCE_AFTER, guard._force_exit)]
