"""The ledger of a run: what became of every article, counted in one place, with typed reasons.

Components count outcomes through :func:`count_skip`, :func:`count_failure` and
:func:`count_post` (Scrapy stats keys ``newsbot/skipped/REASON``, ``newsbot/failed/REASON``,
``newsbot/posts/STATUS``: the stats file keeps its names). :meth:`Ledger.from_stats` turns the
crawl's stats into a :class:`Ledger`, from which everything an operator sees is derived: the
summary line (:meth:`Ledger.line`), the exit code (:meth:`Ledger.assess`), the run-log entry
(:meth:`Ledger.log_entry`) and so ``newsbot status``. Reasons are :class:`SkipReason` and
:class:`FailReason` values, never strings parsed back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from newsbot import exitcodes

logger = logging.getLogger(__name__)
E = TypeVar("E", bound=StrEnum)

SKIPPED = "newsbot/skipped/"
FAILED = "newsbot/failed/"
POSTS = "newsbot/posts/"


class SkipReason(StrEnum):
    """Why an article found by discovery was not written (``newsbot/skipped/<value>``)."""

    ALREADY_PUBLISHED = "already_published"  # the blog has it, and it did not change
    UNCHANGED = "unchanged"  # fetched again (--refresh, a newer lastmod); the post is the same
    EDITED = "edited"  # the post was changed by hand since newsbot wrote it: kept
    DUPLICATE = "duplicate"  # the same canonical URL as another link of this run
    DUPLICATE_CONTENT = "duplicate_content"  # the same text as another article of this run
    TOO_OLD = "too_old"  # published before --since
    HTTP_404 = "http_404"  # a linked article answered 404 or 410
    ID_WALK_MISS = "id_walk_miss"  # a guessed id that does not exist (not reported)
    NOT_ARTICLE = "not_article"  # redirected away from the outlet's articles, or not HTML
    NOTICE = "notice"  # the outlet's own notice, not an article
    PROTECTED = "protected"  # a password-protected or members-only post
    EMPTY_PAGE = "empty_page"  # the page has no text at all
    ERROR_PAGE = "error_page"  # an error page served with status 200
    GARBLED_TEXT = "garbled_text"  # undecodable bytes or control characters
    TOO_SHORT = "too_short"  # too little article text to be an article
    UNPARSABLE_PAGE = "unparsable_page"  # the HTML could not be parsed
    HELD_SHORT = "held_short"  # far shorter than the outlet's usual: held back, tried next run


class FailReason(StrEnum):
    """Why an article newsbot should have written failed (``newsbot/failed/<value>``)."""

    DOWNLOAD = "download"  # the page could not be fetched (after retries)
    EXTRACTION = "extraction"  # extraction raised (a bug or a pathological page)
    RENDER = "render"  # the post could not be rendered
    WRITE = "write"  # the post file could not be written


class PostStatus(StrEnum):
    """What writing an article did to its post (``newsbot/posts/<value>``)."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MERGED = "merged"  # also counted as updated: a correction merged with a person's edits


#: Skips that say nothing bad about the outlet or about extraction: the article is in the blog
#: already, is the same as another one, was excluded on purpose, or is gone.
BENIGN_SKIPS = frozenset(
    {
        SkipReason.ALREADY_PUBLISHED,
        SkipReason.UNCHANGED,
        SkipReason.EDITED,
        SkipReason.DUPLICATE,
        SkipReason.DUPLICATE_CONTENT,
        SkipReason.TOO_OLD,
        SkipReason.HTTP_404,
    }
)
#: Pages an outlet publishes that are not meant for the blog; on a blog that already has this
#: outlet's posts they are routine, on an empty one they mean nothing could be published.
EDITORIAL_SKIPS = frozenset({SkipReason.NOTICE, SkipReason.PROTECTED})
#: Skips left out of the ledger: guesses of the id walk that were wrong.
UNREPORTED_SKIPS = frozenset({SkipReason.ID_WALK_MISS})
OK_FINISH_REASONS = frozenset({"finished", "limit", "closespider_itemcount"})


def count_skip(stats: Any, reason: SkipReason | str, count: int = 1) -> None:
    """Count ``count`` articles skipped for ``reason`` (a :class:`SkipReason` value; a string is
    checked against it, so a reason nobody declared fails where it is counted)."""
    stats.inc_value(f"{SKIPPED}{SkipReason(reason)}", count)


def count_failure(stats: Any, reason: FailReason) -> None:
    stats.inc_value(f"{FAILED}{FailReason(reason)}")


def count_post(stats: Any, status: PostStatus | str) -> None:
    stats.inc_value(f"{POSTS}{PostStatus(status)}")


def failed_total(stats: Mapping[str, Any]) -> int:
    """Articles failed so far (the progress line)."""
    return sum(stats.get(f"{FAILED}{reason}", 0) for reason in FailReason)


def breakdown(counts: Mapping[Any, int]) -> str:
    """``{"protected": 3, "too_short": 1}`` -> ``"protected 3, too short 1"`` (largest first)."""
    items = sorted(((n, str(r)) for r, n in counts.items() if n), key=lambda x: (-x[0], x[1]))
    return ", ".join(f"{reason.replace('_', ' ')} {n}" for n, reason in items)


@dataclass
class ArticleRecord:
    """One article written (or that would be, on a dry run), or held back: for health checks
    over time (``newsbot.health``)."""

    url: str
    body_chars: int  # characters of article text
    extraction: str = ""  # "container" (the platform's), "embedded" (its JSON) or "generic"
    held: bool = False  # held back: far shorter than the outlet's usual (not published)

    def log_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"url": self.url, "chars": self.body_chars}
        if self.extraction:
            entry["path"] = self.extraction
        if self.held:
            entry["held"] = True
        return entry


@dataclass
class Ledger:
    """The counts of one outlet's run and what they mean."""

    new: int = 0
    updated: int = 0
    merged: int = 0  # of the updated: corrections merged with a person's edits
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    finish_reason: str = ""
    responses: int = 0
    requests: int = 0  # requests sent (retries included)
    errors: list[str] = field(default_factory=list)
    skipped_reasons: dict[SkipReason, int] = field(default_factory=dict)
    failed_reasons: dict[FailReason, int] = field(default_factory=dict)
    article_pages: int = 0  # article pages fetched (2xx)
    # pages a past run found not to be articles (protected, notices), not fetched again: their
    # remembered reason is counted among the skips
    remembered_pages: int = 0
    discovery_pages: int = 0  # robots.txt, sitemaps, feeds and listings fetched (2xx)
    discovery_errors: int = 0
    unreachable: str | None = None  # why the outlet could not be reached at all
    kept_edited: list[str] = field(default_factory=list)  # posts left alone: changed by hand
    # A worker sharing a frontier (NEWSBOT_REDIS_URL) gets part of the articles: what the whole
    # run found (fetched or already published) and published, as the workers counted it.
    run_found: int = 0
    run_published: int = 0
    # the articles that got through, and those held back (``held``): the run log's history
    articles: list[ArticleRecord] = field(default_factory=list)
    # why articles were held back (newsbot.pipelines.hold_short), e.g. "body length: 4 of 4
    # new articles under 25% of the usual 2,300 characters"
    held_back: str | None = None

    @property
    def held(self) -> int:
        return self.skipped_reasons.get(SkipReason.HELD_SHORT, 0)

    @property
    def already_published(self) -> int:
        return self.skipped_reasons.get(SkipReason.ALREADY_PUBLISHED, 0)

    @property
    def published(self) -> int:
        """Articles that are (or, on a dry run, would be) in the blog after this run."""
        return (
            self.new
            + self.updated
            + self.unchanged
            + self.skipped_reasons.get(SkipReason.EDITED, 0)
        )

    def line(self, outlet: str, dry_run: bool = False) -> str:
        """The summary line: ``newsbot: OUTLET: N new, N updated, N skipped (…), N failed …``."""
        prefix = "newsbot (dry run)" if dry_run else "newsbot"
        skipped = breakdown(self.skipped_reasons)
        failed = breakdown(self.failed_reasons)
        reason = self.finish_reason
        return (
            f"{prefix}: {outlet}: {self.new} new, {self.updated} updated"
            + (f" ({self.merged} merged)" if self.merged else "")
            + ", "
            f"{self.skipped} skipped{f' ({skipped})' if skipped else ''}, "
            f"{self.failed} failed{f' ({failed})' if failed else ''} in {self.seconds:.1f}s"
            + ("" if reason in OK_FINISH_REASONS else f" ({reason.replace('_', ' ')})")
            + (f"; held back, {self.held_back}" if self.held and self.held_back else "")
        )

    def assess(self, publish_error: str | None = None) -> tuple[int, str | None]:
        """The exit code of the finished run, and the reason when it is not self-explanatory."""
        if self.finish_reason == "interrupted":
            return exitcodes.INTERRUPTED, None
        if self.unreachable:
            return exitcodes.FAILED, self.unreachable
        if self.finish_reason not in OK_FINISH_REASONS:
            return exitcodes.FAILED, None
        if self.responses == 0:
            return (
                exitcodes.FAILED,
                "no page of the outlet could be fetched (is the base URL right?)",
            )
        if self.failed:
            return exitcodes.FAILED, None
        if self.discovery_errors and not self.discovery_pages:
            return exitcodes.FAILED, (
                f"every discovery source failed ({self.discovery_errors} errors): "
                f"no robots.txt, sitemap, feed or listing page could be read"
            )
        if self.held:
            return exitcodes.HELD_BACK, (
                f"{self.held} article(s) held back, not published: "
                f"{self.held_back or 'far shorter than the outlet usually is'}; "
                "the next run tries them again"
            )
        if not self.published and not self.run_published:
            nothing = self._nothing_published()
            if nothing is not None:
                return exitcodes.NOTHING_PUBLISHED, nothing
        if publish_error:
            return exitcodes.PUBLISH_FAILED, None
        return exitcodes.OK, None

    def _nothing_published(self) -> str | None:
        known = self.already_published
        pages = self.article_pages + self.remembered_pages
        if not known and not pages and not self.run_found:
            gone = self.skipped_reasons.get(SkipReason.HTTP_404, 0)
            if gone:
                detail = f"the {gone} article link(s) found answered 404 or 410"
            elif self.discovery_pages:
                detail = (
                    f"{self.discovery_pages} page(s) of the site were read but none linked "
                    "an article of this outlet (is it the outlet's site?)"
                )
            else:
                detail = (
                    "the site has no robots.txt, sitemap, feed or home page that could be read "
                    "(is the base URL the outlet's site?)"
                )
            return f"no article found: {detail}"
        refused = {
            reason: n
            for reason, n in self.skipped_reasons.items()
            if reason not in BENIGN_SKIPS and not (known and reason in EDITORIAL_SKIPS)
        }
        if refused:
            return (
                f"nothing published: none of the {pages} article page(s) "
                f"fetched could be published ({breakdown(refused)})"
            )
        return None

    def log_entry(
        self,
        *,
        outlet: str,
        start: dt.datetime,
        exit_code: int,
        publish_error: str | None,
        committed: str | None,
        pushed: bool | None,
        dry_run: bool,
    ) -> dict[str, Any]:
        """The run-log line of this run (``newsbot.state.run_log``)."""
        errors = list(self.errors)
        if publish_error:
            errors.append(publish_error)
        return {
            "start": start.isoformat(timespec="seconds"),
            "end": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "outlet": outlet,
            "new": self.new,
            "updated": self.updated,
            "merged": self.merged,
            "skipped": self.skipped,
            "failed": self.failed,
            "exit_code": exit_code,
            "reason": self.finish_reason,
            "skipped_reasons": {str(k): v for k, v in self.skipped_reasons.items()},
            "failed_reasons": {str(k): v for k, v in self.failed_reasons.items()},
            "errors": errors[:50],
            "committed": committed,
            "pushed": pushed,
            "dry_run": dry_run,
            "seconds": self.seconds,
            "requests": self.requests,
            "responses": self.responses,
            "found": self.article_pages,
            "articles": [article.log_entry() for article in self.articles],
            "held_back": self.held_back if self.held else None,
        }

    @classmethod
    def from_stats(
        cls, stats: Mapping[str, Any], failures: Sequence[tuple[str, str]] = ()
    ) -> Ledger:
        """The ledger of a crawl from its Scrapy stats and the (url, why) of failed articles."""
        skipped: dict[SkipReason, int] = {}
        failed: dict[FailReason, int] = {}
        for key, value in stats.items():
            if not isinstance(value, int) or not value:
                continue
            if key.startswith(SKIPPED):
                reason = _member(SkipReason, key.removeprefix(SKIPPED))
                if reason is not None and reason not in UNREPORTED_SKIPS:
                    skipped[reason] = value
            elif key.startswith(FAILED):
                failure = _member(FailReason, key.removeprefix(FAILED))
                if failure is not None:
                    failed[failure] = value
        unchanged = stats.get(f"{POSTS}{PostStatus.UNCHANGED}", 0)
        if unchanged:
            skipped[SkipReason.UNCHANGED] = unchanged
        errors = [f"{url}: {reason}" for url, reason in failures]
        if stats.get("newsbot/discovery/errors"):
            errors.append(f"{stats['newsbot/discovery/errors']} discovery source(s) failed")
        hook_failed = stats.get("newsbot/title_hook/failed")
        if hook_failed:
            last = stats.get("newsbot/title_hook/last_error")
            errors.append(
                f"the title hook failed for {hook_failed} post(s), written with their original "
                f"title and excerpt; last: {last}"
            )
        unreachable = stats.get("newsbot/unreachable")
        return cls(
            new=stats.get(f"{POSTS}{PostStatus.NEW}", 0),
            updated=stats.get(f"{POSTS}{PostStatus.UPDATED}", 0),
            merged=stats.get(f"{POSTS}{PostStatus.MERGED}", 0),
            unchanged=unchanged,
            skipped=sum(skipped.values()),
            failed=sum(failed.values()),
            seconds=round(stats.get("elapsed_time_seconds", 0.0), 2),
            finish_reason=str(stats.get("finish_reason", "")),
            responses=stats.get("response_received_count", 0),
            requests=stats.get("downloader/request_count", 0),
            errors=errors,
            skipped_reasons=skipped,
            failed_reasons=failed,
            article_pages=stats.get("newsbot/fetched/article_pages", 0),
            remembered_pages=stats.get("newsbot/discovery/remembered_not_article", 0),
            discovery_pages=stats.get("newsbot/fetched/discovery_pages", 0),
            discovery_errors=stats.get("newsbot/discovery/errors", 0),
            unreachable=str(unreachable) if unreachable else None,
            run_found=stats.get("newsbot/frontier/run_found", 0),
            run_published=stats.get("newsbot/frontier/run_published", 0),
            held_back=str(stats["newsbot/health/held_back"])
            if stats.get("newsbot/health/held_back")
            else None,
        )


def _member(enum: type[E], value: str) -> E | None:
    try:
        return enum(value)
    except ValueError:
        logger.warning("Unknown reason %r in the crawl's stats (not counted)", value)
        return None
