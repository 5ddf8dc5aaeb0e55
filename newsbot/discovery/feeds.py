"""RSS and Atom feeds, parsed with feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from xml.sax import SAXException

import feedparser

from newsbot.discovery.cut_short import cut_short
from newsbot.extraction.dates import parse_datetime


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    published: datetime | None
    updated: datetime | None
    summary: str | None
    category: str | None


class FeedRead(NamedTuple):
    entries: list[FeedEntry]
    damaged: bool  # cut short (``newsbot.discovery.cut_short``): the entries may be a part


def feed_entries(body: bytes, *, feeds_only: bool = False) -> list[tuple[str, Any]]:
    """(link, feedparser entry) of every entry with a link; ``feeds_only``: [] for a body that
    is no RSS/Atom feed at all (an HTML page at /rss)."""
    return _entries(feedparser.parse(body), feeds_only)


def _entries(parsed: Any, feeds_only: bool = False) -> list[tuple[str, Any]]:
    if feeds_only and not parsed.get("version"):
        return []
    found = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if link:
            found.append((link, entry))
    return found


def read_feed(body: bytes, tz: str) -> FeedRead:
    """The entries, and whether the feed was cut short. Feedparser's loose parser reads past
    a stray ``&`` or a wrong charset (``bozo``) without losing an entry: no damage; a feed it
    found well-formed needs no second look."""
    parsed = feedparser.parse(body)
    damaged = isinstance(parsed.get("bozo_exception"), SAXException) and cut_short(body)
    entries = []
    for link, entry in _entries(parsed):
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
    return FeedRead(entries, damaged)
