"""Exit codes that mean what they say, for `newsbot crawl` and `scrapy crawl` alike: runs that
published nothing, outlets that cannot be reached, the lock and the run log."""

from __future__ import annotations

import json
import socket

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import Faults, OutletSite
from newsbot.run.lock import run_lock
from tests.in_process import crawl, newsbot
from tests.newsbot_runner import read_posts
from tests.operator_helpers import plain_web_server, run_log, scrapy_crawl
from tests.sites.faults import Answer, Faulty, article_pages, everything_but


def one_line_error(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("newsbot: error:")]


@pytest.mark.slow
def test_a_plain_web_server_is_no_article_found_exit_6(tmp_path):
    with plain_web_server() as (base, _):
        run = crawl(base, tmp_path)
        scrapy = scrapy_crawl("-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}",
                              "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR")  # fmt: skip
    assert run.code == exitcodes.NOTHING_PUBLISHED, run.stderr
    assert "0 new, 0 updated, 0 skipped, 0 failed" in run.stdout
    errors = one_line_error(run.stderr)
    assert len(errors) == 1 and "no article found" in errors[0]
    assert scrapy.code == exitcodes.NOTHING_PUBLISHED, scrapy.stderr
    assert [r["exit_code"] for r in run_log(tmp_path)] == [6, 6]


@pytest.mark.slow
def test_every_article_page_skipped_is_exit_6_with_the_reasons_counted(
    serve_site, samples, tmp_path
):
    base = serve_site(OutletSite(samples, faults=Faults(protected_ids={a.id for a in samples})))
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.NOTHING_PUBLISHED, run.stderr
    n = len(samples)
    assert f"0 new, 0 updated, {n} skipped (protected {n}), 0 failed in" in run.stdout
    assert f"none of the {n} article page(s) fetched could be published (protected {n})" in (
        run.stderr
    )
    record = run_log(tmp_path)[-1]
    assert record["exit_code"] == 6 and record["skipped_reasons"] == {"protected": n}

    scrapy = scrapy_crawl("-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}",
                          "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR")  # fmt: skip
    assert scrapy.code == exitcodes.NOTHING_PUBLISHED
    assert f"{n} skipped (protected {n})" in scrapy.stdout


def test_an_incremental_run_that_finds_only_published_articles_succeeds(
    serve_site, samples, tmp_path
):
    base = serve_site(OutletSite(samples))
    assert crawl(base, tmp_path).code == exitcodes.OK
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK, again.stderr
    n = len(samples)
    assert f"0 new, 0 updated, {n} skipped (already published {n}), 0 failed" in again.stdout
    assert run_log(tmp_path)[-1]["skipped_reasons"] == {"already_published": n}


def test_a_notice_on_a_blog_that_has_the_outlets_posts_is_routine(serve_site, samples, tmp_path):
    site = OutletSite(samples[:-1])
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    site.add(samples[-1])
    site.faults.notice_ids.add(samples[-1].id)  # the only new page is a notice
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    assert "(already published 7, notice 1)" in run.stdout


def test_every_discovery_source_failing_is_exit_1(serve_site, samples, tmp_path):
    # every sitemap, feed, listing and robots.txt answers 500
    broken = Answer(everything_but(article_pages()), 500, b"<h1>500</h1>", "text/html")
    base = serve_site(Faulty(OutletSite(samples), broken))
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.FAILED, run.stderr
    assert any("every discovery source failed" in e for e in one_line_error(run.stderr))
    assert run_log(tmp_path)[-1]["exit_code"] == exitcodes.FAILED


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "polite"])
def test_an_unreachable_outlet_fails_fast_with_one_line(tmp_path, fast):
    base = _closed_port()
    args = ["crawl", "newsdao", "--base-url", base, "--output", tmp_path]
    run = newsbot(*args, *(["--fast"] if fast else []))
    assert run.code == exitcodes.FAILED
    # one request went to the network, with its retries; the other sources were dropped
    # unsent (it took 41 s when every source was retried in turn)
    assert run.stat("retry/max_reached") == 1
    assert run.stat("downloader/request_count") == run.stat("retry/count") + 1
    errors = one_line_error(run.stderr)
    assert errors == [
        f"newsbot: error: cannot reach the outlet at {base}: "
        "the connection was refused (nothing listens there)"
    ]
    assert run.stdout.strip().endswith("(outlet unreachable)")
    assert run_log(tmp_path)[-1]["reason"] == "outlet_unreachable"


@pytest.mark.slow
def test_scrapy_crawl_of_an_unreachable_outlet_exits_1(tmp_path):
    base = _closed_port()
    stats_file = tmp_path / "stats.json"
    run = scrapy_crawl("-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}",
                       "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR",
                       "-s", f"NEWSBOT_STATS_FILE={stats_file}")  # fmt: skip
    assert run.code == exitcodes.FAILED, run.stderr
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["retry/max_reached"] == 1  # the other sources were dropped unsent
    assert stats["downloader/request_count"] == stats["retry/count"] + 1
    assert "Traceback" not in run.stderr
    assert "cannot reach the outlet" in run.stderr
    assert run_log(tmp_path)[-1]["exit_code"] == exitcodes.FAILED


@pytest.mark.slow
def test_scrapy_crawl_takes_the_lock_and_writes_the_same_run_log(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    args = ["-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}",
            "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR"]  # fmt: skip
    with run_lock(tmp_path / ".newsbot"):
        locked = scrapy_crawl(*args)
    assert locked.code == exitcodes.LOCKED
    assert "another newsbot run holds" in locked.stderr
    assert not (tmp_path / "_posts").exists()

    first = scrapy_crawl(*args)
    assert first.code == exitcodes.OK, first.stderr
    assert f"newsbot: newsdao: {len(samples)} new, 0 updated, 0 skipped" in first.stdout
    second = crawl(base, tmp_path)  # newsbot crawl: same folder, same log
    assert second.code == exitcodes.OK
    records = run_log(tmp_path)
    assert [r["exit_code"] for r in records] == [0, 0]
    assert set(records[0]) == set(records[1])  # the same fields, whoever ran it
    assert records[0]["new"] == len(samples) and records[1]["skipped"] == len(samples)
    assert len(read_posts(tmp_path)) == len(samples)
