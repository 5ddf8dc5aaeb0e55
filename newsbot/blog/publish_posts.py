"""Publish a run's posts: commit exactly those paths and push whatever the remote lacks.

A failed push keeps the commit locally and :func:`publish` pushes it on the next run, even when
that run has nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsbot.blog.git_command import DEFAULT_AUTHOR, GitError, PublishError
from newsbot.blog.git_repo import GitRepo


@dataclass
class PublishResult:
    """What publishing did. ``pushed`` says the remote has all our commits (also when it had
    them already: nothing to push); ``pushed_commits`` counts the commits this run pushed."""

    committed: str | None  # new commit sha, None when nothing to commit
    pushed: bool  # True when the remote now has our commits (False when push was not asked)
    unpushed: int  # commits still ahead of the remote after this run
    message: str  # one-line human summary
    error: str | None = None  # why the push failed, when it did
    pushed_commits: int = 0  # commits pushed by this run
    held_back: bool = False  # no push was tried (not asked for, or the run was interrupted)

    @property
    def worth_showing(self) -> bool:
        """Whether the summary line adds the git outcome: something was committed or pushed, or
        the push was held back (an up-to-date remote goes without saying)."""
        return bool(self.committed or self.pushed_commits or self.held_back)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# Posts whose update merged the outlet's correction with a person's edits: their committed text
# is not newsbot's rendering alone (``newsbot.state.written_log.committed_by_newsbot`` asks).
MERGED_HEADING = "Merged with hand edits:"


def lists_merged(message: str, url: str) -> bool:
    """Does a commit message list ``url`` under :data:`MERGED_HEADING`?"""
    _, heading, rest = message.partition(f"\n{MERGED_HEADING}\n")
    return bool(heading) and url in rest.split("\n\n", 1)[0].splitlines()


def commit_message(
    outlet: str,
    new_urls: Sequence[str],
    updated_urls: Sequence[str],
    merged_urls: Sequence[str] = (),
) -> str:
    """``newsbot: 12 new, 1 updated posts from newsdao`` plus the URLs, one per line; the
    updated posts merged with hand edits (``merged_urls``, among the updated) listed again."""
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
    for title, urls in (
        ("New:", new_urls),
        ("Updated:", updated_urls),
        (MERGED_HEADING, merged_urls),
    ):
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
        return PublishResult(
            sha, False, unpushed, f"{done}; not pushed (push not requested)", held_back=True
        )
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
        pushed_commits=ahead,
    )
