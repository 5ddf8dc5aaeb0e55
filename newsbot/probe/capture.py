"""What the probe fetched from a site: every page answered, by kind, and what failed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FetchedPage:
    requested: str  # the URL asked for
    url: str  # the URL that answered (after redirects)
    kind: str  # "robots", "home", "sitemap", "feed", "listing" or "article"
    via: str  # how it was found: "robots.txt", "usual path", "advertised", "index", "menu", ...
    body: bytes
    text: str | None  # decoded, for text responses


@dataclass
class Capture:
    """Filled by the probe's spider during its crawl, read by the analysis after it."""

    start_url: str
    pages: list[FetchedPage] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (url, kind, reason)
    unreachable: str | None = None  # why no page of the site could be fetched at all

    def of_kind(self, kind: str) -> list[FetchedPage]:
        return [page for page in self.pages if page.kind == kind]

    def page(self, url: str) -> FetchedPage | None:
        for page in self.pages:
            if url in (page.requested, page.url):
                return page
        return None

    @property
    def home(self) -> FetchedPage | None:
        pages = self.of_kind("home")
        return pages[0] if pages else None
