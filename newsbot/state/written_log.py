"""What newsbot last wrote to each post, so that it never overwrites a post someone edited.

``OUTPUT/.newsbot/written.jsonl`` holds one line per write: ``{"path": "_posts/….md",
"sha256": "…"}``, appended *before* the post is renamed into place (a run killed in between
leaves a record of content that never landed, which is harmless: the post still has content
newsbot recorded earlier). A post whose content matches none of the hashes recorded for it was
changed by someone else, and WritePostPipeline leaves it alone.

Without a record (the ``.newsbot/`` folder was deleted, or the post predates the record),
:func:`committed_by_newsbot` asks git: a post that is unchanged since a commit of newsbot's own
(``newsbot: …``) is newsbot's, unless that commit merged the outlet's correction with hand
edits; anything else is treated as edited.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from newsbot.state.atomic_write import write_atomic

KEEP = 3  # hashes kept per post when the log is compacted


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


class WrittenLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._hashes: dict[str, list[str]] = {}
        self._lines = 0
        self._lock = threading.Lock()  # posts are written from several threads
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        for line in text.splitlines():
            try:
                record = json.loads(line)
                path, sha = record["path"], record["sha256"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a killed run
            if isinstance(path, str) and isinstance(sha, str):
                self._remember(path, sha)
                self._lines += 1

    def _remember(self, relpath: str, sha: str) -> None:
        hashes = self._hashes.setdefault(relpath, [])
        if sha in hashes:
            hashes.remove(sha)
        hashes.append(sha)

    def knows(self, relpath: str) -> bool:
        return relpath in self._hashes

    def hashes(self, relpath: str) -> list[str]:
        """The hashes recorded for ``relpath``, oldest first (the last is newsbot's latest)."""
        return list(self._hashes.get(relpath, ()))

    def latest(self) -> set[str]:
        """The last hash recorded for every post."""
        return {hashes[-1] for hashes in self._hashes.values() if hashes}

    def wrote(self, relpath: str, content: bytes) -> bool:
        """True when ``content`` is something newsbot wrote to ``relpath``."""
        return digest(content) in self._hashes.get(relpath, ())

    def add(self, relpath: str, sha: str) -> None:
        with self._lock:
            hashes = self._hashes.get(relpath)
            if hashes and hashes[-1] == sha:
                return
            self._remember(relpath, sha)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps({"path": relpath, "sha256": sha}, ensure_ascii=False) + "\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))  # one write: lines never interleave
            finally:
                os.close(fd)
            self._lines += 1

    def compact(self) -> None:
        """Rewrite the log with the last few hashes of each post, when it has grown long."""
        with self._lock:
            entries = sum(len(h) for h in self._hashes.values())
            if self._lines <= 2 * entries + 1000:
                return
            lines = [
                json.dumps({"path": path, "sha256": sha}, ensure_ascii=False) + "\n"
                for path, hashes in sorted(self._hashes.items())
                for sha in hashes[-KEEP:]
            ]
            write_atomic(self.path, "".join(lines))
            self._lines = len(lines)


def committed_by_newsbot(root: Path, path: Path) -> bool:
    """True when ``path`` is unchanged since it was last committed, by newsbot (the fallback
    when the written log has no record of it). False outside a git repository."""
    from newsbot.blog.git_repo import GitError, GitRepo
    from newsbot.blog.post_index import read_front_matter
    from newsbot.blog.publish_posts import lists_merged

    repo = GitRepo(root)
    try:
        if not repo.is_repo():
            return False
        rel = path.relative_to(root).as_posix()
        status = repo._run(["status", "--porcelain", "--", rel]).stdout.strip()
        if status:  # modified, staged or untracked
            return False
        message = repo._run(["log", "-1", "--format=%B", "--", rel]).stdout
    except (GitError, ValueError, OSError):
        return False
    if not message.startswith("newsbot: "):
        return False
    url = (read_front_matter(path) or {}).get("source_url")
    return not (isinstance(url, str) and lists_merged(message, url))
