"""scrapy-redis's scheduler, for workers that crawl one frontier together and stop together.

scrapy-redis shares the request queue and the duplicate filter between workers, so an
article is fetched (and written) by one worker only. Two things it does not do are done here:

* **Stopping.** A scrapy-redis worker closes as soon as the shared queue is empty and it has
  nothing in flight itself, even while another worker is parsing a sitemap that is about to
  queue a hundred articles. Here an idle worker stays (``DontCloseSpider``) while any other
  worker of the frontier is busy, and picks up what they queue; all of them stop once the
  queue is empty and none of them is fetching or processing anything.
* **The frontier's life.** scrapy-redis either wipes the queue and filter when a worker
  closes (the first worker to finish would pull the frontier from under the others) or keeps
  them for ever (the next run would find every sitemap "already seen" and discover nothing).
  Here ``SCHEDULER_PERSIST`` is on and :class:`WorkerRegistry` deletes the frontier when the
  last worker leaves, after its push (on ``spider_closed``, after GitPublish), so a worker
  starting afresh always starts from a blog that holds the previous run's posts.

Enabled by :class:`newsbot.addons.scale_out.ScaleOut` when ``NEWSBOT_REDIS_URL`` is set.
"""

from __future__ import annotations

import logging
import threading

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler

from newsbot.config.run_settings import RunSettings
from newsbot.schedulers.worker_registry import WorkerRegistry, default_worker_id, frontier_prefix

logger = logging.getLogger(__name__)

# Counted toward the run-wide totals: articles found, and posts in the blog after the run.
FOUND_STATS = ("newsbot/fetched/article_pages", "newsbot/skipped/already_published")
PUBLISHED_STATS = (
    "newsbot/posts/new",
    "newsbot/posts/updated",
    "newsbot/posts/unchanged",
    "newsbot/skipped/edited",
)


class SharedFrontierScheduler(Scheduler):
    crawler: Crawler
    registry: WorkerRegistry
    _heartbeat: threading.Thread | None = None
    _counted: dict[str, int]
    _stopped: threading.Event
    _hold: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontierScheduler:
        scheduler: SharedFrontierScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler._counted = {"found": 0, "published": 0}
        scheduler._stopped = threading.Event()
        # the crawl is one site: a worker downloads at most this many requests at once
        scheduler._hold = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        settings = self.crawler.settings
        run = RunSettings.from_crawler(self.crawler)
        self.registry = WorkerRegistry(
            self.server,
            frontier_prefix(run.redis_key, spider.name),
            settings.get("NEWSBOT_REDIS_WORKER") or default_worker_id(),  # tests name workers
            ttl=run.redis_worker_ttl,
        )
        others = self.registry.join(*self._frontier_keys())
        if others > 0:
            logger.info("Joined %d other worker(s) on the shared frontier", others)
        # A thread, not the reactor: the worker stays registered while a git push (on
        # spider_closed, synchronous) blocks the reactor; a dead process stops renewing.
        self._heartbeat = threading.Thread(
            target=self._renew, name="newsbot-frontier-heartbeat", daemon=True
        )
        self._heartbeat.start()

    def _renew(self) -> None:
        while not self._stopped.wait(self.registry.ttl_ms / 3000):
            try:
                self.registry.renew()
            except Exception as exc:  # redis unreachable for a moment: the TTL has room
                logger.warning("Could not renew this worker on the shared frontier: %s", exc)

    def _frontier_keys(self) -> list[str]:
        return [self.queue.key, self.df.key]

    def next_request(self) -> Request | None:
        if self._holding_enough():
            return None
        was_idle = self.registry.state != "busy"
        self.registry.busy()  # before taking: a request is always queued or held by a busy worker
        request = super().next_request()
        if request is None and was_idle:
            self.registry.idle_again()
        return request

    def _holding_enough(self) -> bool:
        """A worker takes no more requests than it downloads at once; the rest stay in the
        shared queue for the other workers. (Scrapy's engine pulls up to CONCURRENT_REQUESTS
        into the downloader's per-site queues, where no other worker can reach them: the first
        worker would take a whole sitemap's articles and download them two at a time.)"""
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return False
        return len(downloader.active) >= self._hold

    def spider_idle(self, spider: Spider) -> None:
        """Nothing in flight here: stay while the others may still queue work."""
        found, published = (self._new_count("found", FOUND_STATS),
                            self._new_count("published", PUBLISHED_STATS))  # fmt: skip
        state = self.registry.idle(self.queue.key, found, published)
        stats = self.crawler.stats
        stats.set_value("newsbot/frontier/run_found", state.run_found)
        stats.set_value("newsbot/frontier/run_published", state.run_published)
        stats.max_value("newsbot/frontier/workers", state.live_others + 1)
        if not state.done:
            raise DontCloseSpider

    def _new_count(self, name: str, keys: tuple[str, ...]) -> int:
        total = sum(int(self.crawler.stats.get_value(key, 0)) for key in keys)
        new, self._counted[name] = total - self._counted[name], total
        return new

    def close(self, reason: str) -> None:
        """Persisted: the frontier is left (and deleted by the last worker) on spider_closed."""
        self.registry.idle_again()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """After the other spider_closed handlers (the push among them): leave the frontier."""
        self._stopped.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        others = self.registry.leave(*self._frontier_keys())
        if others == 0:
            logger.info("Last worker out: the shared frontier was deleted")
