"""Issue 3 end to end: the real ``newsbot crawl --commit/--push`` into real git repositories.

Each test has a bare ``remote.git`` and a clone ``blog`` (one pushed commit with a
``_config.yml``); the clone is the crawl's ``--output``. The outlet is the fake one from
``newsbot.demo`` served on 127.0.0.1; ``slow_site`` slows its article pages down (a fault of
``tests/sites``) so a run can be caught in the middle (a second run, a SIGKILL).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from newsbot.run.cron_line import cron_line
from tests.conftest import extra_article
from tests.git_helpers import (
    clone,
    git,
    head_files,
    isolate_git,
    make_remote_and_blog,
    porcelain,
    remote_log,
    tracked,
)
from tests.in_process import newsbot
from tests.newsbot_runner import REPO, read_posts
from tests.sites.faults import Faulty, Hold, Slow, article_pages

pytestmark = [
    pytest.mark.tool,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command"),
]

SUBJECT_8 = "newsbot: 8 new posts from newsdao"


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """(bare remote, blog clone)."""
    return make_remote_and_blog(tmp_path)


def slow_site(samples, delay: float = 0.2, serial: bool = False) -> tuple[Faulty, Hold, Slow]:
    """The demo outlet whose article pages take ``delay`` seconds each (``serial``: one at a
    time, so posts appear one by one), behind a gate that is open until ``gate.hold()``."""
    pages = article_pages()
    gate, slow = Hold(pages, held=False), Slow(pages, delay, one_at_a_time=serial)
    return Faulty(OutletSite(samples), gate, slow), gate, slow


def crawl(base: str, blog: Path, *extra: str, timeout: float = 300):
    return newsbot(
        "crawl", "newsdao", "--base-url", base, "--output", blog, "--fast", *extra, timeout=timeout
    )


@contextlib.contextmanager
def background_crawl(base: str, blog: Path, *extra: str) -> Iterator[subprocess.Popen[str]]:
    """The same crawl as :func:`crawl`, in the background, in its own process group.

    On exit whatever is left of the group (the crawl, its extraction workers) is killed
    and the pipes are closed.
    """
    argv = [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--base-url", base]
    argv += ["--output", str(blog), "--fast", *extra]
    proc = subprocess.Popen(
        argv,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)


def group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes of process group ``pgid``: "pid cmdline" strings."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()  # state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(f"{stat.parent.name} {cmdline.strip()}")
    return members


def wait_for(condition, timeout: float, what: str, proc: subprocess.Popen[str] | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the crawl ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def is_flocked(path: Path) -> bool:
    """Another process holds an flock on ``path`` (probing never takes it for long)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def post_files(blog: Path) -> set[str]:
    return {f"_posts/{p.name}" for p in (blog / "_posts").glob("*.md")}


def commit_body(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev)


# --- 1, 2: commit and push, then nothing to do --------------------------------------------


def test_push_commits_exactly_the_new_posts_and_the_remote_has_the_commit(
    serve_site, samples, repos
):
    remote, blog = repos
    base = serve_site(OutletSite(samples))

    run = crawl(base, blog, "--push")

    assert run.code == exitcodes.OK, run.stderr
    assert re.search(
        r"8 new, .*; git: committed [0-9a-f]{10}; pushed 1 commit to origin/main$",
        run.stdout.strip(),
    )
    posts = post_files(blog)
    assert len(posts) == 8
    assert sorted(head_files(blog)) == sorted(posts)  # the posts and nothing else
    stat = git(blog, "show", "--stat", "--format=", "HEAD")
    assert "8 files changed" in stat and "_config.yml" not in stat
    message = commit_body(blog)
    assert message.splitlines()[0] == SUBJECT_8
    for article in samples:
        assert f"{base}/{article.id}" in message.splitlines()
    assert git(blog, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        "newsbot <newsbot@users.noreply.invalid>|newsbot <newsbot@users.noreply.invalid>"
    )
    # the bare remote has it
    assert remote_log(remote) == [SUBJECT_8, "initial"]
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")
    # newsbot's state folder exists, is not committed, and git status does not show it
    assert (blog / ".newsbot" / "runs.jsonl").is_file()
    assert not [p for p in tracked(blog) if p.startswith(".newsbot")]
    assert porcelain(blog) == ""


def test_second_run_with_nothing_new_makes_no_commit_and_exits_0(serve_site, samples, repos):
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    assert crawl(base, blog, "--push").code == exitcodes.OK
    head = git(blog, "rev-parse", "HEAD")

    run = crawl(base, blog, "--push")

    assert run.code == exitcodes.OK, run.stderr
    assert "0 new, 0 updated" in run.stdout and "committed" not in run.stdout
    assert run.stderr.strip() == ""
    assert git(blog, "rev-parse", "HEAD") == head
    assert remote_log(remote) == [SUBJECT_8, "initial"]
    assert porcelain(blog) == ""


# --- 3: the operator's uncommitted work ---------------------------------------------------


def test_dirty_work_tree_is_left_alone_and_only_newsbots_files_are_committed(
    serve_site, samples, repos
):
    remote, blog = repos
    site = OutletSite(samples)
    base = serve_site(site)
    (blog / "_config.yml").write_text("title: my blog (being edited)\n", encoding="utf-8")
    (blog / "_drafts").mkdir()
    (blog / "_drafts" / "my-draft.md").write_text("---\ntitle: draft\n---\n", encoding="utf-8")
    (blog / "about.md").write_text("about me\n", encoding="utf-8")
    git(blog, "add", "about.md")  # staged, not committed: must stay staged, uncommitted
    before = porcelain(blog)
    assert sorted(before.splitlines()) == [
        " M _config.yml",
        "?? _drafts/my-draft.md",
        "A  about.md",
    ]

    run = crawl(base, blog, "--push")

    assert run.code == exitcodes.OK, run.stderr
    assert sorted(head_files(blog)) == sorted(post_files(blog))
    assert porcelain(blog) == before
    assert (blog / "_config.yml").read_text(encoding="utf-8") == "title: my blog (being edited)\n"
    assert remote_log(remote) == [SUBJECT_8, "initial"]

    site.add(extra_article(5330))
    run = crawl(base, blog, "--push")

    assert run.code == exitcodes.OK, run.stderr
    assert "1 new" in run.stdout
    files = head_files(blog)
    assert len(files) == 1 and files[0].endswith("-newsdao-5330.md")
    body = commit_body(blog)
    assert body.splitlines()[0] == "newsbot: 1 new post from newsdao"
    assert f"{base}/5330" in body.splitlines()
    assert porcelain(blog) == before
    assert remote_log(remote) == ["newsbot: 1 new post from newsdao", SUBJECT_8, "initial"]


# --- 4: the remote moved ---------------------------------------------------------------


def test_remote_moved_ahead_the_run_rebases_and_pushes(serve_site, samples, repos, tmp_path):
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    other = clone(remote, tmp_path / "other")
    (other / "about.md").write_text("about\n", encoding="utf-8")
    git(other, "add", "about.md")
    git(other, "commit", "-q", "-m", "operator: about page")
    git(other, "push", "-q", "origin", "main")

    run = crawl(base, blog, "--push", "-s", "NEWSBOT_GIT_PUSH_BACKOFF=0.01")

    assert run.code == exitcodes.OK, run.stderr
    assert remote_log(remote) == [SUBJECT_8, "operator: about page", "initial"]
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")
    assert (blog / "about.md").is_file()  # the blog was rebased onto the remote
    assert sorted(head_files(blog)) == sorted(post_files(blog))
    assert porcelain(blog) == ""


def test_remote_moved_ahead_with_an_edited_tracked_file_keeps_the_edit_and_exits_4(
    serve_site, samples, repos, tmp_path
):
    """No rebase over the operator's uncommitted edit: the commit waits for the next run."""
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    other = clone(remote, tmp_path / "other")
    (other / "about.md").write_text("about\n", encoding="utf-8")
    git(other, "add", "about.md")
    git(other, "commit", "-q", "-m", "operator: about page")
    git(other, "push", "-q", "origin", "main")
    (blog / "_config.yml").write_text("title: editing\n", encoding="utf-8")

    run = crawl(base, blog, "--push", "-s", "NEWSBOT_GIT_PUSH_BACKOFF=0.01")

    assert run.code == exitcodes.PUBLISH_FAILED, run.stderr
    assert "uncommitted changes" in run.stderr and "_config.yml" in run.stderr
    assert (blog / "_config.yml").read_text(encoding="utf-8") == "title: editing\n"
    assert git(blog, "log", "-1", "--format=%s") == SUBJECT_8 + "\n"
    assert remote_log(remote) == ["operator: about page", "initial"]
    assert porcelain(blog) == " M _config.yml\n"


# --- 5: push failure, then the next run pushes ------------------------------------------


def test_unreachable_remote_keeps_the_commit_exits_4_and_the_next_run_pushes_it(
    serve_site, samples, repos, tmp_path
):
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    missing = tmp_path / "no-such-remote.git"
    git(blog, "remote", "set-url", "origin", missing)

    run = crawl(base, blog, "--push", "-s", "NEWSBOT_GIT_PUSH_BACKOFF=0.01")

    assert run.code == exitcodes.PUBLISH_FAILED, run.stderr
    assert "8 new" in run.stdout
    assert "newsbot: publish failed:" in run.stderr
    assert "push to origin/main FAILED, 1 commit kept for the next run" in run.stderr
    assert git(blog, "log", "-1", "--format=%s").strip() == SUBJECT_8
    assert sorted(head_files(blog)) == sorted(post_files(blog))
    assert remote_log(remote) == ["initial"]

    git(blog, "remote", "set-url", "origin", remote)
    run = crawl(base, blog, "--push", "-s", "NEWSBOT_GIT_PUSH_BACKOFF=0.01")

    assert run.code == exitcodes.OK, run.stderr
    assert "0 new" in run.stdout
    assert remote_log(remote) == [SUBJECT_8, "initial"]
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")
    assert porcelain(blog) == ""


# --- 6: one run at a time ---------------------------------------------------------------


def test_a_second_run_while_one_is_busy_exits_3_at_once_naming_the_lock(serve_site, samples, repos):
    remote, blog = repos
    site, gate, _ = slow_site(samples)
    gate.hold()  # the first run waits on its article pages until we let it go
    base = serve_site(site)
    lock = blog.resolve() / ".newsbot" / "run.lock"

    with background_crawl(base, blog, "--push") as first:
        try:
            wait_for(
                lambda: (lock.parent / "run.lock.info").exists(), 60, "the first run's lock", first
            )
            assert is_flocked(lock)

            # the first run's article pages stay closed until the finally below: a second
            # run that waited for the lock would time out here instead of returning
            second = crawl(base, blog, "--push", timeout=60)

            assert second.code == exitcodes.LOCKED, second.stderr
            assert str(lock) in second.stderr
            assert "another newsbot run holds" in second.stderr
            assert f"PID {first.pid}" in second.stderr
            assert first.poll() is None  # the first is still busy
        finally:
            gate.release()
        out, err = first.communicate(timeout=120)

    assert first.returncode == exitcodes.OK, err
    assert "8 new" in out
    assert remote_log(remote) == [SUBJECT_8, "initial"]
    assert not is_flocked(lock)


# --- 7: SIGKILL mid-run ------------------------------------------------------------------


EXTRA_IDS = range(5400, 5430)


def many_articles_site(samples) -> tuple[Faulty, Slow]:
    site, _, slow = slow_site(samples, delay=0.2, serial=True)  # ~0.2 s per post, one at a time
    for article_id in EXTRA_IDS:
        site.add(extra_article(article_id))
    return site, slow


def kill_mid_run_then_rerun(serve_site, samples, blog: Path):
    """A ``--push`` crawl of 38 slow articles SIGKILLed once 3 posts exist, then a normal
    ``--push`` run. Returns (base URL, posts on disk after the kill, the second run)."""
    site, slow = many_articles_site(samples)
    base = serve_site(site)
    with background_crawl(base, blog, "--push") as killed:
        wait_for(lambda: len(post_files(blog)) >= 3, 120, "3 posts on disk", killed)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    written_before = post_files(blog)
    assert 3 <= len(written_before) < 38
    assert git(blog, "log", "-1", "--format=%s").strip() == "initial"  # killed before committing

    slow.delay = 0
    run = crawl(base, blog, "--push")
    assert run.code == exitcodes.OK, run.stderr
    return base, written_before, run


def test_sigkill_mid_run_then_a_normal_run_leaves_one_valid_post_per_article(
    serve_site, samples, repos
):
    remote, blog = repos
    base, written_before, run = kill_mid_run_then_rerun(serve_site, samples, blog)

    expected = [f"{base}/{a.id}" for a in samples] + [f"{base}/{i}" for i in EXTRA_IDS]
    posts = read_posts(blog)  # every post parses (python-frontmatter)
    urls = [str(post["source_url"]) for post in posts.values()]
    assert Counter(urls) == Counter(expected)  # one post per article, no duplicates
    assert all(post.get("title") and post.get("date") for post in posts.values())
    assert f"{38 - len(written_before)} new" in run.stdout
    assert list(blog.rglob(".newsbot-tmp-*")) == []
    assert list((blog / ".newsbot").rglob("*.tmp")) == []
    # git: the re-run committed (once) what it wrote and what the killed run had left
    # uncommitted, pushed it, touched nothing else
    assert sorted(head_files(blog)) == sorted(post_files(blog))
    history = git(blog, "log", "--format=", "--name-only").split()
    committed = Counter(path for path in history if path.startswith("_posts/"))
    assert max(committed.values()) == 1
    assert git(blog, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")


def test_sigkill_mid_run_then_the_next_commit_run_commits_the_killed_runs_posts(
    serve_site, samples, repos
):
    remote, blog = repos
    _, written_before, _ = kill_mid_run_then_rerun(serve_site, samples, blog)

    untracked = [line for line in porcelain(blog).splitlines() if line.startswith("??")]
    assert untracked == [], f"{len(written_before)} posts written before the kill: {untracked}"
    assert post_files(blog) <= tracked(blog)
    history = git(blog, "log", "--format=", "--name-only").split()
    committed = Counter(path for path in history if path.startswith("_posts/"))
    assert set(committed) == post_files(blog) and max(committed.values()) == 1
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")


def test_sigkill_mid_run_leaves_no_orphaned_extraction_workers(serve_site, samples, repos):
    _, blog = repos
    base = serve_site(many_articles_site(samples)[0])

    with background_crawl(base, blog) as killed:
        wait_for(lambda: len(post_files(blog)) >= 1, 120, "a post on disk", killed)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=60)
        deadline = time.monotonic() + 5
        while group_members(killed.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = group_members(killed.pid)

    assert left == [], "still running 5 s after the crawl was killed:\n" + "\n".join(left)


# --- 8: from cron ------------------------------------------------------------------------


def test_cron_line_runs_under_env_i_and_commits_pushes_and_logs(serve_site, samples, repos):
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    script = Path(sys.executable).parent / "newsbot"
    assert script.is_file(), f"{script} is missing: run `make setup` (pip install -e .)"

    printed = newsbot("cron-line", "--output", blog, "--push")
    assert printed.code == exitcodes.OK, printed.stderr
    assert printed.stdout.strip() == cron_line(output=blog, extra_args=["--push"])
    # crawl options pass through after "--"
    line = newsbot(
        "cron-line", "--output", blog, "--push", "--", "--base-url", base, "--fast"
    ).stdout.strip()
    assert line == cron_line(output=blog, extra_args=["--push", "--base-url", base, "--fast"])
    command = line.split(" ", 5)[5].replace("\\%", "%")
    log_file = blog.absolute() / ".newsbot" / "cron.log"
    assert shlex.split(command)[-2:] == [str(log_file), "2>&1"]

    done = subprocess.run(
        ["env", "-i", "sh", "-c", command],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    log_text = log_file.read_text(encoding="utf-8") if log_file.exists() else "(no log)"
    assert done.returncode == 0, log_text
    assert done.stdout == "" and done.stderr == ""  # all of it went to the log
    assert re.search(
        r"8 new, .*; git: committed [0-9a-f]{10}; pushed 1 commit to origin/main\n\Z", log_text
    ), log_text
    assert len(post_files(blog)) == 8
    assert remote_log(remote) == [SUBJECT_8, "initial"]
    assert porcelain(blog) == ""

    # a second cron run appends to the log
    done = subprocess.run(
        ["env", "-i", "sh", "-c", command], cwd="/", capture_output=True, timeout=300, check=False
    )
    assert done.returncode == 0
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "0 new" in lines[1], lines


# --- 9: newsbot status ---------------------------------------------------------------------


def status_rows(stdout: str) -> list[list[str]]:
    lines = stdout.strip().splitlines()
    assert lines[0].split() == ["start", "seconds", "new", "updated", "skipped", "failed", "exit"]
    return [line.split() for line in lines[1:]]


def test_status_lists_the_runs_and_warns_after_3_runs_with_nothing_new(serve_site, samples, repos):
    _, blog = repos
    base = serve_site(OutletSite(samples))
    assert crawl(base, blog, "--push").code == exitcodes.OK
    assert crawl(base, blog, "--push").code == exitcodes.OK

    status = newsbot("status", "--output", blog)

    assert status.code == exitcodes.OK
    assert [(row[2], row[6]) for row in status_rows(status.stdout)] == [("8", "0"), ("0", "0")]
    assert "WARNING" not in status.stderr

    assert crawl(base, blog, "--push").code == exitcodes.OK
    assert crawl(base, blog, "--push").code == exitcodes.OK

    status = newsbot("status", "--output", blog)

    assert status.code == exitcodes.OK
    rows = status_rows(status.stdout)
    assert [row[2] for row in rows] == ["8", "0", "0", "0"]
    assert [row[4] for row in rows] == ["0", "8", "8", "8"]  # skipped: already published
    assert "WARNING: the last 3 runs found nothing new" in status.stderr
    assert "WARNING" not in status.stdout


def test_scrapy_crawl_commits_and_pushes_through_settings(serve_site, samples, repos):
    remote, blog = repos
    base = serve_site(OutletSite(samples))
    result = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "newsdao", "-a", f"base_url={base}",
         "-s", f"NEWSBOT_OUTPUT_DIR={blog}", "-s", "NEWSBOT_FAST=1",
         "-s", "NEWSBOT_GIT_PUSH=1", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert git(blog, "log", "-1", "--format=%s").strip() == "newsbot: 8 new posts from newsdao"
    assert git(blog, "rev-parse", "HEAD") == git(remote, "--git-dir", remote, "rev-parse", "main")
