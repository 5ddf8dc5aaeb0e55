"""RSS and Atom feeds, parsed with feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def read_feed(body: bytes, tz: str) -> list[FeedEntry]:
    parsed = feedparser.parse(body)
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link:
            continue
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
