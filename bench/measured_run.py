"""Run one command and measure it: wall time, CPU of the whole process tree, memory, start-up.

``run_measured(command, cwd=..., timeout=...)`` runs the command in its own session under a
small launcher (a subreaper that reports the rusage of the command and all its descendants),
samples the session's PSS/RSS from /proc every ``SAMPLE_EVERY`` seconds, and kills the session
on timeout. ``summarise(runs)`` reduces repeated runs: medians of timings, maxima of memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SAMPLE_EVERY = 0.1  # seconds between /proc samples of the process tree


@dataclass
class RunResult:
    command: list[str]
    exit_code: int | None
    timed_out: bool
    wall_s: float
    cpu_s: float  # user + system of the command and all its descendants (rusage)
    main_cpu_s: float  # the command's own process (newsbot: the reactor process)
    peak_rss_mb: float  # largest single process (ru_maxrss of the command's rusage)
    tree_peak_pss_mb: float  # sampled max of the summed PSS of the whole process tree
    tree_peak_rss_mb: float  # same with RSS (double-counts shared pages)
    tree_max_processes: int
    launched_at: float = 0.0  # perf_counter() right before the command's own Popen
    rusage_from: str = ""  # the getrusage launcher
    outputs: int = 0  # articles (posts, files) written
    requests: int = 0  # HTTP requests the outlet served during the run
    startup_s: float | None = None  # launch to the outlet's first request; None: no request
    stdout_tail: str = ""
    stderr_tail: str = ""

    @property
    def rest_cpu_s(self) -> float:
        """CPU of everything but the command's own process (newsbot: workers, fork server)."""
        return max(0.0, self.cpu_s - self.main_cpu_s)

    def succeeded(self, ok_codes: frozenset[int] = frozenset({0})) -> bool:
        return not self.timed_out and self.exit_code in ok_codes


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # after "pid (comm) ": state ppid pgrp session ...
        if len(fields) > 3 and int(fields[3]) == sid:
            members.append(int(entry.name))
    return members


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB of one process; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            rss = pss = pages * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            return 0, 0
    return pss, rss


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# A small Python parent runs the command and writes the rusage of the command and all of its
# descendants to a JSON file. It makes itself the "child subreaper" (Linux prctl): processes
# whose parent exits before them (newsbot's fork server and the workers forked from it) are
# re-parented to it instead of to init, so it reaps them and their CPU time is counted too.
# ``launched_at`` is perf_counter() (CLOCK_MONOTONIC, the same clock in every process) right
# before the command's Popen: start-up is measured from there, not from the launcher's start.
_LAUNCHER = """
import ctypes, json, os, resource, subprocess, sys, time
try:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except (OSError, AttributeError):
    pass
launched_at = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, main_ru = os.wait4(proc.pid, 0)
code = os.waitstatus_to_exitcode(status)
deadline = time.monotonic() + 30
while time.monotonic() < deadline:  # the orphans: they exit once the command is gone
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        time.sleep(0.01)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fh:
    json.dump({"maxrss_kb": ru.ru_maxrss, "cpu_s": ru.ru_utime + ru.ru_stime,
               "main_cpu_s": main_ru.ru_utime + main_ru.ru_stime,
               "launched_at": launched_at}, fh)
sys.exit(code if code >= 0 else 128 - code)
"""
LAUNCHER_NAME = "getrusage launcher (subreaper)"


def _read_rusage(report: Path) -> dict[str, float]:
    """The launcher's report: maxrss_kb (largest process), cpu_s (whole tree), main_cpu_s
    (the command's own process), launched_at; empty when there is none (killed on timeout)."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: float(value) for key, value in data.items()}


def run_measured(command: list[str], *, cwd: Path, timeout: float) -> RunResult:
    """Run ``command`` in its own session; time it and follow its memory until it exits.

    The rusage is read by a small parent (the launcher): a child forked from this large process
    would start with this process's memory high-water mark, and execve keeps it in ru_maxrss.
    """
    proc_stats = Path("/proc/self/stat").exists()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch, "rusage")
        prefix = [sys.executable, "-c", _LAUNCHER, str(report)]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*prefix, *command], cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        peak_pss = peak_rss = max_procs = 0
        timed_out = False
        try:
            while proc.poll() is None:
                if proc_stats:
                    members = [m for m in _session_members(proc.pid) if m != proc.pid]
                    mem = [_memory_kb(m) for m in members]
                    peak_pss = max(peak_pss, sum(p for p, _ in mem))
                    peak_rss = max(peak_rss, sum(r for _, r in mem))
                    max_procs = max(max_procs, len(members))
                if time.perf_counter() - start > timeout:
                    timed_out = True
                    _kill_group(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        _kill_group(proc.pid, signal.SIGKILL)
                        proc.wait()
                    break
                time.sleep(SAMPLE_EVERY)
        except BaseException:
            _kill_group(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        _kill_group(proc.pid, signal.SIGKILL)  # leftovers of the session, if any
        rusage = _read_rusage(report)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return RunResult(
        command=command,
        exit_code=None if timed_out else proc.returncode,
        timed_out=timed_out,
        wall_s=wall,
        cpu_s=rusage.get("cpu_s", 0.0),
        main_cpu_s=rusage.get("main_cpu_s", 0.0),
        peak_rss_mb=rusage.get("maxrss_kb", 0.0) / 1024,
        tree_peak_pss_mb=peak_pss / 1024,
        tree_peak_rss_mb=peak_rss / 1024,
        tree_max_processes=max_procs,
        launched_at=rusage.get("launched_at", start),
        rusage_from=LAUNCHER_NAME,
        stdout_tail=stdout[-2000:],
        stderr_tail=stderr[-2000:],
    )


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(runs: list[RunResult], ok_codes: frozenset[int] = frozenset({0})) -> dict[str, Any]:
    """Medians of the timings, maxima of the memory figures, over repeated runs of one kind."""
    per_article = [r for r in runs if r.outputs]
    return {
        "wall_s": _median([r.wall_s for r in runs]),
        "articles_per_s": _median([r.outputs / r.wall_s for r in per_article]),
        "cpu_s": _median([r.cpu_s for r in runs]),
        "main_cpu_s": _median([r.main_cpu_s for r in runs]),
        "rest_cpu_s": _median([r.rest_cpu_s for r in runs]),
        "cpu_ms_per_article": _median([1000 * r.cpu_s / r.outputs for r in per_article]),
        "startup_s": _median([r.startup_s for r in runs if r.startup_s is not None]),
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "tree_peak_pss_mb": max(r.tree_peak_pss_mb for r in runs),
        "tree_peak_rss_mb": max(r.tree_peak_rss_mb for r in runs),
        "tree_max_processes": max(r.tree_max_processes for r in runs),
        "articles_written": min(r.outputs for r in runs),
        "articles_written_max": max(r.outputs for r in runs),
        "requests": statistics.median(r.requests for r in runs),
        "ok": all(r.succeeded(ok_codes) for r in runs),
        "runs": [{**asdict(r), "rest_cpu_s": r.rest_cpu_s} for r in runs],
    }
