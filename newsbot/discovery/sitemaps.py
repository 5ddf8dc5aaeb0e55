"""Sitemaps and sitemap indexes, parsed with Scrapy's own (safe, lxml-based) Sitemap class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from newsbot.discovery.cut_short import in_error_log
from newsbot.extraction.dates import parse_datetime


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None


class SitemapRead(NamedTuple):
    kind: str  # "sitemapindex" | "urlset"; "" for a body that is not a sitemap
    entries: list[SitemapEntry]
    damaged: bool  # cut short (``newsbot.discovery.cut_short``): the entries may be a part


def sitemap_entries(body: bytes) -> tuple[str, list[dict[str, str]]]:
    """("sitemapindex" | "urlset", the entries with a ``loc``, their values as written);
    ("", []) for a body that is not a sitemap. A pure function of the (possibly gzipped) body."""
    kind, entries, _ = _entries(body)
    return kind, entries


def _entries(body: bytes) -> tuple[str, list[dict[str, str]], bool]:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=50 * 1024 * 1024)
        except OSError:
            return "", [], True
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types on garbage
        return "", [], True
    if sitemap.type not in ("sitemapindex", "urlset"):
        return "", [], False
    entries = [entry for entry in sitemap if entry.get("loc")]
    return str(sitemap.type), entries, in_error_log(sitemap.xmliter.error_log)


def read_sitemap(body: bytes, tz: str) -> SitemapRead:
    """The kind, the entries and whether the sitemap was cut short (lxml recovers the rest).

    A pure function of the (possibly gzipped) body: it runs in a worker process.
    """
    kind, entries, damaged = _entries(body)
    dated = [SitemapEntry(e["loc"], parse_datetime(e.get("lastmod"), tz)) for e in entries]
    return SitemapRead(kind, dated, damaged)
