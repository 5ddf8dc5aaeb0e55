"""Deployment to a real scrapyd on loopback: scrapyd-deploy builds and uploads the project's
egg, the HTTP API schedules the newsdao spider against the demo outlet, the posts appear."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from tests.newsbot_runner import REPO, read_posts
from tests.redis_server import free_port

pytestmark = pytest.mark.tool


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> Any:
    """GET (or POST, with ``data``) a scrapyd JSON endpoint."""
    body = urlencode(data).encode() if data is not None else None
    with urlopen(f"{base}/{endpoint}", data=body, timeout=30) as answer:
        return json.load(answer)


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """A scrapyd on a free loopback port, everything it keeps under ``tmp_path/scrapyd``."""
    if shutil.which("scrapyd", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("scrapyd is not installed (pip install -e '.[dev]')")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\npoll_interval = 0.2\nmax_proc = 2\n",
        encoding="utf-8",
    )
    log = (home / "scrapyd.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapyd")],
        cwd=home,  # scrapyd reads ./scrapyd.conf
        env={**os.environ, "HOME": str(home)},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"scrapyd did not start: {(home / 'scrapyd.log').read_text(errors='replace')}"
                )
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def deploy(base: str, tmp_path: Path) -> None:
    """``scrapyd-deploy test`` from the project folder, the target given in a user-level
    scrapy.cfg (Scrapy merges it with the project's)."""
    config = tmp_path / "xdg"
    config.mkdir()
    (config / "scrapy.cfg").write_text(
        f"[deploy:test]\nurl = {base}/\nproject = newsbot\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "test", "--version", "r1"],
        cwd=REPO, env={**os.environ, "XDG_CONFIG_HOME": str(config)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert json.loads(result.stdout)["status"] == "ok", result.stdout


def test_scrapyd_runs_a_deployed_crawl_scheduled_through_its_api(
    scrapyd, serve_site, samples, tmp_path
):
    outlet = serve_site(OutletSite(samples))
    deploy(scrapyd, tmp_path)

    # The egg scrapyd keeps holds the package data the crawl reads.
    (egg,) = (tmp_path / "scrapyd" / "eggs" / "newsbot").glob("*.egg")
    names = set(zipfile.ZipFile(egg).namelist())
    for data in ("profiles/whereispost.yaml", "platforms/tistory.yaml", "settings.py"):
        assert f"newsbot/{data}" in names, sorted(names)
    assert api(scrapyd, "listspiders.json?project=newsbot")["spiders"] == ["newsdao"]

    output = tmp_path / "blog"
    job = api(scrapyd, "schedule.json", [
        ("project", "newsbot"), ("spider", "newsdao"),
        ("setting", f"NEWSBOT_OUTPUT_DIR={output}"),
        ("setting", f"NEWSBOT_BASE_URL={outlet}"),
        ("setting", "NEWSBOT_FAST=True"),
    ])["jobid"]  # fmt: skip

    deadline = time.monotonic() + 240
    while True:
        jobs = api(scrapyd, "listjobs.json?project=newsbot")
        finished = [j for j in jobs["finished"] if j["id"] == job]
        if finished:
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.2)

    log = tmp_path / "scrapyd" / "logs" / "newsbot" / "newsdao" / f"{job}.log"
    assert log.is_file()
    posts = read_posts(output)
    assert sorted(post["source_url"] for post in posts.values()) == sorted(
        f"{outlet}/{article.id}" for article in samples
    ), log.read_text(encoding="utf-8", errors="replace")[-3000:]
    runs = (output / ".newsbot" / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(runs[-1])["exit_code"] == exitcodes.OK
