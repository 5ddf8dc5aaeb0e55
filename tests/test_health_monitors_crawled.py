"""The health monitors on real crawls: an outlet whose pages lose their platform's article
container, or whose sitemap, feed and home page stop listing articles, is reported degraded by
``newsbot status`` with the symptom named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import load_samples
from tests.conftest import extra_article
from tests.in_process import Run, crawl, newsbot
from tests.sites.conditional import ConditionalSite, serve_conditional
from tests.sites.shown_in import ShownIn


@pytest.fixture
def outlet() -> Iterator[tuple[ShownIn, str]]:
    site = ShownIn(load_samples())
    with serve_conditional(ConditionalSite(site)) as base:
        yield site, base


def runs(base: str, blog: Path, n: int) -> list[Run]:
    done = [crawl(base, blog) for _ in range(n)]
    assert [r.code for r in done] == [exitcodes.OK] * n, done[-1].stderr[-2000:]
    return done


def status(blog: Path) -> Run:
    return newsbot("status", "--output", blog)


def test_articles_no_longer_in_the_platforms_container_make_the_outlet_degraded(outlet, tmp_path):
    site, base = outlet
    runs(base, tmp_path, 2)  # the samples, from Tistory's article container
    assert status(tmp_path).code == exitcodes.OK

    site.layout = replace(site.layout, generation="bare")  # a new editor: no body wrapper
    for number in (5313, 5314):
        site.add(extra_article(number), "every")
    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK and run.stat("newsbot/posts/new") == 2, run.stderr[-2000:]
    degraded = status(tmp_path)
    assert degraded.code == exitcodes.FAILED
    assert (
        "newsdao: degraded: extraction path: 2 of 2 new articles by the generic fallback"
        in degraded.stderr
    )


def test_sources_that_stop_listing_articles_make_the_outlet_degraded(outlet, tmp_path):
    site, base = outlet
    runs(base, tmp_path, 4)  # history: every run sees the outlet's articles listed
    assert status(tmp_path).code == exitcodes.OK

    every = {post.id for post in site.posts}
    site.hidden = {source: set(every) for source in site.hidden}  # a redesign lists nothing
    run = crawl(base, tmp_path)

    assert run.code == exitcodes.NOTHING_PUBLISHED, run.stderr[-2000:]
    assert "none linked an article of this outlet" in run.stderr
    assert run.stat("newsbot/discovery/fallback_listings") == 1  # the home page was tried too
    degraded = status(tmp_path)
    assert degraded.code == exitcodes.FAILED
    assert "newsdao: degraded: discovery yield: 0 article links found, usually 8" in (
        degraded.stderr
    )
