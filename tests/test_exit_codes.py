"""Exit codes that mean what they say, for `newsbot crawl` and `scrapy crawl` alike: runs that
published nothing, outlets that cannot be reached, the lock and the run log."""

from __future__ import annotations

import socket
import time

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import Faults, OutletSite
from newsbot.run.lock import run_lock
from tests.newsbot_runner import crawl, newsbot, read_posts
from tests.operator_helpers import plain_web_server, run_log, scrapy_crawl


def one_line_error(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("newsbot: error:")]


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


class BrokenDiscovery(OutletSite):
    """Every sitemap, feed, listing and robots.txt answers 500."""

    def respond(self, path, host):
        if not path.strip("/").isdigit():
            return 500, {"Content-Type": "text/html"}, b"<h1>500</h1>"
        return super().respond(path, host)


def test_every_discovery_source_failing_is_exit_1(serve_site, samples, tmp_path):
    base = serve_site(BrokenDiscovery(samples))
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
    started = time.monotonic()
    run = newsbot(*args, *(["--fast"] if fast else []))
    seconds = time.monotonic() - started
    assert run.code == exitcodes.FAILED
    assert seconds < 15, seconds  # was 41 s (every source retried in turn)
    errors = one_line_error(run.stderr)
    assert errors == [
        f"newsbot: error: cannot reach the outlet at {base}: "
        "the connection was refused (nothing listens there)"
    ]
    assert run.stdout.strip().endswith("(outlet unreachable)")
    assert run_log(tmp_path)[-1]["reason"] == "outlet_unreachable"


def test_scrapy_crawl_of_an_unreachable_outlet_exits_1(tmp_path):
    base = _closed_port()
    started = time.monotonic()
    run = scrapy_crawl("-a", f"base_url={base}", "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}",
                       "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=ERROR")  # fmt: skip
    assert run.code == exitcodes.FAILED, run.stderr
    assert time.monotonic() - started < 15
    assert "Traceback" not in run.stderr
    assert "cannot reach the outlet" in run.stderr
    assert run_log(tmp_path)[-1]["exit_code"] == exitcodes.FAILED


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
