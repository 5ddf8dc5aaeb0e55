"""From what the probe fetched to a proposed sources file entry (pure: no network).

Which discovery sources work (sitemaps, feeds, listing pages, the id walk), which URLs are
articles (``url_patterns``), the platform, language and timezone (``timezones``), the branding,
and a sample extraction of one or two articles with the proposed rules, for the operator to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newsbot.config.outlet import ExtractionRules
from newsbot.discovery.article_urls import bare_host
from newsbot.discovery.listings import read_listing
from newsbot.extraction.dates import parse_datetime
from newsbot.extraction.errors import NotAnArticle
from newsbot.extraction.hints import Hints
from newsbot.items import ArticleItem
from newsbot.probe.capture import Capture, FetchedPage
from newsbot.probe.naming import name_from_host
from newsbot.probe.site_pages import (
    FeedEntryText,
    HomePage,
    read_article_page,
    read_feed_page,
    read_home_page,
    read_sitemap_page,
    site_label,
)
from newsbot.probe.timezones import TimezoneGuess, dates_with_offsets, infer_timezone
from newsbot.probe.url_patterns import UrlGroup, rank_groups

SAMPLE_GROUPS = 3  # pattern candidates whose pages are fetched to see which are articles
SAMPLES_PER_GROUP = 2


class ProbeError(Exception):
    """The site gave nothing to propose (unreachable, no article URLs); one line."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Found:
    """One discovery source that works, and what the operator is told about it."""

    url: str
    note: str


@dataclass(frozen=True)
class Sample:
    url: str
    item: ArticleItem | None
    error: str | None = None


@dataclass
class Discovered:
    """What the discovery sources of the site list (same site only)."""

    base_url: str
    home: HomePage | None
    home_url: str | None
    sitemaps: list[Found] = field(default_factory=list)  # top-level sitemaps that parse
    sitemap_urls: list[str] = field(default_factory=list)
    sitemap_dates: list[str] = field(default_factory=list)
    feeds: list[Found] = field(default_factory=list)  # feeds with entries
    feed_entries: list[FeedEntryText] = field(default_factory=list)
    listings: dict[str, list[str]] = field(default_factory=dict)  # listing page -> its links
    not_articles: list[str] = field(default_factory=list)

    def sources(self) -> dict[str, list[str]]:
        listed = [url for links in self.listings.values() for url in links]
        return {
            "feed": [e.link for e in self.feed_entries if self.is_own(e.link)],
            "sitemap": [u for u in self.sitemap_urls if self.is_own(u)],
            "listing": [u for u in dict.fromkeys(listed) if self.is_own(u)],
        }

    def is_own(self, url: str) -> bool:
        return bare_host(urlsplit(url).netloc) == bare_host(urlsplit(self.base_url).netloc)


@dataclass
class Proposal:
    name: str
    base_url: str
    entry: dict[str, Any]  # the sources file entry, in the file's key order
    group: UrlGroup
    matched: dict[str, tuple[int, int]]  # source -> (article URLs, URLs)
    sitemaps: list[Found]
    feeds: list[Found]
    listings: list[Found]
    id_walk: bool
    platform: str | None
    language: str | None
    timezone: TimezoneGuess
    samples: list[Sample]
    warnings: list[str] = field(default_factory=list)
    # the article pages draw the body by script from JSON that the platform file reads
    embedded: str | None = None


def base_url_of(capture: Capture) -> str:
    home = capture.home
    parts = urlsplit(home.url if home else capture.start_url)
    return f"{parts.scheme}://{parts.netloc}"


def discovered(capture: Capture) -> Discovered:
    """Read every page the probe fetched: which sources list what."""
    base = base_url_of(capture)
    home_page = capture.home
    home = read_home_page(home_page.text, home_page.url) if home_page and home_page.text else None
    found = Discovered(base, home, home_page.url if home_page else None)
    for page in capture.of_kind("sitemap"):
        sitemap = read_sitemap_page(page.body)
        if not sitemap.kind:
            continue
        found.not_articles.append(page.url)
        found.sitemap_dates.extend(sitemap.lastmods)
        if sitemap.kind == "urlset":
            found.sitemap_urls.extend(sitemap.locs)
        if page.via != "index":
            what = (
                f"an index of {len(sitemap.locs)} sitemaps"
                if sitemap.kind == "sitemapindex"
                else f"{len(sitemap.locs)} URLs"
            )
            found.sitemaps.append(Found(page.url, f"{page.via}; {what}"))
    seen_feeds: list[list[str]] = []
    feeds = capture.of_kind("feed")
    for page in sorted(feeds, key=lambda p: p.via != "advertised"):
        entries = read_feed_page(page.body, page.url)
        listed = [e.link for e in entries]
        if entries and listed not in seen_feeds:  # /rss and /feed are often one feed
            seen_feeds.append(listed)
            found.not_articles.append(page.url)
            found.feed_entries.extend(entries)
            found.feeds.append(Found(page.url, f"{page.via}; {len(entries)} entries"))
    for page in [*capture.of_kind("home"), *capture.of_kind("listing")]:
        if page.text is None:
            continue
        links = read_listing(page.text, page.url)
        found.listings[page.url] = [u.split("#", 1)[0] for u in links.links]
        found.not_articles.extend([page.url, *links.pagination])
    return found


def sample_urls(found: Discovered) -> list[str]:
    """The pages to fetch to see which pattern candidate is the articles'."""
    urls: list[str] = []
    for group in rank_groups(found.sources(), found.not_articles)[:SAMPLE_GROUPS]:
        urls.extend(_ordered(group, found)[:SAMPLES_PER_GROUP])
    return urls


def propose(capture: Capture, name: str | None = None, timezone: str | None = None) -> Proposal:
    """The proposed entry; ``ProbeError`` when the site gave nothing to propose."""
    if capture.unreachable and not capture.pages:
        raise ProbeError(capture.unreachable, 1)
    if capture.home is None:
        why = next((reason for url, kind, reason in capture.failures if kind == "home"), "")
        raise ProbeError(f"cannot read the home page {capture.start_url}: {why or 'no answer'}", 1)
    found = discovered(capture)
    groups = rank_groups(found.sources(), found.not_articles)
    if not groups:
        raise ProbeError(
            f"no article URLs found at {found.base_url}: {_looked_at(found)}; "
            "is it a news site's home page?",
            6,
        )
    warnings: list[str] = []
    trials = [_try_group(group, found, capture, timezone) for group in groups[:SAMPLE_GROUPS]]
    trial = next((t for t in trials if any(sample.item for sample in t.samples)), None)
    if trial is None:
        trial = trials[0]
        warnings.append(
            "no sample page reads as an article (see the sample extraction below): "
            "check the pattern before crawling"
        )
    if trial.timezone.source == "default" and trial.timezone.reason.startswith("the offsets"):
        warnings.append(f"timezone: {trial.timezone.reason}")
    return _proposal(found, trial, name, warnings)


@dataclass(frozen=True)
class _Trial:
    """One pattern candidate, with what its sample pages say."""

    group: UrlGroup
    platform: str | None
    language: str | None
    timezone: TimezoneGuess
    label: str | None
    samples: list[Sample]
    embedded: str | None = None  # the JSON the body is read from (Fusion.globalContent)
    scripted: str | None = None  # JSON state of a script framework that no platform reads


def _try_group(
    group: UrlGroup, found: Discovered, capture: Capture, timezone: str | None
) -> _Trial:
    pages = [p for url in _ordered(group, found) if (p := capture.page(url)) and p.text]
    pages = pages[:SAMPLES_PER_GROUP]
    facts = [read_article_page(p.text or "") for p in pages]
    platforms = [name for fact in facts for name in fact.platforms]
    platform = max(set(platforms), key=platforms.count) if platforms else None
    languages = [fact.language for fact in facts if fact.language]
    language = languages[0] if languages else (found.home.language if found.home else None)
    entries = {e.link: e for e in found.feed_entries if group.pattern.match(e.link)}
    dates = (
        dates_with_offsets(d for fact in facts for d in fact.dates)
        or dates_with_offsets(d for e in entries.values() for d in (e.published, e.updated))
        or dates_with_offsets(found.sitemap_dates)
    )
    guess = infer_timezone(dates, language, timezone)
    label = site_label(found.home, facts)
    rules = ExtractionRules(
        timezone=guess.name, language=language, site_label=label, platform=platform
    )
    samples = [_extract(page, entries.get(page.requested), rules) for page in pages]
    embedded = _most_common([fact.embedded for fact in facts if fact.embedded])
    scripted = _most_common([fact.scripted for fact in facts if fact.scripted])
    return _Trial(group, platform, language, guess, label, samples, embedded, scripted)


def _most_common(values: list[str]) -> str | None:
    return max(set(values), key=values.count) if values else None


def _extract(page: FetchedPage, entry: FeedEntryText | None, rules: ExtractionRules) -> Sample:
    from newsbot.extraction import extract_article

    hints = Hints(source="probe")
    if entry is not None:
        hints = Hints(
            title=entry.title,
            published=parse_datetime(entry.published, rules.timezone),
            modified=parse_datetime(entry.updated, rules.timezone),
            source="feed",
        )
    try:
        return Sample(page.requested, extract_article(page.text or "", page.url, hints, rules))
    except NotAnArticle as skip:
        return Sample(page.requested, None, f"not an article ({skip.reason}: {skip})")
    except Exception as exc:  # a page the extractor cannot handle: shown, never a traceback
        return Sample(page.requested, None, f"extraction failed: {exc!r}")


def _proposal(found: Discovered, trial: _Trial, name: str | None, warnings: list[str]) -> Proposal:
    group = trial.group
    base = found.base_url
    pattern = group.pattern
    name = name or name_from_host(base, trial.label)
    matched = {
        source: (sum(pattern.match(u) is not None for u in urls), len(urls))
        for source, urls in found.sources().items()
        if urls
    }
    sitemaps = found.sitemaps if matched.get("sitemap", (0, 0))[0] else []
    feeds = found.feeds if matched.get("feed", (0, 0))[0] else []
    home_url = found.home_url
    listing_pages: list[str] = []
    sections: list[str] = []
    for url, links in found.listings.items():
        if url != home_url and pattern.match(url) is not None:
            continue  # an article that a menu links
        articles = sum(pattern.match(u) is not None and found.is_own(u) for u in links)
        if not articles:
            continue
        if url == home_url:
            listing_pages.append(url)
        else:
            sections.append(url)
    if sections and not listing_pages and home_url:
        listing_pages.append(home_url)  # the sections are followed from the home page
    listing_pattern = _listing_pattern(sections, group.urls) if listing_pages else None
    fallback = bool(listing_pages and (sitemaps or feeds) and pattern.id_walk)
    note = "links articles" + (", read when no sitemap or feed lists any" if fallback else "")
    listings = [Found(u, note) for u in listing_pages + sections]

    label = trial.label or name
    discovery: dict[str, Any] = {
        "sitemaps": [_relative(f.url, base) for f in sitemaps],
        "feeds": [_relative(f.url, base) for f in feeds],
        "listing_pages": [_relative(u, base) for u in listing_pages],
    }
    if fallback:
        # the next id and a sitemap or feed that lists the articles show every new article
        # the listings show: read them only on a run where those list nothing
        discovery["fallback_listing_pages"] = discovery["listing_pages"]
        discovery["listing_pages"] = []
    if listing_pages:
        discovery["listing_pattern"] = listing_pattern
    discovery["id_walk"] = pattern.id_walk
    branding: dict[str, Any] = {"label": label, "site_url": base}
    if found.home and found.home.image:
        branding["cover_image"] = found.home.image
        branding["cover_alt"] = label
    entry: dict[str, Any] = {"name": name, "enabled": True, "base_url": base}
    if trial.platform:
        entry["platform"] = trial.platform
    entry["timezone"] = trial.timezone.name
    if trial.language:
        entry["language"] = trial.language
    aliases = _host_aliases(group.urls, base)
    if aliases:
        entry["host_aliases"] = aliases
    entry["articles"] = {
        "pattern": pattern.pattern,
        "canonical": pattern.canonical,
        "slug": "{outlet}-{id}",
    }
    entry["discovery"] = discovery
    entry["branding"] = branding
    if trial.scripted and not trial.embedded:
        warnings.append(
            f"the article pages carry their content as script state ({trial.scripted}) that no "
            "platform file reads: if the sample bodies are short or missing, declare where the "
            "article sits in it (README: 'Articles drawn from embedded JSON')"
        )
    if not (sitemaps or feeds or listing_pages):
        warnings.append("no sitemap, feed or listing page lists the articles found")
    return Proposal(
        name=name,
        base_url=base,
        entry=entry,
        group=group,
        matched=matched,
        sitemaps=sitemaps,
        feeds=feeds,
        listings=listings,
        id_walk=pattern.id_walk,
        platform=trial.platform,
        language=trial.language,
        timezone=trial.timezone,
        samples=trial.samples,
        warnings=warnings,
        embedded=trial.embedded,
    )


def _listing_pattern(sections: list[str], articles: Iterable[str]) -> str | None:
    """A regex on the path matching the section listings that link articles and no article."""
    if not sections:
        return None
    paths = sorted({urlsplit(u).path or "/" for u in sections})
    article_paths = [urlsplit(u).path or "/" for u in articles]
    firsts = sorted({p.strip("/").split("/")[0] for p in paths})
    if "" not in firsts:
        candidate = f"^/(?:{'|'.join(map(re.escape, firsts))})(?:/|$)"
        if len(firsts) == 1:
            candidate = f"^/{re.escape(firsts[0])}(?:/|$)"
        if not any(re.search(candidate, p) for p in article_paths):
            return candidate
    exact = "|".join(re.escape(p.rstrip("/") or "/") for p in paths)
    return f"^(?:{exact})/?$"


def _ordered(group: UrlGroup, found: Discovered) -> list[str]:
    """The group's URLs in the order the sources gave them (feeds first: the newest)."""
    members = set(group.urls)
    order = [u for urls in found.sources().values() for u in urls if u in members]
    return list(dict.fromkeys(order))


def _host_aliases(urls: Iterable[str], base: str) -> list[str]:
    host = urlsplit(base).netloc.lower()
    bare = bare_host(host)
    automatic = {host, bare, f"www.{bare}", f"m.{bare}"}
    return sorted({urlsplit(u).netloc.lower() for u in urls} - automatic)


def _relative(url: str, base: str) -> str:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _looked_at(found: Discovered) -> str:
    return (
        f"{len(found.sitemaps)} sitemaps, {len(found.feeds)} feeds and "
        f"{len(found.listings)} listing pages read"
    )
