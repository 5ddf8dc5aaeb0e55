"""Articles that failed (or were held back) in a run are tried first by the next one
(``.newsbot/retry-NAME.json``, one file per outlet: the outlets of ``newsbot crawl --all``
share the blog's state folder).

Listens to ``newsbot.signals.article_failed`` and saves the list when the spider closes; the
spider asks for the last run's list (``previous``) through ``crawler.get_extension``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot import signals as newsbot_signals
from newsbot.config.run_settings import RunSettings
from newsbot.state.retry_list import RetryList


class RetryFailed:
    def __init__(self, path: Path, legacy: Path | None = None) -> None:
        self.retry = RetryList(path)
        # the last run's failures (from the one file of versions before per-outlet files)
        self._legacy = legacy is not None and not path.exists()
        self.previous = RetryList(legacy).load() if legacy and self._legacy else self.retry.load()
        self.failed: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryFailed:
        state = RunSettings.from_crawler(crawler).state
        extension = cls(state.retry_list(crawler.spidercls.name), state.legacy_retry_list)
        crawler.signals.connect(extension.article_failed, signal=newsbot_signals.article_failed)
        crawler.signals.connect(extension.article_held, signal=newsbot_signals.article_held)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def article_failed(self, url: str, reason: str) -> None:
        self.failed.append(url)

    def article_held(self, url: str, **_: Any) -> None:
        self.failed.append(url)  # held back (a teaser): tried again first by the next run

    def retry_next_run(self, url: str) -> None:
        """An article left unwritten for a reason of this run only (the crawl stopped)."""
        self.failed.append(url)

    def spider_closed(self, spider: Any, reason: str) -> None:
        # from now on this outlet reads its own file (an empty one when nothing failed)
        self.retry.save(self.failed, keep_empty=self._legacy)
