"""The git side of merging corrections with hand edits, run as every git command newsbot runs:
a post's versions from history (file names taken literally, two git processes however long the
history, bytes exact) and ``git merge-file``; a git missing, failing or hanging is a reason or
no base, never an exception in the crawl."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from newsbot.blog.git_command import GitCommand, GitError, merge_file
from newsbot.blog.git_repo import GitRepo
from newsbot.pipelines.merge_edits import base_from_git, merge_post
from tests.git_helpers import git, isolate_git

pytestmark = [
    pytest.mark.tool,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command"),
]

URL = "https://www.newsdao.kr/news/articleView.html?idxno=1"
POST = "---\ntitle: 제목\nlast_modified_at: 2025-06-01\n---\n\n첫 문단입니다.\n\n둘째 문단입니다.\n"


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def commit(blog: Path, rel: str, content: bytes | None, message: str) -> None:
    path = blog / rel
    if content is None:
        git(blog, "rm", "-q", "--", rel)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        git(blog, "add", "--", rel)
    git(blog, "commit", "-q", "-m", message)


def digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def counting_git(folder: Path, calls: Path) -> Path:
    """A ``git`` that logs each start (its arguments) to ``calls`` and runs the real git."""
    folder.mkdir()
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def hanging_git(folder: Path) -> Path:
    folder.mkdir()
    wrapper = folder / "git"
    wrapper.write_text("#!/bin/sh\nexec sleep 30\n")
    wrapper.chmod(0o755)
    return wrapper


def test_a_post_whose_name_has_glob_characters_gets_its_base_from_history(blog: Path) -> None:
    rel = "_posts/2025-06-01-a[1]*.md"
    written = POST.encode()
    commit(blog, rel, written, f"newsbot: 1 new post\n\nNew:\n- {URL}\n")
    commit(blog, rel, written + "\n편집자 주.\n".encode(), "Editor's note")
    # a file the glob a[1]*.md would match, committed by newsbot after the edit: as a glob, the
    # pathspec would list this commit, whose version of the post is the person's edit
    commit(blog, "_posts/2025-06-01-a1-other.md", b"other\n", "newsbot: 1 new post")

    base = base_from_git(blog, blog / rel, lambda blob: False, URL)

    assert base == POST
    assert [c[1] for c in GitRepo(blog).versions(blog / rel)] == [
        "Editor's note",
        f"newsbot: 1 new post\n\nNew:\n- {URL}",
    ]


def test_a_post_with_thirty_commits_of_history_needs_two_git_processes(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = "_posts/2025-06-01-long.md"
    written = POST.encode()
    commit(blog, rel, written, "newsbot: 1 new post")
    for n in range(29):
        commit(blog, rel, written + f"\n편집 {n}.\n".encode(), f"Edit {n}")
    calls = tmp_path / "calls"
    wrapper = counting_git(tmp_path / "bin", calls)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    known = {digest(written)}  # the oldest version: every version is read to reach it

    base = base_from_git(blog, blog / rel, lambda blob: digest(blob) in known, URL)

    assert base == POST
    started = calls.read_text().splitlines()
    assert len(started) == 2, started
    assert "log" in started[0] and "cat-file --batch" in started[1]


def test_versions_are_the_committed_bytes_newest_first_leaving_out_deletions(blog: Path) -> None:
    rel = "_posts/2025-06-01-bytes.md"
    crlf, latin1 = b"line one\r\nline two\r\n", b"caf\xe9\n"  # exact: no newline or UTF-8 fixes
    commit(blog, rel, crlf, "first")
    commit(blog, rel, None, "deleted")
    commit(blog, rel, latin1, "back")

    versions = list(GitRepo(blog).versions(Path(rel)))

    assert [(message, blob) for _, message, blob in versions] == [
        ("back", latin1),
        ("first", crlf),
    ]
    assert versions[0][0] == git(blog, "rev-parse", "HEAD").strip()


def test_base_from_git_is_none_outside_a_repository_and_without_git(
    tmp_path: Path, blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    (plain / "_posts").mkdir(parents=True)
    assert base_from_git(plain, plain / "_posts" / "p.md", lambda blob: True, URL) is None
    commit(blog, "_posts/p.md", POST.encode(), "newsbot: 1 new post")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert base_from_git(blog, blog / "_posts" / "p.md", lambda blob: True, URL) is None


def test_a_git_that_hangs_gives_no_base_and_a_merge_reason_after_the_timeout(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(blog, "_posts/p.md", POST.encode(), "newsbot: 1 new post")
    wrapper = hanging_git(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    monkeypatch.setattr(GitCommand, "local_timeout", 0.5)

    assert base_from_git(blog, blog / "_posts" / "p.md", lambda blob: True, URL) is None
    result = merge_post(POST, POST + "\n편집자 주.\n", POST.replace("첫", "정정된 첫"))
    assert result == type(result)(None, "git merge-file timed out after 0.5 s")


def test_merge_post_merges_an_edit_and_a_correction_in_different_blocks() -> None:
    ours = POST + "\n편집자 주.\n"
    theirs = POST.replace("첫 문단", "정정된 첫 문단").replace("2025-06-01", "2025-06-02")
    result = merge_post(POST, ours, theirs)
    assert result.conflict is None
    assert result.text == theirs + "\n편집자 주.\n"


def test_merge_post_names_the_conflicting_block_and_writes_no_markers() -> None:
    ours = POST.replace("둘째 문단입니다.", "둘째 문단을 고쳤습니다.")
    theirs = POST.replace("둘째 문단입니다.", "둘째 문단이 정정되었습니다.")
    result = merge_post(POST, ours, theirs)
    assert result.text is None
    assert result.conflict == (
        "the outlet's correction conflicts with the hand edit in block 2 of the body: "
        "'둘째 문단을 고쳤습니다.'"
    )


def test_merge_post_without_git_gives_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    result = merge_post(POST, POST + "x\n", POST.replace("첫", "정정된 첫"))
    assert result.text is None
    assert result.conflict == "git is not installed, so the correction cannot be merged"


def test_merge_file_keeps_the_bytes_of_carriage_returns() -> None:
    base = "a\r\nb\r\nc\r\n"
    merged, clean = merge_file(base.replace("a", "A"), base, base.replace("c", "C"))
    assert clean and merged == "A\r\nb\r\nC\r\n"


def test_merge_file_failing_is_a_git_error_naming_the_reason(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="git merge-file failed"):
        merge_file("a\0\n", "b\0\n", "c\0\n")  # binary files: git refuses them
