"""Real git repositories for the end-to-end publishing tests: a bare remote and clones."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

# git reads these from the environment; a test must not inherit the developer's
IDENTITY_AND_REPO_VARIABLES = (
    "XDG_CONFIG_HOME",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
)


def isolate_git(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """No user or system git config and no identity anywhere in the environment (newsbot's
    subprocesses inherit it): only what newsbot sets itself can make a commit work."""
    home = root / "home"
    home.mkdir()
    empty = root / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in IDENTITY_AND_REPO_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


OPERATOR = ("-c", "user.name=Operator", "-c", "user.email=op@example.invalid")


def git(cwd: Path, *args: str | Path, check: bool = True) -> str:
    """Run git as "the operator" (identity per command: none is configured anywhere)."""
    result = subprocess.run(
        ["git", *OPERATOR, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(map(str, args))} failed: {result.stderr}")
    return result.stdout


def make_remote_and_blog(root: Path) -> tuple[Path, Path]:
    """``root/remote.git`` (bare) and ``root/blog``, a clone with one pushed commit."""
    remote = root / "remote.git"
    git(root, "init", "-q", "--bare", "-b", "main", remote)
    blog = root / "blog"
    git(root, "clone", "-q", remote, blog)
    git(blog, "checkout", "-q", "-B", "main")
    (blog / "_config.yml").write_text("title: my blog\n", encoding="utf-8")
    git(blog, "add", "_config.yml")
    git(blog, "commit", "-q", "-m", "initial")
    git(blog, "push", "-q", "-u", "origin", "main")
    return remote, blog


def clone(remote: Path, dest: Path) -> Path:
    git(dest.parent, "clone", "-q", remote, dest)
    return dest


def remote_log(remote: Path) -> list[str]:
    """Subjects of the bare remote's main branch, newest first."""
    return git(remote, "--git-dir", remote, "log", "--format=%s", "main").splitlines()


def head_files(repo: Path, rev: str = "HEAD") -> list[str]:
    """The files a commit changed."""
    out = git(repo, "show", "--format=", "--name-only", rev)
    return [line for line in out.splitlines() if line]


def tracked(repo: Path) -> set[str]:
    return set(git(repo, "ls-files").splitlines())


def porcelain(repo: Path) -> str:
    return git(repo, "status", "--porcelain", "--untracked-files=all")
