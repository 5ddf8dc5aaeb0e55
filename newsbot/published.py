"""What the blog already has: read from the posts' own front matter, never from a cache.

A fresh clone of the blog, or several workers sharing one blog repository, see the same
answer, because the record is the ``source_url`` key of each post file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PublishedPost:
    path: Path
    source_url: str


class PublishedIndex:
    """``source_url`` -> post file, for every post under ``posts_dir``."""

    def __init__(self, posts_dir: Path, source_key: str = "source_url") -> None:
        self.posts_dir = posts_dir
        self.source_key = source_key
        self._by_url: dict[str, PublishedPost] = {}

    @classmethod
    def load(cls, posts_dir: Path, source_key: str = "source_url") -> PublishedIndex:
        index = cls(posts_dir, source_key)
        index.refresh()
        return index

    def refresh(self) -> None:
        self._by_url.clear()
        if not self.posts_dir.is_dir():
            return
        for path in sorted(self.posts_dir.rglob("*.md")):
            post = self.read_post(path)
            if post is not None:
                self._by_url[post.source_url] = post

    def read_post(self, path: Path) -> PublishedPost | None:
        meta = read_front_matter(path)
        if meta is None:
            logger.warning("Cannot read the front matter of %s; it is not counted", path)
            return None
        url = meta.get(self.source_key)
        if not isinstance(url, str) or not url:
            return None
        return PublishedPost(path, url)

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
