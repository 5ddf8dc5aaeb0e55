"""``newsbot status --html FILE``: one self-contained page, looked at in real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from newsbot import exitcodes
from newsbot.state.run_log import append_run
from tests.newsbot_runner import newsbot
from tests.test_health_units import run

# the real newsbot command (and Chromium) across runs: processes, so the slow tier
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def write_history(blog: Path) -> None:
    log = blog / ".newsbot" / "runs.jsonl"
    for i in range(12):
        append_run(log, run(10 * i, chars=(2300, 2100, 2500)[: i % 3 + 1], requests=20 + i))
    held = run(130, exitcodes.HELD_BACK, chars=(240, 250), held_back="body length: 2 of 2 …")
    append_run(log, held)
    append_run(log, run(140, exitcodes.FAILED, failed=2, requests=90, errors=["HTTP 500"]))


def test_the_html_page_is_self_contained_with_a_chart_per_measure(tmp_path):
    write_history(tmp_path)
    page = tmp_path / "status.html"

    result = newsbot("status", "--output", tmp_path, "--html", page)

    assert result.code == exitcodes.OK  # one failed run is not yet a failing outlet
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 5
    for title in ("new posts", "failed articles", "body length", "requests", "duration"):
        assert title in html
    # nothing fetched: no script, stylesheet, image or font from anywhere
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(""", html)
    assert html.count("<rect") > 5 * 14


def chromium_screenshot(page: Path, png: Path) -> None:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--window-size=800,1000",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def test_the_html_page_shows_its_charts_in_headless_chromium(tmp_path):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium is not installed")
    write_history(tmp_path)
    page, png = tmp_path / "status.html", tmp_path / "status.png"
    newsbot("status", "--output", tmp_path, "--html", page)

    chromium_screenshot(page, png)

    image = Image.open(png).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    counts = {rgb: n for n, rgb in colours}
    assert len(counts) > 10  # not blank
    assert counts.get((0x2F, 0x7E, 0xD8), 0) > 500  # the bars of good runs are drawn
    assert counts.get((0xD9, 0x53, 0x4F), 0) > 50  # and the failed run's, in red
