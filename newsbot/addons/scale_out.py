"""Several workers, on several machines, crawling one outlet for one blog: ``NEWSBOT_REDIS_URL``.

With the setting (or the environment variable of the same name) the :class:`ScaleOut` add-on
switches the crawl to scrapy-redis: the request queue and the duplicate filter live in redis,
under ``<NEWSBOT_REDIS_KEY>:<spider>:…``, and :class:`SharedFrontierScheduler` coordinates the
workers (who stops when, and when the frontier is deleted). Without it the add-on does nothing.

Each worker publishes to its own clone of the blog and pushes (``pull --rebase`` when the
remote moved). The blog stays the record of what is published: before it crawls, a worker
joins the frontier and then brings its clone up to date (:func:`shared_worker`), so either it
shares the duplicate filter of the workers still running, or every earlier worker has already
pushed what it wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from newsbot.blog.git_command import GitError
from newsbot.blog.git_repo import GitRepo
from newsbot.config.run_settings import RunSettings
from newsbot.schedulers.worker_registry import WorkerRegistry, default_worker_id, frontier_prefix

# scrapy-redis and redis are imported only when the setting is on: a one-machine crawl does
# not pay for them (this module is loaded by every crawl, through ADDONS).

SCHEDULER = "newsbot.schedulers.shared_frontier.SharedFrontierScheduler"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
QUEUE = "scrapy_redis.queue.PriorityQueue"  # robots.txt and sitemaps before articles


class ScaleOutError(RuntimeError):
    """A worker cannot join the shared crawl (redis unreachable, clone not up to date)."""


class ScaleOut:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScaleOut:
        if not crawler.settings.get("NEWSBOT_REDIS_URL"):
            raise NotConfigured  # (no message: nothing to say on a one-machine crawl)
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        prefix = frontier_prefix(settings.get("NEWSBOT_REDIS_KEY"), "%(spider)s")
        values: dict[str, Any] = {
            "SCHEDULER": SCHEDULER,
            "DUPEFILTER_CLASS": DUPEFILTER,
            "SCHEDULER_QUEUE_CLASS": QUEUE,
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
            # Never wipe the frontier when one worker closes: the others still use it. The
            # last worker to leave deletes it (SharedFrontierScheduler), so the next run
            # starts with an empty duplicate filter and reads the sitemaps and feeds again.
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_FLUSH_ON_START": False,
            "REDIS_URL": settings.get("NEWSBOT_REDIS_URL"),
        }
        for name, value in values.items():
            settings.set(name, value, priority="addon")


def frontier_keys(settings: BaseSettings, spider: str) -> list[str]:
    """The shared queue and duplicate filter keys of ``spider``'s frontier."""
    prefix = frontier_prefix(RunSettings.from_settings(settings).redis_key, spider)
    return [f"{prefix}:requests", f"{prefix}:dupefilter"]


def registry_for(settings: BaseSettings, spider: str) -> WorkerRegistry:
    from scrapy_redis import defaults as redis_defaults
    from scrapy_redis.connection import get_redis

    run = RunSettings.from_settings(settings)
    params = {**redis_defaults.REDIS_PARAMS, "socket_connect_timeout": 5, "socket_timeout": 10}
    server = get_redis(url=run.redis_url, **params)
    return WorkerRegistry(
        server,
        frontier_prefix(run.redis_key, spider),
        default_worker_id(),
        ttl=run.redis_worker_ttl,
    )


@contextmanager
def shared_worker(settings: BaseSettings, spider: str) -> Iterator[None]:
    """Around one worker's crawl: join the frontier, then update the clone from its remote
    (``pull --rebase``); leave the frontier afterwards, whatever happened (the scheduler
    normally has left already; leaving twice changes nothing).

    In this order: a worker that starts a fresh frontier (no other worker live) knows that
    every worker of the previous run had pushed before it left. Raises :class:`ScaleOutError`
    with one line when redis cannot be reached or the clone cannot be updated."""
    from redis.exceptions import RedisError

    run = RunSettings.from_settings(settings)
    url = run.redis_url
    keys = frontier_keys(settings, spider)
    registry = registry_for(settings, spider)
    try:
        registry.join(*keys)
    except RedisError as exc:
        raise ScaleOutError(f"cannot reach redis at {url} (NEWSBOT_REDIS_URL): {exc}") from None
    try:
        if run.git_push:
            _update_clone(run)
        yield
    finally:
        with suppress(RedisError):  # unreachable now: the registration expires by itself
            registry.leave(*keys)


def _update_clone(run: RunSettings) -> None:
    root = run.output
    remote = run.git_remote
    try:
        GitRepo(root).update_from_remote(remote, run.git_branch or None)
    except GitError as exc:
        raise ScaleOutError(
            f"cannot bring {root} up to date with {remote} before a shared crawl: "
            + " ".join(str(exc).split())
        ) from None
