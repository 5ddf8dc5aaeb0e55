"""The article record that flows from extraction to the post-writing pipelines.

Logic-free on purpose: extraction fills it, pipelines read it through ``ItemAdapter``.
It never carries the raw response.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleItem:
    url: str = ""  # the page's canonical link, then the outlet's canonical URL (FinishArticle)
    outlet: str = ""  # outlet declaration name, e.g. "newsdao"
    slug: str = ""  # stable file-name slug, e.g. "newsdao-5247"
    title: str = ""
    source_title: str | None = None  # the outlet's own title, when a title hook reworded `title`
    published: datetime | None = None  # timezone-aware
    modified: datetime | None = None  # timezone-aware
    author: str | None = None
    description: str | None = None
    image: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    body_html: str = ""  # sanitised HTML
    body_text: str = ""  # plain text, for checks and fingerprints
    fingerprint: str = ""  # sha256 of normalised title + body text
    fetched_url: str = ""  # the URL actually fetched (before canonicalisation)
    extraction: str = ""  # how the body was found: "container", "embedded" (JSON) or "generic"
