"""Articles that failed to download in the last run, tried again first in the next one.

Only a speed-up for the id walk: sitemaps, feeds and listings rediscover them anyway.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

from newsbot.state.atomic_write import write_atomic

logger = logging.getLogger(__name__)


class RetryList:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [url for url in data if isinstance(url, str)] if isinstance(data, list) else []

    def save(self, urls: Iterable[str], *, keep_empty: bool = False) -> None:
        """Keep ``urls`` for the next run. A failure to write (a full disk) is logged, not
        raised: the run has failed already, and the next run finds the articles again
        through the sitemaps, feeds and listings."""
        unique = sorted(set(urls))
        if not unique and not self.path.exists() and not keep_empty:
            return
        try:
            write_atomic(self.path, json.dumps(unique, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            logger.error("Cannot save the retry list %s: %s", self.path, exc)
