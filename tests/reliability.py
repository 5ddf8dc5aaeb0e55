"""What the reliability tests measure and check: crawls with their peak memory, the blog's
invariants (no partial file, no duplicate, nothing broken), mounts for disk faults, figures.

A run is the real ``newsbot crawl`` in a subprocess (its own process group); the peak RSS is
that of its whole process tree (the crawl and its extraction workers), sampled by psutil.
Figures go to the JSON-lines file named by ``NEWSBOT_RELIABILITY_FIGURES`` when it is set
(``bench/reliability_report.py`` sets it and prints them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import psutil
import pytest

from newsbot.state.atomic_write import TEMP_PREFIX
from tests.newsbot_runner import REPO

# Mojibake of Korean text read in the wrong charset: replacement characters (CP949 read as
# UTF-8), C1 controls and pairs of Latin-1 letters (UTF-8 read as Latin-1 or windows-1252).
MOJIBAKE = re.compile(r"[\ufffd\x80-\x9f]|[\u00c0-\u00ff]{2}")


@dataclass
class MeasuredRun:
    code: int
    stdout: str
    stderr: str
    stats: dict[str, Any]
    seconds: float
    peak_rss: int  # bytes, the whole process tree

    def stat(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0


def crawl_argv(base: str, output: Path, *extra: str | Path) -> list[str]:
    return [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--base-url", base,
            "--output", str(output), "--fast", *map(str, extra)]  # fmt: skip


def start(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):
        for member in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += member.memory_info().rss
    return total


def measured_crawl(
    base: str, output: Path, *extra: str | Path, timeout: float = 120
) -> MeasuredRun:
    """``newsbot crawl`` with a stats file; the peak RSS of its process tree, its wall time."""
    stats_file = output.parent / f".stats-{output.name}-{time.monotonic_ns()}.json"
    argv = crawl_argv(base, output, *extra, "-s", f"NEWSBOT_STATS_FILE={stats_file}")
    started = time.monotonic()
    proc = start(argv)
    peak = 0
    watched = psutil.Process(proc.pid)
    while proc.poll() is None:
        peak = max(peak, tree_rss(watched))
        if time.monotonic() - started > timeout:
            os.killpg(proc.pid, 9)
            pytest.fail(f"the crawl took more than {timeout} s: {argv}")
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.monotonic() - started
    stats: dict[str, Any] = {}
    if stats_file.exists():
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
        stats_file.unlink()
    return MeasuredRun(proc.returncode, out, err, stats, seconds, peak)


@dataclass
class BlogState:
    posts: dict[str, frontmatter.Post] = field(default_factory=dict)  # file name -> post
    temporaries: list[Path] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def urls(self) -> Counter[str]:
        return Counter(str(post["source_url"]) for post in self.posts.values())

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.urls.values())


def blog_state(output: Path) -> BlogState:
    """Every post parsed, every temporary file left behind, every post that is broken."""
    state = BlogState()
    posts = output / "_posts"
    state.temporaries = sorted(posts.rglob(f"{TEMP_PREFIX}*")) if posts.is_dir() else []
    for path in sorted(posts.rglob("*.md")) if posts.is_dir() else []:
        try:
            post = frontmatter.load(path)
        except Exception as exc:  # a partial or broken file: anything the parser rejects
            state.unreadable.append(f"{path.name}: {exc!r}")
            continue
        problem = _broken(post)
        if problem:
            state.unreadable.append(f"{path.name}: {problem}")
        state.posts[path.name] = post
    return state


def _broken(post: frontmatter.Post) -> str | None:
    for key in ("title", "date", "source_url"):
        if not post.get(key):
            return f"no {key}"
    if not post.content.rstrip().endswith("</a>"):  # every profile ends with the outlet link
        return "the body is cut short"
    text = f"{post['title']}\n{post.content}"
    if MOJIBAKE.search(text):
        return f"mojibake: {MOJIBAKE.search(text)!r}"
    return None


def assert_sound(output: Path) -> BlogState:
    """No temporary file, no broken post, no duplicate source_url."""
    state = blog_state(output)
    assert state.temporaries == [], f"temporary files left: {state.temporaries}"
    assert state.unreadable == [], f"broken posts: {state.unreadable}"
    assert state.duplicates == 0, f"duplicates: {[u for u, n in state.urls.items() if n > 1]}"
    return state


@contextlib.contextmanager
def mounted(target: Path, *commands: tuple[str, ...]) -> Iterator[Path]:
    """Run ``mount ARGS... target`` for each of ``commands`` (root only), unmount after the
    block; skips the test when mounting is not possible here."""
    target.mkdir(parents=True, exist_ok=True)
    done_any = False
    try:
        for args in commands:
            done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot mount ({' '.join(args)}): {done.stderr.strip()}")
            done_any = True
        yield target
    finally:
        if done_any:
            subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def full_disk(target: Path, size_kib: int) -> contextlib.AbstractContextManager[Path]:
    """A tmpfs of ``size_kib`` KiB at ``target``."""
    return mounted(target, ("-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs"))


def read_only(target: Path) -> contextlib.AbstractContextManager[Path]:
    """``target`` bind-mounted read-only onto itself (chmod does not stop root)."""
    return mounted(target, ("--bind", str(target)), ("-o", "remount,bind,ro"))


def record(kind: str, **figures: Any) -> None:
    """Append one line of figures for ``bench/reliability_report.py``."""
    path = os.environ.get("NEWSBOT_RELIABILITY_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"kind": kind, **figures}, ensure_ascii=False) + "\n")
