"""Three news sites built differently, for ``newsbot add`` and crawling from configuration alone.

Each answers ``respond(path, host)`` like ``newsbot.demo.outlet.OutletSite`` (so
``newsbot.demo.server.serve`` serves it on 127.0.0.1) and differs in how its articles can be
found, how their URLs look and which timezone their dates are in:

- ``FeedOnlySite``: a WordPress-like site whose home page renders its stories in the browser (no
  article links in the HTML), no sitemap; an Atom feed advertised with ``<link rel=alternate>``
  at ``/feeds/latest.xml`` lists every story at ``/articles/<number>``; dates +09:00 (Seoul).
- ``SitemapOnlySite``: English, robots.txt names a sitemap index whose monthly sitemaps list
  ``/news/YYYY/MM/<slug-words>`` (and a sitemap of section pages); no feed; section pages render
  their lists in the browser; dates in America/New_York (-05:00 in winter, -04:00 in summer).
- ``ListingsOnlySite``: no sitemap, no feed; the home page and paginated category listings
  (``/list.php?cat=…&page=N``) link ``/story.php?id=<number>``; dates written without an offset,
  in Europe/Berlin.

Every page carries the furniture of a real news site around the story (menus, sidebar widgets,
share bars, related links, comments, newsletter boxes, footer), in markup written for these
tests. The stories' text comes from the shared newsdao corpus when present, else from the
bundled demo samples, so the tests run without ../shared.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from newsbot.demo.outlet import Delivery, load_samples

Response = tuple[int, dict[str, str], bytes]
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
_ADJECTIVES = ("quiet", "rising", "late", "new", "local", "small", "open", "rural", "busy", "long")
_NOUNS = ("budget", "harbor", "transit", "library", "market", "clinic", "bridge", "school",
          "festival", "housing")  # fmt: skip


@dataclass(frozen=True)
class Story:
    id: int  # a number (URLs of the feed and listings sites use it)
    slug: str  # words (the sitemap site's URLs use it)
    title: str
    body_html: str
    description: str
    published: datetime  # aware, in the site's zone
    section: str

    @property
    def text(self) -> str:
        """The story's text as a reader sees it, one line per block (what a post's body is
        compared with; a regex tag stripper would also drop text such as ``<자료출처=…>``)."""
        from newsbot.extraction.body import html_to_text

        return html_to_text(self.body_html)


def story_texts(count: int, offset: int) -> list[tuple[str, str, str]]:
    """(title, body HTML, description) of ``count`` stories: corpus rows when ../shared is
    there (a different, evenly spread slice for each ``offset``), else the demo samples."""
    from tests.shared_data import corpus_available, load_corpus_rows, sample_rows

    if corpus_available():
        rows = sample_rows(load_corpus_rows(), count * 3)[offset::3][:count]
        return [(r["source_title"], r["body_html"], r.get("excerpt") or "") for r in rows]
    samples = load_samples()
    return [(s.title, s.body_html, s.summary) for s in samples][:count]


def make_stories(
    count: int, offset: int, zone: str, first: datetime, step: timedelta, sections: list[str]
) -> list[Story]:
    """Stories numbered from 300 + 20 * offset with a gap or two, dated from ``first`` (a local
    wall time in ``zone``) on."""
    tz = ZoneInfo(zone)
    stories = []
    number = 300 + 20 * offset
    for i, (title, body, description) in enumerate(story_texts(count, offset)):
        number += 2 if i % 5 == 4 else 1  # a deleted story now and then
        slug = f"{_ADJECTIVES[i % 10]}-{_NOUNS[(i * 3 + offset) % 10]}-plans-{_NOUNS[i // 10]}"
        when = (first + step * i).replace(tzinfo=tz)
        stories.append(
            Story(number, slug, title, body, description, when, sections[i % len(sections)])
        )
    return stories


def _e(text: str) -> str:
    return escape(text, quote=True)


def _html(body: str, status: int = 200) -> Response:
    return status, {"Content-Type": HTML}, body.encode("utf-8")


def _not_found(site_name: str) -> Response:
    return _html(
        f"<!doctype html><html><head><title>Not found | {_e(site_name)}</title></head>"
        "<body><h1>Page not found</h1><p>The page you asked for is not here.</p></body></html>",
        404,
    )


def _comments(story: Story) -> str:
    people = (("Mina", "Thanks for following this up."), ("J. Park", "Any word on the dates?"),
              ("reader42", "Shared this with my neighbours."))  # fmt: skip
    items = "".join(
        f'<li class="comment" id="comment-{story.id}{n}"><div class="comment-author">{who}</div>'
        f'<div class="comment-content"><p>{said}</p></div>'
        f'<a class="comment-reply-link" href="#respond">Reply</a></li>'
        for n, (who, said) in enumerate(people[: 1 + story.id % 3])
    )
    return (
        f'<section id="comments" class="comments-area"><h2 class="comments-title">'
        f'{1 + story.id % 3} comments</h2><ol class="comment-list">{items}</ol>'
        '<div id="respond" class="comment-respond"><h3>Leave a comment</h3>'
        '<form action="/comments" method="post" class="comment-form">'
        '<p><label>Name <input name="author"></label></p>'
        '<p><label>Comment <textarea name="comment"></textarea></label></p>'
        '<p><button type="submit">Post comment</button></p></form></div></section>'
    )


def _share(url: str) -> str:
    return (
        '<div class="share-bar"><span>Share</span>'
        f'<a href="https://www.facebook.com/sharer.php?u={_e(url)}">Facebook</a>'
        f'<a href="https://twitter.com/intent/tweet?url={_e(url)}">X</a>'
        '<a href="#" class="copy-link">Copy link</a></div>'
    )


def _newsletter() -> str:
    return (
        '<aside class="newsletter-box"><h3>Get the morning briefing</h3>'
        "<p>The day's top stories in your inbox before breakfast.</p>"
        '<form action="/newsletter"><input type="email" name="email">'
        "<button>Sign up</button></form></aside>"
    )


# ------------------------------------------------------------------ feed only, WordPress-like


class FeedOnlySite:
    """A WordPress-like site: stories at /articles/<n>, found through its Atom feed only."""

    site_name = "Harbor Herald"
    zone = "Asia/Seoul"
    sections: ClassVar[list[str]] = ["city", "economy", "culture"]

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.by_id = {s.id: s for s in stories}

    @classmethod
    def build(cls, count: int = 10) -> FeedOnlySite:
        first = datetime(2024, 6, 3, 7, 40)
        return cls(make_stories(count, 0, cls.zone, first, timedelta(hours=19), cls.sections))

    def delivery(self, path: str) -> Delivery:
        return Delivery()

    def article_urls(self, base: str) -> list[str]:
        return [f"{base}/articles/{s.id}" for s in self.stories]

    def listing_urls(self, base: str) -> list[str]:
        return [f"{base}/", *(f"{base}/topics/{name}/" for name in self.sections)]

    def respond(self, path: str, host: str) -> Response:
        base = f"http://{host}"
        route = urlsplit(path).path
        if route == "/robots.txt":
            body = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
            return 200, {"Content-Type": TEXT}, body.encode()
        if route == "/feeds/latest.xml":
            return 200, {"Content-Type": ATOM}, self._atom(base).encode("utf-8")
        if route in ("/", "/index.php"):
            return _html(self._page(base, "Home", self._app_shell("latest"), "home"))
        if route.startswith("/topics/") and route.strip("/").split("/")[-1] in self.sections:
            name = route.strip("/").split("/")[-1]
            return _html(self._page(base, name.title(), self._app_shell(name), "archive"))
        if route.startswith("/articles/") and route.rstrip("/").split("/")[-1].isdigit():
            story = self.by_id.get(int(route.rstrip("/").split("/")[-1]))
            if story is not None:
                return _html(self._article(base, story))
        return _not_found(self.site_name)

    def _app_shell(self, feed: str) -> str:
        return (
            f'<div id="story-river" data-endpoint="/wp-json/herald/v1/stories?feed={feed}">'
            '<p class="loading">Loading the latest stories…</p></div>'
            "<noscript><p>Turn on JavaScript to read the Harbor Herald.</p></noscript>"
        )

    def _head(self, base: str, title: str) -> str:
        return (
            f"<title>{_e(title)} – {self.site_name}</title>"
            '<meta name="generator" content="WordPress 6.5.3">'
            f'<link rel="alternate" type="application/atom+xml" title="{self.site_name}" '
            f'href="{base}/feeds/latest.xml">'
            f'<link rel="https://api.w.org/" href="{base}/wp-json/">'
            f'<link rel="stylesheet" href="{base}/wp-content/themes/harbor/style.css">'
            f'<meta property="og:site_name" content="{self.site_name}">'
            f'<meta property="og:image" content="{base}/wp-content/uploads/harbor-cover.jpg">'
        )

    def _page(self, base: str, title: str, main: str, body_class: str, head: str = "") -> str:
        nav = "".join(
            f'<li class="menu-item"><a href="/topics/{name}/">{name.title()}</a></li>'
            for name in self.sections
        )
        return (
            f'<!doctype html><html lang="ko"><head><meta charset="utf-8">'
            f'{self._head(base, title)}{head}</head><body class="{body_class} wp-theme-harbor">'
            '<a class="skip-link" href="#content">Skip to content</a>'
            f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">'
            f"{self.site_name}</a></p>"
            f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu">{nav}'
            '<li class="menu-item"><a href="/about/">About</a></li></ul></nav></header>'
            f'<div id="content" class="site-content"><main id="primary" class="site-main">{main}'
            "</main>"
            '<aside id="secondary" class="widget-area">'
            '<section class="widget widget_search"><form role="search" action="/">'
            '<input type="search" name="s"><button>Search</button></form></section>'
            '<section class="widget widget_text"><h2 class="widget-title">Tip us off</h2>'
            "<p>Seen something in the harbor district? Write to the newsroom.</p></section>"
            "</aside></div>"
            '<footer id="colophon" class="site-footer"><div class="site-info">'
            f"© 2024 {self.site_name} · Proudly powered by WordPress</div></footer>"
            f'<script src="{base}/wp-includes/js/wp-embed.min.js"></script></body></html>'
        )

    def _article(self, base: str, story: Story) -> str:
        url = f"{base}/articles/{story.id}"
        when = story.published.isoformat()
        head = (
            f'<link rel="canonical" href="{url}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_e(story.title)}">'
            f'<meta property="og:description" content="{_e(story.description)}">'
            f'<meta property="article:published_time" content="{when}">'
            f'<meta property="article:section" content="{story.section}">'
        )
        others = [s for s in self.stories if s.id != story.id][:3]
        related = "".join(
            f'<div class="jp-relatedposts-post"><a href="/articles/{s.id}">{_e(s.title)}</a></div>'
            for s in others
        )
        main = (
            f'<article id="post-{story.id}" class="post type-post status-publish">'
            f'<header class="entry-header"><h1 class="entry-title">{_e(story.title)}</h1>'
            f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
            f'datetime="{when}">{story.published:%Y-%m-%d %H:%M}</time></span> '
            f'<span class="cat-links"><a href="/topics/{story.section}/">{story.section}</a>'
            "</span></div></header>"
            f'<div class="entry-content">{story.body_html}'
            '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>'
            '<ul><li><a class="share-facebook" href="#">Facebook</a></li>'
            '<li><a class="share-x" href="#">X</a></li></ul></div>'
            '<div id="jp-relatedposts" class="jp-relatedposts">'
            f'<h3 class="jp-relatedposts-headline">Related</h3>{related}</div></div>'
            '<footer class="entry-footer"><span class="tags-links">Tagged '
            f'<a href="/topics/{story.section}/" rel="tag">{story.section}</a></span></footer>'
            "</article>"
            '<nav class="navigation post-navigation"><div class="nav-links">'
            f'<a href="/articles/{others[0].id}" rel="prev">Previous story</a></div></nav>'
            f"{_comments(story)}"
        )
        return self._page(base, story.title, main, "single single-post", head)

    def _atom(self, base: str) -> str:
        entries = "".join(
            "<entry>"
            f"<title>{_e(s.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{base}/articles/{s.id}"/>'
            f"<id>{base}/?p={s.id}</id>"
            f"<published>{s.published.isoformat()}</published>"
            f"<updated>{s.published.isoformat()}</updated>"
            f'<category term="{s.section}"/>'
            f"<summary>{_e(s.description)}</summary>"
            "</entry>"
            for s in sorted(self.stories, key=lambda s: s.published, reverse=True)
        )
        newest = max(s.published for s in self.stories).isoformat()
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">'
            f"<title>{self.site_name}</title>"
            f'<link rel="alternate" type="text/html" href="{base}/"/>'
            f'<link rel="self" type="application/atom+xml" href="{base}/feeds/latest.xml"/>'
            f"<id>{base}/feeds/latest.xml</id><updated>{newest}</updated>"
            f"{entries}</feed>"
        )


# ------------------------------------------------------------------ sitemap only, dated slugs


class SitemapOnlySite:
    """An English news site: /news/YYYY/MM/<slug> found through its sitemaps only."""

    site_name = "The Riverside Ledger"
    zone = "America/New_York"
    sections: ClassVar[list[str]] = ["politics", "business", "world", "arts"]

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.by_path = {self._path(s): s for s in stories}

    @classmethod
    def build(cls, count: int = 10) -> SitemapOnlySite:
        # from January (EST, -05:00) into May (EDT, -04:00)
        first = datetime(2024, 1, 8, 6, 15)
        return cls(make_stories(count, 1, cls.zone, first, timedelta(days=13, hours=5),
                                cls.sections))  # fmt: skip

    def delivery(self, path: str) -> Delivery:
        return Delivery()

    @staticmethod
    def _path(story: Story) -> str:
        return f"/news/{story.published:%Y}/{story.published:%m}/{story.slug}"

    def article_urls(self, base: str) -> list[str]:
        return [base + self._path(s) for s in self.stories]

    def listing_urls(self, base: str) -> list[str]:
        return [f"{base}/", *(f"{base}/news/{name}" for name in self.sections)]

    def _months(self) -> dict[str, list[Story]]:
        months: dict[str, list[Story]] = {}
        for story in self.stories:
            months.setdefault(f"{story.published:%Y-%m}", []).append(story)
        return months

    def respond(self, path: str, host: str) -> Response:
        base = f"http://{host}"
        route = urlsplit(path).path
        if route == "/robots.txt":
            body = f"User-agent: *\nDisallow: /search\n\nSitemap: {base}/sitemap-index.xml\n"
            return 200, {"Content-Type": TEXT}, body.encode()
        if route == "/sitemap-index.xml":
            return 200, {"Content-Type": XML}, self._index(base).encode()
        if route == "/sitemaps/sections.xml":
            urls = [(f"{base}/news/{name}", None) for name in self.sections]
            return 200, {"Content-Type": XML}, _urlset(urls).encode()
        month = route.removeprefix("/sitemaps/news-").removesuffix(".xml")
        if route.startswith("/sitemaps/news-") and month in self._months():
            urls = [(base + self._path(s), s.published) for s in self._months()[month]]
            return 200, {"Content-Type": XML}, _urlset(urls).encode()
        if route in ("/", ""):
            return _html(self._page(base, self.site_name, self._loader("top"), ""))
        name = route.removeprefix("/news/").strip("/")
        if name in self.sections:
            return _html(self._page(base, name.title(), self._loader(name), ""))
        story = self.by_path.get(route.rstrip("/"))
        if story is not None:
            return _html(self._article(base, story))
        return _not_found(self.site_name)

    def _index(self, base: str) -> str:
        months = self._months()
        items = [
            f"<sitemap><loc>{base}/sitemaps/news-{month}.xml</loc>"
            f"<lastmod>{max(s.published for s in stories).isoformat()}</lastmod></sitemap>"
            for month, stories in sorted(months.items())
        ]
        items.append(f"<sitemap><loc>{base}/sitemaps/sections.xml</loc></sitemap>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(items)
            + "</sitemapindex>"
        )

    def _loader(self, section: str) -> str:
        return (
            f'<section class="river" data-river="{section}"><h2 class="river-title">Latest</h2>'
            '<div class="river-items" aria-busy="true">Loading stories…</div></section>'
        )

    def _page(self, base: str, title: str, main: str, head: str) -> str:
        nav = "".join(
            f'<a class="nav-link" href="/news/{n}">{n.title()}</a>' for n in self.sections
        )
        return (
            '<!doctype html><html lang="en-US"><head><meta charset="utf-8">'
            f"<title>{_e(title)} | {self.site_name}</title>"
            f'<meta property="og:site_name" content="{self.site_name}">'
            f'<meta property="og:image" content="{base}/static/ledger-card.png">{head}</head>'
            '<body><div class="top-banner">Subscribe: first month $1</div>'
            f'<header class="masthead"><a class="logo" href="/">{self.site_name}</a>'
            f'<nav class="sections-nav" aria-label="Sections">{nav}</nav>'
            '<a class="login" href="/account/login">Log in</a></header>'
            f'<div class="layout"><main class="main-column">{main}</main>'
            '<aside class="rail"><div class="rail-box weather"><h3>Weather</h3>'
            "<p>Riverside: 61°F, light rain.</p></div>"
            '<div class="rail-box most-read"><h3>Most read</h3><ol>'
            "<li>Council meets on flood walls</li><li>Ferry schedule changes</li></ol></div>"
            "</aside></div>"
            '<footer class="site-footer"><nav class="footer-nav"><a href="/about">About us</a>'
            '<a href="/contact">Contact</a><a href="/privacy">Privacy</a></nav>'
            f"<p>© 2024 {self.site_name}. All rights reserved.</p></footer></body></html>"
        )

    def _article(self, base: str, story: Story) -> str:
        url = base + self._path(story)
        when = story.published.isoformat()
        ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": story.title,
                "datePublished": when,
                "dateModified": when,
                "articleSection": story.section,
                "publisher": {"@type": "Organization", "name": self.site_name},
                "mainEntityOfPage": url,
            },
            ensure_ascii=False,
        ).replace("</", "<\\/")
        head = (
            f'<link rel="canonical" href="{url}">'
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_e(story.title)}">'
            f'<meta name="description" content="{_e(story.description)}">'
            f'<meta property="article:published_time" content="{when}">'
            f'<script type="application/ld+json">{ld}</script>'
        )
        others = [s for s in self.stories if s.id != story.id][:3]
        related = "".join(f'<li><a href="{self._path(s)}">{_e(s.title)}</a></li>' for s in others)
        main = (
            '<article class="story">'
            f'<div class="kicker"><a href="/news/{story.section}">{story.section.title()}</a></div>'
            f'<h1 class="headline">{_e(story.title)}</h1>'
            '<div class="byline">By <span class="author">Ledger Staff</span> · '
            f'<time datetime="{when}">{story.published:%B %d, %Y %I:%M %p}</time></div>'
            f"{_share(url)}"
            f'<div class="story-body">{story.body_html}</div>'
            f"{_newsletter()}"
            f'<aside class="related-coverage"><h2>Related coverage</h2><ul>{related}</ul></aside>'
            "</article>"
            f"{_comments(story)}"
        )
        return self._page(base, story.title, main, head)


def _urlset(urls: list[tuple[str, datetime | None]]) -> str:
    items = "".join(
        f"<url><loc>{_e(url)}</loc>"
        + (f"<lastmod>{when.isoformat()}</lastmod>" if when else "")
        + "</url>"
        for url, when in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    )


# ------------------------------------------------------------------ listings only, query ids


class ListingsOnlySite:
    """A small regional site: /story.php?id=<n>, found through its home page and paginated
    category listings only; dates without an offset, in Europe/Berlin."""

    site_name = "Alpenblick Kurier"
    zone = "Europe/Berlin"
    sections: ClassVar[list[str]] = ["region", "wirtschaft", "kultur"]
    page_size = 3
    home_size = 4

    def __init__(self, stories: list[Story]) -> None:
        self.stories = sorted(stories, key=lambda s: s.published, reverse=True)
        self.by_id = {s.id: s for s in stories}

    @classmethod
    def build(cls, count: int = 10) -> ListingsOnlySite:
        first = datetime(2024, 3, 20, 8, 5)  # across the change to summer time (31 March)
        return cls(make_stories(count, 2, cls.zone, first, timedelta(days=2, hours=7),
                                cls.sections))  # fmt: skip

    def delivery(self, path: str) -> Delivery:
        return Delivery()

    def article_urls(self, base: str) -> list[str]:
        return [f"{base}/story.php?id={s.id}" for s in self.stories]

    def listing_urls(self, base: str) -> list[str]:
        urls = [f"{base}/"]
        for name in self.sections:
            pages = self._pages(name)
            urls += [f"{base}/list.php?cat={name}&page={n}" for n in range(1, pages + 1)]
        return urls

    def _in(self, section: str) -> list[Story]:
        return [s for s in self.stories if s.section == section]

    def _pages(self, section: str) -> int:
        return max(1, -(-len(self._in(section)) // self.page_size))

    def respond(self, path: str, host: str) -> Response:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/robots.txt":
            return 200, {"Content-Type": TEXT}, b"User-agent: *\nDisallow: /admin/\n"
        if parts.path in ("/", "/index.php"):
            return _html(self._page("Startseite", self._teasers(self.stories[: self.home_size])))
        if parts.path == "/list.php" and query.get("cat") in self.sections:
            return self._listing(query["cat"], query.get("page", "1"))
        if parts.path == "/story.php" and query.get("id", "").isdigit():
            story = self.by_id.get(int(query["id"]))
            if story is not None:
                return _html(self._article(story))
        if parts.path in ("/impressum.php", "/kontakt.php"):
            return _html(self._page("Impressum", "<p>Alpenblick Kurier, Hauptstraße 1.</p>"))
        return _not_found(self.site_name)

    def _listing(self, section: str, page_text: str) -> Response:
        if not page_text.isdigit() or not 1 <= int(page_text) <= self._pages(section):
            return _not_found(self.site_name)
        page = int(page_text)
        chosen = self._in(section)[(page - 1) * self.page_size : page * self.page_size]
        numbers = "".join(
            f'<a href="/list.php?cat={section}&amp;page={n}">{n}</a>' if n != page
            else f"<strong>{n}</strong>"
            for n in range(1, self._pages(section) + 1)
        )  # fmt: skip
        if page < self._pages(section):
            numbers += f'<a rel="next" href="/list.php?cat={section}&amp;page={page + 1}">»</a>'
        main = f'{self._teasers(chosen)}<div class="pagination">{numbers}</div>'
        return _html(self._page(section.title(), main))

    def _teasers(self, stories: list[Story]) -> str:
        return "".join(
            '<div class="teaser">'
            f'<h3><a href="/story.php?id={s.id}">{_e(s.title)}</a></h3>'
            f'<p class="teaser-date">{s.published:%d.%m.%Y %H:%M}</p>'
            f"<p>{_e(s.description[:120])}</p></div>"
            for s in stories
        )

    def _page(self, title: str, main: str, head: str = "") -> str:
        menu = "".join(
            f'<li><a href="/list.php?cat={name}">{name.title()}</a></li>' for name in self.sections
        )
        return (
            '<!doctype html><html lang="de"><head><meta charset="utf-8">'
            f"<title>{_e(title)} - {self.site_name}</title>{head}</head><body>"
            f'<div id="kopf"><a href="/index.php" class="logo">{self.site_name}</a>'
            f'<ul id="menu" class="menu">{menu}</ul></div>'
            f'<div id="rahmen"><div id="inhalt">{main}</div>'
            '<div id="randspalte"><div class="kasten"><h4>Termine</h4>'
            "<p>Wochenmarkt: Samstag 7–13 Uhr</p></div>"
            '<div class="kasten werbung"><p>Anzeige: Autohaus Huber</p></div></div></div>'
            '<div id="fuss"><a href="/impressum.php">Impressum</a> · '
            f'<a href="/kontakt.php">Kontakt</a> · © 2024 {self.site_name}</div></body></html>'
        )

    def _article(self, story: Story) -> str:
        local = story.published.replace(tzinfo=None)
        head = (
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_e(story.title)}">'
            f'<meta property="article:published_time" content="{local.isoformat()}">'
        )
        others = [s for s in self.stories if s.id != story.id and s.section == story.section][:3]
        more = "".join(f'<li><a href="/story.php?id={s.id}">{_e(s.title)}</a></li>' for s in others)
        main = (
            f'<div class="artikel"><header class="artikelkopf">'
            f'<div class="rubrik">{story.section.title()}</div>'
            f"<h1>{_e(story.title)}</h1>"
            f'<p class="datum">{local:%d.%m.%Y, %H:%M} Uhr</p></header>'
            f'<div class="artikeltext" itemprop="articleBody">{story.body_html}</div>'
            '<p class="drucken"><a href="javascript:window.print()">Artikel drucken</a></p>'
            f'<div class="mehr"><h4>Mehr aus der Rubrik</h4><ul>{more}</ul></div>'
            f"</div>{_comments(story)}"
        )
        return self._page(story.title, main, head)


DESIGNS: dict[str, Callable[[], FeedOnlySite | SitemapOnlySite | ListingsOnlySite]] = {
    "feed-only": FeedOnlySite.build,
    "sitemap-only": SitemapOnlySite.build,
    "listings-only": ListingsOnlySite.build,
}
