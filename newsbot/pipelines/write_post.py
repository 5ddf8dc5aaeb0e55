"""Write each article as a post file in the blog folder, atomically, once.

Policy (README "Re-runs and updates"): the post for an article is found by its ``source_url``
(or, failing that, by its slug); an identical rendering leaves the file untouched; a different
one replaces the file in place under the same name. Nothing else in the blog is ever touched.
"""

from __future__ import annotations

import logging
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured

from newsbot import signals as newsbot_signals
from newsbot.atomic_write import remove_stale_temporaries, write_atomic
from newsbot.items import ArticleItem
from newsbot.profiles import load_profile
from newsbot.published import PublishedIndex, PublishedPost
from newsbot.render.post import RenderError, render_post

logger = logging.getLogger(__name__)


class WritePostPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.get("NEWSBOT_OUTPUT_DIR"):
            raise NotConfigured("NEWSBOT_OUTPUT_DIR is not set")
        self.crawler = crawler
        self.root = Path(settings.get("NEWSBOT_OUTPUT_DIR")).resolve()
        self.profile = load_profile(settings.get("NEWSBOT_PROFILE"))
        self.dry_run = settings.getbool("NEWSBOT_DRY_RUN")
        self.limit = settings.getint("NEWSBOT_LIMIT")
        self.written = 0
        self.index: PublishedIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WritePostPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        posts_dir = self.root / self.profile.posts_dir
        spider = self.crawler.spider
        shared = getattr(spider, "published", None)
        self.index = (
            shared if isinstance(shared, PublishedIndex) else PublishedIndex.load(posts_dir)
        )
        if not self.dry_run:
            removed = remove_stale_temporaries(posts_dir)
            if removed:
                logger.warning("Removed %d temporary file(s) left by an interrupted run", removed)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        assert stats is not None and self.index is not None
        article = ItemAdapter(item).item
        if self.limit and self.written >= self.limit:
            raise DropItem(f"--limit {self.limit} reached")
        base_url = getattr(self.crawler.spider, "base_url", "") or ""
        try:
            post = render_post(article, self.profile, site_url=base_url)
        except RenderError as exc:
            stats.inc_value("newsbot/failed/render")
            self._record_failure(article.url, f"cannot render: {exc}")
            raise DropItem(f"cannot render {article.url}: {exc}") from exc
        target = self._existing_path(article) or self.root / post.relpath
        if not target.resolve().is_relative_to(self.root):
            raise DropItem(f"refusing to write outside the output folder: {target}")
        status = "new"
        if target.exists():
            if target.read_text(encoding="utf-8") == post.text:
                stats.inc_value("newsbot/posts/unchanged")
                return item
            status = "updated"
        if self.dry_run:
            stats.inc_value(f"newsbot/posts/{status}")
            logger.info("[dry run] would write %s (%s)", target, status)
        else:
            try:
                write_atomic(target, post.text)
            except OSError as exc:
                stats.inc_value("newsbot/failed/write")
                self._record_failure(article.url, f"write error: {exc}")
                raise DropItem(f"cannot write {target}: {exc}") from exc
            stats.inc_value(f"newsbot/posts/{status}")
            logger.info("Wrote %s (%s)", target, status)
            self.index.add(PublishedPost(target, article.url, article.published))
            self.crawler.signals.send_catch_log(
                newsbot_signals.post_written,
                path=target,
                relpath=target.relative_to(self.root).as_posix(),
                url=article.url,
                status=status,
            )
        self.written += 1
        if self.limit and self.written >= self.limit:
            self._close(f"limit of {self.limit} posts reached")
        return item

    def _record_failure(self, url: str, reason: str) -> None:
        failures = getattr(self.crawler.spider, "failures", None)
        if isinstance(failures, list):
            failures.append((url, reason))

    def _existing_path(self, article: ArticleItem) -> Path | None:
        """The post already written for this article, by source_url, then by slug on disk."""
        assert self.index is not None
        post = self.index.get(article.url)
        if post is not None and post.path.exists():
            return post.path
        posts_dir = self.root / self.profile.posts_dir
        if article.slug and posts_dir.is_dir():
            # Another worker (or a run that crashed before indexing) may have written it.
            for path in posts_dir.rglob(f"*{article.slug}.md"):
                found = self.index.read_post(path)
                if found is not None and found.source_url == article.url:
                    return path
        return None

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if engine is not None and self.crawler.spider is not None:
            engine.close_spider(self.crawler.spider, "limit")
            logger.info("Closing: %s", reason)
        else:  # pragma: no cover - engine always exists while items flow
            raise CloseSpider("limit")
