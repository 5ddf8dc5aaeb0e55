"""The blog's git repository: queries, committing exactly the given posts, and pushing with a
rebase over a remote that moved, retried with backoff (never a force-push).

How git is run (identity, no prompts, timeouts, errors) is :mod:`newsbot.blog.git_command`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsbot.blog.git_command import GitCommand, GitError, PublishError

log = logging.getLogger(__name__)

_sleep = time.sleep  # the backoff's sleep (tests replace it)


class GitRepo(GitCommand):
    """A git work tree at ``root`` (the blog repository newsbot writes posts into)."""

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

    def versions(self, path: Path) -> Iterator[tuple[str, str, bytes]]:
        """Each committed version of ``path`` (absolute, or relative to ``root``), newest first:
        (commit, its message, the file's bytes exactly as committed). Commits that deleted the
        file are left out.

        Two git processes however long the history: ``git log`` for the commits (the path taken
        literally, not as a glob) and one ``git cat-file --batch`` for every version's content,
        each killed after :attr:`local_timeout`. GitError when git fails or times out (outside
        a repository, say), GitNotFound without git.
        """
        rel = Path(path).relative_to(self.root) if Path(path).is_absolute() else Path(path)
        name = rel.as_posix()
        log = self._run_bytes(
            ["log", "--format=%H%x00%B%x1e", "--", name], timeout=self.local_timeout
        )
        commits: list[tuple[str, str]] = []
        for record in log.stdout.decode("utf-8", "replace").split("\x1e"):
            commit, _, message = record.strip("\n").partition("\0")
            if commit:
                commits.append((commit, message))
        if not commits or "\n" in name:  # cat-file --batch reads one name a line
            return
        names = b"".join(b"%s:%s\n" % (commit.encode(), os.fsencode(name)) for commit, _ in commits)
        out = self._run_bytes(
            ["cat-file", "--batch"], input=names, timeout=self.local_timeout
        ).stdout
        at = 0
        for commit, message in commits:
            end = out.index(b"\n", at)
            header, at = out[at:end].rsplit(b" ", 2), end + 1
            if len(header) < 3 or not header[2].isdigit():
                continue  # "<name> missing": the file was deleted (or renamed) in that commit
            size = int(header[2])
            content, at = out[at : at + size], at + size + 1  # the content, then a newline
            if header[1] == b"blob":
                yield commit, message, content

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


__all__ = ["GitError", "GitRepo", "PublishError"]  # the errors come from git_command
