"""Two workers share one frontier in a real redis-server (``NEWSBOT_REDIS_URL``), each
publishing to its own clone of one bare repository: every article lands exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from newsbot import exitcodes
from newsbot.demo.outlet import Faults, OutletSite
from tests.conftest import extra_article
from tests.git_helpers import clone, git, isolate_git, make_remote_and_blog
from tests.newsbot_runner import REPO, read_posts
from tests.redis_server import free_port, redis_server

pytestmark = pytest.mark.tool

ARTICLE_DELAY = 0.15  # seconds per article page: the work outlasts a worker's first idle check


@dataclass
class Worker:
    process: subprocess.Popen[str]
    stats_file: Path

    def finish(self, timeout: float = 240) -> tuple[int, str, dict[str, Any]]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        stats = json.loads(self.stats_file.read_text(encoding="utf-8"))
        return self.process.returncode, stdout + stderr, stats


def start_worker(base: str, clone_dir: Path, stats_file: Path) -> Worker:
    """``newsbot crawl newsdao --push`` in its own process; at most two pages at a time, so
    that one worker cannot take the whole queue at once."""
    argv = [
        sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--base-url", base,
        "--output", str(clone_dir), "--push", "--fast",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "NEWSBOT_EXTRACT_PROCESSES=1",
        "-s", f"NEWSBOT_STATS_FILE={stats_file}",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(argv, cwd=REPO, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    return Worker(process, stats_file)


def run_two_workers(base: str, clones: list[Path], stats_dir: Path, tag: str) -> list[dict]:
    workers = [
        start_worker(base, folder, stats_dir / f"{tag}-{folder.name}.json") for folder in clones
    ]
    results = [worker.finish() for worker in workers]
    for code, output, _ in results:
        assert code == exitcodes.OK, output
    return [stats for _, _, stats in results]


def remote_posts(remote: Path, folder: Path) -> Counter[str]:
    """source_url -> how many posts carry it, in a fresh clone of the remote."""
    checkout = clone(remote, folder)
    files = read_posts(checkout)
    return Counter(post["source_url"] for post in files.values())


@pytest.fixture
def redis_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as url:
        monkeypatch.setenv("NEWSBOT_REDIS_URL", url)  # the environment variable, as documented
        yield url


def test_two_workers_publish_every_article_exactly_once_and_stop_together(
    serve_site, samples, tmp_path, monkeypatch, redis_url
):
    isolate_git(monkeypatch, tmp_path)
    site = OutletSite(samples, faults=Faults())
    for article_id in range(5313, 5337):
        site.add(extra_article(article_id))
    site.faults.slow_ids.update({a.id: ARTICLE_DELAY for a in site.articles()})
    base = serve_site(site)
    remote, _ = make_remote_and_blog(tmp_path)
    clones = [clone(remote, tmp_path / name) for name in ("worker-a", "worker-b")]
    served = {f"{base}/{a.id}" for a in site.articles()}

    first = run_two_workers(base, clones, tmp_path, "first")

    on_remote = remote_posts(remote, tmp_path / "check-1")
    assert on_remote == Counter(served)  # every article, each exactly once
    written = [stats.get("newsbot/posts/new", 0) for stats in first]
    assert all(n > 0 for n in written), written  # the work was shared
    assert sum(written) == len(served)  # and no article was fetched and written twice
    for stats in first:
        assert stats["newsbot/frontier/workers"] == 2
        # What each worker saw of the whole run when it decided to stop: every post. So neither
        # stopped while the other still had work (workers add their counts when idle).
        assert stats["newsbot/frontier/run_published"] == len(served)
    server = redis.Redis.from_url(redis_url)
    assert server.keys("*") == []  # the last worker out deleted the frontier
    subjects = git(remote, "--git-dir", remote, "log", "--format=%s", "main").splitlines()
    assert len([s for s in subjects if s.startswith("newsbot:")]) == 2

    # The next run (the next cron tick): a fresh frontier, so the new article is discovered;
    # each worker first brings its clone up to date, so nobody writes the other's posts again.
    site.add(extra_article(5337))
    site.faults.slow_ids[5337] = ARTICLE_DELAY
    second = run_two_workers(base, clones, tmp_path, "second")

    on_remote = remote_posts(remote, tmp_path / "check-2")
    assert on_remote == Counter(served | {f"{base}/5337"})
    assert sum(stats.get("newsbot/posts/new", 0) for stats in second) == 1
    assert server.keys("*") == []
    server.close()


def test_a_worker_that_cannot_reach_redis_says_so_in_one_line(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path)
    _, blog = make_remote_and_blog(tmp_path)
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    result = subprocess.run(
        [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--base-url",
         "http://127.0.0.1:9", "--output", str(blog), "--push", "-s", f"NEWSBOT_REDIS_URL={dead}"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == exitcodes.FAILED
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsbot: cannot reach redis at {dead}")


def test_sharing_a_frontier_without_pushing_is_refused_before_anything_is_fetched(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--output", str(tmp_path),
         "-s", "NEWSBOT_REDIS_URL=redis://127.0.0.1:6379/0"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == exitcodes.USAGE
    assert "NEWSBOT_REDIS_URL" in result.stderr and "--push" in result.stderr
