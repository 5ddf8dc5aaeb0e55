"""Run ``extract_article`` off the reactor thread: in worker processes, or a thread when 0."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from newsbot.extraction.article import extract_article
from newsbot.extraction.hints import Hints
from newsbot.items import ArticleItem
from newsbot.outlets.declaration import ExtractionRules


class ExtractionPool:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: Executor | None = None

    def _get(self) -> Executor:
        if self._executor is None:
            if self.processes > 0:
                # spawn: workers never inherit the reactor, sockets or threads of the crawl
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.processes, mp_context=context)
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="newsbot-extract")
        return self._executor

    async def extract(
        self, page: str, url: str, hints: Hints, rules: ExtractionRules
    ) -> ArticleItem:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._get(), extract_article, page, url, hints, rules)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
