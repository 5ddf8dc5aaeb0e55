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


class GitCommand:
    """Runs git in the work tree at ``root``: identity, no prompts, timeouts, errors."""

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
