"""Hold back articles far shorter than their outlet usually is: teasers, a paywall, a redesign.

Each article's body length is compared with the outlet's usual, read from the run log
(``newsbot.health.body_length``: the median of its recent published articles, an absolute
floor until there is history). A short article is kept aside; once the crawl has nothing left
to do (``spider_idle``) the run decides: when at least half of its new articles are short they
are held back -- not written, counted ``newsbot/skipped/held_short``, sent as
``newsbot.signals.article_held`` (RetryFailed puts them first in the next run, RunSummary
records them in the run log) -- and the run exits ``HELD_BACK`` with the symptom in its summary
line. A short article among normal ones is the outlet's genuinely short article: it is written
(by WritePostPipeline, as any other).

Ordered just before WritePostPipeline (500). Off with ``NEWSBOT_HOLD_SHORT=false``.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newsbot import signals as newsbot_signals
from newsbot.config.run_settings import RunSettings
from newsbot.extensions.retry_failed import RetryFailed
from newsbot.health.body_length import BodyNorm, body_norm, hold_back, median, proven_short
from newsbot.items import ArticleItem
from newsbot.pipelines.write_post import WritePostPipeline
from newsbot.run.ledger import SkipReason, count_skip
from newsbot.state.run_log import read_runs

logger = logging.getLogger(__name__)


class HoldShortArticlesPipeline:
    def __init__(self, crawler: Crawler, settings: RunSettings, outlet: str) -> None:
        self.crawler = crawler
        self.settings = settings
        self.outlet = outlet
        self.norm = BodyNorm(None, settings.health_short_ratio, settings.health_min_chars)
        self.proven: set[str] = set()
        self.normal: list[int] = []  # lengths of the articles passed on
        self.pending: list[ArticleItem] = []  # short ones, until the run decides
        self.releasing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HoldShortArticlesPipeline:
        settings = RunSettings.from_crawler(crawler)
        outlet = getattr(crawler.spidercls, "outlet", None)
        if not settings.hold_short or outlet is None:
            raise NotConfigured("NEWSBOT_HOLD_SHORT is off, or the spider crawls no outlet")
        pipeline = cls(crawler, settings, str(outlet.name))
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        s = self.settings
        runs = read_runs(s.state.run_log)
        self.norm = body_norm(
            runs,
            self.outlet,
            ratio=s.health_short_ratio,
            floor=s.health_min_chars,
            history=s.health_history,
            min_history=s.health_min_history,
        )
        self.proven = proven_short(runs, self.outlet)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article = ItemAdapter(item)
        chars = len(article["body_text"] or "")
        if not self.norm.is_short(chars) or article["url"] in self.proven:
            self.normal.append(chars)
            return item
        self.pending.append(item)
        raise DropItem(
            f"kept aside: {article['url']} has {chars} characters of text, the outlet's "
            f"threshold is {self.norm.threshold}",
            log_level="DEBUG",
        )

    def spider_idle(self) -> None:
        if self.releasing:
            raise DontCloseSpider
        engine = self.crawler.engine
        if not self.pending or engine is None or not engine.spider_is_idle():
            return  # nothing kept aside, or other components started more work
        short, self.pending = self.pending, []
        if hold_back(len(short), len(self.normal)):
            self._hold(short)
            return
        logger.info(
            "%d short article(s) among %d normal ones: the outlet's own short articles, written",
            len(short),
            len(self.normal),
        )
        self.releasing = True
        deferred_from_coro(self._release(short))
        raise DontCloseSpider

    def close_spider(self) -> None:
        if not self.pending:
            return
        # the crawl stopped before it went idle (a limit, Ctrl-C): the same rule as at idle
        short, self.pending = self.pending, []
        if hold_back(len(short), len(self.normal)):
            self._hold(short)
            return
        logger.info(
            "%d short article(s) among %d normal ones left for the next run: the crawl stopped "
            "before they could be written",
            len(short),
            len(self.normal),
        )
        retry = self.crawler.get_extension(RetryFailed)
        for item in short:
            if retry is not None:
                retry.retry_next_run(item.url)

    def _hold(self, short: list[ArticleItem]) -> None:
        stats = self.crawler.stats
        assert stats is not None
        lengths = [len(item.body_text) for item in short]
        symptom = self.norm.symptom(
            len(short), len(short) + len(self.normal), median(lengths + self.normal)
        )
        stats.set_value("newsbot/health/held_back", symptom)
        count_skip(stats, SkipReason.HELD_SHORT, len(short))
        logger.warning("Held back %d article(s): %s", len(short), symptom)
        for item, chars in zip(short, lengths, strict=True):
            self.crawler.signals.send_catch_log(
                newsbot_signals.article_held, url=item.url, chars=chars, extraction=item.extraction
            )

    async def _release(self, short: list[ArticleItem]) -> None:
        writer = self.crawler.get_item_pipeline(WritePostPipeline)
        try:
            for item in short:
                try:
                    if writer is not None:
                        await writer.process_item(item)
                except DropItem as exc:
                    logger.info("%s", exc)
                    continue
                except Exception:
                    logger.exception("Cannot write %s", item.url)
                    continue
                self.crawler.signals.send_catch_log(
                    signals.item_scraped, item=item, response=None, spider=self.crawler.spider
                )
        finally:
            self.releasing = False

    def __repr__(self) -> str:  # pragma: no cover - for logs
        return f"<HoldShortArticlesPipeline {self.outlet} threshold={self.norm.threshold}>"
