"""Issue 8: a run SIGKILLed at a random moment, then a normal run, loses nothing.

Twenty seeded trials against one blog (a clone of a bare remote) and one outlet that gains
three articles per trial. Each trial starts ``newsbot crawl --commit --push``, kills it with
SIGKILL in a chosen phase (start-up, fetching, writing posts, ``git commit``, ``git push``)
after a random delay, then checks that no process of the killed run outlives it, runs the
crawl again normally and checks the blog: no temporary file in ``_posts``, no broken post, no
duplicate ``source_url``, every article of the outlet published, ``git fsck`` clean, nothing
uncommitted, and the remote holding every post exactly once.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from tests.conftest import extra_article
from tests.git_helpers import git, isolate_git, make_remote_and_blog, porcelain
from tests.reliability import (
    MeasuredRun,
    assert_sound,
    blog_state,
    crawl_argv,
    measured_crawl,
    record,
    start,
)
from tests.sites.faults import Faulty, Hold, Slow, article_pages

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.tool,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command"),
]

TRIALS = 20
PHASES = ("start-up", "fetching", "writing", "git-commit", "git-push")
PER_TRIAL = 3  # new articles per trial
# one extraction worker, a short id walk: less CPU per run, the same code paths
FLAGS = ("--push", "-s", "NEWSBOT_EXTRACT_PROCESSES=1", "-s", "NEWSBOT_ID_WALK_MISSES=3",
         "-s", "NEWSBOT_GIT_PUSH_BACKOFF=0.05")  # fmt: skip
PACE = 0.12  # seconds per article page
HOOK = "#!/bin/sh\nsleep 0.1\n"  # widens the git steps so a kill can land inside them


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


def paced_site(samples) -> tuple[Faulty, Hold]:
    """Article pages are served one at a time, each after a moment, so a run spends time in
    each phase; ``hold.hold(1)`` makes it wait before every article page but the first until
    ``hold.release()``, so a kill "while fetching" or "while writing" lands before the git step.
    (Only the articles the site has: not the id walk's misses.)"""
    outlet = OutletSite(samples, listing=False)  # sitemaps and the feed find every article
    pages = article_pages(of=outlet)
    hold = Hold(pages, timeout=30, held=False)
    return Faulty(outlet, hold, Slow(pages, PACE, one_at_a_time=True)), hold


def descendants(proc: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return proc.children(recursive=True)
    return []


def git_child(proc: psutil.Process, verb: str) -> bool:
    for child in descendants(proc):
        with contextlib.suppress(psutil.Error):
            cmdline = child.cmdline()
            if cmdline and os.path.basename(cmdline[0]) == "git" and verb in cmdline:
                return True
    return False


def wait_for_phase(phase: str, proc, watched: psutil.Process, site, posts: Path, rng) -> str:
    """Return once ``proc`` is in ``phase`` (after a random delay there); the phase it was
    seen in ("ended" when the run finished first)."""
    deadline = time.monotonic() + 60
    requests_before = len(site.requests_log)
    posts_before = len(list(posts.glob("*.md"))) if posts.is_dir() else 0
    reached = {
        "start-up": lambda: True,
        "fetching": lambda: any(
            p.lstrip("/").isdigit() for p in site.requests_log[requests_before:]
        ),
        "writing": lambda: posts.is_dir() and len(list(posts.glob("*.md"))) > posts_before,
        "git-commit": lambda: git_child(watched, "commit"),
        "git-push": lambda: git_child(watched, "push"),
    }[phase]
    while not reached():
        if proc.poll() is not None:
            return "ended"
        if time.monotonic() > deadline:
            pytest.fail(f"the run never reached {phase}")
        time.sleep(0.005)
    delay = (0.1, 1.2) if phase == "start-up" else (0, 0.15)
    time.sleep(rng.uniform(*delay))
    return phase


def survivors(snapshot: list[psutil.Process], grace: float) -> list[str]:
    """Processes of the killed run still alive after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while True:
        alive = []
        for process in snapshot:
            with contextlib.suppress(psutil.Error):
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{process.pid} {' '.join(process.cmdline())}")
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def remote_posts(remote: Path) -> Counter[str]:
    """How many commits of the remote's main branch added each post."""
    log = git(remote, "--git-dir", remote, "log", "--diff-filter=A", "--name-only",
              "--format=", "main")  # fmt: skip
    return Counter(line for line in log.splitlines() if line.startswith("_posts/"))


def test_sigkill_at_random_moments_then_a_normal_run_loses_nothing(serve_site, samples, tmp_path):
    remote, blog = make_remote_and_blog(tmp_path)
    for hook in ("pre-commit", "pre-push"):
        path = blog / ".git" / "hooks" / hook
        path.write_text(HOOK, encoding="utf-8")
        path.chmod(0o755)
    site, hold = paced_site(samples)
    base = serve_site(site)
    posts = blog / "_posts"
    seen_phases: Counter[str] = Counter()
    normal_runs: list[MeasuredRun] = []
    left_by_kills = 0
    next_id = 5500
    started = time.monotonic()

    for trial in range(TRIALS):
        rng = random.Random(8000 + trial)
        for _ in range(PER_TRIAL):
            site.add(extra_article(next_id))
            next_id += 1
        phase = PHASES[trial % len(PHASES)]
        if phase in ("fetching", "writing"):
            hold.hold(1)
        proc = start(crawl_argv(base, blog, *FLAGS))
        watched = psutil.Process(proc.pid)
        seen = wait_for_phase(phase, proc, watched, site, posts, rng)
        snapshot = descendants(watched)
        if rng.random() < 0.5:
            proc.send_signal(signal.SIGKILL)  # the crawl alone, as the OOM killer would
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # its process group (not git's session)
        proc.communicate(timeout=60)
        hold.release()
        seen_phases[seen] += 1
        orphans = survivors(snapshot, grace=5.0)
        assert orphans == [], f"trial {trial} ({seen}): processes outlived the kill: {orphans}"
        left_by_kills += len(blog_state(blog).temporaries)

        normal = measured_crawl(base, blog, *FLAGS)
        normal_runs.append(normal)

        assert normal.code == exitcodes.OK, f"trial {trial} ({seen}): {normal.stderr[-3000:]}"
        state = assert_sound(blog)
        expected = {f"{base}/{article.id}" for article in site.articles()}
        assert set(state.urls) == expected, f"trial {trial} ({seen}): articles missing"
        assert git(blog, "fsck", "--no-progress").strip() == ""
        assert porcelain(blog) == "", f"trial {trial} ({seen}): uncommitted changes"
        assert git(blog, "rev-parse", "HEAD") == git(
            remote, "--git-dir", remote, "rev-parse", "main"
        )
        added = remote_posts(remote)
        assert set(added) == {f"_posts/{name}" for name in state.posts}
        assert max(added.values()) == 1, f"trial {trial}: a post committed twice"

    assert seen_phases["ended"] <= 2, seen_phases  # the phases were really hit
    record(
        "kills",
        trials=TRIALS,
        phases=dict(seen_phases),
        articles_expected=len(site.articles()),
        articles_published=len(state.urls),
        duplicates=state.duplicates,
        partial_files_end=len(state.temporaries),
        temporaries_left_by_kills=left_by_kills,
        seconds=round(time.monotonic() - started, 1),
        normal_run_seconds_max=round(max(run.seconds for run in normal_runs), 1),
        peak_rss_mib=round(max(run.peak_rss for run in normal_runs) / 1024 / 1024),
    )


GIT_ADD_THEN_WAIT = """#!/bin/sh
# git, whose `add` waits after staging: a kill then lands between `git add` and `git commit`
for arg in "$@"; do
  if [ "$arg" = add ]; then "{git}" "$@"; status=$?; touch "{marker}"; sleep 1; exit $status; fi
done
exec "{git}" "$@"
"""


def test_a_kill_between_git_add_and_git_commit_is_committed_by_the_next_run(
    serve_site, samples, tmp_path, monkeypatch
):
    remote, blog = make_remote_and_blog(tmp_path)
    wrapper_dir, marker = tmp_path / "bin", tmp_path / "staged"
    wrapper_dir.mkdir()
    wrapper = wrapper_dir / "git"
    wrapper.write_text(GIT_ADD_THEN_WAIT.format(git=shutil.which("git"), marker=marker))
    wrapper.chmod(0o755)
    base = serve_site(OutletSite(samples))
    with monkeypatch.context() as patched:
        patched.setenv("PATH", f"{wrapper_dir}{os.pathsep}{os.environ['PATH']}")
        proc = start(crawl_argv(base, blog, *FLAGS))
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the run never reached git add"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        time.sleep(1.5)  # the wrapper's git add ends

    normal = measured_crawl(base, blog, *FLAGS)

    assert normal.code == exitcodes.OK, normal.stderr[-3000:]
    assert porcelain(blog) == ""
    assert set(remote_posts(remote)) == {f"_posts/{name}" for name in assert_sound(blog).posts}
