"""Commit the posts a run wrote and push them, safely and unattended.

Why the ``git`` command line (through :mod:`subprocess`) and not a Python git library:

* no extra dependency -- git is already on every machine that hosts a blog repository;
* it is the same git, with the same configuration, credentials (SSH agent, credential
  helpers, ``insteadOf`` rules) and hooks, that the operator uses by hand, so a push that
  works in their shell works from newsbot;
* when something fails, the error carries git's exact text (``GitError`` includes the
  command and its stderr), which is what the operator will search for or already knows.

Safety rules the code follows:

* Only the given paths are committed (``git commit --only``): whatever else the operator has
  modified or staged in the blog stays exactly as it was and is not committed.
* Author and committer come from ``author`` (``-c user.name/-c user.email`` plus the
  ``GIT_AUTHOR_*``/``GIT_COMMITTER_*`` environment), so commits work under cron, as root or
  with ``env -i`` -- no global git identity is needed.
* git never prompts (``GIT_TERMINAL_PROMPT=0``, stdin is ``/dev/null``, no editor) and network
  commands have a timeout, so a cron run cannot hang on a password prompt or a dead link.
* Never a force-push. When the remote moved ahead, our commits are rebased onto it
  (``git pull --rebase``, our branch only); a conflicting rebase is aborted, which leaves the
  repository as it was with our commit intact. A failed push keeps the commit locally and
  :func:`publish` pushes it on the next run, even when that run has nothing new.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_sleep = time.sleep  # the backoff's sleep (tests replace it)

DEFAULT_AUTHOR = "newsbot <newsbot@users.noreply.invalid>"

_AUTHOR_RE = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")


class GitError(RuntimeError):
    """A git command failed; the message names the command and quotes git's stderr."""

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str] = (),
        returncode: int | None = None,
        stderr: str = "",
        stdout: str = "",
    ) -> None:
        super().__init__(message)
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        self.stdout = stdout


class PublishError(GitError):
    """Pushing failed for good in this run (after retries, or a rebase that conflicts).

    Our commits are kept in the local repository; the next run pushes them.
    """


@dataclass
class PublishResult:
    committed: str | None  # new commit sha, None when nothing to commit
    pushed: bool  # True when the remote now has our commits (False when push was not asked)
    unpushed: int  # commits still ahead of the remote after this run
    message: str  # one-line human summary
    error: str | None = None  # why the push failed, when it did


def parse_author(author: str) -> tuple[str, str]:
    """``"Name <email>"`` -> ``("Name", "email")``."""
    match = _AUTHOR_RE.match(author)
    if not match or not match["name"] or not match["email"]:
        raise ValueError(f"author must look like 'Name <email>', got {author!r}")
    return match["name"], match["email"]


def _describe(command: Sequence[str]) -> str:
    return " ".join(command)


class GitRepo:
    """A git work tree at ``root`` (the blog repository newsbot writes posts into)."""

    #: Seconds a network command (push, pull) may take before it is killed.
    network_timeout: float = 300.0

    def __init__(self, root: Path, *, author: str = DEFAULT_AUTHOR, git: str = "git") -> None:
        self.root = Path(root)
        self.author = author
        self.git = git
        self._name, self._email = parse_author(author)

    # --- running git ---------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            GIT_AUTHOR_NAME=self._name,
            GIT_AUTHOR_EMAIL=self._email,
            GIT_COMMITTER_NAME=self._name,
            GIT_COMMITTER_EMAIL=self._email,
            GIT_TERMINAL_PROMPT="0",  # fail instead of asking for a password
            GIT_EDITOR=":",  # never open an editor
            GIT_MERGE_AUTOEDIT="no",
            GIT_LITERAL_PATHSPECS="1",  # a post named "a*b.md" is that file, not a glob
        )
        return env

    def _run(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        input: str | None = None,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[str]:
        shown = ["git", *args]
        argv = [
            self.git,
            "-c",
            f"user.name={self._name}",
            "-c",
            f"user.email={self._email}",
            *args,
        ]
        try:
            proc = subprocess.Popen(
                argv,
                cwd=self.root,
                env=self._env(),
                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                # Own process group, so a timeout can kill git *and* its ssh child.
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            missing = self.root if not self.root.is_dir() else self.git
            raise GitError(f"`{_describe(shown)}` could not start: {missing} not found") from exc
        with proc:
            try:
                stdout, stderr = proc.communicate(input, timeout=timeout)
            except subprocess.TimeoutExpired:
                self._kill(proc)
                stdout, stderr = proc.communicate()
                raise GitError(
                    f"`{_describe(shown)}` timed out after {timeout:g} s: {stderr.strip()}",
                    command=shown,
                    stderr=stderr,
                    stdout=stdout,
                ) from None
            except BaseException:  # Ctrl-C, SIGTERM handler: don't leave git running
                self._kill(proc)
                raise
        result = subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)
        if check and result.returncode != 0:
            raise self._error(shown, result)
        return result

    @staticmethod
    def _kill(proc: subprocess.Popen[str]) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    @staticmethod
    def _error(shown: Sequence[str], result: subprocess.CompletedProcess[str]) -> GitError:
        text = (result.stderr or "").strip() or (result.stdout or "").strip() or "(no output)"
        return GitError(
            f"`{_describe(shown)}` failed (exit {result.returncode}): {text}",
            command=shown,
            returncode=result.returncode,
            stderr=result.stderr,
            stdout=result.stdout,
        )

    def _ref_exists(self, ref: str) -> bool:
        return (
            self._run(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], check=False).returncode
            == 0
        )

    # --- queries --------------------------------------------------------------------

    def is_repo(self) -> bool:
        """True when ``root`` is the top level of a git work tree.

        A folder *inside* another repository (say ``output/`` inside a source checkout)
        is not a blog repository, so it does not count.
        """
        if not self.root.is_dir():
            return False
        try:
            result = self._run(["rev-parse", "--show-toplevel"], check=False)
        except GitError:
            return False
        if result.returncode != 0:
            return False
        return Path(result.stdout.strip()).resolve() == self.root.resolve()

    def current_branch(self) -> str:
        result = self._run(["symbolic-ref", "-q", "--short", "HEAD"], check=False)
        if result.returncode != 0:
            raise GitError(f"HEAD is detached in {self.root}: check out a branch or pass branch=")
        return result.stdout.strip()

    def head(self) -> str | None:
        result = self._run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    def ahead_count(self, remote: str = "origin", branch: str | None = None) -> int:
        """Commits on the local ``branch`` that ``remote`` does not have, as last seen.

        Compares with the remote-tracking ref ``refs/remotes/<remote>/<branch>`` (updated by
        every successful push or fetch) and does not touch the network. When that ref does
        not exist yet (an empty remote, never pushed), every local commit counts as ahead.
        """
        branch = branch or self.current_branch()
        local = f"refs/heads/{branch}"
        if not self._ref_exists(local):
            return 0  # unborn branch: no commits at all
        tracking = f"refs/remotes/{remote}/{branch}"
        spec = f"{tracking}..{local}" if self._ref_exists(tracking) else local
        return int(self._run(["rev-list", "--count", spec]).stdout.strip())

    def exclude_locally(self, pattern: str) -> bool:
        """Add ``pattern`` to ``.git/info/exclude`` (this clone only, nothing committed).

        For newsbot's own state folder (``.newsbot/``: run log, lock, cron log), so it does
        not show up as untracked in the operator's ``git status``. Returns True if added.
        """
        exclude = self.root / self._run(["rev-parse", "--git-path", "info/exclude"]).stdout.strip()
        try:
            lines = exclude.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        if pattern in (line.strip() for line in lines):
            return False
        exclude.parent.mkdir(parents=True, exist_ok=True)
        prefix = "\n" if lines and exclude.read_bytes()[-1:] != b"\n" else ""
        with exclude.open("a", encoding="utf-8") as fh:
            fh.write(f"{prefix}{pattern}\n")
        return True

    def _has_remote(self, remote: str) -> bool:
        return remote in self._run(["remote"]).stdout.split()

    # --- committing -----------------------------------------------------------------

    def _relative(self, paths: Sequence[Path]) -> list[str]:
        root = self.root.resolve()
        out: list[str] = []
        for path in paths:
            full = Path(path) if Path(path).is_absolute() else root / path
            # Resolve the parent only: the file itself may be deleted or a symlink.
            full = full.parent.resolve() / full.name
            try:
                rel = full.relative_to(root)
            except ValueError:
                raise ValueError(f"{path} is not inside the repository {root}") from None
            if rel.parts and rel.parts[0] == ".git":
                raise ValueError(f"refusing to commit git's own files: {path}")
            if rel.parts:
                out.append(rel.as_posix())
        return sorted(set(out))

    def _known_paths(self, rel: list[str]) -> set[str]:
        """Which of ``rel`` git knows: in the index or in HEAD (so a deletion can be staged)."""
        known = set(self._run(["ls-files", "-z", "--cached", "--", *rel]).stdout.split("\0"))
        if self.head() is not None:
            tree = self._run(["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *rel])
            known.update(tree.stdout.split("\0"))
        known.discard("")
        return known

    def untracked(self, folder: Path) -> list[Path]:
        """Files under ``folder`` that git does not track and does not ignore."""
        if not folder.is_dir():
            return []
        out = self._run(["ls-files", "--others", "--exclude-standard", "-z", "--", str(folder)])
        return [self.root / name for name in out.stdout.split("\0") if name]

    def uncommitted_new(self, folder: Path) -> list[Path]:
        """Files under ``folder`` that no commit has: untracked ones, and ones staged as new
        (a run killed between ``git add`` and ``git commit`` leaves them so)."""
        if not folder.is_dir():
            return []
        staged = self._run(
            ["diff", "--cached", "--name-only", "--diff-filter=A", "--no-renames", "-z", "--",
             str(folder)],
        )  # fmt: skip
        added = [self.root / name for name in staged.stdout.split("\0") if name]
        return [*self.untracked(folder), *(p for p in added if p.exists())]

    def commit_paths(self, paths: Sequence[Path], message: str) -> str | None:
        """Commit exactly ``paths`` (new, modified or deleted files under ``root``).

        Relative paths are taken relative to ``root``; a folder stands for the files in it.
        Returns the new commit's sha, or ``None`` when these paths have no changes.
        Anything else the operator modified or staged is left as it was, uncommitted.
        """
        rel = self._relative(paths)
        if not rel:
            return None
        known = self._known_paths(rel)

        rel = [p for p in rel if os.path.lexists(self.root / p) or _covers(p, known)]
        if not rel:
            return None  # neither on disk nor known to git: nothing to record
        pathspec = "\0".join(rel) + "\0"
        self._run(["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"], input=pathspec)

        staged = self._run(["diff", "--cached", "--name-only", "-z", "--no-renames", "--relative"])
        staged_paths = set(staged.stdout.split("\0"))
        staged_paths.discard("")
        changed = [p for p in rel if _covers(p, staged_paths)]
        if not changed:
            return None

        # The message goes in the repository's own git folder, like git's COMMIT_EDITMSG: a run
        # killed mid-commit leaves nothing in /tmp, and the next commit overwrites the file.
        git_path = self._run(["rev-parse", "--git-path", "NEWSBOT_COMMIT_EDITMSG"]).stdout.strip()
        message_file = str(self.root / git_path)
        try:
            with open(message_file, "w", encoding="utf-8") as fh:
                fh.write(message if message.endswith("\n") else message + "\n")
            self._run(
                [
                    "commit",
                    "--only",
                    "--quiet",
                    "--cleanup=whitespace",  # keep lines starting with '#'
                    f"--file={message_file}",
                    "--pathspec-from-file=-",
                    "--pathspec-file-nul",
                ],
                input="\0".join(changed) + "\0",
            )
        finally:
            with contextlib.suppress(OSError):
                os.unlink(message_file)
        sha = self.head()
        assert sha is not None
        return sha

    # --- pushing --------------------------------------------------------------------

    def push(
        self,
        remote: str = "origin",
        branch: str | None = None,
        *,
        retries: int = 3,
        backoff: float = 1.0,
    ) -> None:
        """Push ``branch`` (default: the current one) to ``remote``; never force.

        Nothing to push: returns at once. A rejected push (the remote moved ahead) is
        followed by ``git pull --rebase`` and a second push. Any failure is retried after
        ``backoff``, ``2*backoff``, ``4*backoff``... seconds, ``retries`` times. Raises
        :class:`PublishError` when it still fails, or at once when the rebase conflicts
        (the rebase is aborted: the repository is as before, our commit intact).
        """
        branch = branch or self.current_branch()
        if self.ahead_count(remote, branch) == 0:
            return
        attempts = max(1, retries + 1)
        last: GitError | None = None
        for attempt in range(attempts):
            if attempt:
                delay = backoff * 2 ** (attempt - 1)
                log.warning("push failed (%s); retrying in %.2f s", last, delay)
                _sleep(delay)
            try:
                self._push_once(remote, branch)
                return
            except PublishError:
                raise
            except GitError as exc:
                last = exc
        ahead = self.ahead_count(remote, branch)
        raise PublishError(
            f"could not push {branch} to {remote} after {attempts} attempt(s); "
            f"{ahead} commit(s) kept locally, the next run pushes them. Last error: {last}",
            command=last.command if last else (),
            returncode=last.returncode if last else None,
            stderr=last.stderr if last else "",
        )

    def update_from_remote(self, remote: str = "origin", branch: str | None = None) -> None:
        """Bring ``branch`` (default: the current one) up to date with ``remote`` before a
        crawl (``git pull --rebase``: commits not pushed yet are replayed on top). Raises
        :class:`GitError` when the remote cannot be read, :class:`PublishError` when the blog
        has uncommitted changes to tracked files or the rebase conflicts (aborted)."""
        self._rebase_onto_remote(remote, branch or self.current_branch())

    def _push_args(self, remote: str, branch: str) -> list[str]:
        return ["push", "--porcelain", remote, f"refs/heads/{branch}:refs/heads/{branch}"]

    def _push_once(self, remote: str, branch: str) -> None:
        args = self._push_args(remote, branch)
        result = self._run(args, check=False, timeout=self.network_timeout)
        if result.returncode == 0:
            return
        if not _rejected(result.stdout):
            raise self._error(["git", *args], result)
        log.info("push to %s rejected: the remote moved ahead; rebasing", remote)
        self._rebase_onto_remote(remote, branch)
        self._run(args, timeout=self.network_timeout)

    def _rebase_in_progress(self) -> bool:
        for name in ("rebase-merge", "rebase-apply"):
            git_path = self._run(["rev-parse", "--git-path", name]).stdout.strip()
            if (self.root / git_path).exists():
                return True
        return False

    def _rebase_onto_remote(self, remote: str, branch: str) -> None:
        if self.current_branch() != branch:
            raise PublishError(
                f"the remote {remote} has new commits on {branch}, but {branch} is not "
                f"checked out in {self.root}, so it cannot be rebased"
            )
        dirty = self._run(["status", "--porcelain", "--untracked-files=no"]).stdout.rstrip()
        if dirty:
            raise PublishError(
                f"the remote {remote} has new commits on {branch}, and {self.root} has "
                f"uncommitted changes to tracked files, so newsbot will not rebase "
                f"(it does not touch your edits). Commit or discard them; newsbot's commits "
                f"are kept and the next run pushes them. Changed: "
                + ", ".join(line[3:] for line in dirty.splitlines())
            )
        args = ["pull", "--rebase", "--no-autostash", remote, branch]
        result = self._run(args, check=False, timeout=self.network_timeout)
        if result.returncode == 0:
            return
        error = self._error(["git", *args], result)
        if self._rebase_in_progress():
            conflicts = self._run(["diff", "--name-only", "--diff-filter=U"], check=False)
            self._run(["rebase", "--abort"])
            files = ", ".join(conflicts.stdout.split()) or "(unknown files)"
            raise PublishError(
                f"rebasing onto {remote}/{branch} conflicts in {files}; the rebase was "
                f"aborted and newsbot's commit is intact but not pushed. Resolve by hand: "
                f"git pull --rebase {remote} {branch}. ({error})",
                command=error.command,
                returncode=error.returncode,
                stderr=error.stderr,
            )
        raise error  # fetch failed (network...): retryable


def _covers(path: str, files: set[str]) -> bool:
    """``path`` is one of ``files``, or a folder holding one of them."""
    if path in files:
        return True
    prefix = path + "/"
    return any(f.startswith(prefix) for f in files)


def _rejected(porcelain: str) -> bool:
    """A ``git push --porcelain`` report of a non-fast-forward rejection."""
    return any(line.startswith("!") and "[rejected]" in line for line in porcelain.splitlines())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def commit_message(outlet: str, new_urls: Sequence[str], updated_urls: Sequence[str]) -> str:
    """``newsbot: 12 new, 1 updated posts from newsdao`` plus the URLs, one per line."""
    parts = []
    if new_urls:
        parts.append(f"{len(new_urls)} new")
    if updated_urls:
        parts.append(f"{len(updated_urls)} updated")
    total = len(new_urls) + len(updated_urls)
    if parts:
        noun = "post" if total == 1 else "posts"
        subject = f"newsbot: {', '.join(parts)} {noun} from {outlet}"
    else:
        subject = f"newsbot: no new or updated posts from {outlet}"
    lines = [subject]
    for title, urls in (("New:", new_urls), ("Updated:", updated_urls)):
        if urls:
            lines += ["", title, *urls]
    return "\n".join(lines) + "\n"


def publish(
    root: Path,
    paths: Sequence[Path],
    message: str,
    *,
    push: bool,
    remote: str = "origin",
    branch: str | None = None,
    author: str = DEFAULT_AUTHOR,
    retries: int = 3,
    backoff: float = 1.0,
) -> PublishResult:
    """Commit ``paths`` and, when ``push``, push everything the remote lacks.

    The push happens whenever the branch is ahead of the remote, so a commit left
    unpushed by an earlier failed run goes out now, even if this run committed nothing.

    Raises :class:`GitError` when ``root`` is not a repository or the commit fails. A
    failed push does *not* raise: the result has ``pushed=False``, ``unpushed > 0`` and
    ``error`` set (map it to ``exitcodes.PUBLISH_FAILED``).
    """
    repo = GitRepo(Path(root), author=author)
    if not repo.is_repo():
        raise GitError(
            f"{root} is not the top folder of a git repository: clone the blog there "
            f"or run `git init` in it"
        )
    sha = repo.commit_paths(paths, message)
    done = f"committed {sha[:10]}" if sha else "nothing to commit"
    if not push:
        unpushed = repo.ahead_count(remote, branch) if repo._has_remote(remote) else 0
        return PublishResult(sha, False, unpushed, f"{done}; not pushed (push not requested)")
    branch = branch or repo.current_branch()
    ahead = repo.ahead_count(remote, branch)
    if ahead == 0:
        return PublishResult(sha, True, 0, f"{done}; {remote}/{branch} is up to date")
    try:
        repo.push(remote, branch, retries=retries, backoff=backoff)
    except PublishError as exc:
        unpushed = repo.ahead_count(remote, branch)
        return PublishResult(
            sha,
            False,
            unpushed,
            f"{done}; push to {remote}/{branch} FAILED, {_plural(unpushed, 'commit')} "
            f"kept for the next run",
            error=str(exc),
        )
    return PublishResult(
        sha,
        True,
        repo.ahead_count(remote, branch),
        f"{done}; pushed {_plural(ahead, 'commit')} to {remote}/{branch}",
    )
