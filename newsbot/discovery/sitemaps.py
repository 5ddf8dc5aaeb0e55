"""Sitemaps and sitemap indexes, parsed with Scrapy's own (safe, lxml-based) Sitemap class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from newsbot.extraction.dates import parse_datetime


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None


def sitemap_entries(body: bytes) -> tuple[str, list[dict[str, str]]]:
    """("sitemapindex" | "urlset", the entries with a ``loc``, their values as written);
    ("", []) for a body that is not a sitemap. A pure function of the (possibly gzipped) body."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=50 * 1024 * 1024)
        except OSError:
            return "", []
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types on garbage
        return "", []
    if sitemap.type not in ("sitemapindex", "urlset"):
        return "", []
    return str(sitemap.type), [entry for entry in sitemap if entry.get("loc")]


def read_sitemap(body: bytes, tz: str) -> tuple[str, list[SitemapEntry]]:
    """("sitemapindex" | "urlset", entries); ("", []) for a body that is not a sitemap.

    A pure function of the (possibly gzipped) body: it runs in a worker process.
    """
    kind, entries = sitemap_entries(body)
    return kind, [
        SitemapEntry(entry["loc"], parse_datetime(entry.get("lastmod"), tz)) for entry in entries
    ]
