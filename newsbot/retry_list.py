"""Articles that failed to download in the last run, tried again first in the next one.

Only a speed-up for the id walk: sitemaps, feeds and listings rediscover them anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from newsbot.atomic_write import write_atomic


class RetryList:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [url for url in data if isinstance(url, str)] if isinstance(data, list) else []

    def save(self, urls: Iterable[str]) -> None:
        unique = sorted(set(urls))
        if not unique and not self.path.exists():
            return
        write_atomic(self.path, json.dumps(unique, ensure_ascii=False, indent=1) + "\n")
