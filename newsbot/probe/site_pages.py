"""What the pages of a site say, read for the probe (pure functions of a page's bytes or text):
robots.txt's sitemaps, a sitemap's URLs and dates, a feed's links and dates, a home page's
feeds, section links and branding, an article page's platform, language and dates.

Sitemaps, feeds and links are parsed by ``newsbot.discovery`` (the crawl's own parsers); the
probe keeps the values as written (its time-zone guess reads them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from scrapy.utils.sitemap import sitemap_urls_from_robots

from newsbot.discovery.feeds import feed_entries
from newsbot.discovery.listings import feed_links, page_links
from newsbot.discovery.sitemaps import sitemap_entries
from newsbot.extraction.embedded import read_embedded
from newsbot.extraction.metadata import jsonld_text, read_metadata
from newsbot.extraction.page_rules import matches
from newsbot.platforms import css_to_xpath, known_platforms

_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_MENU = re.compile(r"(?:^|[-_\s])(?:nav|navi|navbar|menu|gnb|lnb|sections?|categor(?:y|ies))"
                   r"(?:$|[-_\s])", re.I)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:]\s+")
_GENERIC_TITLES = {"home", "home page", "homepage", "main", "index", "start", "startseite",
                   "accueil", "inicio", "홈", "메인", "news", "뉴스"}  # fmt: skip
_NOT_LISTINGS = re.compile(
    r"(?:^|/)(?:about|contact|login|logout|signup|register|privacy|terms|search|rss|feed|"
    r"subscribe|guestbook|admin|wp-admin|wp-login\.php)(?:/|\.|$)|\.(?:xml|rss|jpg|png|gif|pdf)$",
    re.I,
)


@dataclass(frozen=True)
class SitemapPage:
    kind: str  # "sitemapindex", "urlset", or "" for a body that is not a sitemap
    locs: list[str]  # URLs (of sitemaps, for an index)
    lastmods: list[str]  # the dates as written


@dataclass(frozen=True)
class FeedEntryText:
    link: str
    title: str | None
    published: str | None  # as written
    updated: str | None


@dataclass(frozen=True)
class HomePage:
    links: list[str]  # every link, absolute
    section_links: list[str]  # links of the site's menus: listing candidates
    feeds: list[str]  # advertised with <link rel="alternate">
    language: str | None
    site_name: str | None  # og:site_name (or application-name)
    title: str | None  # the <title>
    image: str | None  # og:image, absolute


@dataclass(frozen=True)
class ArticlePage:
    platforms: list[str]  # known platforms whose signature the page carries
    language: str | None
    dates: list[str] = field(default_factory=list)  # published/modified dates as written
    site_name: str | None = None  # og:site_name
    title: str | None = None  # the <title>
    # the article's body comes from JSON in the page that a platform file reads: its source
    embedded: str | None = None
    # the page carries a script framework's state as JSON that no platform file reads
    scripted: str | None = None


# Where script frameworks leave a page's content as JSON (the name shown, a CSS selector).
APP_STATE = tuple(
    (name, css_to_xpath(selector))
    for name, selector in (
        ("Fusion.globalContent (Arc XP)", "script:contains('Fusion.globalContent')"),
        ("__NEXT_DATA__ (Next.js)", "script#__NEXT_DATA__"),
        ("__NUXT_DATA__ (Nuxt)", "script#__NUXT_DATA__"),
        ("window.__NUXT__ (Nuxt)", "script:contains('window.__NUXT__')"),
        ("__PRELOADED_STATE__", "script:contains('__PRELOADED_STATE__')"),
        ("__APOLLO_STATE__", "script:contains('__APOLLO_STATE__')"),
    )
)


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=url)))


def read_sitemap_page(body: bytes) -> SitemapPage:
    kind, entries = sitemap_entries(body)
    return SitemapPage(
        kind,
        [entry["loc"] for entry in entries],
        [entry["lastmod"] for entry in entries if entry.get("lastmod")],
    )


def read_feed_page(body: bytes, url: str) -> list[FeedEntryText]:
    """The entries of an RSS/Atom feed; [] for anything else (an HTML page at /rss)."""
    return [
        FeedEntryText(
            urljoin(url, link), entry.get("title"), entry.get("published"), entry.get("updated")
        )
        for link, entry in feed_entries(body, feeds_only=True)
    ]


def read_home_page(text: str, url: str) -> HomePage:
    root = _tree(text)
    meta = read_metadata(root)
    links = _links(root, url)
    here = urlsplit(url)
    menus = [
        node
        for node in root.iter("nav", "header", "ul", "div", "menu")
        if node.tag in ("nav", "header", "menu")
        or _MENU.search(f"{node.get('class') or ''} {node.get('id') or ''}")
    ]
    in_menus = {link for menu in menus for link in _links(menu, url)}
    sections = [
        link
        for link in links
        if link in in_menus
        and urlsplit(link).netloc == here.netloc
        and (urlsplit(link).path.rstrip("/") or urlsplit(link).query)
        and not _NOT_LISTINGS.search(urlsplit(link).path)
        and link.split("#")[0].rstrip("/") != url.split("#")[0].rstrip("/")
    ]
    image = meta.first("og:image", "og:image:url", "twitter:image")
    return HomePage(
        links=links,
        section_links=list(dict.fromkeys(sections)),
        feeds=_feed_links(root, url),
        language=_language(meta.lang, meta.first("og:locale")),
        site_name=meta.first("og:site_name", "application-name"),
        title=meta.title_tag,
        image=urljoin(url, image) if image else None,
    )


def read_article_page(text: str) -> ArticlePage:
    root = _tree(text)
    meta = read_metadata(root)
    detected = [
        platform
        for platform in known_platforms()
        if any(matches(root, xpath) for xpath in platform.detect_xpaths)
    ]
    platforms = [platform.name for platform in detected]
    declared = tuple(p.embedded for p in detected if p.embedded is not None)
    found = read_embedded(root, declared) if declared else None
    embedded = found.source if found is not None and found.html.strip() else None
    scripted = None
    if embedded is None:
        scripted = next((name for name, xpath in APP_STATE if matches(root, xpath)), None)
    ld = meta.jsonld
    dates = [
        value
        for value in (
            jsonld_text(ld.get("datePublished")),
            jsonld_text(ld.get("dateModified")),
            *meta.all("article:published_time"),
            *meta.all("article:modified_time"),
            *meta.all("og:updated_time"),
            *(node.get("datetime") for node in root.iter("time")),
        )
        if value
    ]
    language = _language(meta.lang, meta.first("og:locale"))
    return ArticlePage(
        platforms, language, dates, meta.first("og:site_name"), meta.title_tag, embedded, scripted
    )


def _tree(text: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


def _links(root: HtmlElement, base: str) -> list[str]:
    return page_links(root, base)


def _feed_links(root: HtmlElement, base: str) -> list[str]:
    return list(dict.fromkeys(feed_links(root, base)))


def _language(lang: str | None, locale: str | None) -> str | None:
    value = (lang or locale or "").strip().replace("_", "-")
    primary = value.split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def site_label(home: HomePage | None, articles: list[ArticlePage]) -> str | None:
    """The site's name: og:site_name, else the part that its pages' titles share ("Story -
    Site", "Home | Site"), else the home page's title without its generic words."""
    named = [home.site_name] if home and home.site_name else []
    named += [page.site_name for page in articles if page.site_name]
    if named:
        return named[0]
    home_parts = _title_parts(home.title if home else None)
    for page in articles:
        shared = [part for part in _title_parts(page.title) if part in home_parts]
        if shared:
            return shared[0]
    specific = [part for part in home_parts if part.lower() not in _GENERIC_TITLES]
    return specific[0] if specific else None


def _title_parts(title: str | None) -> list[str]:
    return [part.strip() for part in _TITLE_SEPARATORS.split(title or "") if part.strip()]
