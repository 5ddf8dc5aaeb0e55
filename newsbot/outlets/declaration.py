"""How an outlet is declared: discovery sources, article URLs and extraction rules, as data.

A second outlet copies ``newsbot/outlets/newsdao.py`` and changes the values; no code needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsbot.platforms.rules import PlatformRules


def _known_platforms() -> tuple[PlatformRules, ...]:
    from newsbot.platforms import known_platforms

    return known_platforms()


@dataclass(frozen=True)
class ExtractionRules:
    """Per-outlet extraction overrides. Picklable: it travels to extraction worker processes."""

    timezone: str = "Asia/Seoul"  # for publication times given without an offset
    language: str | None = None  # default language when the page says nothing
    site_name: str | None = None  # stripped from titles like "Title - Site"
    # The outlet's platform: its rules apply to every page. Every other known platform's rules
    # apply to the pages that show its signature (a WordPress page on a Tistory outlet's host).
    platform: str | None = None
    platforms: tuple[PlatformRules, ...] = field(default_factory=_known_platforms)
    # The outlet's own selectors, before any platform's. A body container's content is the
    # body, taken as written; pages without one fall back to trafilatura on the whole page.
    body_xpaths: tuple[str, ...] = ()
    drop_xpaths: tuple[str, ...] = ()  # removed before extraction (injected furniture)
    protected_xpaths: tuple[str, ...] = ()  # present only on a password-protected post
    boilerplate_patterns: tuple[str, ...] = ()  # extra regexes: matching body blocks are dropped
    skip_title_patterns: tuple[str, ...] = ()  # regexes: pages whose title matches are not articles
    min_body_chars: int = 200
    # Images inside the body. Off by default: trafilatura then also keeps captions and photo
    # credits, which cost 1.2 points of precision on the AEB benchmark (0.942 -> 0.930).
    body_images: bool = False

    def __post_init__(self) -> None:
        known = {p.name for p in self.platforms}
        if self.platform is not None and self.platform not in known:
            raise ValueError(
                f"unknown platform {self.platform!r} (known: {', '.join(sorted(known))})"
            )


@dataclass(frozen=True)
class Outlet:
    """One news outlet. Paths are relative to ``base_url``; every source is optional."""

    name: str
    base_url: str
    site_name: str
    # Article URLs: a regex on "path[?query]" with a named group ``id``; canonical form below.
    article_pattern: str = r"^/(?P<id>\d+)/?$"
    canonical_template: str = "{base}/{id}"
    slug_template: str = "{outlet}-{id}"
    # Hosts that serve the same articles (mobile, www); mapped to base_url's host.
    host_aliases: tuple[str, ...] = ()
    # Discovery sources. robots.txt is always read for Sitemap: lines.
    sitemaps: tuple[str, ...] = ("/sitemap.xml", "/sitemap_index.xml")
    feeds: tuple[str, ...] = ("/rss", "/feed", "/rss.xml", "/atom.xml")
    listing_pages: tuple[str, ...] = ("/",)
    # Section listings linked from the listing pages (a regex on the path), followed one level.
    listing_pattern: str | None = r"^/(?:section|sections|category|categories|list|news)(?:/|$)"
    numeric_ids: bool = True  # ids rise: walk upward from the highest known id
    extraction: ExtractionRules = field(default_factory=ExtractionRules)
