"""Page -> ArticleItem, combining sources in a documented order of precedence.

Precedence, first non-empty wins (the README's "Extraction" section repeats it):

=============  ==========================================================================
field          sources, in order
=============  ==========================================================================
title          JSON-LD headline, og:title, embedded JSON, trafilatura, feed/sitemap title,
               <title>
published      JSON-LD datePublished, article:published_time, embedded JSON, feed/sitemap
               date, trafilatura
modified       JSON-LD dateModified, article:modified_time, embedded JSON, sitemap lastmod /
               feed updated
author         JSON-LD author, article:author / meta author, embedded JSON
description    og:description, meta description, JSON-LD description, embedded JSON, feed
               summary, first lines of the body
image          og:image, JSON-LD image, twitter:image, embedded JSON
category       article:section, JSON-LD articleSection, embedded JSON, feed category
tags           article:tag, JSON-LD keywords, meta keywords
language       <html lang>, og:locale, JSON-LD inLanguage, outlet default
canonical URL  <link rel=canonical>, og:url, the fetched URL (the spider re-checks it)
=============  ==========================================================================

trafilatura's own metadata reader (htmldate for dates) runs only when the title or the
publication date is missing from every other source: it costs as much as the body extraction.
"Embedded JSON" is the article as a platform file's ``embedded:`` reads it
(``newsbot.extraction.embedded``). Text values have their HTML entities decoded once
(``newsbot.extraction.entities``).
Times without an offset are taken in the outlet's timezone (Asia/Seoul for newsdao).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Document

from newsbot.config.outlet import ExtractionRules
from newsbot.extraction.body import extract_body
from newsbot.extraction.charset import decode_page
from newsbot.extraction.dates import parse_datetime
from newsbot.extraction.embedded import read_embedded
from newsbot.extraction.entities import EntityDecoder
from newsbot.extraction.errors import NotAnArticle
from newsbot.extraction.hints import Hints
from newsbot.extraction.metadata import jsonld_list, jsonld_text, read_metadata
from newsbot.extraction.page_rules import matches_any, page_rules
from newsbot.items import ArticleItem

ERROR_MARKERS = re.compile(
    r"\b404\b|not found|페이지를\s*찾을\s*수\s*없|존재하지\s*않는|삭제된\s*(?:기사|게시물)"
    r"|요청하신\s*페이지|없는\s*페이지|오류가\s*발생",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def extract_article(
    page: str | bytes,
    url: str,
    hints: Hints | None = None,
    rules: ExtractionRules | None = None,
    *,
    encoding: str | None = None,
) -> ArticleItem:
    """Extract one article. Raises NotAnArticle for notices, protected/error pages, short texts.

    ``page`` as bytes is decoded by its byte order mark, the ``encoding`` hint (the charset of
    the ``Content-Type`` header), the page's own ``<meta charset>``, in that order
    (``newsbot.extraction.charset``). The body is sanitised HTML; profiles that want Markdown
    convert it when they render.
    """
    hints = hints or Hints()
    rules = rules or ExtractionRules()
    text_page = page if isinstance(page, str) else decode_page(page, encoding)
    # parsed as UTF-8 bytes: lxml rejects str with an XML encoding declaration, and reads a
    # <meta charset> after other <meta> tags as Latin-1
    raw = text_page.encode("utf-8")
    parser = _utf8_parser()
    if not raw.strip():
        raise NotAnArticle("empty_page", url)
    try:
        tree = lxml.html.document_fromstring(raw, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("unparsable_page", str(exc)) from None
    meta = read_metadata(tree)
    selectors = page_rules(tree, rules)
    protected_form = matches_any(tree, selectors.protected)
    password_form = _password_form(tree)
    # metadata text without HTML entities, judged against what the page renders
    text_of = EntityDecoder((meta.title_tag, *_headings(tree))).text
    titles = tuple(
        t
        for t in (
            text_of(jsonld_text(meta.jsonld.get("headline"))),
            text_of(meta.first("og:title")),
            text_of(meta.first("twitter:title")),
            hints.title,
            text_of(meta.title_tag),
        )
        if t
    )
    embedded = read_embedded(tree, selectors.embedded) if selectors.embedded else None
    from_json = embedded.fields if embedded is not None else {}
    body = extract_body(tree, url, rules, selectors, titles=titles, embedded=embedded)
    ld = meta.jsonld
    doc = _TrafilaturaMetadata(raw, parser, url)

    title = _first(
        text_of(jsonld_text(ld.get("headline"))),
        text_of(meta.first("og:title", "twitter:title")),
        text_of(from_json.get("title")),
        doc.lazy("title"),
        hints.title,
        text_of(meta.title_tag),
    )
    title = _strip_site_suffix(_clean(title), (rules.site_label, meta.first("og:site_name")))
    for pattern in rules.skip_title_patterns:
        if title and re.search(pattern, title):
            raise NotAnArticle("notice", title)

    text = body.text
    if (protected_form or password_form == "article") and not body.from_container:
        # a password form stands where the article would be
        raise NotAnArticle("protected", title or url)
    if _garbled(text):
        raise NotAnArticle("garbled_text", "undecodable bytes or control characters")
    prose = len(text) - body.link_chars
    if not text or prose < rules.min_body_chars or body.link_chars > len(text) / 2:
        if password_form:
            raise NotAnArticle("protected", title or url)
        if ERROR_MARKERS.search(f"{title} {meta.title_tag or ''}") or not title:
            raise NotAnArticle("error_page", title or url)
        raise NotAnArticle("too_short", f"{prose} characters of article text")

    if not title:  # no title anywhere: the opening words of the article stand in
        title = _opening_words(text)
    tz = rules.timezone
    published = _first_date(
        tz,
        ld.get("datePublished"),
        meta.first("article:published_time", "og:published_time", "pubdate", "publishdate"),
        from_json.get("published"),
        hints.published,
        doc.lazy("date"),
    )
    modified = _first_date(
        tz,
        ld.get("dateModified"),
        meta.first("article:modified_time", "og:updated_time"),
        from_json.get("modified"),
        hints.modified,
    )
    description = _clean(
        _first(
            text_of(meta.first("og:description", "description", "twitter:description")),
            text_of(jsonld_text(ld.get("description"))),
            text_of(from_json.get("description")),
            hints.description,
        )
    ) or _clean(" ".join(text.splitlines()[:3]))
    image = _first(
        meta.first("og:image", "og:image:url", "og:image:secure_url"),
        jsonld_text(ld.get("image")),
        meta.first("twitter:image", "twitter:image:src"),
        from_json.get("image"),
    )
    tags = _unique(
        text_of(tag) or ""
        for tag in (
            meta.all("article:tag")
            or jsonld_list(ld.get("keywords"))
            or [t for k in meta.all("keywords") for t in k.split(",")]
        )
    )
    canonical = _first(meta.canonical, meta.first("og:url"))
    item = ArticleItem(
        url=urljoin(url, canonical) if canonical else url,
        title=title or "",
        published=published,
        modified=modified,
        author=_clean(
            _first(
                text_of(jsonld_text(ld.get("author"))),
                text_of(meta.first("article:author", "author", "dable:author")),
                text_of(from_json.get("author")),
            )
        ),
        description=description,
        image=urljoin(url, image) if image else None,
        category=_clean(
            _first(
                text_of(meta.first("article:section")),
                text_of(jsonld_text(ld.get("articleSection"))),
                text_of(from_json.get("section")),
                hints.category,
            )
        ),
        tags=tags,
        language=_first(
            meta.lang,
            meta.first("og:locale"),
            jsonld_text(ld.get("inLanguage")),
            rules.language,
        ),
        body_html=body.html,
        body_text=text,
        fingerprint=fingerprint(title or "", text),
        fetched_url=url,
        extraction=(
            "container" if body.from_container else "embedded" if body.from_embedded else "generic"
        ),
    )
    return item


class _TrafilaturaMetadata:
    """trafilatura's own metadata reading, done only when newsbot's sources come up empty."""

    def __init__(self, raw: bytes, parser: lxml.html.HTMLParser, url: str) -> None:
        self._raw, self._parser, self._url = raw, parser, url
        self._document: Document | None = None

    def get(self, name: str) -> Any:
        if self._document is None:
            tree = lxml.html.document_fromstring(self._raw, parser=self._parser)
            self._document = extract_metadata(tree, default_url=self._url)
        return getattr(self._document, name, None)

    def lazy(self, name: str) -> Callable[[], Any]:
        return lambda: self.get(name)


_SITE_LOGIN = re.compile(
    r"login|log-in|signin|sign-in|register|member|account|auth|modal|popup|dropdown|navbar"
    r"|menu|sidebar|widget",
    re.IGNORECASE,
)
_ARTICLE_AREA = re.compile(r"article|entry|post|content|protect|view", re.IGNORECASE)


def _headings(tree: lxml.html.HtmlElement, limit: int = 3) -> list[str]:
    """The text of the page's first ``<h1>`` headings (as rendered, entities decoded)."""
    return [node.text_content() for node in tree.iter("h1")][:limit]


def _password_form(tree: lxml.html.HtmlElement) -> str | None:
    """Where a password field that is not part of a comment form stands: ``"article"`` (a
    protected post's form, inside the article area) or ``"site"`` (a login or sign-up box:
    header, navigation, sidebar, footer, a modal); None without one. Blogs put a guest comment
    form (name, password, "secret comment" box) under every post: a comment form always has a
    text area."""
    found = None
    for field in tree.iter("input"):
        if (field.get("type") or "").lower() != "password":
            continue
        scope = next(field.iterancestors("form"), None)
        if scope is None:  # no <form>: the few levels around the field
            ancestors = list(field.iterancestors())
            scope = ancestors[min(2, len(ancestors) - 1)] if ancestors else field
        if next(scope.iter("textarea"), None) is not None:
            continue
        names = [f"{node.get('class', '')} {node.get('id', '')}" for node in field.iterancestors()]
        tags = [node.tag for node in field.iterancestors()]
        site = any(t in ("header", "nav", "aside", "footer") for t in tags) or any(
            _SITE_LOGIN.search(name) for name in names
        )
        in_article = any(t in ("article", "main") for t in tags) or any(
            _ARTICLE_AREA.search(name) for name in names
        )
        if in_article and not site:
            return "article"
        found = "site"
    return found


_UNREADABLE = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _garbled(text: str) -> bool:
    """Binary data or a wrongly decoded page: replacement and control characters."""
    return len(_UNREADABLE.findall(text)) > max(3, len(text) // 50)


def fingerprint(title: str, text: str) -> str:
    normalised = " ".join(f"{title}\n{text}".split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _opening_words(text: str, limit: int = 60) -> str:
    line = " ".join(text.split("\n", 1)[0].split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,.;:") + "…"


def _utf8_parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _first(*values: str | Callable[[], Any] | None) -> str | None:
    """The first non-empty string; callables are only called when reached."""
    for value in values:
        if callable(value):
            value = value()
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _clean(value: str | None) -> str | None:
    return _SPACES.sub(" ", value).strip() or None if value else None


def _first_date(tz: str, *values: object) -> datetime | None:
    for value in values:
        if callable(value):
            value = value()
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
