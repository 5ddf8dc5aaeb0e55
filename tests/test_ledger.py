"""The run's ledger: typed reasons, counted in one place, from which the summary line, the exit
code and the run-log entry are all derived."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newsbot import exitcodes
from newsbot.blog.publish_posts import PublishResult
from newsbot.run.ledger import (
    FailReason,
    Ledger,
    PostStatus,
    SkipReason,
    count_failure,
    count_post,
    count_skip,
)


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_a_reason_nobody_declared_fails_where_it_is_counted():
    collector = stats()
    with pytest.raises(ValueError):
        count_skip(collector, "made_up_reason")
    count_skip(collector, "protected")  # a NotAnArticle reason string is one of the enum
    assert collector.get_stats() == {"newsbot/skipped/protected": 1}


def test_summary_line_exit_code_and_run_log_come_from_the_same_counts():
    collector = stats()
    for _ in range(2):
        count_post(collector, PostStatus.NEW)
    count_skip(collector, SkipReason.ALREADY_PUBLISHED, 5)
    count_skip(collector, SkipReason.ID_WALK_MISS)  # a wrong guess: not reported
    count_failure(collector, FailReason.DOWNLOAD)
    values = {**collector.get_stats(), "finish_reason": "finished", "response_received_count": 9}
    ledger = Ledger.from_stats(values, [("https://example.org/1", "HTTP 503")])

    assert ledger.skipped_reasons == {SkipReason.ALREADY_PUBLISHED: 5}
    assert ledger.failed_reasons == {FailReason.DOWNLOAD: 1}
    assert ledger.line("newsdao") == (
        "newsbot: newsdao: 2 new, 0 updated, 5 skipped (already published 5), "
        "1 failed (download 1) in 0.0s"
    )
    assert ledger.assess() == (exitcodes.FAILED, None)
    entry = ledger.log_entry(
        outlet="newsdao",
        start=dt.datetime.now().astimezone(),
        exit_code=exitcodes.FAILED,
        publish_error=None,
        committed=None,
        pushed=None,
        dry_run=False,
    )
    assert json.loads(json.dumps(entry))["skipped_reasons"] == {"already_published": 5}
    assert entry["failed"] == 1 and entry["errors"] == ["https://example.org/1: HTTP 503"]


def test_nothing_pushed_is_not_reported_as_a_push():
    up_to_date = PublishResult(None, True, 0, "nothing to commit; origin/main is up to date")
    assert up_to_date.pushed_commits == 0 and not up_to_date.worth_showing
    pushed = PublishResult("abc", True, 0, "committed abc; pushed 1 commit", pushed_commits=1)
    assert pushed.worth_showing
