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
import tempfile
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

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


class GitNotFound(GitError):
    """The git command could not be started: git is not installed (or not at the path given)."""


class PublishError(GitError):
    """Pushing failed for good in this run (after retries, or a rebase that conflicts).

    Our commits are kept in the local repository; the next run pushes them.
    """


def parse_author(author: str) -> tuple[str, str]:
    """``"Name <email>"`` -> ``("Name", "email")``."""
    match = _AUTHOR_RE.match(author)
    if not match or not match["name"] or not match["email"]:
        raise ValueError(f"author must look like 'Name <email>', got {author!r}")
    return match["name"], match["email"]


def _describe(command: Sequence[str]) -> str:
    return " ".join(command)


def _text(output: bytes | str | None) -> str:
    """git's output as ``subprocess`` text mode gives it: UTF-8 (undecodable bytes replaced),
    universal newlines."""
    if output is None:
        return ""
    if isinstance(output, str):
        return output
    return output.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


class GitCommand:
    """Runs git in the work tree at ``root``: identity, no prompts, timeouts, errors."""

    #: Seconds a network command (push, pull) may take before it is killed.
    network_timeout: float = 300.0
    #: Seconds a local command reading history or merging (log, cat-file, merge-file) may take.
    local_timeout: float = 120.0

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
        """Run ``git args`` and return its output as text (UTF-8, undecodable bytes replaced,
        newlines universal: what ``subprocess`` text mode gives)."""
        data = None if input is None else input.encode("utf-8", "replace")
        done = self._run_bytes(args, check=check, input=data, timeout=timeout)
        return subprocess.CompletedProcess(
            done.args, done.returncode, _text(done.stdout), _text(done.stderr)
        )

    def _run_bytes(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        input: bytes | None = None,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git args`` and return its output exactly as git wrote it (for blobs).

        GitNotFound when the git command does not exist, GitError when it times out (killed
        with its process group) or, with ``check``, exits non-zero. The error's ``stdout`` and
        ``stderr`` are text.
        """
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
                # Own process group, so a timeout can kill git *and* its ssh child.
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            if not self.root.is_dir():
                raise GitError(
                    f"`{_describe(shown)}` could not start: {self.root} not found"
                ) from exc
            raise GitNotFound(
                f"`{_describe(shown)}` could not start: {self.git} not found"
            ) from exc
        with proc:
            try:
                stdout, stderr = proc.communicate(input, timeout=timeout)
            except subprocess.TimeoutExpired:
                self._kill(proc)
                stdout, stderr = proc.communicate()
                raise GitError(
                    f"`{_describe(shown)}` timed out after {timeout:g} s: {_text(stderr).strip()}",
                    command=shown,
                    stderr=_text(stderr),
                    stdout=_text(stdout),
                ) from None
            except BaseException:  # Ctrl-C, SIGTERM handler: don't leave git running
                self._kill(proc)
                raise
        result = subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)
        if check and result.returncode != 0:
            raise self._error(shown, result)
        return result

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    @staticmethod
    def _error(
        shown: Sequence[str],
        result: subprocess.CompletedProcess[bytes] | subprocess.CompletedProcess[str],
    ) -> GitError:
        stdout, stderr = _text(result.stdout), _text(result.stderr)
        text = stderr.strip() or stdout.strip() or "(no output)"
        return GitError(
            f"`{_describe(shown)}` failed (exit {result.returncode}): {text}",
            command=shown,
            returncode=result.returncode,
            stderr=stderr,
            stdout=stdout,
        )

    def _ref_exists(self, ref: str) -> bool:
        return (
            self._run(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], check=False).returncode
            == 0
        )

    # --- queries --------------------------------------------------------------------


def merge_file(
    ours: str,
    base: str,
    theirs: str,
    *,
    labels: tuple[str, str, str] = ("ours", "base", "theirs"),
    git: str = "git",
    timeout: float | None = None,
) -> tuple[str, bool]:
    """Three-way merge of texts with ``git merge-file -p`` (no repository needed): the merged
    text, with conflict markers (named by ``labels``) where ours and theirs both changed the
    base, and whether it is clean. Run as every git command is (no prompts, own process group,
    killed after ``timeout``, by default :attr:`GitCommand.local_timeout`).

    GitNotFound without git; GitError, whose message is the reason, when git fails or times out.
    """
    limit = GitCommand.local_timeout if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="newsbot-merge-") as tmp:
        files: list[str] = []
        for label, text in zip(labels, (ours, base, theirs), strict=True):
            file = Path(tmp) / f"{re.sub(r'[^A-Za-z0-9-]+', '-', label)}-{len(files)}.md"
            file.write_text(text, encoding="utf-8", newline="\n")
            files.append(str(file))
        labelled = [arg for label in labels for arg in ("-L", label)]
        try:
            done = GitCommand(Path(tmp), git=git)._run_bytes(
                ["merge-file", "-p", *labelled, *files], check=False, timeout=limit
            )
        except GitNotFound:
            raise
        except GitError as error:  # killed after the timeout
            raise GitError(
                f"git merge-file timed out after {limit:g} s",
                command=error.command,
                stderr=error.stderr,
                stdout=error.stdout,
            ) from None
    merged = done.stdout.decode("utf-8", "replace")
    # exit status: 0 clean, 1 to 127 the number of conflicts, above (or a signal) an error
    if done.returncode < 0 or done.returncode > 127:
        stderr = _text(done.stderr).strip()
        raise GitError(
            f"git merge-file failed: {stderr or done.returncode}",
            command=["git", "merge-file", "-p", *labelled, *files],
            returncode=done.returncode,
            stderr=_text(done.stderr),
            stdout=merged,
        )
    return merged, done.returncode == 0
