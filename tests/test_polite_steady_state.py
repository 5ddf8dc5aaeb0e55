"""A cron run that finds nothing new costs the outlet a few conditional requests, and a new
article is still published by the very next run, whichever source shows it first.

The real ``newsbot`` command against a Tistory blog on 127.0.0.1 served like nginx serves files
(``tests/sites/conditional.py``: ``ETag``, ``Last-Modified``, 304s, requests counted).
"""

from __future__ import annotations

import gzip
import json
import pickle
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import yaml

from newsbot import exitcodes
from newsbot.config.outlet import Outlet
from newsbot.config.sources import BUNDLED_SOURCES
from newsbot.demo.outlet import OutletSite, load_samples
from tests.conftest import extra_article
from tests.in_process import crawl, newsbot
from tests.newsbot_runner import read_posts
from tests.sites.conditional import ConditionalSite, serve_conditional
from tests.sites.shown_in import ShownIn

PROTECTED = 5305
GUESSES = ("/sitemap_index.xml", "/feed", "/rss.xml", "/atom.xml")


@pytest.fixture
def outlet() -> Iterator[tuple[ConditionalSite, ShownIn, str]]:
    site = ShownIn(load_samples(), [PROTECTED])
    served = ConditionalSite(site)
    with serve_conditional(served) as base:
        yield served, site, base


def cache_entry(output: Path, path: str) -> Path:
    """The ``entry`` file of the cached response for ``path``
    (``newsbot.downloadermiddlewares.discovery_cache_storage``)."""
    for entry in (output / ".newsbot" / "httpcache").rglob("entry"):
        with gzip.open(entry, "rb") as handle:
            if pickle.load(handle)["url"].endswith(path):
                return entry
    raise AssertionError(f"{path} is not in the cache")


def age_cached_response(output: Path, path: str, hours: float) -> None:
    """Make the cached response for ``path`` look ``hours`` old (its Date header)."""
    entry = cache_entry(output, path)
    with gzip.open(entry, "rb") as handle:
        data = pickle.load(handle)
    then = format_datetime(datetime.now(UTC) - timedelta(hours=hours), usegmt=True).encode()
    lines = data["headers"].split(b"\r\n")
    data["headers"] = b"\r\n".join(
        b"Date: " + then if line.startswith(b"Date:") else line for line in lines
    )
    with gzip.open(entry, "wb") as handle:
        pickle.dump(data, handle, protocol=4)


def age_memory(output: Path, days: float) -> None:
    """Move every time in the discovery memory ``days`` into the past."""
    path = output / ".newsbot" / "discovery-newsdao.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    shift = timedelta(days=days)

    def older(value: str) -> str:
        return (datetime.fromisoformat(value) - shift).isoformat()

    data["missing"] = {url: older(when) for url, when in data["missing"].items()}
    for entry in data["not_articles"].values():
        entry["checked"] = older(entry["checked"])
    path.write_text(json.dumps(data), encoding="utf-8")


def first_run(served: ConditionalSite, base: str, output: Path, *extra: str | Path) -> None:
    run = crawl(base, output, *extra)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert served.paths().count("/robots.txt") == 1  # once, not once for Scrapy and once more
    assert set(GUESSES) <= set(served.paths(404))
    served.reset()


def test_a_run_with_nothing_new_sends_a_few_conditional_requests(outlet, tmp_path):
    served, _, base = outlet
    first_run(served, base, tmp_path)

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert run.stat("newsbot/posts/new") == 0
    counts = served.counts()
    assert sum(counts.values()) <= 3, served.log
    assert counts[404] <= 1 and counts[304] >= 1
    assert sorted(served.paths(304)) == ["/rss", "/sitemap.xml"]  # revalidated
    assert "/" not in served.paths()  # a fallback: the feed and the sitemap listed articles
    assert served.paths(404) == ["/5313"]  # the next id, once
    assert "/robots.txt" not in served.paths()  # reused within the day
    assert f"/{PROTECTED}" not in served.paths()  # known not to be an article
    assert run.stat("newsbot/skipped/protected") == 1  # still counted as what it was
    assert run.stat("newsbot/discovery/remembered_missing") == len(GUESSES)


def test_robots_txt_stays_fresh_after_a_304(outlet, tmp_path):
    """scrapy#3778: a 304 must renew the stored response's freshness, or every run after the
    first day revalidates robots.txt again."""
    served, _, base = outlet
    first_run(served, base, tmp_path)
    age_cached_response(tmp_path, "/robots.txt", hours=25)  # older than RFC 9309's day

    assert crawl(base, tmp_path).code == exitcodes.OK
    assert ("/robots.txt", 304) in served.log
    served.reset()

    assert crawl(base, tmp_path).code == exitcodes.OK
    assert "/robots.txt" not in served.paths()


def test_guessed_paths_that_were_missing_are_asked_again_after_a_day(outlet, tmp_path):
    served, _, base = outlet
    first_run(served, base, tmp_path)
    age_memory(tmp_path, days=1.1)

    assert crawl(base, tmp_path).code == exitcodes.OK
    assert set(GUESSES) <= set(served.paths(404))


def test_paths_the_sources_file_declares_are_always_asked():
    usual = Outlet(name="usual", base_url="https://example.com")
    assert all(usual.guessed(path) for path in GUESSES)
    chosen = Outlet(name="chosen", base_url="https://example.com", feeds=("/feed", "/atom.xml"))
    assert not chosen.guessed("/feed") and not chosen.guessed("/atom.xml")
    assert chosen.guessed("/sitemap_index.xml")  # its sitemaps are still the usual guesses


def test_a_page_that_is_not_an_article_is_fetched_again_weekly_or_when_its_lastmod_moves(
    outlet, tmp_path
):
    served, site, base = outlet
    first_run(served, base, tmp_path)

    assert crawl(base, tmp_path).code == exitcodes.OK
    assert f"/{PROTECTED}" not in served.paths()

    age_memory(tmp_path, days=8)
    served.reset()
    assert crawl(base, tmp_path).code == exitcodes.OK
    assert served.paths().count(f"/{PROTECTED}") == 1

    post = site._by_id[PROTECTED]
    edited = replace(post.article, modified=datetime.now(UTC))
    site.posts = [replace(p, article=edited) if p.id == PROTECTED else p for p in site.posts]
    site._by_id[PROTECTED] = replace(post, article=edited)
    served.reset()
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK
    assert served.paths().count(f"/{PROTECTED}") == 1  # the sitemap's lastmod moved


def home_page_every_run(folder: Path) -> Path:
    """A sources file whose newsdao entry reads its home page on every run, not as a fallback."""
    data = yaml.safe_load(BUNDLED_SOURCES.read_text(encoding="utf-8"))
    discovery = data["outlets"][0]["discovery"]
    discovery["listing_pages"], discovery["fallback_listing_pages"] = ["/"], []
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("shown_in", ["feed", "sitemap", "listing", None])
def test_a_new_article_is_published_by_the_next_run_whichever_source_shows_it(
    outlet, tmp_path, shown_in
):
    """None: no source shows it, it is only the next id. Otherwise its id leaves a gap that
    the one-id probe of the walk does not reach: only that source can bring it. A listing
    that brings what no feed shows is one the entry reads on every run."""
    served, site, base = outlet
    extra = ["--sources", home_page_every_run(tmp_path)] if shown_in == "listing" else []
    output = tmp_path / "blog"
    first_run(served, base, output, *extra)
    new_id = 5313 if shown_in is None else 5320
    site.add(extra_article(new_id), shown_in)

    run = crawl(base, output, *extra)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert run.stat("newsbot/posts/new") == 1
    assert f"{base}/{new_id}" in {p["source_url"] for p in read_posts(output).values()}
    assert ("/" in served.paths()) == (shown_in == "listing")


def test_the_home_page_is_read_when_no_sitemap_or_feed_lists_an_article(outlet, tmp_path):
    """A redesign empties the feed and the sitemap: the fallback listing brings the new
    article whose id leaves a gap, and the run after the feed is back does without it."""
    served, site, base = outlet
    first_run(served, base, tmp_path)
    site.hidden["sitemap"] = site.hidden["feed"] = {p.id for p in site.posts} | {5320}
    site.add(extra_article(5320), "listing")

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert run.stat("newsbot/posts/new") == 1
    assert run.stat("newsbot/discovery/fallback_listings") == 1
    assert served.paths().count("/") == 1
    site.hidden["sitemap"], site.hidden["feed"] = set(), set()
    served.reset()
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert "/" not in served.paths()
    assert run.stat("newsbot/discovery/fallback_listings") == 0


def test_an_outlet_gone_away_is_unreachable_even_with_its_pages_in_the_cache(tmp_path):
    """No stale sitemap stands in for an outlet that cannot be reached, and robots.txt fresh in
    the cache is no sign of life: the run ends as ``outlet_unreachable``."""
    served = ConditionalSite(ShownIn(load_samples(), [PROTECTED]))
    with serve_conditional(served) as base:
        first_run(served, base, tmp_path)

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.FAILED
    assert f"cannot reach the outlet at {base}" in run.stderr


def test_an_outlet_without_robots_txt_is_not_asked_for_it_on_every_run(tmp_path):
    served = ConditionalSite(OutletSite(load_samples(), robots=False))
    with serve_conditional(served) as base:
        assert crawl(base, tmp_path).code == exitcodes.OK
        assert ("/robots.txt", 404) in served.log
        served.reset()
        run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert "/robots.txt" not in served.paths()
    assert served.counts()[404] <= 1, served.log


def test_a_past_months_sitemap_is_not_asked_again_while_the_index_dates_it_unchanged(tmp_path):
    # a news CMS lists one sitemap a month in its index: an archive of years must not cost a
    # request per month and run; the newest month is always revalidated
    served = ConditionalSite(OutletSite(load_samples()))
    with serve_conditional(served) as base:
        assert crawl(base, tmp_path).code == exitcodes.OK
        months = sorted(p for p in served.paths(200) if p.startswith("/sitemaps/"))
        assert len(months) >= 2, served.log
        served.reset()
        run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    asked = [p for p in served.paths() if p.startswith("/sitemaps/")]
    assert asked == [months[-1]], served.log  # the newest month only, revalidated
    assert served.paths(200) == [], served.log  # nothing downloaded again


def test_a_feed_the_sources_file_names_that_is_gone_is_counted_every_run(tmp_path):
    # a declared source is asked on every run (unlike a guess): its 404 must not pass unseen
    served = ConditionalSite(OutletSite(load_samples()))
    with serve_conditional(served) as base:
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            f"outlets:\n- name: daily\n  base_url: {base}\n  discovery:\n    feeds: [/gone.xml]\n",
            encoding="utf-8",
        )
        output = tmp_path / "blog"
        runs = [
            newsbot("crawl", "daily", "--sources", sources, "--output", output, "--fast")
            for _ in range(2)
        ]
    assert [run.code for run in runs] == [exitcodes.OK, exitcodes.OK], runs[0].stderr[-2000:]
    assert [run.stat("newsbot/discovery/declared_missing") for run in runs] == [1, 1]
    assert served.paths().count("/gone.xml") == 2  # asked again: the file names it


def test_a_blog_added_with_newsbot_add_costs_as_few_requests_when_nothing_is_new(outlet, tmp_path):
    served, _, base = outlet
    sources = tmp_path / "sources.yaml"
    added = newsbot("add", f"{base}/", "--sources", sources, "--fast")
    assert added.code == exitcodes.OK, added.stderr[-2000:]
    entry = yaml.safe_load(sources.read_text(encoding="utf-8"))["outlets"][-1]
    discovery = entry["discovery"]
    assert (discovery["listing_pages"], discovery["fallback_listing_pages"]) == ([], ["/"])
    output = tmp_path / "blog"
    crawl_it = ("crawl", entry["name"], "--sources", sources, "--output", output, "--fast")
    assert newsbot(*crawl_it).code == exitcodes.OK
    served.reset()

    run = newsbot(*crawl_it)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    counts = served.counts()
    assert sum(counts.values()) <= 3 and counts[404] <= 1 and counts[304] >= 1, served.log


def test_a_first_run_reads_the_fallback_listing_and_publishes_what_only_it_shows(outlet, tmp_path):
    served, site, base = outlet
    site.add(extra_article(5320), "listing")  # past a gap of ids, on the home page only

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert f"{base}/5320" in {p["source_url"] for p in read_posts(tmp_path).values()}
    assert served.paths().count("/") == 1
