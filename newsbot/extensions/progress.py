"""A live progress line on a terminal (articles found, written, failed); silent under cron."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsbot.config.run_settings import RunSettings
from newsbot.run.ledger import failed_total


class Progress:
    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = RunSettings.from_crawler(crawler)
        setting = settings.progress
        enabled = sys.stderr.isatty() if setting is None else setting
        if not enabled:
            raise NotConfigured("progress is shown on terminals only")
        extension = cls(crawler, settings.progress_interval, sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        found = sum(v for k, v in stats.items() if k.startswith("newsbot/discovered/"))
        written = stats.get("newsbot/posts/new", 0) + stats.get("newsbot/posts/updated", 0)
        failed = failed_total(stats)
        pages = stats.get("response_received_count", 0)
        return f"found {found}, fetched {pages}, written {written}, failed {failed}"

    def show(self) -> None:
        self.stream.write(f"\r\033[K{self.line()}")
        self.stream.flush()

    def spider_opened(self, spider: Any) -> None:
        self._loop = task.LoopingCall(self.show)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
            self.show()
            self.stream.write("\n")
            self.stream.flush()
