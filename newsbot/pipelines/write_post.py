"""Write each article as a post file in the blog folder, atomically, once.

Policy (README "Re-runs and updates"): the post for an article is found by its ``source_url``
(or, failing that, by its slug); an identical rendering leaves the file untouched; a different
one replaces the file in place under the same name -- unless someone changed the post since
newsbot wrote it (``newsbot.state.written_log``): then the new rendering is merged three ways with
the person's post (``newsbot.pipelines.merge_edits``) and the merge written when it is clean;
otherwise the post is kept and reported, and only ``NEWSBOT_OVERWRITE_EDITED``
(``--overwrite-edited``) replaces it. Nothing else in the blog is ever touched.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured

from newsbot import signals as newsbot_signals
from newsbot.blog.post_index import PublishedIndex, PublishedPost
from newsbot.config.outlet import Branding, Outlet
from newsbot.config.run_settings import RunSettings
from newsbot.discovery.article_urls import outlet_urls
from newsbot.extensions.post_index import PublishedPosts
from newsbot.items import ArticleItem
from newsbot.pipelines.merge_edits import WrittenTexts, base_from_git, merge_post
from newsbot.profiles import load_profile
from newsbot.render.post import RenderError, render_post
from newsbot.run.ledger import (
    FailReason,
    PostStatus,
    SkipReason,
    count_failure,
    count_post,
    count_skip,
)
from newsbot.run.workers import WorkerPool
from newsbot.state.atomic_write import remove_stale_temporaries, write_atomic
from newsbot.state.written_log import WrittenLog, committed_by_newsbot, digest

logger = logging.getLogger(__name__)


class WritePostPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = RunSettings.from_crawler(crawler)
        if not settings.output_dir:
            raise NotConfigured("NEWSBOT_OUTPUT_DIR is not set")
        self.crawler = crawler
        self.root = settings.output
        self.profile = load_profile(settings.profile)
        self.dry_run = settings.dry_run
        self.limit = settings.limit
        self.overwrite_edited = settings.overwrite_edited
        self.reserved = 0  # posts written or being written (for --limit)
        self.index: PublishedIndex | None = None
        state = settings.state
        self.written = WrittenLog(state.written_log)
        self.texts = WrittenTexts(state.written_texts)  # the bases of merges with hand edits
        self.opened = time.time()
        self.branding = _branding(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WritePostPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.opened = time.time()
        posts_dir = self.root / self.profile.posts_dir
        shared = self.crawler.get_extension(PublishedPosts)
        self.index = shared.index if shared else PublishedIndex.load(posts_dir)
        if not self.dry_run:
            # the posts and the state folder (run log, written-posts record, index cache)
            removed = (
                remove_stale_temporaries(posts_dir)
                + remove_stale_temporaries(self.written.path.parent)
                + self.texts.remove_stale_temporaries()
            )
            if removed:
                logger.warning("Removed %d temporary file(s) left by an interrupted run", removed)

    def close_spider(self) -> None:
        if not self.dry_run:
            try:
                self.written.compact()
                # the log as on disk now: other crawls sharing the state folder append to it
                self.texts.prune(WrittenLog(self.written.path).latest(), older_than=self.opened)
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
            status = await asyncio.to_thread(
                self._replace_if_changed, target, post.text, article.url
            )
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
        written = status  # "merged" for git: the commit lists it, its text is not ours alone
        if status == PostStatus.MERGED:
            # an update (counted as one) that kept a person's edits
            count_post(stats, PostStatus.MERGED)
            logger.info("Merged the outlet's correction with the hand edits of %s", target)
            status = PostStatus.UPDATED
        count_post(stats, status)
        if status == "unchanged":
            return status
        if self.dry_run:
            logger.info("[dry run] would write %s (%s)", target, status)
            return status
        logger.info("Wrote %s (%s)", target, status)
        self.index.add(PublishedPost(target, article.url, article.modified or article.published))
        self.crawler.signals.send_catch_log(
            newsbot_signals.post_written,
            path=target,
            relpath=target.relative_to(self.root).as_posix(),
            url=article.url,
            status=written,
        )
        return status

    def _replace_if_changed(self, target: Path, text: str, url: str) -> str:
        """ "new", "updated", "merged" (the new rendering merged with a person's edits),
        "unchanged" or "edited:<why>" (kept as it is); writes nothing on a dry run."""
        relpath = target.relative_to(self.root).as_posix()
        sha = digest(text)
        content = text
        if target.exists():
            current = target.read_bytes()
            if current == text.encode("utf-8"):
                if not self.dry_run and not self.written.knows(relpath):
                    self.written.add(relpath, sha)  # a post from before the record was kept
                return "unchanged"
            status = "updated"
            if not self.overwrite_edited:
                why = self._edited(relpath, target, current)
                if why:
                    merged, conflict = self._merge(relpath, target, current, text, url)
                    if merged is None:
                        return f"edited:{why}" + (f"; {conflict}" if conflict else "")
                    content, status = merged, "merged"
        else:
            status = "new"
        if not self.dry_run:
            # first: a kill before the rename is harmless. A merge records the rendering, not
            # the merged post: the post stays the person's, and the base of the next merge.
            self.written.add(relpath, sha)
            self.texts.save(sha, text)
            write_atomic(target, content)
        return status

    def _merge(
        self, relpath: str, target: Path, current: bytes, text: str, url: str
    ) -> tuple[str | None, str | None]:
        """(the merged post, None) when the new rendering merges cleanly with the person's post;
        (None, what conflicts or why there is no merge) otherwise. Nothing new from the outlet
        (the merge gives the person's post back) counts as no merge: the post is kept."""
        base = next(
            (
                saved
                for sha in reversed(self.written.hashes(relpath))
                if (saved := self.texts.load(sha)) is not None
            ),
            None,
        )
        if base is None:
            known = set(self.written.hashes(relpath))
            base = base_from_git(self.root, target, lambda blob: digest(blob) in known, url)
        if base is None:
            return None, None  # nothing to merge against: kept, as before
        try:
            ours = current.decode("utf-8")
        except UnicodeDecodeError:
            return None, "the edited post is not UTF-8 text"
        if base == text:
            return None, None  # the outlet changed nothing newsbot writes
        result = merge_post(base, ours, text)
        if result.text is None or result.text == ours:
            return None, result.conflict
        return result.text, None

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
