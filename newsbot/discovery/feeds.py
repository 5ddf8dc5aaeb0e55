"""RSS and Atom feeds, parsed with feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import feedparser

from newsbot.extraction.dates import parse_datetime


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    published: datetime | None
    updated: datetime | None
    summary: str | None
    category: str | None


def feed_entries(body: bytes, *, feeds_only: bool = False) -> list[tuple[str, Any]]:
    """(link, feedparser entry) of every entry with a link; ``feeds_only``: [] for a body that
    is no RSS/Atom feed at all (an HTML page at /rss)."""
    parsed = feedparser.parse(body)
    if feeds_only and not parsed.get("version"):
        return []
    found = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if link:
            found.append((link, entry))
    return found


def read_feed(body: bytes, tz: str) -> list[FeedEntry]:
    entries = []
    for link, entry in feed_entries(body):
        tags = entry.get("tags") or []
        entries.append(
            FeedEntry(
                link=link,
                title=entry.get("title"),
                published=parse_datetime(entry.get("published"), tz),
                updated=parse_datetime(entry.get("updated"), tz),
                summary=entry.get("summary"),
                category=(tags[0].get("term") if tags else None),
            )
        )
    return entries
