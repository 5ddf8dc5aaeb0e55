"""Finish each extracted article before it is written, or drop it with the reason.

- the same content under another URL in this run (an article republished under a new id, or
  an outlet that serves one page for every id) is dropped: ``newsbot/skipped/duplicate_content``;
- an article published before ``NEWSBOT_SINCE`` (``--since``) is dropped:
  ``newsbot/skipped/too_old``;
- an article without a date anywhere (page, feed or sitemap) is dated by its last change, else
  by now: ``newsbot/articles/date_missing``;
- it gets its canonical URL, its stable slug and its outlet's name.

Ordered before DownloadImagesPipeline (400) and WritePostPipeline (500).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newsbot.config.run_settings import RunSettings
from newsbot.discovery.article_urls import ArticleUrls, outlet_urls
from newsbot.extraction.dates import parse_day
from newsbot.items import ArticleItem
from newsbot.run.ledger import SkipReason, count_skip


class FinishArticlePipeline:
    def __init__(self, crawler: Crawler, urls: ArticleUrls, since: date | None) -> None:
        self.crawler = crawler
        self.urls = urls
        self.since = since
        self.zone = ZoneInfo(urls.outlet.extraction.timezone)
        self.fingerprints: set[str] = set()  # the contents kept (or too old) in this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FinishArticlePipeline:
        urls = outlet_urls(crawler)
        if urls is None:
            raise NotConfigured("the spider crawls no outlet declared in newsbot.config.sources")
        return cls(crawler, urls, parse_day(RunSettings.from_crawler(crawler).since))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article = ItemAdapter(item)
        stats = self.crawler.stats
        assert stats is not None
        url = article["url"]
        if article["fingerprint"] in self.fingerprints:
            count_skip(stats, SkipReason.DUPLICATE_CONTENT)
            raise DropItem(f"duplicate content: {url} repeats an article of this run", "DEBUG")
        self.fingerprints.add(article["fingerprint"])
        published: datetime | None = article["published"]
        if self.since and published and published.date() < self.since:
            count_skip(stats, SkipReason.TOO_OLD)
            raise DropItem(f"too old: {url} was published before {self.since}", "DEBUG")
        if published is None:
            # No date anywhere on the page or in the feed: its last change (page, sitemap).
            article["published"] = article["modified"] or datetime.now(self.zone)
            stats.inc_value("newsbot/articles/date_missing")
        ref = self.urls.match(url) or self.urls.match(article["fetched_url"])
        if ref is None:  # the spider only fetches the outlet's article URLs
            count_skip(stats, SkipReason.NOT_ARTICLE)
            raise DropItem(f"not an article URL of {self.urls.outlet.name}: {url}")
        article["url"], article["slug"] = ref.url, ref.slug
        article["outlet"] = self.urls.outlet.name
        stats.inc_value("newsbot/articles/extracted")
        return item
