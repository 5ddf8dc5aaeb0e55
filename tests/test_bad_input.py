"""Bad arguments, settings and output folders are caught before anything is fetched: one line
naming the problem, exit 2, no traceback -- for `newsbot crawl`, `scrapy crawl` and cron-line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from scrapy.crawler import Crawler

from newsbot import exitcodes
from newsbot.config.preflight import ConfigError
from newsbot.run.plan import project_settings
from newsbot.spiders.loader import OutletSpiderLoader
from tests.git_helpers import git
from tests.newsbot_runner import REPO, newsbot
from tests.operator_helpers import plain_web_server, scrapy_crawl

# (name, crawl arguments after `crawl newsdao --base-url BASE`, expected text); {out} is an
# output folder, {file} a regular file, {plain} a folder outside any git repository.
CRAWL_CASES = [
    ("output is a file", ["--output", "{file}"],
     "the output folder {file} is a file, not a folder"),
    ("output below a file", ["--output", "{file}/blog"], "cannot be made: {file} is a file"),
    ("limit -1", ["--output", "{out}", "--limit", "-1"],
     "argument --limit: must be 0 or more, got -1"),
    ("backfill -1", ["--output", "{out}", "--backfill", "-1"],
     "argument --backfill: must be 0 or more, got -1"),
    ("limit abc", ["--output", "{out}", "--limit", "abc"],
     "argument --limit: expected a whole number, got 'abc'"),
    ("-s without =", ["--output", "{out}", "-s", "FOO"],
     "argument -s/--set: expects NAME=VALUE, got 'FOO'"),
    ("unknown setting", ["--output", "{out}", "-s", "NEWSBOT_EXTRACT_PROCESS=2"],
     "unknown setting NEWSBOT_EXTRACT_PROCESS (did you mean NEWSBOT_EXTRACT_PROCESSES?)"),
    ("processes abc", ["--output", "{out}", "-s", "NEWSBOT_EXTRACT_PROCESSES=abc"],
     "setting NEWSBOT_EXTRACT_PROCESSES: expected a whole number, 0 or more, got 'abc'"),
    ("processes -1", ["--output", "{out}", "-s", "NEWSBOT_EXTRACT_PROCESSES=-1"],
     "setting NEWSBOT_EXTRACT_PROCESSES: expected a whole number, 0 or more, got '-1'"),
    ("bool setting", ["--output", "{out}", "-s", "NEWSBOT_FAST=maybe"],
     "setting NEWSBOT_FAST: expected true or false (1 or 0), got 'maybe'"),
    ("scrapy number", ["--output", "{out}", "-s", "DOWNLOAD_DELAY=slow"],
     "setting DOWNLOAD_DELAY: expected a number, got 'slow'"),
    ("since", ["--output", "{out}", "-s", "NEWSBOT_SINCE=yesterday"],
     "setting NEWSBOT_SINCE: expected a date (YYYY-MM-DD), got 'yesterday'"),
    ("commit outside git", ["--output", "{plain}", "--commit"],
     "--commit: {plain} is not the top folder of a git repository"),
    ("push outside git", ["--output", "{plain}", "--push"],
     "--push: {plain} is not the top folder of a git repository"),
    ("push without remote", ["--output", "{repo}", "--push"],
     "--push: the repository {repo} has no remote 'origin'"),
]  # fmt: skip

BASE_URL_CASES = [
    ("notaurl", "the base URL 'notaurl' (--base-url) is not an http(s) URL"),
    ("ftp://127.0.0.1/", "the base URL 'ftp://127.0.0.1/' (--base-url) is not an http(s) URL"),
    ("http://127.0.0.1:99999", "is not an http(s) URL"),
    ("{base}/news", "has a path (/news) that the newsdao outlet does not support"),
]


@pytest.fixture
def places(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a folder\n")
    plain = Path(tempfile.mkdtemp(prefix="newsbot-plain-"))  # outside the source checkout
    repo = tmp_path / "repo"
    repo.mkdir()
    if shutil.which("git"):
        git(repo, "init", "-q")
    yield {"out": str(tmp_path / "out"), "file": str(afile), "plain": str(plain),
           "repo": str(repo)}  # fmt: skip
    shutil.rmtree(plain, ignore_errors=True)


def assert_one_line(run, expected: str) -> None:
    assert run.code == exitcodes.USAGE, (run.code, run.stderr[-2000:])
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert expected in lines[0], lines[0]
    assert "Traceback" not in run.stderr and run.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "args", "expected"), CRAWL_CASES, ids=[c[0] for c in CRAWL_CASES])
def test_bad_crawl_input_is_one_line_exit_2_and_nothing_is_fetched(places, name, args, expected):
    if "git" in name and not shutil.which("git"):
        pytest.skip("git is not installed")
    with plain_web_server() as (base, server):
        run = newsbot("crawl", "newsdao", "--base-url", base, "--fast",
                      *[a.format(**places) for a in args])  # fmt: skip
        assert server.hits == 0
    assert_one_line(run, expected.format(**places))
    assert not Path(places["out"], ".newsbot", "runs.jsonl").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("url", "expected"), BASE_URL_CASES, ids=[c[0] for c in BASE_URL_CASES])
def test_a_bad_base_url_is_one_line_exit_2(tmp_path, url, expected):
    with plain_web_server() as (base, server):
        run = newsbot("crawl", "newsdao", "--output", tmp_path, "--base-url", url.format(base=base))
        assert server.hits == 0
    assert_one_line(run, expected)


@pytest.mark.slow
def test_demo_with_an_impossible_port_is_one_line_exit_2(tmp_path):
    run = newsbot("demo", "--output", tmp_path, "--port", "99999")
    assert_one_line(run, "argument --port: a port is 1 to 65535 (0: any free port), got 99999")


@pytest.mark.slow
def test_an_unwritable_output_folder_is_one_line_exit_2_as_a_normal_user():
    top = Path(tempfile.mkdtemp(prefix="newsbot-ro-"))
    try:
        blog = top / "blog"
        blog.mkdir()
        os.chmod(top, 0o755)
        argv = [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--output", str(blog),
                "--base-url", "http://127.0.0.1:9"]  # fmt: skip
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv: no normal user to test with")
            argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
        else:
            os.chmod(blog, 0o555)
        done = subprocess.run(
            argv, cwd=top, env={**os.environ, "PYTHONPATH": str(REPO), "HOME": str(top)},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.chmod(top, 0o755)
        for folder in (top, top / "blog"):
            if folder.exists():
                os.chmod(folder, 0o755)
        shutil.rmtree(top, ignore_errors=True)
    assert done.returncode == exitcodes.USAGE, done.stderr[-2000:]
    assert done.stderr.strip() == (
        f"newsbot: cannot write to the output folder: {blog} is not writable (Permission denied)"
    )


SCRAPY_CASES = [
    (["-s", "NEWSBOT_EXTRACT_PROCESSES=abc"], "setting NEWSBOT_EXTRACT_PROCESSES: expected"),
    (["-s", "NEWSBOT_LIMIT=-1"], "setting NEWSBOT_LIMIT: expected a whole number, 0 or more"),
    (["-s", "NEWSBOT_OUTPUTDIR=x"],
     "unknown setting NEWSBOT_OUTPUTDIR (did you mean NEWSBOT_OUTPUT_DIR?)"),
    (["-a", "base_url=notaurl"], "the base URL 'notaurl' (--base-url) is not an http(s) URL"),
    (["-s", "NEWSBOT_OUTPUT_DIR={file}"], "the output folder {file} is a file, not a folder"),
    (["-s", "NEWSBOT_OUTPUT_DIR={plain}", "-s", "NEWSBOT_GIT_COMMIT=1"],
     "--commit: {plain} is not the top folder of a git repository"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("args", "expected"), SCRAPY_CASES, ids=[c[1][:30] for c in SCRAPY_CASES])
def test_scrapy_crawl_checks_the_same_settings_before_fetching(places, args, expected):
    with plain_web_server() as (base, server):
        extra = [a.format(**places) for a in args]
        if not any(a.startswith("base_url=") for a in extra):
            extra += ["-a", f"base_url={base}"]
        if not any(a.startswith("NEWSBOT_OUTPUT_DIR=") for a in extra):
            extra += ["-s", f"NEWSBOT_OUTPUT_DIR={places['out']}"]
        run = scrapy_crawl(*extra, "-s", "LOG_LEVEL=ERROR")
        assert server.hits == 0
    assert_one_line(run, f"scrapy crawl: {expected.format(**places)}")


def test_the_spider_itself_refuses_bad_settings_for_scripts(tmp_path):
    """A script that runs the spider with CrawlerProcess gets a ConfigError, not a crawl."""
    settings = project_settings()
    settings.setdict({"NEWSBOT_OUTPUT_DIR": str(tmp_path), "NEWSBOT_LIMIT": "lots"}, "cmdline")
    with pytest.raises(ConfigError, match="NEWSBOT_LIMIT: expected a whole number"):
        spider = OutletSpiderLoader.from_settings(settings).load("newsdao")
        spider.from_crawler(Crawler(spider, settings))


CRON_CASES = [
    (["--outlet", "nosuch"],
     "newsbot cron-line: no outlet 'nosuch' in the bundled sources file (known: newsdao)"),
    (["--", "--limit", "-1"],
     "newsbot cron-line: invalid crawl option: argument --limit: must be 0"),
    (["--", "--bogus"], "newsbot cron-line: invalid crawl option: unrecognized arguments: --bogus"),
    (["--", "-s", "NEWSBOT_X=1"], "newsbot cron-line: unknown setting NEWSBOT_X"),
    (["--", "--base-url", "notaurl"], "newsbot cron-line: the base URL 'notaurl'"),
    (["--push"], "newsbot cron-line: --push: {plain} is not the top folder of a git repository"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("args", "expected"), CRON_CASES, ids=[c[1][19:50] for c in CRON_CASES])
def test_cron_line_refuses_a_line_that_would_fail_every_time(places, args, expected):
    run = newsbot("cron-line", "--output", places["plain"], *args)
    assert_one_line(run, expected.format(**places))


@pytest.mark.slow
def test_cron_line_still_prints_a_line_for_good_crawl_options(places):
    run = newsbot("cron-line", "--output", places["plain"], "--", "--since", "2024-06-01",
                  "-s", "NEWSBOT_EXTRACT_PROCESSES=1")  # fmt: skip
    assert run.code == exitcodes.OK, run.stderr
    assert "crawl newsdao --output" in run.stdout and "--since 2024-06-01" in run.stdout
