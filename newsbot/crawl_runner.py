"""Run one outlet's crawl in this process and turn its outcome into an exit code."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newsbot import exitcodes
from newsbot.extensions.run_summary import RunReport


@dataclass
class CrawlOptions:
    outlet: str
    output: Path
    base_url: str | None = None
    since: str | None = None
    limit: int = 0
    backfill: int = 0
    dry_run: bool = False
    fast: bool = False
    refresh: bool = False
    profile: str | None = None
    download_images: bool = False
    commit: bool = False
    push: bool = False
    remote: str | None = None
    branch: str | None = None
    author: str | None = None
    verbose: int = 0  # 0: errors (warnings too on a terminal), 1: info, 2: debug
    progress: bool | None = None
    extra_settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlOutcome:
    exit_code: int
    report: RunReport
    publish: Any = None  # newsbot.publish.git_repo.PublishResult when git publishing ran
    publish_error: str | None = None


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
        "NEWSBOT_DOWNLOAD_IMAGES": options.download_images,
        "NEWSBOT_PROGRESS": options.progress,
        "NEWSBOT_GIT_COMMIT": options.commit or options.push,
        "NEWSBOT_GIT_PUSH": options.push,
    }
    if options.profile:
        values["NEWSBOT_PROFILE"] = options.profile
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


def run_crawl(options: CrawlOptions) -> CrawlOutcome:
    """Crawl once (the Twisted reactor cannot restart: one call per process)."""
    settings = crawl_settings(options)
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(options.outlet)
    process.crawl(crawler)
    process.start()
    report: RunReport | None = getattr(crawler, "newsbot_report", None)
    if report is None:
        report = RunReport(
            finish_reason="did not start", errors=["the crawl did not start; see the log above"]
        )
    elif report.responses == 0:
        report.errors.append("no page of the outlet could be fetched (is the base URL right?)")
    publish = getattr(crawler, "newsbot_publish", None)
    publish_error = getattr(crawler, "newsbot_publish_error", None)
    if not report.ok:
        code = exitcodes.FAILED
    elif publish_error:
        code = exitcodes.PUBLISH_FAILED
    else:
        code = exitcodes.OK
    return CrawlOutcome(code, report, publish, publish_error)
