"""A Tistory blog whose sitemap, feed and listings can each leave articles out: which source
shows a new article first, and what a run makes of sources that show nothing."""

from __future__ import annotations

from collections.abc import Iterable

from newsbot.demo.outlet import SampleArticle
from tests.sites.tistory import Post, TistorySite


class ShownIn(TistorySite):
    """A Tistory blog whose sitemap, feed and listings can each leave articles out."""

    def __init__(self, articles: list[SampleArticle], protected_ids: Iterable[int] = ()) -> None:
        super().__init__(articles, "odyssey-like", protected_ids=protected_ids)
        self.hidden: dict[str, set[int]] = {"sitemap": set(), "feed": set(), "listing": set()}

    def add(self, article: SampleArticle, shown_in: str | None) -> None:
        """Publish ``article``, shown by ``shown_in`` only (None: by no source at all,
        "every": by each of them)."""
        for source, hidden in self.hidden.items():
            if shown_in != "every" and source != shown_in:
                hidden.add(article.id)
        self.posts = sorted([*self.posts, Post(article)], key=lambda p: p.id, reverse=True)
        self._by_id[article.id] = self.posts[[p.id for p in self.posts].index(article.id)]

    def _shown(self, source: str) -> list[Post]:
        return [p for p in self.posts if p.id not in self.hidden[source]]

    def _sitemap(self, base: str) -> bytes:
        every, self.posts = self.posts, self._shown("sitemap")
        try:
            return super()._sitemap(base)
        finally:
            self.posts = every

    def _rss(self, base: str) -> bytes:
        every, self.posts = self.posts, self._shown("feed")
        try:
            return super()._rss(base)
        finally:
            self.posts = every

    def listing_page(self, posts: list[Post], page: int, path: str, base: str) -> str:
        every, self.posts = self.posts, self._shown("listing")  # its sidebar's recent posts too
        try:
            return super().listing_page(
                [p for p in posts if p.id not in self.hidden["listing"]], page, path, base
            )
        finally:
            self.posts = every
