"""Run the real ``newsbot`` command in a subprocess and read what it reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    stats: dict[str, Any]

    def stat(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0


def newsbot(*args: str | Path, cwd: Path | None = None, timeout: float = 300) -> Run:
    """``newsbot ARGS`` (with a stats file when it crawls); never raises on a non-zero exit."""
    argv = [sys.executable, "-m", "newsbot.cli", *map(str, args)]
    stats_file = None
    if args and args[0] in ("crawl",):
        stats_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"newsbot-stats-{os.getpid()}.json"
        stats_file.unlink(missing_ok=True)
        argv += ["-s", f"NEWSBOT_STATS_FILE={stats_file}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        argv, cwd=cwd or REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    stats: dict[str, Any] = {}
    if stats_file and stats_file.exists():
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
        stats_file.unlink()
    return Run(result.returncode, result.stdout, result.stderr, stats)


def read_posts(output: Path, posts_dir: str = "_posts") -> dict[str, frontmatter.Post]:
    """file name -> parsed post, for every post under ``output/posts_dir``."""
    folder = output / posts_dir
    if not folder.is_dir():
        return {}
    return {path.name: frontmatter.load(path) for path in sorted(folder.rglob("*.md"))}


def crawl(base_url: str, output: Path, *extra: str | Path, timeout: float = 300) -> Run:
    """``newsbot crawl newsdao`` against a test outlet, without throttling."""
    return newsbot(
        "crawl", "newsdao", "--base-url", base_url, "--output", output, "--fast", *extra,
        timeout=timeout,
    )  # fmt: skip
