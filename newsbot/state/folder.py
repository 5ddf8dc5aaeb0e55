"""The one object that knows every path under the blog's state folder (``OUTPUT/.newsbot/``).

Components never build a path into the state folder themselves: they ask the crawl's
:class:`StateFolder` (``StateFolder.from_settings(crawler.settings)``), the way Scrapy hands its
``JOBDIR`` to the components that persist. The folder is a local cache that can be lost: what
newsbot must know across machines lives in the blog (front matter, git).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The state folder's name inside the output folder (the ``NEWSBOT_STATE_DIR`` default).
DEFAULT_NAME = ".newsbot"


@dataclass(frozen=True)
class StateFolder:
    """Paths of the state folder ``root``; nothing is created until a component writes."""

    root: Path

    @classmethod
    def of_output(cls, output: Path | str, name: str = DEFAULT_NAME) -> StateFolder:
        """The state folder ``name`` inside the output folder ``output`` (as given: relative
        stays relative)."""
        return cls(Path(output) / name)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | Any) -> StateFolder:
        """The state folder of a crawl: ``NEWSBOT_OUTPUT_DIR`` / ``NEWSBOT_STATE_DIR``."""
        output = Path(settings.get("NEWSBOT_OUTPUT_DIR") or ".").resolve()
        return cls.of_output(output, settings.get("NEWSBOT_STATE_DIR") or DEFAULT_NAME)

    @property
    def name(self) -> str:
        """The folder's name relative to the output folder (``.newsbot``)."""
        return self.root.name

    @property
    def run_log(self) -> Path:
        """One JSON object per run (``newsbot.state.run_log``)."""
        return self.root / "runs.jsonl"

    @property
    def run_log_archive(self) -> Path:
        """Older run-log lines moved out of ``runs.jsonl`` by its compaction, gzip JSON lines
        (``newsbot.state.run_log_compaction``)."""
        return self.root / "runs-archive"

    @property
    def written_log(self) -> Path:
        """The hash of every post newsbot wrote (``newsbot.state.written_log``)."""
        return self.root / "written.jsonl"

    @property
    def written_texts(self) -> Path:
        """The text of every post newsbot last wrote, the base of a merge with hand edits
        (``newsbot.pipelines.merge_edits``): one ``<sha256 of the path>.md`` each."""
        return self.root / "written-posts"

    @property
    def index_cache(self) -> Path:
        """The published-posts index cache (``newsbot.blog.post_index``)."""
        return self.root / "published.json"

    @property
    def lock(self) -> Path:
        """The run lock (``newsbot.run.lock``)."""
        return self.root / "run.lock"

    @property
    def lock_info(self) -> Path:
        """Who holds the run lock (pid, start), for the message of a run that finds it taken."""
        return self.root / "run.lock.info"

    @property
    def cron_log(self) -> Path:
        """Where the generated crontab line appends a run's output (``newsbot cron-line``)."""
        return self.root / "cron.log"

    def retry_list(self, outlet: str) -> Path:
        """The articles of ``outlet`` that failed in its last run (``newsbot.state.retry_list``)."""
        return self.root / f"retry-{outlet}.json"

    @property
    def legacy_retry_list(self) -> Path:
        """The one retry list of versions before per-outlet files (read once, never written)."""
        return self.root / "retry.json"

    @property
    def http_cache(self) -> Path:
        """Scrapy's HTTP cache of discovery documents, one folder per outlet, for conditional
        requests (``newsbot.downloadermiddlewares.discovery_cache``)."""
        return self.root / "httpcache"

    def discovery_memory(self, outlet: str) -> Path:
        """What ``outlet``'s discovery learnt across runs: guessed paths that were missing, pages
        that are not articles (``newsbot.state.discovery_memory``)."""
        return self.root / f"discovery-{outlet}.json"

    @property
    def health(self) -> Path:
        """Each outlet's last notified health (``newsbot.notify.on_change``); backoff is
        derived from the run log."""
        return self.root / "health.json"
