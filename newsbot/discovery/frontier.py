"""What a crawl fetches next, and what it has seen: the frontier of one outlet's crawl.

A plain class, without Scrapy: the spider reports what discovery found and what the pages it
fetched turned out to be, and turns the answers into requests. It decides

- which article URLs to fetch: each canonical URL once; an already published article only when
  its sitemap/feed entry says it changed after the modified time its post records
  (``last_modified_at``; a post from before that record: after the file's mtime), or with
  ``--refresh``;
- the id walk (ids rise: walk upward from the highest id known until N ids in a row are
  missing; with ``probe``, a run asks for the next id only and walks further on a hit) and
  the ``--backfill`` below the highest id;
- which pages not to fetch again: those its ``DiscoveryMemory`` knows are not articles;
- which listing pages to follow: pagination only while a page shows articles that neither the
  blog nor a sitemap accounts for, decided once every sitemap has answered; the outlet's
  fallback listing pages on a first run, and later only when discovery ends without a sitemap
  or feed that listed an article.

Counts go to a ``count(key, delta)`` callback (the crawl's ``stats.inc_value``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Protocol

from newsbot.blog.post_index import PublishedIndex, PublishedPost
from newsbot.discovery.article_urls import ArticleRef, ArticleUrls
from newsbot.discovery.id_walk import IdWalk
from newsbot.extraction.hints import Hints
from newsbot.run.ledger import SKIPPED, SkipReason
from newsbot.state.discovery_memory import DiscoveryMemory

GUESSED_SOURCES = ("id-walk", "backfill", "retry")  # ids we guessed, not ids we saw linked
LISTS = ("sitemap", "feed")  # sources whose answer makes the fallback listing pages needless
# Skipped pages that still prove their id is a post. An error, empty or too short page does not:
# an outlet that answers 200 for every id would otherwise walk the ids for ever.
EXISTING_POSTS = frozenset({SkipReason.PROTECTED, SkipReason.NOTICE})

Fetch = tuple[ArticleRef, Hints]  # an article to request, with what discovery said about it
Page = tuple[str, int]  # a listing page to request, with its pagination depth


class SitemapEntry(Protocol):
    @property
    def loc(self) -> str: ...
    @property
    def lastmod(self) -> datetime | None: ...


def _no_count(key: str, count: int = 1) -> Any:
    return None


class Frontier:
    def __init__(
        self,
        urls: ArticleUrls,
        published: PublishedIndex,
        *,
        since: date | None = None,
        refresh: bool = False,
        walk_misses: int = 0,
        backfill: int = 0,
        max_listing_pages: int = 20,
        count: Callable[[str, int], Any] = _no_count,
        memory: DiscoveryMemory | None = None,
        probe: bool = False,
    ) -> None:
        self.urls = urls
        self.published = published
        self.since = since
        self.refresh = refresh
        self.backfill = backfill
        self.max_listing_pages = max_listing_pages
        self.memory = memory or DiscoveryMemory()
        self._count = count
        self._seen: set[str] = set()  # article URLs offered (canonical)
        self._unfetched: set[str] = set()  # published articles seen but not fetched (yet)
        # sitemaps a sitemap index dates before its newest child: url -> the index's lastmod
        self.settled_sitemaps: dict[str, datetime] = {}
        # pages remembered as not articles, skipped for now (reason): a sitemap's lastmod seen
        # after a feed's or listing's bare link may still say they changed
        self._remembered: dict[str, str] = {}
        self._fingerprints: set[str] = set()  # article contents fetched in this run
        self._listings_seen: set[str] = set()
        self._sitemapped: set[str] = set()  # article URLs that a sitemap lists
        self._sitemaps_requested: set[str] = set()
        self._sitemaps_pending = 0  # sitemap sources asked for and not answered yet
        # listing pagination waiting for the sitemaps: (article URLs listed, next pages, depth)
        self._deferred_pages: list[tuple[list[str], list[str], int]] = []
        self._backfilled = False
        self._listed = False  # a sitemap or feed listed an article in this run
        self._fallback_asked = False
        # this outlet's posts (a blog may carry other outlets' too), and the pages remembered as
        # not articles: ids known to exist
        posts = [ref for post in published if (ref := urls.match(post.source_url))]
        known = posts + [ref for url in self.memory.not_articles() if (ref := urls.match(url))]
        numbers = [ref.number for ref in known if ref.number is not None]
        # a first run of the outlet reads every listing it knows and walks ``walk_misses`` past
        # the newest id; later runs probe the next id
        self._first = not posts
        self.walk = IdWalk(walk_misses, probe=1 if probe and posts else None)
        for number in numbers:
            self.walk.hit(number)

    # ------------------------------------------------------------------ discovery
    def start(self, retry: Iterable[str] = ()) -> list[Fetch]:
        """The articles to fetch before discovery answers: the last run's failures (``retry``),
        and the id walk above the newest post the blog has."""
        fetch = []
        for url in retry:
            ref = self.urls.match(url)
            if ref:
                fetch += self._offer(ref, Hints(source="retry"))
        if not self._first:
            fetch += self._walk()
        return fetch

    def robots_requested(self) -> None:
        """robots.txt may name sitemaps: pagination waits for its answer too."""
        self._sitemaps_pending += 1

    def sitemaps(self, urls: Iterable[str]) -> list[str]:
        """The sitemaps to request among ``urls`` (robots.txt and the usual paths often name
        the same one); each is pending until :meth:`sitemap_answered`."""
        wanted = []
        for url in urls:
            if url not in self._sitemaps_requested:
                self._sitemaps_requested.add(url)
                self._sitemaps_pending += 1
                wanted.append(url)
        return wanted

    def sitemap_answered(self) -> list[Page]:
        """A sitemap source answered (or failed): once none is pending, the pagination of the
        listings read meanwhile is decided."""
        self._sitemaps_pending -= 1
        if self._sitemaps_pending <= 0:
            return self._deferred_pagination()
        return []

    def sitemap_read(
        self, kind: str, entries: Iterable[SitemapEntry], damaged: bool = False
    ) -> tuple[list[str], list[Fetch]]:
        """(sitemaps to request, articles to fetch) from a sitemap index or a urlset; entries
        last modified before ``since`` are left out. A ``damaged`` one (cut short) may
        list a part only: it does not spare the fallback listings."""
        since = self.since
        entries = [e for e in entries if not (since and e.lastmod and e.lastmod.date() < since)]
        if kind == "sitemapindex":
            # A child the index says has not changed since a given time (a past month's) need
            # not be asked again when the cached copy is newer; the newest ones always are,
            # so an index whose lastmods are never updated still shows every new article.
            dated = [e.lastmod for e in entries if e.lastmod]
            newest = max(dated) if dated else None
            for entry in entries:
                if entry.lastmod and newest and entry.lastmod < newest:
                    self.settled_sitemaps[entry.loc] = entry.lastmod
            return self.sitemaps(entry.loc for entry in entries), []
        found = []
        for entry in entries:
            ref = self.urls.match(entry.loc)
            if ref:
                found.append((ref, Hints(modified=entry.lastmod, source="sitemap")))
        self._sitemapped.update(ref.url for ref, _ in found)
        return [], self.discovered(found, damaged)

    def discovered(self, found: Iterable[Fetch], damaged: bool = False) -> list[Fetch]:
        """The articles to fetch among those a sitemap, feed or listing links (and, once the id
        walk has started, the ids it reaches now); ``damaged``: from a document cut short,
        which may list a part only."""
        found = list(found)
        if not damaged and any(h.source in LISTS for _, h in found):
            self._listed = True
        fetch = [wanted for ref, hints in found for wanted in self._offer(ref, hints)]
        if self.walk.started:
            fetch += self._walk()
        return fetch

    def listing(self, url: str) -> str | None:
        """The URL to request for a listing or feed page, or None when it was requested already
        (pages link each other many times over)."""
        key = url.split("#", 1)[0]
        if key in self._listings_seen:
            return None
        self._listings_seen.add(key)
        return key

    def listing_read(
        self,
        listed: Iterable[ArticleRef],
        pagination: Iterable[str],
        links: Iterable[str],
        depth: int,
    ) -> list[Page]:
        """The listing pages to request after reading one at ``depth``: its next pages and,
        from a top listing, the section listings it links (see :meth:`_next_pages`; decided
        once the sitemaps have answered)."""
        pages = [url for url in pagination if not self.urls.match(url)]
        urls = [ref.url for ref in listed]
        if depth == 0 and self.urls.outlet.listing_pattern:
            # The section listings a top listing links: its other pages, in effect. A top
            # listing that shows no article at all (a portal of sections) has them followed.
            sections = [url for url in links if self.urls.is_listing(url)]
            if not urls:
                return [
                    (key, 1)
                    for url in sections
                    if self.urls.is_own_host(url) and (key := self.listing(url)) is not None
                ]
            pages += sections
        if not pages or depth + 1 >= self.max_listing_pages:
            return []
        if self._sitemaps_pending:  # decide once the sitemaps have said what they list
            self._deferred_pages.append((urls, pages, depth + 1))
            return []
        return self._next_pages(urls, pages, depth + 1)

    def idle(self) -> tuple[list[Page], list[Fetch]]:
        """Discovery is done: the pagination still undecided (a sitemap that never answered),
        the fallback listing pages (a first run, or no sitemap or feed listed an article), the
        id walk when no post of the blog started it, and the backfill, once each."""
        pages = self._deferred_pagination() + self._fallback_listings()
        fetch = [] if self.walk.started else self._walk()
        if self.backfill and not self._backfilled and self.walk.highest is not None:
            self._backfilled = True
            top = self.walk.highest
            for number in range(top - 1, max(top - 1 - self.backfill, 0), -1):
                fetch += self._offer(self.urls.for_id(number), Hints(source="backfill"))
        return pages, fetch

    # ------------------------------------------------------------------ articles fetched
    def landed(self, requested: ArticleRef, page: ArticleRef) -> ArticleRef | None:
        """The article a fetched page is (``page``: its canonical URL, else where a redirect
        landed), or None when that article was fetched or published under its own URL."""
        if page.url == requested.url:
            return requested
        if page.url in self._seen or page.url in self.published:
            self._count(f"{SKIPPED}{SkipReason.DUPLICATE}", 1)
            return None
        self._seen.add(page.url)
        return page

    def extracted(self, ref: ArticleRef, fingerprint: str) -> list[Fetch]:
        """An article page was read: content new to this run proves its id (the walk goes on);
        the same content again (one page served for every id) proves nothing."""
        if fingerprint not in self._fingerprints:
            self._fingerprints.add(fingerprint)
            if ref.number is not None:
                self.walk.hit(ref.number)
        return self._walk()

    def skipped(self, ref: ArticleRef, reason: str) -> list[Fetch]:
        """An article page was not an article (``NotAnArticle.reason``): a protected post or a
        notice still proves its id."""
        if reason in EXISTING_POSTS and ref.number is not None:
            self.walk.hit(ref.number)
        return self._walk()

    def unanswered(self, ref: ArticleRef, hints: Hints) -> list[Fetch]:
        """An article could not be fetched (an error, not a 404): a probed id may exist, so the
        walk goes on to ``walk_misses`` past the highest id known (not past this one)."""
        if hints.source in GUESSED_SOURCES and ref.number is not None:
            self.walk.widen()
        return self._walk() if self.walk.started else []

    @staticmethod
    def missing_reason(hints: Hints) -> SkipReason:
        """How an article answered 404/410 is counted: a guessed id is a miss of the walk."""
        return SkipReason.ID_WALK_MISS if hints.source in GUESSED_SOURCES else SkipReason.HTTP_404

    # ------------------------------------------------------------------ internals
    def _offer(self, ref: ArticleRef, hints: Hints) -> list[Fetch]:
        if ref.number is not None and hints.source not in GUESSED_SOURCES:
            self.walk.hit(ref.number)  # a link to it exists: the id is real
        post = self.published.get(ref.url)
        if ref.url in self._seen:
            self._count("newsbot/discovered/duplicate", 1)
            # Another source may say more: a sitemap's lastmod after a listing's bare link.
            remembered = self._remembered.get(ref.url)
            if remembered is not None:
                if self.memory.known_not_article(ref.url, hints.modified):
                    return []
                self._count("newsbot/discovery/remembered_not_article", -1)
                self._count(f"{SKIPPED}{remembered}", -1)
                del self._remembered[ref.url]
            elif post and ref.url in self._unfetched and self._needs_refresh(post, hints):
                self._count(f"{SKIPPED}{SkipReason.ALREADY_PUBLISHED}", -1)
            else:
                return []
        else:
            self._seen.add(ref.url)
            self._count(f"newsbot/discovered/{hints.source or 'other'}", 1)
            if post is None and (known := self.memory.known_not_article(ref.url, hints.modified)):
                self._count("newsbot/discovery/remembered_not_article", 1)
                self._count(f"{SKIPPED}{known}", 1)  # skipped as it was when last fetched
                self._remembered[ref.url] = known
                return []
            if post is not None and not self._needs_refresh(post, hints):
                self._count(f"{SKIPPED}{SkipReason.ALREADY_PUBLISHED}", 1)
                self._unfetched.add(ref.url)
                return []
        self._unfetched.discard(ref.url)
        return [(ref, hints)]

    def _needs_refresh(self, post: PublishedPost, hints: Hints) -> bool:
        """A correction: the outlet's modified time is later than the one the post records
        (git keeps it, so a fresh clone decides the same); a post without that record falls
        back to the file's mtime."""
        if self.refresh:
            return True
        if hints.modified is None:
            return False
        if post.modified is not None:
            return hints.modified.timestamp() > post.modified.timestamp()
        try:
            return hints.modified.timestamp() > post.path.stat().st_mtime
        except OSError:
            return True

    def _walk(self) -> list[Fetch]:
        return [
            wanted
            for number in self.walk.take()
            for wanted in self._offer(self.urls.for_id(number), Hints(source="id-walk"))
        ]

    def _next_pages(self, listed: list[str], pages: list[str], depth: int) -> list[Page]:
        """Follow a listing's pagination (and a top listing's sections) while its page shows
        articles that neither the blog nor a sitemap (a complete source, unlike a feed)
        accounts for: all of it on a first run without sitemaps, none of it when a sitemap
        lists everything or nothing is new."""
        if all(url in self.published or url in self._sitemapped for url in listed):
            return []
        return [
            (key, depth)
            for url in pages
            if self.urls.is_own_host(url) and (key := self.listing(url)) is not None
        ]

    def _fallback_listings(self) -> list[Page]:
        if self._fallback_asked or (self._listed and not self._first):
            return []
        self._fallback_asked = True
        pages = [
            (key, 0)
            for path in self.urls.outlet.fallback_listing_pages
            if (key := self.listing(self.urls.absolute(path))) is not None
        ]
        if pages:
            self._count("newsbot/discovery/fallback_listings", len(pages))
        return pages

    def _deferred_pagination(self) -> list[Page]:
        deferred, self._deferred_pages = self._deferred_pages, []
        return [
            page
            for listed, pages, depth in deferred
            for page in self._next_pages(listed, pages, depth)
        ]
