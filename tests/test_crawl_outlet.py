"""The real crawler against a realistic fake outlet on 127.0.0.1, through ``newsbot crawl``
run in-process (``tests/in_process.py``)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import Faults, OutletSite, body_text
from tests import newsbot_runner
from tests.conftest import extra_article
from tests.in_process import crawl
from tests.newsbot_runner import read_posts

PROTECTED, NOTICE, EUC_KR, FLAKY, SOFT_ERROR = 5313, 5314, 5315, 5316, 5320


def hostile_site(samples: list) -> OutletSite:
    """Samples plus a protected post, a notice, an EUC-KR page, a 503-once page, a soft 404,
    gaps in the ids and duplicate links (query strings, trailing slashes, fragments)."""
    site = OutletSite(
        samples,
        faults=Faults(
            protected_ids={PROTECTED},
            notice_ids={NOTICE},
            euc_kr_ids={EUC_KR},
            flaky_ids={FLAKY: 1},
            soft_error_ids={SOFT_ERROR},
            duplicate_links=True,
        ),
    )
    for article_id in (PROTECTED, NOTICE, EUC_KR, FLAKY):
        site.add(extra_article(article_id))
    return site


def token_recall(source_html: str, post_content: str) -> float:
    """Share of the source body's words (boilerplate excluded) found in the post."""
    source = re.sub(r'<div class="related-news">[\s\S]*?</div>', " ", source_html)
    source = re.sub(r"<p[^>]*>[^<]*(?:기자|저작권자)[^<]*</p>", " ", source)
    words = set(re.findall(r"\w+", body_text(source))) - {"기자", "저작권자", "뉴스다오"}
    found = set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", post_content)))
    return len(words & found) / len(words)


def test_crawl_writes_exactly_one_post_per_article_and_skips_the_rest(
    serve_site, samples, tmp_path
):
    site = hostile_site(samples)
    base = serve_site(site)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    posts = read_posts(tmp_path)
    expected_ids = {a.id for a in samples} | {EUC_KR, FLAKY}
    urls = [post["source_url"] for post in posts.values()]
    assert Counter(urls) == Counter(f"{base}/{i}" for i in expected_ids)
    assert sorted(posts) == sorted(
        f"{site.get(i).published:%Y-%m-%d}-newsdao-{i}.md" for i in expected_ids
    )
    assert run.stat("newsbot/skipped/protected") == 1
    assert run.stat("newsbot/skipped/notice") == 1
    assert run.stat("newsbot/posts/new") == len(expected_ids)
    assert run.stat("newsbot/failed/download") == 0
    assert run.stat("retry/count") >= 1  # the 503 was retried, then succeeded
    assert re.search(
        rf"{len(expected_ids)} new, 0 updated, \d+ skipped "
        r"\(error page 1, notice 1, protected 1\), 0 failed",
        run.stdout,
    )


def test_post_bodies_hold_the_article_and_none_of_the_page_furniture(serve_site, samples, tmp_path):
    site = hostile_site(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    for post in read_posts(tmp_path).values():
        article = site.get(int(post["source_url"].rsplit("/", 1)[1]))
        assert article is not None
        content = post.content
        assert token_recall(article.body_html, content) > 0.95
        assert "무단 전재" not in content and "재배포 금지" not in content
        assert "@newsdao.example" not in content
        assert "관련기사" not in content
        assert "많이 본 뉴스" not in content and "댓글" not in content


def test_euc_kr_page_is_decoded_correctly(serve_site, samples, tmp_path):
    site = hostile_site(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    post = next(p for p in read_posts(tmp_path).values() if p["source_url"].endswith(f"/{EUC_KR}"))
    assert post["title"] == site.get(EUC_KR).title
    assert token_recall(site.get(EUC_KR).body_html, post.content) > 0.95


@pytest.mark.slow
def test_second_run_writes_nothing_and_a_new_article_yields_exactly_one_post(
    serve_site, samples, tmp_path
):
    """Through the real command: the runs with something new start extraction workers."""
    crawl = newsbot_runner.crawl
    site = OutletSite(samples)
    base = serve_site(site)
    first = crawl(base, tmp_path)
    assert first.code == exitcodes.OK
    assert first.stat("newsbot/workers/started") == 2  # extraction workers were started
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "_posts").iterdir()}

    site.requests_log.clear()
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK
    assert again.stat("newsbot/posts/new") == again.stat("newsbot/posts/updated") == 0
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "_posts").iterdir()} == before
    assert "0 new, 0 updated" in again.stdout
    # nothing new: no worker process, and no section listing (the home page lists only
    # published articles)
    assert again.stat("newsbot/workers/started") == 0
    assert not [path for path in site.requests_log if path.startswith("/section/")]

    site.add(extra_article(5330))
    third = crawl(base, tmp_path)
    assert third.code == exitcodes.OK
    assert third.stat("newsbot/posts/new") == 1
    assert len(read_posts(tmp_path)) == len(samples) + 1


def test_deleting_the_state_folder_causes_no_duplicates(serve_site, samples, tmp_path):
    import shutil

    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    shutil.rmtree(tmp_path / ".newsbot")
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK
    assert again.stat("newsbot/posts/new") == 0
    assert len(read_posts(tmp_path)) == len(samples)


@pytest.mark.parametrize(
    "source",
    ["sitemap", "rss", "listing", "id-walk"],
)
def test_each_discovery_source_alone_finds_every_article(serve_site, samples, tmp_path, source):
    site = OutletSite(
        samples,
        robots=source == "sitemap",
        sitemap=source == "sitemap",
        rss=source == "rss",
        listing=source == "listing",
    )
    base = serve_site(site)
    if source == "id-walk":
        # The walk starts from the newest id already published: publish the oldest one first.
        oldest = min(a.id for a in samples)
        site.rss = True
        keep = [a for a in samples if a.id != oldest]
        for article in keep:
            site.remove(article.id)
        assert crawl(base, tmp_path).code == exitcodes.OK
        site.rss = False
        for article in keep:
            site.add(article)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.OK, run.stderr
    assert {p["source_url"] for p in read_posts(tmp_path).values()} == {
        f"{base}/{a.id}" for a in samples
    }


def test_server_errors_fail_the_run_and_the_next_run_recovers(serve_site, samples, tmp_path):
    broken = samples[0].id
    site = OutletSite(samples, faults=Faults(server_error_ids={broken}))
    base = serve_site(site)
    run = crawl(base, tmp_path)
    assert run.code == exitcodes.FAILED
    assert f"{base}/{broken}" in run.stderr and "HTTP 500" in run.stderr
    assert len(read_posts(tmp_path)) == len(samples) - 1

    site.faults.server_error_ids.clear()
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK, again.stderr
    assert again.stat("newsbot/posts/new") == 1
    assert len(read_posts(tmp_path)) == len(samples)


def test_unreachable_outlet_is_a_failure_with_a_clear_message(tmp_path):
    run = crawl("http://127.0.0.1:9", tmp_path)
    assert run.code == exitcodes.FAILED
    assert "cannot reach the outlet at http://127.0.0.1:9" in run.stderr


def test_limit_dry_run_and_since(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    dry = crawl(base, tmp_path, "--dry-run")
    assert dry.code == exitcodes.OK
    assert not (tmp_path / "_posts").exists()
    assert f"{len(samples)} new" in dry.stdout

    limited = crawl(base, tmp_path, "--limit", "3")
    assert limited.code == exitcodes.OK
    assert len(read_posts(tmp_path)) == 3

    newest = max(a.published for a in samples)
    since = crawl(base, tmp_path / "since", "--since", f"{newest:%Y-%m-%d}")
    assert since.code == exitcodes.OK
    dates = {p["date"].date() for p in read_posts(tmp_path / "since").values()}
    assert dates and all(d >= newest.date() for d in dates)


def test_backfill_walks_down_from_the_newest_known_id(serve_site, samples, tmp_path):
    site = OutletSite(samples, listing=False, sitemap=False, robots=False)  # the feed only
    base = serve_site(site)
    newest = max(a.id for a in samples)
    older = [a for a in samples if a.id != newest]
    for article in older:  # the first run finds only the newest article
        site.remove(article.id)
    assert crawl(base, tmp_path).code == exitcodes.OK
    assert len(read_posts(tmp_path)) == 1
    for article in older:
        site.add(article)
    site.rss = False  # the older ones are now reachable only by id, below the newest
    below = newest - min(a.id for a in samples)
    run = crawl(base, tmp_path, "--backfill", str(below))
    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/discovered/backfill") == below
    assert run.stat("newsbot/posts/new") == len(older)
    assert len(read_posts(tmp_path)) == len(samples)


def test_an_article_that_failed_is_retried_by_the_next_run_even_off_every_source(
    serve_site, samples, tmp_path
):
    """Only the id walk reaches 5313 and 5314, and 5313 fails; the next run's walk starts
    above 5314, so only the retry list (``.newsbot/retry-newsdao.json``) can bring 5313 back."""
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK  # publishes the samples (up to 5312)
    site.rss = site.listing = site.sitemap = site.robots = False
    site.faults.server_error_ids.add(5313)
    site.add(extra_article(5313))
    site.add(extra_article(5314))
    failed = crawl(base, tmp_path)
    assert failed.code == exitcodes.FAILED and f"{base}/5313" in failed.stderr
    assert failed.stat("newsbot/posts/new") == 1  # 5314

    site.faults.server_error_ids.clear()
    again = crawl(base, tmp_path)
    assert again.code == exitcodes.OK, again.stderr
    assert again.stat("newsbot/discovered/retry") == 1
    assert again.stat("newsbot/posts/new") == 1
    assert {p["source_url"] for p in read_posts(tmp_path).values()} >= {f"{base}/5313"}


def test_a_first_run_stops_paging_listings_that_a_sitemap_already_covers(
    serve_site, samples, tmp_path
):
    """With a sitemap, listing pages add nothing: their pagination is not followed to the end.
    Without one, it is, and the listings alone find every article."""
    many = [extra_article(5400 + i) for i in range(60)]
    site = OutletSite([*samples, *many], page_size=5)  # 68 articles: 14 pages per listing
    base = serve_site(site)

    run = crawl(base, tmp_path / "with-sitemap")

    assert run.code == exitcodes.OK, run.stderr
    assert len(read_posts(tmp_path / "with-sitemap")) == len(samples) + len(many)
    paged = [path for path in site.requests_log if "page=" in path]
    assert paged == []

    site.robots = site.sitemap = site.rss = False
    run = crawl(base, tmp_path / "listings-only")

    assert run.code == exitcodes.OK, run.stderr
    assert len(read_posts(tmp_path / "listings-only")) == len(samples) + len(many)
    paged = {path for path in site.requests_log if path.startswith("/?page=")}
    assert paged == {f"/?page={n}" for n in range(2, 15)}
