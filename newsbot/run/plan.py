"""The plan of a run: the options of ``newsbot crawl`` turned into the crawl's Scrapy settings
(the project's, then the command line's); the outlets and the checks follow from them."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


@dataclass
class CrawlOptions:
    outlet: str | None  # None: every enabled outlet (``newsbot crawl --all``)
    output: Path
    sources: Path | None = None  # the sources file; None: NEWSBOT_SOURCES, else the bundled one
    base_url: str | None = None
    since: str | None = None
    limit: int = 0
    backfill: int = 0
    dry_run: bool = False
    fast: bool = False
    refresh: bool = False
    overwrite_edited: bool = False
    profile: str | None = None
    download_images: bool = False
    commit: bool = False
    push: bool = False
    remote: str | None = None
    branch: str | None = None
    author: str | None = None
    verbose: int = 0  # 0: errors (warnings too on a terminal), 1: info, 2: debug
    progress: bool | None = None
    notify: list[str] = field(default_factory=list)  # Apprise URLs added to NEWSBOT_NOTIFY
    scheduled: bool = False  # a cron run: may back off a failing outlet
    extra_settings: dict[str, Any] = field(default_factory=dict)


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    return get_project_settings()


def crawl_settings(options: CrawlOptions) -> Settings:
    settings = project_settings()
    values: dict[str, Any] = {
        "NEWSBOT_OUTPUT_DIR": str(options.output),
        "NEWSBOT_BASE_URL": options.base_url,
        "NEWSBOT_SINCE": options.since,
        "NEWSBOT_LIMIT": options.limit,
        "NEWSBOT_BACKFILL": options.backfill,
        "NEWSBOT_DRY_RUN": options.dry_run,
        "NEWSBOT_FAST": options.fast,
        "NEWSBOT_REFRESH": options.refresh,
        "NEWSBOT_OVERWRITE_EDITED": options.overwrite_edited,
        "NEWSBOT_DOWNLOAD_IMAGES": options.download_images,
        "NEWSBOT_PROGRESS": options.progress,
        "NEWSBOT_GIT_COMMIT": options.commit or options.push,
        "NEWSBOT_GIT_PUSH": options.push,
    }
    if options.profile:
        values["NEWSBOT_PROFILE"] = options.profile
    if options.notify:
        urls = [settings.get("NEWSBOT_NOTIFY"), *options.notify]  # --notify adds to the setting
        values["NEWSBOT_NOTIFY"] = ",".join(url for url in urls if url)
    if options.scheduled:
        values["NEWSBOT_SCHEDULED"] = True
    if options.sources:
        values["NEWSBOT_SOURCES"] = str(options.sources)
    for key, value in (
        ("REMOTE", options.remote),
        ("BRANCH", options.branch),
        ("AUTHOR", options.author),
    ):
        if value:
            values[f"NEWSBOT_GIT_{key}"] = value
    interactive = sys.stderr.isatty()
    level = {0: "WARNING" if interactive else "ERROR", 1: "INFO"}.get(options.verbose, "DEBUG")
    values["LOG_LEVEL"] = level
    values.update(options.extra_settings)
    settings.setdict(values, priority="cmdline")
    return settings
