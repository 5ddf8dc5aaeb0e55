"""Write each article as a post file in the blog folder, atomically, once.

Policy (README "Re-runs and updates"): the post for an article is found by its ``source_url``
(or, failing that, by its slug); an identical rendering leaves the file untouched; a different
one replaces the file in place under the same name -- unless someone changed the post since
newsbot wrote it (``newsbot.state.written_log``): then it is kept and reported, and only
``NEWSBOT_OVERWRITE_EDITED`` (``--overwrite-edited``) replaces it. Nothing else in the blog is
ever touched.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import replace
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured

from newsbot import signals as newsbot_signals
from newsbot.blog.post_index import PublishedIndex, PublishedPost
from newsbot.config.outlet import Branding, Outlet
from newsbot.discovery.article_urls import outlet_urls
from newsbot.extensions.post_index import PublishedPosts
from newsbot.items import ArticleItem
from newsbot.profiles import load_profile
from newsbot.render.post import RenderError, render_post
from newsbot.run.ledger import FailReason, SkipReason, count_failure, count_post, count_skip
from newsbot.run.workers import WorkerPool
from newsbot.state.atomic_write import remove_stale_temporaries, write_atomic
from newsbot.state.folder import StateFolder
from newsbot.state.written_log import WrittenLog, committed_by_newsbot, digest

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
        self.overwrite_edited = settings.getbool("NEWSBOT_OVERWRITE_EDITED")
        self.reserved = 0  # posts written or being written (for --limit)
        self.index: PublishedIndex | None = None
        self.written = WrittenLog(StateFolder.from_settings(settings).written_log)
        self.branding = _branding(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WritePostPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        posts_dir = self.root / self.profile.posts_dir
        shared = self.crawler.get_extension(PublishedPosts)
        self.index = shared.index if shared else PublishedIndex.load(posts_dir)
        if not self.dry_run:
            # the posts and the state folder (run log, written-posts record, index cache)
            removed = remove_stale_temporaries(posts_dir) + remove_stale_temporaries(
                self.written.path.parent
            )
            if removed:
                logger.warning("Removed %d temporary file(s) left by an interrupted run", removed)

    def close_spider(self) -> None:
        if not self.dry_run:
            try:
                self.written.compact()
            except OSError as exc:
                logger.warning("Cannot compact %s: %s", self.written.path, exc)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        assert stats is not None and self.index is not None
        article = ItemAdapter(item).item
        if self.limit and self.reserved >= self.limit:
            raise DropItem(f"--limit {self.limit} reached")
        self.reserved += 1  # items are processed concurrently: hold a slot while rendering
        try:
            status = await self._write_post(article)
        except BaseException:
            self.reserved -= 1
            raise
        if status in ("unchanged", "edited"):
            self.reserved -= 1
            return item
        if self.limit and self.reserved >= self.limit:
            self._close(f"limit of {self.limit} posts reached")
        return item

    async def _write_post(self, article: ArticleItem) -> str:
        """Render (in a worker process), then create or replace the file (in a thread)."""
        stats = self.crawler.stats
        assert stats is not None and self.index is not None
        try:
            post = await WorkerPool.for_crawler(self.crawler).run(
                render_post, article, self.profile, branding=self.branding
            )
        except RenderError as exc:
            count_failure(stats, FailReason.RENDER)
            self._record_failure(article.url, f"cannot render: {exc}")
            raise DropItem(f"cannot render {article.url}: {exc}") from exc
        target = self._existing_path(article) or self.root / post.relpath
        if not Path(os.path.abspath(target)).is_relative_to(self.root):
            raise DropItem(f"refusing to write outside the output folder: {target}")
        try:
            status = await asyncio.to_thread(self._replace_if_changed, target, post.text)
        except OSError as exc:
            count_failure(stats, FailReason.WRITE)
            self._record_failure(article.url, f"write error: {exc}")
            raise DropItem(f"cannot write {target}: {exc}") from exc
        if status.startswith("edited"):
            relpath = target.relative_to(self.root).as_posix()
            why = status.partition(":")[2]
            count_skip(stats, SkipReason.EDITED)
            self.crawler.signals.send_catch_log(
                newsbot_signals.post_kept, relpath=relpath, reason=why
            )
            logger.warning("Kept %s: %s (--overwrite-edited replaces it)", relpath, why)
            return "edited"
        count_post(stats, status)
        if status == "unchanged":
            return status
        if self.dry_run:
            logger.info("[dry run] would write %s (%s)", target, status)
            return status
        logger.info("Wrote %s (%s)", target, status)
        self.index.add(PublishedPost(target, article.url))
        self.crawler.signals.send_catch_log(
            newsbot_signals.post_written,
            path=target,
            relpath=target.relative_to(self.root).as_posix(),
            url=article.url,
            status=status,
        )
        return status

    def _replace_if_changed(self, target: Path, text: str) -> str:
        """ "new", "updated", "unchanged" or "edited:<why>" (kept as it is); writes nothing on
        a dry run."""
        relpath = target.relative_to(self.root).as_posix()
        sha = digest(text)
        if target.exists():
            current = target.read_bytes()
            if current == text.encode("utf-8"):
                if not self.dry_run and not self.written.knows(relpath):
                    self.written.add(relpath, sha)  # a post from before the record was kept
                return "unchanged"
            if not self.overwrite_edited:
                why = self._edited(relpath, target, current)
                if why:
                    return f"edited:{why}"
            status = "updated"
        else:
            status = "new"
        if not self.dry_run:
            self.written.add(relpath, sha)  # first: a kill before the rename is harmless
            write_atomic(target, text)
        return status

    def _edited(self, relpath: str, target: Path, current: bytes) -> str | None:
        """Why the post on disk is not newsbot's last writing (someone changed it), or None."""
        if self.written.knows(relpath):
            return (
                None if self.written.wrote(relpath, current) else "changed since newsbot wrote it"
            )
        if committed_by_newsbot(self.root, target):
            return None
        return "newsbot has no record of writing it (no .newsbot/written.jsonl entry, no commit)"

    def _record_failure(self, url: str, reason: str) -> None:
        self.crawler.signals.send_catch_log(newsbot_signals.article_failed, url=url, reason=reason)

    def _existing_path(self, article: ArticleItem) -> Path | None:
        """The post already written for this article (found by its ``source_url``): an update
        keeps that file's name even if the article's date, and so the new name, changed."""
        assert self.index is not None
        post = self.index.get(article.url)
        return post.path if post is not None and post.path.exists() else None

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if engine is not None and self.crawler.spider is not None:
            engine.close_spider(self.crawler.spider, "limit")
            logger.info("Closing: %s", reason)
        else:  # pragma: no cover - engine always exists while items flow
            raise CloseSpider("limit")


def _branding(crawler: Crawler) -> Branding:
    """The outlet's branding; its site link defaults to the base URL crawled."""
    outlet = getattr(crawler.spidercls, "outlet", None)
    branding = outlet.branding if isinstance(outlet, Outlet) else Branding()
    if branding.site_url:
        return branding
    urls = outlet_urls(crawler)
    return replace(branding, site_url=urls.base if urls else "")
