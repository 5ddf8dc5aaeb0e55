"""What a year of cron runs costs every run that reads the run log, before and after compaction.

Writes a synthetic ``runs.jsonl`` of one year of ``*/10`` runs (52,560 lines by default: most
runs find nothing, some publish a few articles, a few publish dozens and carry lines of several
KB), then times, as medians of ``--repeat`` tries:

- ``read_runs`` with its cache cold (what a run does when it opens: backoff, the usual body
  length);
- one run's recording: its line appended (``newsbot.run.record._append``: the append, then the
  compaction's check), the log read again and the outlet judged (``tell_on_change``);

first on the whole year with compaction off (what every run paid so far), then the one
compaction that a run over the limit does, then the same on the compacted log.

    .venv/bin/python bench/run_log_growth.py
    .venv/bin/python bench/run_log_growth.py --lines 10000 --outlets 3 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import json  # noqa: E402

from newsbot.config.run_settings import RunSettings  # noqa: E402
from newsbot.health.judge import judge  # noqa: E402
from newsbot.run import record  # noqa: E402
from newsbot.state import run_log, run_log_compaction  # noqa: E402

START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def synthetic_line(n: int, outlet: str, rng: random.Random) -> dict[str, Any]:
    start = START + dt.timedelta(minutes=10 * n)
    roll = rng.random()
    count = 0 if roll < 0.85 else rng.randint(1, 3) if roll < 0.97 else rng.randint(10, 30)
    articles = [
        {
            "url": f"https://{outlet}.example/news/articleView.html?idxno={n * 40 + i}",
            "chars": rng.randint(800, 6000),
            "path": "container",
            "held": False,
        }
        for i in range(count)
    ]
    return {
        "start": start.isoformat(),
        "end": (start + dt.timedelta(seconds=41)).isoformat(),
        "outlet": outlet,
        "new": count,
        "updated": 0,
        "merged": 0,
        "skipped": 12,
        "failed": 0,
        "exit_code": 0,
        "reason": "finished",
        "skipped_reasons": {"published": 10, "not_modified": 2},
        "failed_reasons": {},
        "errors": [],
        "committed": "0123456789abcdef0123456789abcdef01234567" if count else None,
        "pushed": bool(count),
        "dry_run": False,
        "seconds": 41.2,
        "requests": 18 + count,
        "responses": 18 + count,
        "found": count,
        "articles": articles,
    }


def median_seconds(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_read(path: Path) -> list[dict[str, Any]]:
    run_log._parsed.clear()
    return run_log.read_runs(path)


def measure(settings: RunSettings, outlet: str, repeat: int, n: list[int]) -> dict[str, float]:
    path = settings.state.run_log
    rng = random.Random(n[0])

    def recording() -> None:
        n[0] += 1
        record._append(settings, synthetic_line(n[0], outlet, rng))
        judge(run_log.read_runs(path), outlet, settings.health_failing_runs)

    return {
        "bytes": path.stat().st_size,
        "lines": len(cold_read(path)),
        "read_runs": median_seconds(repeat, lambda: cold_read(path)),
        "recording": median_seconds(repeat, recording),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=52_560, help="runs in the log (a year)")
    parser.add_argument("--outlets", type=int, default=1, help="outlets taking turns")
    parser.add_argument("--repeat", type=int, default=5, help="tries per figure (median)")
    args = parser.parse_args()
    outlets = [f"outlet{i}" for i in range(args.outlets)]
    with tempfile.TemporaryDirectory(prefix="newsbot-run-log-") as tmp:
        settings = RunSettings(output_dir=tmp)
        path = settings.state.run_log
        path.parent.mkdir(parents=True)
        rng = random.Random(1)
        with open(path, "w", encoding="utf-8") as handle:
            for n in range(args.lines):
                line = synthetic_line(n, outlets[n % len(outlets)], rng)
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        counter = [args.lines]
        limit = run_log_compaction.MAX_BYTES
        run_log_compaction.MAX_BYTES = 1 << 62  # compaction off: what every run paid so far
        before = measure(settings, outlets[0], args.repeat, counter)
        run_log_compaction.MAX_BYTES = limit
        started = time.perf_counter()
        done = run_log_compaction.compact(
            settings.state, keep=settings.run_log_keep, history=settings.health_history
        )
        took = time.perf_counter() - started
        after = measure(settings, outlets[0], args.repeat, counter)
        archive = sum(p.stat().st_size for p in run_log_compaction.archives(settings.state))
    print(f"{args.lines:,} lines, {args.outlets} outlet(s), medians of {args.repeat} tries")
    print(f"{'':24}{'lines':>8}{'MB':>8}{'read_runs s':>13}{'recording s':>13}")
    for name, figures in (("before (whole year)", before), ("after compaction", after)):
        print(
            f"{name:24}{figures['lines']:>8,}{figures['bytes'] / 1e6:>8.1f}"
            f"{figures['read_runs']:>13.3f}{figures['recording']:>13.3f}"
        )
    if done is None:
        print("no compaction (the log is under the limit)")
        return 1
    print(
        f"the compaction: {took:.2f} s ({done.locked * 1000:.1f} ms holding the log's lock), "
        f"{done.archived:,} lines archived into {archive / 1e6:.1f} MB of gzip, {done.kept:,} kept"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
