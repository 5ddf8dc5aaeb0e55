"""Golden posts from a crawl: the real ``newsbot crawl`` against the demo outlet (its pages served
over HTTP, with lists and tables), in every bundled profile, must write exactly the posts under
tests/golden/crawled/ -- the seed's block layout, one block a line, blocks apart.

Regenerate after a deliberate change, then review the diff:
    NEWSBOT_REGENERATE_GOLDEN=1 python -m pytest tests/test_crawled_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from newsbot.profiles import load_profile
from tests.in_process import crawl

GOLDEN = Path(__file__).resolve().parent / "golden" / "crawled"
REGENERATE = os.environ.get("NEWSBOT_REGENERATE_GOLDEN") == "1"
ARTICLES = (5312, 5307)  # lists and a table each
OUTLET = "http://outlet.test"  # the served outlet's address, whatever its port


@pytest.mark.parametrize("profile_name", ["whereispost", "newsdao-sister", "hugo"])
def test_a_crawled_outlet_is_written_as_the_golden_posts(
    serve_site, samples, tmp_path, profile_name
):
    base = serve_site(OutletSite(samples))
    run = crawl(base, tmp_path, "--profile", profile_name)
    assert run.code == exitcodes.OK, run.stderr
    posts_dir = tmp_path / load_profile(profile_name).posts_dir
    for article_id in ARTICLES:
        (post,) = posts_dir.glob(f"*newsdao-{article_id}.md")
        actual = post.read_text(encoding="utf-8").replace(base, OUTLET)
        expected = GOLDEN / profile_name / post.name
        if REGENERATE:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text(actual, encoding="utf-8")
        assert actual == expected.read_text(encoding="utf-8")
