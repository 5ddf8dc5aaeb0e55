"""What discovery (a feed item, a sitemap entry) already told us about an article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Hints:
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    description: str | None = None
    category: str | None = None
    source: str | None = None  # "sitemap", "feed", "listing", "id-walk"
