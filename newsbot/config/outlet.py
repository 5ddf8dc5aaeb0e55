"""How an outlet is declared: discovery sources, article URLs, extraction rules, branding and
politeness, as data.

Outlets are entries of a sources file (``newsbot/sources.yaml``, read by
``newsbot.config.sources``); a second outlet is a second entry, no code needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from newsbot.config.validators import DEFAULT_TIME_ZONE
from newsbot.platforms.rules import PlatformRules


def _known_platforms() -> tuple[PlatformRules, ...]:
    from newsbot.platforms import known_platforms

    return known_platforms()


@dataclass(frozen=True)
class ExtractionRules:
    """Per-outlet extraction overrides. Picklable: it travels to extraction worker processes."""

    timezone: str = DEFAULT_TIME_ZONE  # for publication times given without an offset
    language: str | None = None  # default language when the page says nothing
    # The outlet's name as its pages show it, stripped from titles like "Title - Name". Not
    # declared here: Outlet fills it in from its branding label (one name, one place).
    site_label: str | None = None
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
class Branding:
    """What blog profiles' templates fill in for this outlet (``{source_label}``, ...)."""

    label: str = ""  # {source_label}; also stripped from titles like "Title - label"
    site_url: str | None = None  # {site_url}, {site_host}; None: the crawled base URL
    cover_image: str = ""  # {cover_image} (a URL); {cover_file} is its file name
    cover_alt: str = ""  # {cover_alt}


@dataclass(frozen=True)
class Politeness:
    """Per-outlet overrides of the project's throttling; None keeps the setting's value."""

    download_delay: float | None = None  # seconds between requests (DOWNLOAD_DELAY)
    concurrency: int | None = None  # requests at a time to the outlet (..._PER_DOMAIN)

    def settings(self) -> dict[str, float | int]:
        """The Scrapy settings these values stand for."""
        values: dict[str, float | int] = {}
        if self.download_delay is not None:
            values["DOWNLOAD_DELAY"] = self.download_delay
        if self.concurrency is not None:
            values["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        return values


# The paths newsbot tries on an outlet that names none of its own: guesses.
USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")
USUAL_FEEDS = ("/rss", "/feed", "/rss.xml", "/atom.xml")


@dataclass(frozen=True)
class Outlet:
    """One news outlet. Paths are relative to ``base_url``; every source is optional."""

    name: str
    base_url: str
    # Article URLs: a regex on "path[?query]" with a named group ``id``; canonical form below.
    article_pattern: str = r"^/(?P<id>\d+)/?$"
    canonical_template: str = "{base}/{id}"
    slug_template: str = "{outlet}-{id}"
    # Hosts that serve the same articles (mobile, www); mapped to base_url's host.
    host_aliases: tuple[str, ...] = ()
    # Discovery sources. robots.txt is always read for Sitemap: lines.
    sitemaps: tuple[str, ...] = USUAL_SITEMAPS
    feeds: tuple[str, ...] = USUAL_FEEDS
    listing_pages: tuple[str, ...] = ("/",)  # read on every run
    # Read only on a run in which no sitemap or feed listed an article: with the id walk, a
    # working feed or sitemap shows every new article a home page would (see the README).
    fallback_listing_pages: tuple[str, ...] = ()
    # Section listings linked from the listing pages (a regex on the path), followed one level.
    listing_pattern: str | None = r"^/(?:section|sections|category|categories|list|news)(?:/|$)"
    numeric_ids: bool = True  # ids rise: walk upward from the highest known id
    extraction: ExtractionRules = field(default_factory=ExtractionRules)
    branding: Branding = field(default_factory=Branding)
    politeness: Politeness = field(default_factory=Politeness)
    enabled: bool = True  # `newsbot crawl --all` skips disabled outlets
    notify: tuple[str, ...] = ()  # Apprise URLs told when the outlet's health changes

    def guessed(self, path: str) -> bool:
        """Whether ``path`` is one of newsbot's usual guesses rather than a source the outlet's
        entry chose: its list of sitemaps or feeds is the usual one (left out, or written out
        as is). A guess that answered 404/410 is not asked again for a day."""
        return (self.sitemaps == USUAL_SITEMAPS and path in USUAL_SITEMAPS) or (
            self.feeds == USUAL_FEEDS and path in USUAL_FEEDS
        )

    def __post_init__(self) -> None:
        label = self.branding.label or None
        if self.extraction.site_label != label:  # extraction learns the name from the branding
            object.__setattr__(self, "extraction", replace(self.extraction, site_label=label))
