"""What one outlet's discovery learnt across runs, so that a cron run does not ask it again:

- the usual discovery paths newsbot *guessed* (``/sitemap_index.xml``, ``/feed``, ...) that
  answered 404/410: not asked again for a day (paths the sources file declares are always asked);
- the pages that turned out not to be articles (a password-protected post, a notice): fetched
  again after a week, or as soon as a sitemap's ``lastmod`` for them moves.

A JSON file in the state folder (``StateFolder.discovery_memory``); losing it costs one run the
old requests, nothing more.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsbot.state.atomic_write import write_atomic

logger = logging.getLogger(__name__)

MISSING_FOR = timedelta(days=1)  # a guessed path that was missing is asked again after this
RECHECK_AFTER = timedelta(days=7)  # a page that is not an article is fetched again after this


def _time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class DiscoveryMemory:
    def __init__(self, path: Path | None = None, now: datetime | None = None) -> None:
        self.path = path
        self.now = now or datetime.now(UTC)
        self._missing: dict[str, str] = {}  # URL -> when it answered 404/410
        self._not_articles: dict[str, dict[str, Any]] = {}  # URL -> checked, lastmod, reason
        self._changed = False

    @classmethod
    def load(cls, path: Path | None, now: datetime | None = None) -> DiscoveryMemory:
        memory = cls(path, now)
        if path is None:
            return memory
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return memory
        except (OSError, ValueError) as exc:
            logger.warning("Ignoring unreadable discovery memory %s: %s", path, exc)
            return memory
        if isinstance(data, dict):
            missing, pages = data.get("missing"), data.get("not_articles")
            if isinstance(missing, dict):
                memory._missing = {str(k): str(v) for k, v in missing.items()}
            if isinstance(pages, dict):
                memory._not_articles = {str(k): v for k, v in pages.items() if isinstance(v, dict)}
        return memory

    # ------------------------------------------------------------------ guessed paths
    def missing_recently(self, url: str) -> bool:
        """True when ``url`` answered 404/410 less than a day ago."""
        when = _time(self._missing.get(url))
        return when is not None and self.now - when < MISSING_FOR

    def missing(self, url: str) -> None:
        if not self.missing_recently(url):
            self._missing[url] = self.now.isoformat()
            self._changed = True

    def found(self, url: str) -> None:
        if self._missing.pop(url, None) is not None:
            self._changed = True

    # ------------------------------------------------------------------ not articles
    def known_not_article(self, url: str, lastmod: datetime | None = None) -> str | None:
        """Why ``url`` is not an article (``protected``, ``notice``) when that was found less
        than a week ago and no ``lastmod`` newer than the one then known says it changed
        since; else None (fetch it)."""
        entry = self._not_articles.get(url)
        if entry is None:
            return None
        checked = _time(entry.get("checked"))
        if checked is None or self.now - checked >= RECHECK_AFTER:
            return None
        if lastmod is not None:  # moved since: past the lastmod then known, or the check
            known = _time(entry.get("lastmod")) or checked
            if _aware(lastmod) > known:
                return None
        return str(entry.get("reason") or "not_article")

    def not_articles(self) -> list[str]:
        """The URLs remembered as pages that exist but are not articles."""
        return list(self._not_articles)

    def not_article(self, url: str, reason: str, lastmod: datetime | None = None) -> None:
        self._not_articles[url] = {
            "checked": self.now.isoformat(),
            "lastmod": _aware(lastmod).isoformat() if lastmod else None,
            "reason": reason,
        }
        self._changed = True

    def article(self, url: str) -> None:
        """``url`` is an article now (the post was unlocked): forget it."""
        if self._not_articles.pop(url, None) is not None:
            self._changed = True

    # ------------------------------------------------------------------ file
    def save(self) -> None:
        """Write the memory if it changed. A failure to write is logged: it costs requests,
        not posts."""
        if self.path is None or not self._changed:
            return
        data = {"missing": self._missing, "not_articles": self._not_articles}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            logger.error("Cannot save the discovery memory %s: %s", self.path, exc)
        self._changed = False
