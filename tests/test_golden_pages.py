"""Recorded page in, exact post out: extraction + rendering against files under tests/golden.

Regenerate the expected posts after a deliberate change, then review the diff:
    NEWSBOT_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden_pages.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import frontmatter
import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsbot.config.sources import get_outlet
from newsbot.extraction import Hints, extract_article
from newsbot.pipelines.finish_article import FinishArticlePipeline
from newsbot.profiles import load_profile
from newsbot.render import render_post
from newsbot.spiders.outlet import OutletSpider

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = sorted((GOLDEN / "pages").glob("*.html"))
REGENERATE = os.environ.get("NEWSBOT_REGENERATE_GOLDEN") == "1"


def render_recorded_page(page: Path, profile_name: str = "whereispost") -> str:
    """What the spider, FinishArticlePipeline and WritePostPipeline do with one fetched page,
    minus the network."""
    meta = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    outlet = get_outlet("newsdao")
    # Scrapy decodes the body exactly as in a crawl (headers absent: <meta charset> decides).
    response = HtmlResponse(url=meta["url"], body=page.read_bytes())
    item = extract_article(response.text, response.url, Hints(**meta["hints"]), outlet.extraction)
    spider = type("NewsdaoSpider", (OutletSpider,), {"name": outlet.name, "outlet": outlet})
    finish = FinishArticlePipeline.from_crawler(get_crawler(spider))
    item = finish.process_item(item)
    return render_post(item, load_profile(profile_name), branding=outlet.branding).text


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_recorded_page_renders_to_the_exact_golden_post(page):
    expected = GOLDEN / "posts" / f"{page.stem}.md"
    actual = render_recorded_page(page)
    if REGENERATE:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_golden_posts_are_valid_front_matter_with_the_house_keys():
    for post_file in sorted((GOLDEN / "posts").glob("*.md")):
        post = frontmatter.load(post_file)
        assert list(post.keys()) == [
            "title", "categories", "excerpt", "feature_text", "image", "date", "last_modified_at",
            "source_url",
        ]  # fmt: skip
        assert post.content.startswith("![뉴스다오 속보](")
        assert "<script" not in post.content and "javascript:" not in post.content
