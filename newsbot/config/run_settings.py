"""The settings of one run, as one typed object built once per crawler.

The Scrapy settings keep their ``NEWSBOT_*`` names (defaults in ``newsbot/settings.py``, set with
``-s NAME=VALUE`` or ``newsbot crawl`` options); components receive them as a
:class:`RunSettings` (``RunSettings.from_crawler(crawler)``, made once per crawler) instead of
reading names one by one. Field ``name`` is the setting ``NEWSBOT_NAME``; values are converted as
Scrapy's ``getbool``/``getint``/``getfloat`` do. The defaults are the ones of
``newsbot/settings.py`` (one place).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot import settings as defaults
from newsbot.state.folder import DEFAULT_NAME, StateFolder

_by_crawler: weakref.WeakKeyDictionary[Crawler, RunSettings] = weakref.WeakKeyDictionary()


class RunSettings(BaseModel):
    """Every ``NEWSBOT_*`` setting of a run (politeness and scale-out keep Scrapy's own)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- what to crawl
    sources: str | None = Field(
        defaults.NEWSBOT_SOURCES, description="The sources file; None: the bundled one."
    )
    base_url: str | None = Field(
        defaults.NEWSBOT_BASE_URL, description="Overrides the outlet's base_url."
    )
    since: str | None = Field(
        defaults.NEWSBOT_SINCE, description="ISO date: ignore older sitemap/feed entries."
    )
    limit: int = Field(
        defaults.NEWSBOT_LIMIT, description="Stop after this many posts written (0: no limit)."
    )
    backfill: int = Field(
        defaults.NEWSBOT_BACKFILL, description="Also walk this many ids below the newest known one."
    )
    id_walk_misses: int = Field(
        defaults.NEWSBOT_ID_WALK_MISSES, description="Missing ids in a row that end the id walk."
    )
    max_listing_pages: int = Field(
        defaults.NEWSBOT_MAX_LISTING_PAGES, description="Pagination depth per listing page."
    )
    refresh: bool = Field(
        defaults.NEWSBOT_REFRESH, description="Re-fetch published articles to pick up edits."
    )
    discovery_cache: bool = Field(
        defaults.NEWSBOT_DISCOVERY_CACHE,
        description="Revalidate robots.txt, sitemaps, feeds and listings from the state folder's"
        " HTTP cache (a 304 is 'unchanged'; robots.txt reused for up to 24 h).",
    )
    discovery_cache_days: int = Field(
        defaults.NEWSBOT_DISCOVERY_CACHE_DAYS,
        description="Prune discovery cache entries no run used for this many days (0: never).",
    )
    discovery_memory: bool = Field(
        defaults.NEWSBOT_DISCOVERY_MEMORY,
        description="Remember guessed discovery paths that answered 404/410 (a day) and pages"
        " that are not articles (a week, or until their lastmod moves).",
    )
    overwrite_edited: bool = Field(
        defaults.NEWSBOT_OVERWRITE_EDITED,
        description="Replace posts changed by hand since newsbot wrote them.",
    )
    fast: bool = Field(
        defaults.NEWSBOT_FAST, description="No throttling (local outlets and benchmarks)."
    )
    # --- extraction
    extract_processes: int = Field(
        defaults.NEWSBOT_EXTRACT_PROCESSES, description="Extraction worker processes (0: a thread)."
    )
    worker_timeout: float = Field(
        defaults.NEWSBOT_WORKER_TIMEOUT, description="Seconds one page's extraction may take."
    )
    min_body_chars: int | None = Field(
        defaults.NEWSBOT_MIN_BODY_CHARS, description="Overrides the outlet's min_body_chars."
    )
    # --- output
    output_dir: str = Field(defaults.NEWSBOT_OUTPUT_DIR, description="The blog repository's root.")
    profile: str = Field(
        defaults.NEWSBOT_PROFILE, description="A bundled profile name or a profile file."
    )
    dry_run: bool = Field(
        defaults.NEWSBOT_DRY_RUN, description="Extract and render, but write nothing."
    )
    download_images: bool = Field(
        defaults.NEWSBOT_DOWNLOAD_IMAGES, description="Store images in the blog, link copies."
    )
    images_dir: str = Field(defaults.NEWSBOT_IMAGES_DIR, description="Inside the output folder.")
    state_dir: str = Field(
        defaults.NEWSBOT_STATE_DIR, description="newsbot's state folder, inside the output."
    )
    run_log_keep: int = Field(
        defaults.NEWSBOT_RUN_LOG_KEEP,
        description="Run-log lines kept per outlet when the log is compacted (the rest archived).",
    )
    progress: bool | None = Field(
        defaults.NEWSBOT_PROGRESS, description="Live progress line; None: on a terminal."
    )
    progress_interval: float = Field(
        defaults.NEWSBOT_PROGRESS_INTERVAL, description="Seconds between progress lines."
    )
    stats_file: str | None = Field(
        defaults.NEWSBOT_STATS_FILE, description="Write the final Scrapy stats here (JSON)."
    )
    # --- publishing to the blog's git repository
    git_commit: bool = Field(
        defaults.NEWSBOT_GIT_COMMIT, description="Commit the posts this run wrote (only those)."
    )
    git_push: bool = Field(
        defaults.NEWSBOT_GIT_PUSH, description="Then pull --rebase and push (implies commit)."
    )
    git_remote: str = Field(defaults.NEWSBOT_GIT_REMOTE, description="The remote to push to.")
    git_branch: str | None = Field(
        defaults.NEWSBOT_GIT_BRANCH, description="The branch; None: the checked-out one."
    )
    git_author: str | None = Field(
        defaults.NEWSBOT_GIT_AUTHOR, description='"Name <email>"; None: newsbot\'s own.'
    )
    git_push_retries: int = Field(
        defaults.NEWSBOT_GIT_PUSH_RETRIES, description="Pushes tried before the run gives up."
    )
    git_push_backoff: float = Field(
        defaults.NEWSBOT_GIT_PUSH_BACKOFF, description="Seconds before a retry, then doubled."
    )
    git_defer: bool = Field(
        defaults.NEWSBOT_GIT_DEFER,
        description="Leave the commit and the run-log line to the command (crawl --all).",
    )
    # --- reliability
    charset_recovery: bool = Field(
        defaults.NEWSBOT_CHARSET_RECOVERY, description="Decode pages by their real charset."
    )
    redirect_guard: bool = Field(
        defaults.NEWSBOT_REDIRECT_GUARD, description="Fail redirect loops and off-outlet hops."
    )
    retry_after_max: float = Field(
        defaults.NEWSBOT_RETRY_AFTER_MAX, description="Longest Retry-After waited for (s)."
    )
    # --- scale-out
    redis_url: str | None = Field(
        defaults.NEWSBOT_REDIS_URL, description="A shared frontier in redis (scrapy-redis)."
    )
    redis_key: str = Field(defaults.NEWSBOT_REDIS_KEY, description="Key prefix, one per blog.")
    redis_worker_ttl: float = Field(
        defaults.NEWSBOT_REDIS_WORKER_TTL, description="Seconds a silent worker counts as live."
    )

    # --- health over time (newsbot.health)
    hold_short: bool = Field(
        defaults.NEWSBOT_HOLD_SHORT,
        description="Hold back articles far shorter than the outlet's usual (teasers, paywalls).",
    )
    health_short_ratio: float = Field(
        defaults.NEWSBOT_HEALTH_SHORT_RATIO,
        description="Far shorter: under this share of the usual body length (median of history).",
    )
    health_min_chars: int = Field(
        defaults.NEWSBOT_HEALTH_MIN_CHARS,
        description="Characters of body under which an article is short while there is no history.",
    )
    health_history: int = Field(
        defaults.NEWSBOT_HEALTH_HISTORY,
        description="Recent published articles whose median body length is the outlet's usual.",
    )
    health_min_history: int = Field(
        defaults.NEWSBOT_HEALTH_MIN_HISTORY,
        description="Articles of history needed before the usual replaces the absolute floor.",
    )
    health_failing_runs: int = Field(
        defaults.NEWSBOT_HEALTH_FAILING_RUNS,
        description="Failed runs (or failed pushes) in a row that make an outlet failing.",
    )
    # --- notifications (newsbot.notify)
    notify: str | None = Field(
        defaults.NEWSBOT_NOTIFY,
        description="Apprise URLs, comma-separated, told when an outlet's health changes.",
    )
    # --- backoff across runs (newsbot.health.backoff)
    scheduled: bool = Field(
        defaults.NEWSBOT_SCHEDULED,
        description="A scheduled run (the cron line's --scheduled): backs off a failing outlet.",
    )
    backoff_after: int = Field(
        defaults.NEWSBOT_BACKOFF_AFTER,
        description="Failed runs in a row before scheduled runs back off (0: never).",
    )
    backoff_base: float = Field(
        defaults.NEWSBOT_BACKOFF_BASE, description="Seconds of the first wait, then doubled."
    )
    backoff_max: float = Field(defaults.NEWSBOT_BACKOFF_MAX, description="The longest wait (s).")

    @property
    def notify_urls(self) -> list[str]:
        """The Apprise URLs of ``notify`` (comma-separated; blanks dropped)."""
        return [url.strip() for url in (self.notify or "").split(",") if url.strip()]

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RunSettings:
        """Read every field from its ``NEWSBOT_*`` setting (absent: the field's default)."""
        values: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            key = f"NEWSBOT_{name.upper()}"
            if settings.get(key) is None:
                if key in settings:
                    values[name] = None if _optional(info.annotation) else info.default
                continue
            kinds = _kinds(info.annotation)
            if bool in kinds:
                values[name] = settings.getbool(key)
            elif int in kinds:
                values[name] = settings.getint(key)
            elif float in kinds:
                values[name] = settings.getfloat(key)
            else:
                values[name] = str(settings.get(key))
        return cls(**values)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSettings:
        """The crawler's run settings, made on first use (its settings are final by then)."""
        made = _by_crawler.get(crawler)
        if made is None:
            made = _by_crawler[crawler] = cls.from_settings(crawler.settings)
        return made

    @property
    def output(self) -> Path:
        """The output folder, absolute."""
        return Path(self.output_dir).resolve()

    @property
    def state(self) -> StateFolder:
        return StateFolder.of_output(self.output, self.state_dir or DEFAULT_NAME)

    @property
    def publishing(self) -> bool:
        return self.git_commit or self.git_push


def _kinds(annotation: Any) -> set[Any]:
    args = get_args(annotation)
    return set(args) if args else {annotation}


def _optional(annotation: Any) -> bool:
    return type(None) in _kinds(annotation)
