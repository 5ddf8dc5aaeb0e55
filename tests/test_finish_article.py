"""FinishArticlePipeline: what becomes of an extracted article before it is written."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsbot.config.sources import get_outlet
from newsbot.items import ArticleItem
from newsbot.pipelines.finish_article import FinishArticlePipeline
from newsbot.spiders.outlet import OutletSpider

SEOUL = ZoneInfo("Asia/Seoul")
JUNE = datetime(2025, 6, 10, 9, 0, tzinfo=SEOUL)


class NewsdaoSpider(OutletSpider):
    name = "newsdao"
    outlet = get_outlet("newsdao")


def pipeline(**settings) -> FinishArticlePipeline:
    return FinishArticlePipeline.from_crawler(get_crawler(NewsdaoSpider, settings))


def extracted(url: str, fingerprint: str = "a", **fields) -> ArticleItem:
    """An item as extraction leaves it: the page's canonical link and the URL fetched."""
    fields.setdefault("published", JUNE)
    fields.setdefault("fetched_url", url)
    return ArticleItem(url=url, title="t", fingerprint=fingerprint, **fields)


def test_an_article_gets_its_canonical_url_slug_and_outlet():
    finish = pipeline()
    # the page's canonical link is a mobile URL with a query: the outlet's canonical form wins
    item = finish.process_item(extracted("https://m.newsdao.kr/5301?ref=feed"))
    assert (item.url, item.slug, item.outlet) == (
        "https://newsdao.kr/5301",
        "newsdao-5301",
        "newsdao",
    )
    assert finish.crawler.stats.get_value("newsbot/articles/extracted") == 1


def test_a_page_whose_canonical_link_is_not_an_article_keeps_the_url_it_was_fetched_at():
    finish = pipeline(NEWSBOT_BASE_URL="http://127.0.0.1:8080")
    item = extracted("http://127.0.0.1:8080/", fetched_url="http://127.0.0.1:8080/5302/")
    item = finish.process_item(item)
    assert (item.url, item.slug) == ("http://127.0.0.1:8080/5302", "newsdao-5302")


def test_the_same_content_under_another_url_is_dropped_with_the_reason():
    finish = pipeline()
    finish.process_item(extracted("https://newsdao.kr/5301", fingerprint="same"))
    with pytest.raises(DropItem, match=r"duplicate content: https://newsdao\.kr/5350"):
        finish.process_item(extracted("https://newsdao.kr/5350", fingerprint="same"))
    stats = finish.crawler.stats
    assert stats.get_value("newsbot/skipped/duplicate_content") == 1
    assert stats.get_value("newsbot/articles/extracted") == 1


def test_an_article_published_before_since_is_dropped_with_the_reason():
    finish = pipeline(NEWSBOT_SINCE="2025-06-10")
    finish.process_item(extracted("https://newsdao.kr/2", fingerprint="b"))  # that very day
    old = extracted("https://newsdao.kr/1", published=JUNE - timedelta(days=1))
    with pytest.raises(
        DropItem, match=r"too old: https://newsdao\.kr/1 was published before 2025-06-10"
    ):
        finish.process_item(old)
    assert finish.crawler.stats.get_value("newsbot/skipped/too_old") == 1


def test_an_undated_article_is_dated_by_its_last_change_else_by_now():
    finish = pipeline()
    changed = JUNE + timedelta(hours=3)
    item = finish.process_item(extracted("https://newsdao.kr/3", published=None, modified=changed))
    assert item.published == changed
    before = datetime.now(SEOUL)
    item = finish.process_item(extracted("https://newsdao.kr/4", "other", published=None))
    assert item.published is not None and before <= item.published <= datetime.now(SEOUL)
    assert item.published.utcoffset() == timedelta(hours=9)  # the outlet's timezone
    assert finish.crawler.stats.get_value("newsbot/articles/date_missing") == 2
