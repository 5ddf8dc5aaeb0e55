"""Articles that failed in a run are tried first by the next one (``.newsbot/retry.json``).

Listens to ``newsbot.signals.article_failed`` and saves the list when the spider closes; the
spider asks for the last run's list (``previous``) through ``crawler.get_extension``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot import signals as newsbot_signals
from newsbot.retry_list import RetryList


class RetryFailed:
    def __init__(self, path: Path) -> None:
        self.retry = RetryList(path)
        self.previous = self.retry.load()  # the last run's failures
        self.failed: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryFailed:
        settings = crawler.settings
        root = Path(settings.get("NEWSBOT_OUTPUT_DIR")).resolve()
        extension = cls(root / settings.get("NEWSBOT_STATE_DIR") / "retry.json")
        crawler.signals.connect(extension.article_failed, signal=newsbot_signals.article_failed)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def article_failed(self, url: str, reason: str) -> None:
        self.failed.append(url)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.retry.save(self.failed)
