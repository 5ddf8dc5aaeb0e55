"""Which URLs are articles of an outlet, and their one canonical form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsbot.config.outlet import Outlet

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def bare_host(host: str) -> str:
    """A host without its ``www.`` or ``m.`` prefix, lowercased: the site it names."""
    host = host.lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


@dataclass(frozen=True)
class ArticleRef:
    url: str  # canonical URL
    id: str  # the article's id within the outlet (a number for newsdao)
    slug: str  # stable post slug, e.g. "newsdao-5247"

    @property
    def number(self) -> int | None:
        return int(self.id) if self.id.isdigit() else None


class ArticleUrls:
    """Match and canonicalise article URLs of one outlet served at ``base_url``."""

    def __init__(self, outlet: Outlet, base_url: str | None = None) -> None:
        self.outlet = outlet
        self.base = (base_url or outlet.base_url).rstrip("/")
        parts = urlsplit(self.base)
        self.scheme = parts.scheme
        self.host = parts.netloc.lower()
        self._pattern = re.compile(outlet.article_pattern)
        bare = self.host.removeprefix("www.")
        self.hosts = {self.host, bare, f"www.{bare}", f"m.{bare}", *outlet.host_aliases}
        original = urlsplit(outlet.base_url).netloc.lower()
        self.hosts |= {original, original.removeprefix("www.")}

    def is_own_host(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() in self.hosts

    def match(self, url: str) -> ArticleRef | None:
        """The canonical reference for an article URL of this outlet, else None."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in self.hosts:
            return None
        target = parts.path or "/"
        found = self._pattern.search(target)
        if not found and parts.query:
            found = self._pattern.search(f"{target}?{parts.query}")
        if not found:
            return None
        article_id = found.group("id")
        return self.for_id(article_id)

    def is_listing(self, url: str) -> bool:
        pattern = self.outlet.listing_pattern
        return bool(pattern) and bool(re.search(pattern or "", urlsplit(url).path))

    def for_id(self, article_id: str | int) -> ArticleRef:
        article_id = str(article_id)
        url = self.outlet.canonical_template.format(base=self.base, id=article_id)
        slug = self.outlet.slug_template.format(outlet=self.outlet.name, id=article_id)
        return ArticleRef(url=url, id=article_id, slug=slug)

    def absolute(self, path: str) -> str:
        return path if "://" in path else f"{self.base}/{path.lstrip('/')}"


def outlet_urls(crawler: Crawler) -> ArticleUrls | None:
    """The article URLs of the outlet a crawl is for: its spider class's ``outlet`` served at
    ``NEWSBOT_BASE_URL`` (``--base-url``, or the spider's ``base_url`` argument), else at the
    outlet's own base URL. None for a spider that crawls no outlet."""
    outlet = getattr(crawler.spidercls, "outlet", None)
    if not isinstance(outlet, Outlet):
        return None
    from newsbot.config.run_settings import RunSettings

    return ArticleUrls(outlet, RunSettings.from_crawler(crawler).base_url)
