"""Corrections merged with hand edits: when the outlet corrects an article whose post a person
edited, newsbot merges three ways with ``git merge-file``:

- base: what newsbot last wrote to the post (kept by :class:`WrittenTexts` in its state folder,
  ``.newsbot/written-posts/<sha256>.md``; without it, the newest version of the post in git
  history that newsbot wrote);
- ours: the post as the person edited it;
- theirs: the new rendering of the corrected article.

Posts are written one block a line, blocks apart (``newsbot.render.blocks``), so an edit and a
correction in different paragraphs touch different lines and merge cleanly. A merge that does
not come out clean is never written (no conflict markers in a post): the person's post is kept
and the conflicting block is named in the report.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsbot.blog.git_command import GitError, GitNotFound, merge_file
from newsbot.blog.git_repo import GitRepo
from newsbot.blog.publish_posts import lists_merged
from newsbot.state.atomic_write import remove_stale_temporaries, write_atomic

_MARKER_OURS, _MARKER_SPLIT, _MARKER_THEIRS = "<<<<<<< ", "=======", ">>>>>>> "
_NAME_CHARS = 60

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeResult:
    text: str | None  # the merged post, when the merge is clean
    conflict: str | None = None  # what could not be merged (the block), when it is not


class WrittenTexts:
    """The text of each post as newsbot last wrote it, by its sha256 (the written log's key)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, sha: str) -> Path:
        return self.folder / f"{sha}.md"

    def save(self, sha: str, text: str) -> None:
        target = self.path(sha)
        if not target.exists():
            # no fsync of the folder (one per post written): a text lost in a crash is a merge
            # without its base, which keeps the person's post (as before the texts were kept);
            # a text under its name is always whole (write_atomic syncs it before the rename)
            write_atomic(target, text, sync_folder=False)

    def load(self, sha: str) -> str | None:
        try:
            return self.path(sha).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def remove_stale_temporaries(self) -> int:
        return remove_stale_temporaries(self.folder)

    def prune(self, keep: Iterable[str], *, older_than: float) -> None:
        """Delete the texts no post needs as its base any more (``keep``: the last hash of each
        post), if saved before ``older_than`` (a time.time()): another crawl sharing the state
        folder (``crawl --all``) may have saved the others since."""
        wanted = {f"{sha}.md" for sha in keep}
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(".md") and entry.name not in wanted:
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < older_than:
                        os.unlink(entry.path)


def base_from_git(
    root: Path, path: Path, newsbot_wrote: Callable[[bytes], bool], url: str
) -> str | None:
    """The newest version of ``path`` in git history that newsbot wrote: one whose content the
    written log knows, else the newest committed by newsbot (``newsbot: …``) and not as a merge
    with hand edits (its commit lists ``url`` under "Merged with hand edits:"); None outside a
    repository, without git, when git fails or times out, or without such a version."""
    committed_by_newsbot: str | None = None
    try:
        for _commit, message, blob in GitRepo(root).versions(path):
            if newsbot_wrote(blob):
                return blob.decode("utf-8", "replace")
            if (
                committed_by_newsbot is None
                and message.startswith("newsbot: ")
                and not lists_merged(message, url)
            ):
                committed_by_newsbot = blob.decode("utf-8", "replace")
    except GitError as error:  # not a repository, no git, a git that failed or hung
        log.debug("no base for %s from git history: %s", path, error)
        return None
    return committed_by_newsbot


# Front-matter lines that record facts about the outlet's article, not the post: the outlet's
# value always wins, so a base older than the edited post (git history) cannot make them conflict.
RECORDED_KEYS = ("last_modified_at", "lastmod")


def _front_matter_line(text: str, key: str) -> str | None:
    head = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    return next((line for line in head.split("\n") if line.startswith(f"{key}: ")), None)


def _recorded_as_ours(base: str, ours: str) -> str:
    """``base`` with the recorded-fact lines of ``ours`` (so only the outlet changes them)."""
    for key in RECORDED_KEYS:
        old, new = _front_matter_line(base, key), _front_matter_line(ours, key)
        if old is not None and new is not None and old != new:
            base = base.replace(f"\n{old}\n", f"\n{new}\n", 1)
    return base


def merge_post(base: str, ours: str, theirs: str) -> MergeResult:
    """Three-way merge of a post with ``git merge-file``: the person's edits (ours) and the
    outlet's correction (theirs) over what newsbot last wrote (base)."""
    base = _recorded_as_ours(base, ours)
    try:
        merged, clean = merge_file(ours, base, theirs, labels=("hand-edited", "newsbot", "outlet"))
    except GitNotFound:
        return MergeResult(None, "git is not installed, so the correction cannot be merged")
    except GitError as error:  # failed or timed out: the message is the reason
        return MergeResult(None, str(error))
    return MergeResult(merged) if clean else MergeResult(None, conflicting_block(merged))


def conflicting_block(merged: str) -> str:
    """Names the first conflict of ``git merge-file`` output: the block of the body (counted
    from 1 after the front matter) and its first words, as the person's post has it."""
    lines = merged.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(_MARKER_OURS))
    ours: list[str] = []
    theirs: list[str] = []
    side = ours
    for line in lines[start + 1 :]:
        if line.startswith(_MARKER_SPLIT):
            side = theirs
        elif line.startswith(_MARKER_THEIRS):
            break
        else:
            side.append(line)
    before = lines[:start]
    where = "the front matter"
    if before.count("---") >= 2:  # past the closing fence: count the blocks of the body
        fence = [i for i, line in enumerate(before) if line == "---"][1]
        body = before[fence + 1 :]
        blocks = sum(
            1 for i, line in enumerate(body) if line.strip() and (i == 0 or not body[i - 1].strip())
        )
        starts_block = not body or not body[-1].strip()
        where = f"block {blocks + 1 if starts_block else max(blocks, 1)} of the body"
    text = next((line.strip() for line in ours + theirs if line.strip()), "")
    if len(text) > _NAME_CHARS:
        text = text[:_NAME_CHARS].rstrip() + "…"
    return f"the outlet's correction conflicts with the hand edit in {where}: {text!r}"
