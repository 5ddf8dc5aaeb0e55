"""Each outlet keeps its own retry list: the outlets of ``newsbot crawl --all`` share one blog."""

from __future__ import annotations

import json
from pathlib import Path

import scrapy
from scrapy.utils.test import get_crawler

from newsbot.extensions.retry_failed import RetryFailed


def _spider(name: str) -> type[scrapy.Spider]:
    return type(f"{name.title()}Spider", (scrapy.Spider,), {"name": name})


def _extension(name: str, blog: Path) -> RetryFailed:
    settings = {"NEWSBOT_OUTPUT_DIR": str(blog), "NEWSBOT_STATE_DIR": ".newsbot"}
    crawler = get_crawler(_spider(name), settings)
    return RetryFailed.from_crawler(crawler)


def test_two_outlets_in_one_blog_keep_their_own_failures(tmp_path: Path) -> None:
    first, second = _extension("first", tmp_path), _extension("second", tmp_path)
    first.article_failed("https://first.example/1", "HTTP 503")
    second.article_failed("https://second.example/9", "timeout")
    first.spider_closed(None, "finished")
    second.spider_closed(None, "finished")

    assert _extension("first", tmp_path).previous == ["https://first.example/1"]
    assert _extension("second", tmp_path).previous == ["https://second.example/9"]


def test_the_single_list_of_earlier_versions_is_read_once(tmp_path: Path) -> None:
    state = tmp_path / ".newsbot"
    state.mkdir()
    (state / "retry.json").write_text(json.dumps(["https://newsdao.kr/5313"]), encoding="utf-8")

    first_run = _extension("newsdao", tmp_path)
    assert first_run.previous == ["https://newsdao.kr/5313"]
    first_run.spider_closed(None, "finished")  # it was fetched this time: nothing failed
    assert _extension("newsdao", tmp_path).previous == []
