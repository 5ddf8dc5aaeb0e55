"""More behaviour of the real crawl: updates in place, `scrapy crawl`, progress, exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from newsbot.state.atomic_write import TEMP_PREFIX
from tests.in_process import crawl, newsbot
from tests.newsbot_runner import REPO, read_posts
from tests.sites.faults import Answer, Faulty, Redirect, article_pages, paths


def test_an_edited_article_updates_its_post_in_place(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    before = set((tmp_path / "_posts").iterdir())
    edited = samples[0]
    for path in before:  # as if the posts were written when the articles came out
        stamp = edited.published.timestamp()
        os.utime(path, (stamp, stamp))

    site.remove(edited.id)
    site.add(
        replace(
            edited,
            body_html=edited.body_html
            + "<p>정정: 이 기사는 처음 보도 이후 내용이 고쳐졌습니다.</p>",
            modified=edited.published + timedelta(days=1),  # sitemap lastmod: after our write
        )
    )
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/posts/updated") == 1 and run.stat("newsbot/posts/new") == 0
    assert set((tmp_path / "_posts").iterdir()) == before  # same file names
    post = next(
        p for p in read_posts(tmp_path).values() if p["source_url"].endswith(f"/{edited.id}")
    )
    assert "정정: 이 기사는 처음 보도 이후" in post.content

    again = crawl(base, tmp_path)  # the file is now newer than lastmod: not fetched again
    assert again.stat("newsbot/posts/updated") == 0
    assert again.stat("newsbot/skipped/already_published") == len(samples)


def test_refresh_refetches_published_articles_without_touching_unchanged_posts(
    serve_site, samples, tmp_path
):
    base = serve_site(OutletSite(samples))
    assert crawl(base, tmp_path).code == exitcodes.OK
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "_posts").iterdir()}
    run = crawl(base, tmp_path, "--refresh")
    assert run.code == exitcodes.OK
    assert run.stat("newsbot/posts/unchanged") == len(samples)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "_posts").iterdir()} == mtimes


@pytest.mark.slow
def test_scrapy_crawl_runs_the_same_spider_from_the_project_root(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    scrapy = [sys.executable, "-m", "scrapy.cmdline"]
    result = subprocess.run(
        [*scrapy, "crawl", "newsdao", "-a", f"base_url={base}",
         "-s", f"NEWSBOT_OUTPUT_DIR={tmp_path}", "-s", "NEWSBOT_FAST=1", "-s", "LOG_LEVEL=INFO"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{len(samples)} new, 0 updated" in result.stderr  # RunSummary logs the summary line
    assert {p["source_url"] for p in read_posts(tmp_path).values()} == {
        f"{base}/{a.id}" for a in samples
    }


def test_progress_line_is_shown_when_asked(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    run = crawl(base, tmp_path, "--progress", "-s", "NEWSBOT_PROGRESS_INTERVAL=0.05")
    assert run.code == exitcodes.OK
    assert re.search(r"found \d+, fetched \d+, written \d+, failed 0", run.stderr)


def test_progress_line_is_not_shown_under_cron(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    run = crawl(base, tmp_path, "-s", "NEWSBOT_PROGRESS_INTERVAL=0.05")  # stderr is a pipe
    assert run.code == exitcodes.OK
    assert run.stderr == ""
    assert run.stdout.count("\n") == 1  # only the summary line


def test_bad_arguments_and_a_bad_profile_exit_2_with_a_clear_message(tmp_path):
    usage = newsbot("crawl", "nosuchoutlet", "--output", tmp_path)
    assert usage.code == exitcodes.USAGE
    assert "no outlet 'nosuchoutlet' in the bundled sources file" in usage.stderr

    profile = tmp_path / "bad.yaml"
    profile.write_text("name: bad\nexcerpt_chars: sixty\ncolour: blue\n", encoding="utf-8")
    bad = newsbot("crawl", "newsdao", "--output", tmp_path, "--profile", profile)
    assert bad.code == exitcodes.USAGE
    assert "excerpt_chars" in bad.stderr and "colour" in bad.stderr


def test_readme_documents_every_crawl_option():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = newsbot("crawl", "--help").stdout
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help", "--no-progress"}
    missing = sorted(opt for opt in options if f"`{opt}" not in readme and f" {opt}" not in readme)
    assert missing == [], f"README lacks {missing}"


def test_empty_pages_are_skipped_and_binary_pages_fail_until_the_server_recovers(
    serve_site, samples, tmp_path
):
    # one article is an empty 200 response, one binary garbage
    garbage = Answer(article_pages([samples[1].id]), 200, bytes(range(256)) * 40, "text/html")
    site = Faulty(OutletSite(samples), Answer(article_pages([samples[0].id]), 200, b""), garbage)
    base = serve_site(site)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.FAILED, run.stderr
    assert f"{base}/{samples[1].id}: undecodable page" in run.stderr
    assert len(read_posts(tmp_path)) == len(samples) - 2
    assert run.stat("newsbot/skipped/empty_page") == 1
    assert run.stat("newsbot/charset/undecodable") == 1
    assert run.stat("newsbot/failed/download") == 1
    assert run.stat("newsbot/failed/extraction") == 0

    garbage.active = False  # the server serves the page again
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK, again.stderr
    assert again.stat("newsbot/posts/new") == 1
    assert len(read_posts(tmp_path)) == len(samples) - 1


@pytest.mark.slow
def test_demo_command_crawls_the_bundled_outlet_and_is_idempotent(tmp_path):
    import socket

    with socket.socket() as probe:  # a free port, used by both runs (post links name it)
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    first = newsbot("demo", "--output", tmp_path / "out", "--port", port)
    assert first.code == exitcodes.OK, first.stderr
    assert "8 new, 0 updated, 0 skipped, 0 failed" in first.stdout
    assert len(read_posts(tmp_path / "out")) == 8
    second = newsbot("demo", "--output", tmp_path / "out", "--port", port)
    assert second.code == exitcodes.OK, second.stderr
    assert "0 new, 0 updated, 8 skipped (already published 8), 0 failed" in second.stdout


def test_the_same_article_under_two_ids_becomes_one_post(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    site.add(replace(samples[0], id=5350))  # republished verbatim under a new number
    base = serve_site(site)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    urls = {p["source_url"] for p in read_posts(tmp_path).values()}
    assert len(urls) == len(samples)
    assert len(urls & {f"{base}/{samples[0].id}", f"{base}/5350"}) == 1
    assert run.stat("newsbot/skipped/duplicate_content") == 1


def test_a_redated_article_is_updated_under_its_first_file_name(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    names = set((tmp_path / "_posts").iterdir())
    moved = samples[0]
    site.remove(moved.id)
    site.add(replace(moved, published=moved.published + timedelta(days=3)))
    run = crawl(base, tmp_path, "--refresh")
    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/posts/updated") == 1 and run.stat("newsbot/posts/new") == 0
    assert set((tmp_path / "_posts").iterdir()) == names  # no second file for the new date
    post = next(
        p for p in read_posts(tmp_path).values() if p["source_url"].endswith(f"/{moved.id}")
    )
    assert post["date"] == moved.published + timedelta(days=3)


def test_temporary_files_a_killed_run_left_in_the_state_folder_are_removed(
    serve_site, samples, tmp_path
):
    state = tmp_path / ".newsbot"
    state.mkdir()
    left = state / f"{TEMP_PREFIX}runs.part"
    left.write_text("half a line", encoding="utf-8")
    run = crawl(serve_site(OutletSite(samples)), tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    assert not left.exists()


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "to",
    [
        pytest.param("/", id="to-the-home-page"),
        pytest.param(
            lambda host: (
                None
                if host.startswith("localhost")
                else f"http://localhost:{host.rsplit(':', 1)[1]}/robots.txt"
            ),
            id="to-another-host",
        ),
    ],
)
def test_a_redirected_robots_txt_does_not_stall_the_crawl(serve_site, samples, tmp_path, to):
    # the redirect's follow-up waited for the very robots.txt answer it was to give (or for
    # another host's), so every request to the outlet waited for ever, holding the lock
    site = Faulty(OutletSite(samples), Redirect(paths("/robots.txt"), to, 301))
    base = serve_site(site)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert len(read_posts(tmp_path)) == len(samples)
