"""Run the reliability suite (``pytest -m reliability``) and print its figures.

    .venv/bin/python bench/reliability_report.py

The tests append their figures to a JSON-lines file (``NEWSBOT_RELIABILITY_FIGURES``); this
script runs them, then prints the figures issue 8's closing note asks for: faults tried, kill
trials, articles expected vs published, duplicates, partial files, refused pages, worst-case
memory and time under the gzip bomb and the slow case. Exit status: pytest's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsbot.demo.faults import FAULTS  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.jsonl"
        started = time.monotonic()
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-m", "reliability", "-q", "-p", "no:cacheprovider"],
            cwd=REPO,
            env={**os.environ, "NEWSBOT_RELIABILITY_FIGURES": str(figures_file)},
            check=False,
        )
        seconds = time.monotonic() - started
        lines = (
            figures_file.read_text(encoding="utf-8").splitlines() if figures_file.exists() else []
        )
    figures = {entry.pop("kind"): entry for entry in map(json.loads, lines)}
    print()
    print(f"reliability suite: exit {tests.returncode} in {seconds:.0f} s")
    print(render(figures))
    return tests.returncode


def render(figures: dict[str, dict]) -> str:
    storm, kills = figures.get("storm", {}), figures.get("kills", {})
    bomb = figures.get("gzip-bomb", {})
    tried = sorted(FAULTS)
    expected = storm.get("articles", 0) + kills.get("articles_expected", 0)
    published = storm.get("published_end", 0) + kills.get("articles_published", 0)
    peaks = [f.get("peak_rss_mib", 0) for f in (storm, kills, bomb)]
    rows = [
        ("faults tried", f"{len(tried)} named faults: {', '.join(tried)}"),
        ("kill trials", f"{kills.get('trials', 0)} SIGKILL trials, phases {kills.get('phases')}"),
        ("articles expected / published", f"{expected} / {published} (storm "
         f"{storm.get('articles')}/{storm.get('published_end')}, kills "
         f"{kills.get('articles_expected')}/{kills.get('articles_published')})"),
        ("duplicates", str(storm.get("duplicates", 0) + kills.get("duplicates", 0))),
        ("partial files", f"{storm.get('partial_files', 0) + kills.get('partial_files_end', 0)}"
         f" (temporary files left by the kills before the next run: "
         f"{kills.get('temporaries_left_by_kills')})"),
        ("refused pages", str(storm.get("refused", 0))),
        ("storm, first run", f"{storm.get('published_first')} published, "
         f"{storm.get('failed_listed_first')} failed and listed, {storm.get('seconds_first')} s "
         f"(the slow page: 4 attempts x DOWNLOAD_TIMEOUT 2 s); healed run "
         f"{storm.get('seconds_healed')} s"),
        ("gzip bomb (256 MiB)", f"{bomb.get('seconds')} s for the run, "
         f"peak RSS {bomb.get('peak_rss_mib')} MiB"),
        ("worst-case memory", f"{max(peaks)} MiB peak RSS of a crawl's process tree "
         f"(storm {storm.get('peak_rss_mib')}, kills {kills.get('peak_rss_mib')}, "
         f"bomb {bomb.get('peak_rss_mib')})"),
        ("disk full", f"{figures.get('disk-full', {}).get('posts_before_full', 'skipped')} posts "
         f"written before ENOSPC, the rest by the next run"),
        ("kill trials, time", f"{kills.get('seconds')} s for {kills.get('trials')} trials "
         f"(slowest normal run {kills.get('normal_run_seconds_max')} s)"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"| {name.ljust(width)} | {value} |" for name, value in rows)


if __name__ == "__main__":
    sys.exit(main())
