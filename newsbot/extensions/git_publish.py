"""After the crawl, commit exactly the posts this run wrote (and push, when asked).

On with ``NEWSBOT_GIT_COMMIT`` (``newsbot crawl --commit`` or ``scrapy crawl newsdao -s
NEWSBOT_GIT_COMMIT=1``). The outcome stays on the extension: ``result`` (a PublishResult) and
``error`` (a message, when the commit or the push failed). It collects what the crawl wrote
(newsbot's signals); RunRecord calls :meth:`GitPublish.commit` after the spider closed, off the
reactor thread, and reads the outcome through ``crawler.get_extension(GitPublish)``.

With ``NEWSBOT_GIT_DEFER`` (``newsbot crawl --all``), the extension only collects: what it would
commit is left on :attr:`GitPublish.pending`, and the command makes one commit for the posts of
every outlet of the run (``newsbot.run.crawl_all``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot import signals as newsbot_signals
from newsbot.blog.git_command import DEFAULT_AUTHOR, GitError
from newsbot.blog.git_repo import GitRepo
from newsbot.blog.post_index import POST_SUFFIXES
from newsbot.blog.publish_posts import PublishResult, commit_message, publish
from newsbot.config.run_settings import RunSettings
from newsbot.discovery.article_urls import outlet_urls
from newsbot.extensions.post_index import PublishedPosts

logger = logging.getLogger(__name__)


def publishing(settings: RunSettings) -> bool:
    """Does this crawl publish to git at all?"""
    return not settings.dry_run and settings.publishing


def deferred(settings: RunSettings) -> bool:
    """Is the commit left to the command (one commit for several outlets)?"""
    return publishing(settings) and settings.git_defer


@dataclass
class PendingCommit:
    """What one outlet's crawl would commit: its posts (and their images) and their URLs."""

    outlet: str
    paths: list[Path]
    new_urls: list[str]
    updated_urls: list[str]
    merged_urls: list[str] = field(default_factory=list)  # of the updated: merged with edits


class GitPublish:
    def __init__(self, crawler: Crawler) -> None:
        settings = self.settings = RunSettings.from_crawler(crawler)
        self.crawler = crawler
        self.root = settings.output
        self.author = settings.git_author or DEFAULT_AUTHOR
        self.state = settings.state
        self.written: dict[str, list[tuple[Path, str]]] = {"new": [], "updated": []}
        self.assets: list[Path] = []  # downloaded images the posts link to
        self.defer = deferred(settings)
        self.pending: PendingCommit | None = None  # with NEWSBOT_GIT_DEFER, once closed
        self.result: PublishResult | None = None
        self.error: str | None = None  # why the commit or the push failed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GitPublish:
        if not publishing(RunSettings.from_crawler(crawler)):
            raise NotConfigured("git publishing is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.post_written, signal=newsbot_signals.post_written)
        crawler.signals.connect(extension.asset_written, signal=newsbot_signals.asset_written)
        return extension

    def post_written(self, path: Path, relpath: str, url: str, status: str) -> None:
        self.written.setdefault(status, []).append((path, url))

    def asset_written(self, path: Path) -> None:
        self.assets.append(path)

    def _recover_uncommitted(self, repo: GitRepo) -> None:
        """Posts an interrupted run wrote but never committed: files in the posts folder that
        no commit has (untracked, or staged by a run killed before its commit) whose
        ``source_url`` is an article of this outlet. Anything else (an operator's
        draft, edits to tracked posts) is left alone."""
        posts = self.crawler.get_extension(PublishedPosts)
        urls = outlet_urls(self.crawler)
        if posts is None or urls is None:
            return
        published = posts.index
        already = {path for entries in self.written.values() for path, _ in entries}
        for path in repo.uncommitted_new(published.posts_dir):
            if path in already or path.suffix not in POST_SUFFIXES:
                continue
            post = published.read_post(path)
            if post is not None and urls.match(post.source_url) is not None:
                self.written.setdefault("new", []).append((path, post.source_url))
                logger.info("Committing %s, written by an earlier interrupted run", path)

    def commit(self, spider: Any, reason: str) -> None:
        """Commit (and push) what the crawl wrote; RunRecord calls it, off the reactor thread,
        once the spider closed. Deferred (``NEWSBOT_GIT_DEFER``): only note what to commit."""
        outlet = getattr(getattr(spider, "outlet", None), "name", spider.name)
        try:
            repo = GitRepo(self.root, author=self.author)
            if repo.is_repo():
                # newsbot's lock, run log and retry list stay out of `git status`
                repo.exclude_locally(f"/{self.state.root.relative_to(self.root).as_posix()}/")
                self._recover_uncommitted(repo)
            paths = [path for entries in self.written.values() for path, _ in entries]
            paths += self.assets
            new_urls = [url for _, url in self.written.get("new", [])]
            merged_urls = [url for _, url in self.written.get("merged", [])]
            updated_urls = [url for _, url in self.written.get("updated", [])] + merged_urls
            if self.defer:
                self.pending = PendingCommit(outlet, paths, new_urls, updated_urls, merged_urls)
                return
            message = commit_message(outlet, new_urls, updated_urls, merged_urls)
        except GitError as exc:
            self.error = str(exc)
            logger.error("git publishing failed: %s", exc)
            return
        result, error = commit_and_push(
            self.settings, paths, message, interrupted=reason == "interrupted"
        )
        self.result, self.error = result, error


def commit_and_push(
    settings: RunSettings, paths: list[Path], message: str, *, interrupted: bool = False
) -> tuple[PublishResult | None, str | None]:
    """Commit ``paths`` (and push, when asked) in the output folder: the result, and the error
    message when the commit or the push failed. Interrupted: commit what was written (local,
    quick), leave the push to the next run."""
    root = settings.output
    push = settings.git_push
    try:
        result = publish(
            root,
            paths,
            message,
            push=push and not interrupted,
            remote=settings.git_remote,
            branch=settings.git_branch or None,
            author=settings.git_author or DEFAULT_AUTHOR,
            retries=settings.git_push_retries,
            backoff=settings.git_push_backoff,
        )
    except GitError as exc:
        logger.error("git publishing failed: %s", exc)
        return None, str(exc)
    if interrupted and push:
        result = replace(result, message=f"{result.message.split(';')[0]}; "
                         "not pushed (interrupted: the next run pushes)")  # fmt: skip
    if result.error:
        logger.error("%s: %s", result.message, result.error)
        return result, result.message
    logger.info("git: %s", result.message)
    return result, None


def commit_together(
    settings: RunSettings, pending: list[PendingCommit], *, interrupted: bool = False
) -> tuple[PublishResult | None, str | None]:
    """One commit for the posts of several outlets (``newsbot crawl --all``)."""
    with_posts = [p.outlet for p in pending if p.new_urls or p.updated_urls]
    names = ", ".join(with_posts or [p.outlet for p in pending])
    message = commit_message(
        names,
        [url for p in pending for url in p.new_urls],
        [url for p in pending for url in p.updated_urls],
        [url for p in pending for url in p.merged_urls],
    )
    paths = list(dict.fromkeys(path for p in pending for path in p.paths))
    return commit_and_push(settings, paths, message, interrupted=interrupted)
