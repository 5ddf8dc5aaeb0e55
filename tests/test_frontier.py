"""The crawl's frontier on its own: which articles and listing pages a crawl fetches, no network."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.blog.post_index import PublishedIndex
from newsbot.config.sources import get_outlet
from newsbot.discovery.article_urls import ArticleUrls
from newsbot.discovery.frontier import Frontier
from newsbot.discovery.sitemaps import SitemapEntry
from newsbot.extraction import Hints
from newsbot.state.discovery_memory import DiscoveryMemory

BASE = "https://newsdao.kr"
URLS = ArticleUrls(get_outlet("newsdao"))
WRITTEN = datetime(2025, 6, 1, tzinfo=UTC)  # when the blog's posts were written


def blog(tmp_path: Path, *ids: int) -> PublishedIndex:
    """A blog folder with one post per id, written at WRITTEN."""
    posts = tmp_path / "_posts"
    posts.mkdir(exist_ok=True)
    for number in ids:
        path = posts / f"2025-06-01-newsdao-{number}.md"
        path.write_text(f"---\ntitle: t\nsource_url: {BASE}/{number}\n---\nbody\n", "utf-8")
        os.utime(path, (WRITTEN.timestamp(), WRITTEN.timestamp()))
    return PublishedIndex.load(posts)


def frontier(published: PublishedIndex, counts: Counter[str] | None = None, **options) -> Frontier:
    counts = Counter() if counts is None else counts
    return Frontier(URLS, published, count=lambda key, n=1: counts.update({key: n}), **options)


def listed(*ids: int, source: str = "listing", **hints) -> list[tuple]:
    return [(URLS.for_id(i), Hints(source=source, **hints)) for i in ids]


def ids(fetch: list[tuple]) -> list[int]:
    return [ref.number for ref, _ in fetch]


def test_each_article_is_fetched_once_whatever_the_url_form_and_the_source(tmp_path):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path), counts)
    forms = [f"{BASE}/12", "https://www.newsdao.kr/12/", "https://m.newsdao.kr/12?utm=x#top"]
    found = [(URLS.match(url), Hints(source="feed")) for url in forms]
    assert ids(f.discovered(found)) == [12]
    assert ids(f.discovered(listed(12, source="sitemap"))) == []
    assert counts == {"newsbot/discovered/feed": 1, "newsbot/discovered/duplicate": 3}


def test_a_published_article_is_fetched_again_only_when_a_source_says_it_changed(tmp_path):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 7, 8), counts)
    assert f.discovered(listed(7)) == []  # a bare listing link says nothing about changes
    assert counts["newsbot/skipped/already_published"] == 1
    # the sitemap's lastmod after the post was written: fetched after all, and not "skipped"
    changed = listed(7, source="sitemap", modified=WRITTEN + timedelta(hours=1))
    assert ids(f.discovered(changed)) == [7]
    assert counts["newsbot/skipped/already_published"] == 0
    older = listed(8, source="sitemap", modified=WRITTEN - timedelta(hours=1))
    assert f.discovered(older) == []
    assert ids(frontier(blog(tmp_path, 8), refresh=True).discovered(listed(8))) == [8]


def test_the_id_walk_starts_above_the_newest_post_and_stops_after_n_misses(tmp_path):
    f = frontier(blog(tmp_path, 40, 42), walk_misses=3)
    assert ids(f.start()) == [43, 44, 45]
    assert f.discovered([]) == []  # every id handed out once
    # 44 turned out to be an article: the walk goes on three past it
    assert ids(f.extracted(URLS.for_id(44), "content of 44")) == [46, 47]
    assert f.extracted(URLS.for_id(43), "content of 43") == []


def test_an_outlet_that_serves_one_page_for_every_id_does_not_walk_for_ever(tmp_path):
    f = frontier(blog(tmp_path, 10), walk_misses=2)
    fetched = ids(f.start())
    for _ in range(20):  # every walked id answers with the same page
        if not fetched:
            break
        number = fetched.pop(0)
        fetched += ids(f.extracted(URLS.for_id(number), "the same page"))
    assert not fetched
    assert f.walk.highest == 11  # the first answer counted, the repeats did not


def test_protected_posts_and_notices_prove_their_id_but_error_pages_do_not(tmp_path):
    f = frontier(blog(tmp_path, 10), walk_misses=1)
    assert ids(f.start()) == [11]
    assert f.skipped(URLS.for_id(11), "error_page") == []
    assert ids(f.skipped(URLS.for_id(11), "protected")) == [12]
    assert ids(f.skipped(URLS.for_id(12), "notice")) == [13]
    assert Frontier.missing_reason(Hints(source="id-walk")) == "id_walk_miss"
    assert Frontier.missing_reason(Hints(source="sitemap")) == "http_404"


def test_a_fresh_blog_walks_and_backfills_once_discovery_is_done(tmp_path):
    f = frontier(blog(tmp_path), walk_misses=2, backfill=3)
    assert f.start() == []  # nothing known yet
    assert ids(f.discovered(listed(20, source="feed"))) == [20]
    pages, fetch = f.idle()
    assert pages == [("https://newsdao.kr/", 0)]  # a first run reads its fallback listing too
    assert ids(fetch) == [21, 22, 19, 18, 17]
    assert f.idle() == ([], [])


def test_a_first_run_of_an_outlet_in_a_blog_of_other_outlets_is_a_first_run(tmp_path):
    # crawl --all into one blog: another outlet's posts say nothing of this one's
    posts = tmp_path / "_posts"
    posts.mkdir()
    other = "---\ntitle: t\nsource_url: https://daily.example/77\n---\nbody\n"
    (posts / "2025-06-01-daily-77.md").write_text(other, "utf-8")
    f = frontier(PublishedIndex.load(posts), walk_misses=3)
    assert f.start() == []  # no id of this outlet known: nothing to walk from yet
    f.discovered(listed(20, source="feed"))
    pages, fetch = f.idle()
    assert pages == [("https://newsdao.kr/", 0)]  # its first run reads the fallback listing
    assert ids(fetch) == [21, 22, 23]  # and walks the whole way, not one probed id


@pytest.mark.parametrize("source", ["sitemap", "feed"])
def test_the_fallback_listing_is_not_read_when_a_sitemap_or_feed_listed_an_article(
    tmp_path, source
):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 20), counts)
    f.discovered(listed(20, source=source))  # already published: listed all the same
    assert f.idle()[0] == []
    assert counts["newsbot/discovery/fallback_listings"] == 0


def test_the_fallback_listing_is_read_once_when_no_sitemap_or_feed_listed_an_article(tmp_path):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 20), counts)
    f.discovered(listed(21))  # a listing page the entry reads on every run
    f.discovered(listed(source="feed"))  # a feed that lists nothing
    assert f.idle()[0] == [("https://newsdao.kr/", 0)]
    assert f.idle()[0] == []
    assert counts["newsbot/discovery/fallback_listings"] == 1


def test_the_last_runs_failures_are_fetched_first_without_moving_the_walk(tmp_path):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 10), counts, walk_misses=1)
    retry = [f"{BASE}/30", "https://elsewhere.example/31"]
    assert ids(f.start(retry)) == [30, 11]
    assert f.walk.highest == 10
    assert counts["newsbot/discovered/retry"] == 1


def test_a_page_whose_canonical_url_is_another_article_fetched_or_published_is_a_duplicate(
    tmp_path,
):
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 5), counts)
    f.discovered(listed(6, 7))
    assert f.landed(URLS.for_id(6), URLS.for_id(6)) == URLS.for_id(6)
    assert f.landed(URLS.for_id(6), URLS.for_id(7)) is None  # fetched under its own URL
    assert f.landed(URLS.for_id(6), URLS.for_id(5)) is None  # published already
    assert f.landed(URLS.for_id(6), URLS.for_id(8)) == URLS.for_id(8)  # a new one
    assert f.landed(URLS.for_id(7), URLS.for_id(8)) is None  # and only once
    assert counts["newsbot/skipped/duplicate"] == 3


def test_sitemap_indexes_and_entries_before_since_are_left_out(tmp_path):
    f = frontier(blog(tmp_path), since=date(2025, 6, 1))
    old, new = datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 6, 2, tzinfo=UTC)
    index = [
        SitemapEntry(f"{BASE}/sitemap-1.xml", new),
        SitemapEntry(f"{BASE}/sitemap-0.xml", old),
        SitemapEntry(f"{BASE}/sitemap.xml", None),
    ]
    assert f.sitemaps([f"{BASE}/sitemap.xml"]) == [f"{BASE}/sitemap.xml"]
    assert f.sitemap_read("sitemapindex", index) == ([f"{BASE}/sitemap-1.xml"], [])
    entries = [SitemapEntry(f"{BASE}/1", old), SitemapEntry(f"{BASE}/2", new)]
    sitemaps, fetch = f.sitemap_read("urlset", [*entries, SitemapEntry(f"{BASE}/about", new)])
    assert sitemaps == [] and ids(fetch) == [2]
    assert fetch[0][1] == Hints(modified=new, source="sitemap")


def test_listing_pagination_waits_for_the_sitemaps_and_stops_where_they_list_everything(
    tmp_path,
):
    f = frontier(blog(tmp_path))
    f.robots_requested()
    f.sitemaps([f"{BASE}/sitemap.xml"])
    home = [URLS.for_id(1), URLS.for_id(2)]
    assert f.listing_read(home, [f"{BASE}/?page=2"], [], depth=0) == []  # decided later
    assert f.sitemap_answered() == []  # the sitemap is still pending
    f.sitemap_read("urlset", [SitemapEntry(f"{BASE}/1", None), SitemapEntry(f"{BASE}/2", None)])
    assert f.sitemap_answered() == []  # the sitemap listed every article the page shows
    # a page showing an article no sitemap lists is followed, once
    more = [URLS.for_id(1), URLS.for_id(3)]
    assert f.listing_read(more, [f"{BASE}/?page=3#list"], [], depth=1) == [(f"{BASE}/?page=3", 2)]
    assert f.listing_read(more, [f"{BASE}/?page=3"], [], depth=1) == []


def test_without_a_sitemap_pagination_is_followed_to_the_depth_limit(tmp_path):
    f = frontier(blog(tmp_path), max_listing_pages=3)
    page = [URLS.for_id(9)]
    assert f.listing_read(page, [f"{BASE}/?page=2"], [], depth=0) == [(f"{BASE}/?page=2", 1)]
    assert f.listing_read(page, [f"{BASE}/?page=3"], [], depth=1) == [(f"{BASE}/?page=3", 2)]
    assert f.listing_read(page, [f"{BASE}/?page=4"], [], depth=2) == []
    offsite = ["https://other.example/?page=2", f"{BASE}/9"]  # not a listing of the outlet
    assert f.listing_read(page, offsite, [], depth=0) == []


def test_pagination_of_a_blog_that_has_every_listed_article_is_not_followed(tmp_path):
    f = frontier(blog(tmp_path, 1, 2))
    page = [URLS.for_id(1), URLS.for_id(2)]
    assert f.listing_read(page, [f"{BASE}/?page=2"], [], depth=0) == []


def test_sections_of_a_top_listing_whose_articles_are_all_published_are_not_followed(tmp_path):
    f = frontier(blog(tmp_path, 1, 2))
    page = [URLS.for_id(1), URLS.for_id(2)]
    assert f.listing_read(page, [], [f"{BASE}/category/economy"], depth=0) == []
    # one article the blog does not have: the sections may hold more
    page.append(URLS.for_id(3))
    assert f.listing_read(page, [], [f"{BASE}/category/economy"], depth=0) == [
        (f"{BASE}/category/economy", 1)
    ]


def test_section_listings_are_followed_from_the_top_listing_only(tmp_path):
    f = frontier(blog(tmp_path))
    links = [f"{BASE}/category/economy", f"{BASE}/about", "https://other.example/category/x"]
    assert f.listing_read([], [], links, depth=0) == [(f"{BASE}/category/economy", 1)]
    assert f.listing_read([], [], [f"{BASE}/category/society"], depth=1) == []
    assert f.listing(f"{BASE}/category/economy#top") is None  # requested already


def test_with_nothing_new_the_walk_probes_one_id_and_walks_on_only_after_a_hit(tmp_path):
    f = frontier(blog(tmp_path, 10, 11), walk_misses=5, probe=True)
    assert ids(f.start()) == [12]  # the next id only
    assert f.extracted(URLS.for_id(12), "new") == listed(13, 14, 15, 16, 17, source="id-walk")


def test_a_newer_id_listed_widens_the_probe_over_the_gap(tmp_path):
    f = frontier(blog(tmp_path, 10), walk_misses=3, probe=True)
    assert ids(f.start()) == [11]
    assert ids(f.discovered(listed(14))) == [14, 12, 13, 15, 16, 17]


def test_a_probed_id_that_failed_to_download_widens_the_walk_without_raising_it(tmp_path):
    f = frontier(blog(tmp_path, 10), walk_misses=3, probe=True)
    [(probe, hints)] = f.start()
    assert ids(f.unanswered(probe, hints)) == [12, 13]  # 3 past 10, not past 11


def test_a_page_remembered_as_not_an_article_is_not_fetched_again_until_it_changes(tmp_path):
    memory = DiscoveryMemory(tmp_path / "memory.json")
    memory.not_article(URLS.for_id(9).url, "protected", lastmod=WRITTEN)
    f = frontier(blog(tmp_path, 8), walk_misses=3, probe=True, memory=memory)
    assert ids(f.start()) == [10]  # 9 exists: the walk starts above it
    assert f.discovered(listed(9, source="sitemap", modified=WRITTEN)) == []
    g = frontier(blog(tmp_path, 8), memory=memory)
    moved = WRITTEN + timedelta(hours=1)
    assert ids(g.discovered(listed(9, source="sitemap", modified=moved))) == [9]


def test_a_remembered_page_seen_bare_first_is_fetched_when_the_sitemap_says_it_moved(tmp_path):
    # which source answers first is a race: a feed's or listing's bare link must not hide the
    # sitemap's newer lastmod that comes after it
    memory = DiscoveryMemory(tmp_path / "memory.json")
    memory.not_article(URLS.for_id(9).url, "protected", lastmod=WRITTEN)
    counts: Counter[str] = Counter()
    f = frontier(blog(tmp_path, 8), counts, memory=memory)
    assert f.discovered(listed(9, source="feed")) == []
    assert counts["newsbot/skipped/protected"] == 1
    assert f.discovered(listed(9, source="sitemap", modified=WRITTEN)) == []  # not moved
    moved = WRITTEN + timedelta(hours=1)
    assert ids(f.discovered(listed(9, source="sitemap", modified=moved))) == [9]
    assert counts["newsbot/skipped/protected"] == 0
    assert counts["newsbot/discovery/remembered_not_article"] == 0
    assert f.discovered(listed(9, source="sitemap", modified=moved)) == []  # once
