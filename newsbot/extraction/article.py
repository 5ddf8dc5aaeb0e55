"""Page -> ArticleItem, combining sources in a documented order of precedence.

Precedence, first non-empty wins (the README's "Extraction" section repeats it):

=============  ==========================================================================
field          sources, in order
=============  ==========================================================================
title          JSON-LD headline, og:title, trafilatura, feed/sitemap title, <title>
published      JSON-LD datePublished, article:published_time, feed/sitemap date, trafilatura
modified       JSON-LD dateModified, article:modified_time, sitemap lastmod / feed updated
author         JSON-LD author, article:author / meta author, trafilatura
description    og:description, meta description, JSON-LD description, feed summary,
               trafilatura, first lines of the body
image          og:image, JSON-LD image, twitter:image, trafilatura
category       article:section, JSON-LD articleSection, feed category, trafilatura
tags           article:tag, JSON-LD keywords, meta keywords, trafilatura
language       <html lang>, og:locale, JSON-LD inLanguage, trafilatura, outlet default
site name      og:site_name, JSON-LD publisher, trafilatura, outlet
canonical URL  <link rel=canonical>, og:url, the fetched URL (the spider re-checks it)
=============  ==========================================================================

Times without an offset are taken in the outlet's timezone (Asia/Seoul for newsdao).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

import lxml.html

from newsbot.extraction.body import extract_body
from newsbot.extraction.dates import parse_datetime
from newsbot.extraction.hints import Hints
from newsbot.extraction.metadata import jsonld_list, jsonld_text, read_metadata
from newsbot.items import ArticleItem
from newsbot.outlets.declaration import ExtractionRules

PROTECTED_MARKERS = re.compile(
    r"보호되어\s*있|비밀번호를\s*입력|비밀글|password[\s-]*protected|enter (?:the|your) password",
    re.IGNORECASE,
)
ERROR_MARKERS = re.compile(
    r"\b404\b|not found|페이지를\s*찾을\s*수\s*없|존재하지\s*않는|삭제된\s*(?:기사|게시물)"
    r"|요청하신\s*페이지|없는\s*페이지|오류가\s*발생",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


class NotAnArticle(Exception):
    """The page is not an article to publish. ``reason`` is a short stats key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


def extract_article(
    page: str | bytes, url: str, hints: Hints | None = None, rules: ExtractionRules | None = None
) -> ArticleItem:
    """Extract one article. Raises NotAnArticle for notices, protected/error pages, short texts."""
    hints = hints or Hints()
    rules = rules or ExtractionRules()
    if isinstance(page, bytes):
        tree = lxml.html.document_fromstring(page)
    else:
        # lxml rejects str input that carries an XML encoding declaration
        tree = lxml.html.document_fromstring(page.encode("utf-8"), parser=_utf8_parser())
    meta = read_metadata(tree)
    body = extract_body(tree, url, rules)
    doc = body.document
    ld = meta.jsonld

    title = _first(
        jsonld_text(ld.get("headline")),
        meta.first("og:title", "twitter:title"),
        doc.title if doc else None,
        hints.title,
        meta.title_tag,
    )
    title = _strip_site_suffix(_clean(title), (rules.site_name, meta.first("og:site_name")))
    for pattern in rules.skip_title_patterns:
        if title and re.search(pattern, title):
            raise NotAnArticle("notice", title)

    text = body.text
    has_password_form = bool(tree.xpath("//input[@type='password']"))
    if has_password_form and PROTECTED_MARKERS.search(" ".join(tree.text_content().split())):
        raise NotAnArticle("protected", title or url)
    prose = len(text) - body.link_chars
    if prose < rules.min_body_chars or body.link_chars > len(text) / 2:
        if has_password_form:
            raise NotAnArticle("protected", title or url)
        if ERROR_MARKERS.search(f"{title} {meta.title_tag or ''}") or not title:
            raise NotAnArticle("error_page", title or url)
        raise NotAnArticle("too_short", f"{prose} characters of article text")

    tz = rules.timezone
    published = _first_date(
        tz,
        ld.get("datePublished"),
        meta.first("article:published_time", "og:published_time", "pubdate", "publishdate"),
        hints.published,
        doc.date if doc else None,
    )
    modified = _first_date(
        tz,
        ld.get("dateModified"),
        meta.first("article:modified_time", "og:updated_time"),
        hints.modified,
    )
    description = _clean(
        _first(
            meta.first("og:description", "description", "twitter:description"),
            jsonld_text(ld.get("description")),
            hints.description,
            doc.description if doc else None,
        )
    ) or _clean(" ".join(text.splitlines()[:3]))
    image = _first(
        meta.first("og:image", "og:image:url", "og:image:secure_url"),
        jsonld_text(ld.get("image")),
        meta.first("twitter:image", "twitter:image:src"),
        doc.image if doc else None,
    )
    tags = _unique(
        meta.all("article:tag")
        or jsonld_list(ld.get("keywords"))
        or [t for k in meta.all("keywords") for t in k.split(",")]
        or list(doc.tags or [] if doc else [])
    )
    canonical = _first(meta.canonical, meta.first("og:url"))
    item = ArticleItem(
        url=urljoin(url, canonical) if canonical else url,
        title=title or "",
        published=published,
        modified=modified,
        author=_clean(
            _first(
                jsonld_text(ld.get("author")),
                meta.first("article:author", "author", "dable:author"),
                doc.author if doc else None,
            )
        ),
        description=description,
        image=urljoin(url, image) if image else None,
        category=_clean(
            _first(
                meta.first("article:section"),
                jsonld_text(ld.get("articleSection")),
                hints.category,
                ", ".join(doc.categories or []) if doc else None,
            )
        ),
        tags=tags,
        language=_first(
            meta.lang,
            meta.first("og:locale"),
            jsonld_text(ld.get("inLanguage")),
            doc.language if doc else None,
            rules.language,
        ),
        site_name=_clean(
            _first(
                meta.first("og:site_name"),
                jsonld_text(ld.get("publisher")),
                rules.site_name,
                doc.sitename if doc else None,
            )
        ),
        body_html=body.html,
        body_markdown=body.markdown,
        body_text=text,
        fingerprint=fingerprint(title or "", text),
        fetched_url=url,
    )
    return item


def fingerprint(title: str, text: str) -> str:
    normalised = " ".join(f"{title}\n{text}".split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _utf8_parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _first(*values: str | None) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _clean(value: str | None) -> str | None:
    return _SPACES.sub(" ", value).strip() or None if value else None


def _first_date(tz: str, *values: object) -> datetime | None:
    for value in values:
        parsed = parse_datetime(value, tz)
        if parsed is not None:
            return parsed
    return None


def _strip_site_suffix(title: str | None, site_names: Iterable[str | None]) -> str | None:
    if not title:
        return title
    for name in site_names:
        if not name:
            continue
        for sep in (" - ", " | ", " :: ", " – ", " — ", " : "):
            suffix = f"{sep}{name}"
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
    return title


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)
