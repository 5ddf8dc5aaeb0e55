"""What the blog already has: read from the posts' own front matter, never from a cache.

A fresh clone of the blog, or several workers sharing one blog repository, see the same
answer, because the record is the ``source_url`` key of each post file. The article's modified
time as newsbot last wrote it (``last_modified_at``, the Jekyll convention, or Hugo's
``lastmod``) is read with it: a later modified time from a sitemap or feed is a correction,
whatever the post file's mtime (a fresh checkout's).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from newsbot.state.atomic_write import write_atomic

logger = logging.getLogger(__name__)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MODIFIED_KEYS = ("last_modified_at", "lastmod")  # where a post records its article's last change


@dataclass(frozen=True)
class PublishedPost:
    path: Path
    source_url: str
    # the article's modified time recorded in the post (None: a post from before the record)
    modified: datetime | None = None


class PublishedIndex:
    """``source_url`` -> post file, for every post under ``posts_dir``."""

    def __init__(self, posts_dir: Path, source_key: str = "source_url") -> None:
        self.posts_dir = posts_dir
        self.source_key = source_key
        self._by_url: dict[str, PublishedPost] = {}

    @classmethod
    def load(
        cls, posts_dir: Path, source_key: str = "source_url", cache: Path | None = None
    ) -> PublishedIndex:
        """Read every post's ``source_url``. With ``cache`` (a file in newsbot's state folder),
        only posts whose size or modification time changed since the last load are parsed
        again: a run with nothing new costs one ``stat`` per post, not one YAML parse."""
        index = cls(posts_dir, source_key)
        index.refresh(cache)
        return index

    def refresh(self, cache: Path | None = None) -> None:
        self._by_url.clear()
        if not self.posts_dir.is_dir():
            return
        known = _read_cache(cache, self.source_key) if cache else {}
        seen: dict[str, list[Any]] = {}
        root = str(self.posts_dir)
        for name, stat in sorted(_post_files(root)):  # names, not Paths: 20,000 posts sort fast
            entry = known.get(name)
            path = None
            if entry is not None and entry[:2] == [stat.st_mtime_ns, stat.st_size]:
                url, modified = entry[2], _parse_modified(entry[3] if len(entry) > 3 else None)
            else:
                path = self.posts_dir / name
                post = self.read_post(path)
                url = post.source_url if post is not None else None
                modified = post.modified if post is not None else None
            stamp = modified.isoformat() if modified else None
            seen[name] = [stat.st_mtime_ns, stat.st_size, url, stamp]
            if url:
                self._by_url[url] = PublishedPost(path or self.posts_dir / name, url, modified)
        if cache and seen != known:
            _write_cache(cache, self.source_key, seen)

    def read_post(self, path: Path) -> PublishedPost | None:
        meta = read_front_matter(path)
        if meta is None:
            logger.warning("Cannot read the front matter of %s; it is not counted", path)
            return None
        url = meta.get(self.source_key)
        if not isinstance(url, str) or not url:
            return None
        modified = next(
            (m for m in (_parse_modified(meta.get(k)) for k in MODIFIED_KEYS) if m), None
        )
        return PublishedPost(path, url, modified)

    def get(self, url: str) -> PublishedPost | None:
        return self._by_url.get(url)

    def __contains__(self, url: object) -> bool:
        return url in self._by_url

    def __len__(self) -> int:
        return len(self._by_url)

    def __iter__(self) -> Iterator[PublishedPost]:
        return iter(self._by_url.values())

    def add(self, post: PublishedPost) -> None:
        self._by_url[post.source_url] = post


def read_front_matter(path: Path) -> dict[str, object] | None:
    """The YAML front matter of a post (only the header is read), or None if unreadable."""
    try:
        with path.open(encoding="utf-8") as handle:
            if handle.readline().rstrip("\r\n") != "---":
                return None
            lines = []
            for line in handle:
                if line.rstrip("\r\n") in ("---", "..."):
                    break
                lines.append(line)
            else:
                return None
        data = yaml.load("".join(lines), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _parse_modified(value: object) -> datetime | None:
    """A recorded modified time (YAML gives a datetime; the cache an ISO string); a naive one
    is taken as UTC, as YAML reads a timestamp without an offset."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_CACHE_VERSION = 2
#: The file names a profile may give its posts (``filename``), so the posts the index reads.
POST_SUFFIXES = (".md", ".markdown", ".html")


def _post_files(root: str) -> Iterator[tuple[str, os.stat_result]]:
    """(name relative to ``root``, stat) of every post file (:data:`POST_SUFFIXES`) below it,
    from ``os.scandir``."""
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                name = os.path.join(relative, entry.name) if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name)
                elif entry.name.endswith(POST_SUFFIXES) and entry.is_file():
                    yield name, entry.stat()


def _read_cache(cache: Path, source_key: str) -> dict[str, list[Any]]:
    """name -> [mtime_ns, size, source_url or None, modified (ISO) or None]; empty when absent
    or not this version."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
        return {}
    if data.get("source_key") != source_key or not isinstance(data.get("posts"), dict):
        return {}
    return data["posts"]


def _write_cache(cache: Path, source_key: str, posts: dict[str, list[Any]]) -> None:
    payload = {"version": _CACHE_VERSION, "source_key": source_key, "posts": posts}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    except OSError as exc:  # a read-only or full disk: the index works without its cache
        logger.warning("Cannot write the published-posts cache %s: %s", cache, exc)
