"""``newsbot add`` against three outlets built differently (``tests/sites/designs.py``: feed only,
sitemap only, listings only), then ``newsbot crawl NAME --sources FILE`` from that configuration
alone: every article exactly once, dated right in its own timezone, its whole text; a second
crawl writes nothing new. Also the command's one-line errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from quality import text_f1

from newsbot import exitcodes
from newsbot.config.outlet import Outlet
from newsbot.config.sources_append import BUNDLED
from newsbot.discovery.article_urls import ArticleUrls
from tests.in_process import newsbot
from tests.newsbot_runner import read_posts
from tests.sites.designs import DESIGNS, ListingsOnlySite
from tests.test_corpus_crawl import post_body_text

F1_FLOOR = 0.95

# design -> (extra arguments, outlet name, discovery expected, platform, timezone)
EXPECTED = {
    "feed-only": (
        [],
        "harbor-herald",
        {"sitemaps": [], "feeds": ["/feeds/latest.xml"], "listing_pages": [], "id_walk": True},
        "wordpress",
        "Asia/Seoul",
    ),
    "sitemap-only": (
        [],
        "the-riverside-ledger",
        {"sitemaps": ["/sitemap-index.xml"], "feeds": [], "listing_pages": [], "id_walk": False},
        None,
        "America/New_York",
    ),
    "listings-only": (
        ["--timezone", "Europe/Berlin"],
        "alpenblick-kurier",
        {"sitemaps": [], "feeds": [], "listing_pages": ["/"], "id_walk": True},
        None,
        "Europe/Berlin",
    ),
}


def add(base: str, sources: Path, *extra: str):
    return newsbot("add", f"{base}/", "--sources", sources, "--fast", *extra)


def matcher(entry: dict) -> ArticleUrls:
    """The project's article URL matcher, given the entry's articles section."""
    outlet = Outlet(
        name=entry["name"],
        base_url=entry["base_url"],
        article_pattern=entry["articles"]["pattern"],
        canonical_template=entry["articles"]["canonical"],
        slug_template=entry["articles"]["slug"],
        listing_pattern=entry["discovery"].get("listing_pattern"),
    )
    return ArticleUrls(outlet)


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_add_proposes_the_sources_and_a_pattern_of_the_articles_only(design, serve_site, tmp_path):
    site = DESIGNS[design]()
    base = serve_site(site)
    sources = tmp_path / "sources.yaml"
    extra, name, discovery, platform, zone = EXPECTED[design]

    run = add(base, sources, *extra)

    assert run.code == exitcodes.OK, run.stderr
    assert run.stderr == ""
    entries = yaml.safe_load(sources.read_text(encoding="utf-8"))["outlets"]
    # a new file starts from the bundled outlets, and says so
    bundled = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["outlets"]
    assert entries[:-1] == bundled
    assert f"Created {sources} from newsbot's bundled outlets (newsdao)" in run.stdout
    entry = entries[-1]
    assert (entry["name"], entry["base_url"]) == (name, base)
    assert {k: entry["discovery"][k] for k in discovery} == discovery
    assert entry.get("platform") == platform
    assert entry["timezone"] == zone
    assert entry["branding"]["label"] == site.site_name
    urls = matcher(entry)
    assert all(urls.match(url) for url in site.article_urls(base))
    assert [urls.match(u) for u in site.listing_urls(base)] == [None] * len(site.listing_urls(base))
    if entry["discovery"]["listing_pages"]:
        for url in site.listing_urls(base)[1:]:
            assert urls.is_listing(url), url
    # what the operator is shown
    assert "Sample extraction" in run.stdout and "Proposed entry" in run.stdout
    assert any(story.title in run.stdout for story in site.stories)
    assert f"Timezone     {zone}" in run.stdout
    assert f"newsbot crawl {name} --sources {sources}" in run.stdout


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_an_added_outlet_is_crawled_from_its_entry_alone(design, serve_site, tmp_path):
    site = DESIGNS[design]()
    base = serve_site(site)
    sources = tmp_path / "sources.yaml"
    output = tmp_path / "blog"
    extra, name, *_ = EXPECTED[design]
    assert add(base, sources, *extra).code == exitcodes.OK

    run = newsbot("crawl", name, "--sources", sources, "--output", output, "--fast")

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    posts = list(read_posts(output).values())
    by_url = {post["source_url"]: post for post in posts}
    assert len(posts) == len(by_url), "an article written twice"
    expected = dict(zip(site.article_urls(base), site.stories, strict=True))
    assert set(by_url) == set(expected)
    scores = {}
    for url, story in expected.items():
        post = by_url[url]
        published = post["date"]
        assert isinstance(published, datetime) and published == story.published, (url, published)
        scores[url] = text_f1(post_body_text(post.content), story.text)
    assert min(scores.values()) >= F1_FLOOR, scores
    files = sorted(p.name for p in (output / "_posts").iterdir())

    again = newsbot("crawl", name, "--sources", sources, "--output", output, "--fast")

    assert again.code == exitcodes.OK, again.stderr[-2000:]
    assert again.stat("newsbot/posts/new") == 0
    assert sorted(p.name for p in (output / "_posts").iterdir()) == files


def test_a_second_add_of_the_same_site_is_refused_and_the_file_kept(serve_site, tmp_path):
    base = serve_site(ListingsOnlySite.build(4))
    sources = tmp_path / "sources.yaml"
    sources.write_text("# outlets of the Alps desk\noutlets:\n", encoding="utf-8")
    assert add(base, sources, "--name", "kurier").code == exitcodes.OK
    text = sources.read_text(encoding="utf-8")
    assert text.startswith("# outlets of the Alps desk\noutlets:\n  - name: kurier\n")

    again = add(base, sources, "--name", "kurier2")

    assert again.code == exitcodes.USAGE
    assert again.stderr.strip().count("\n") == 0
    assert "outlet 'kurier' already crawls" in again.stderr
    assert sources.read_text(encoding="utf-8") == text


def test_dry_run_shows_the_entry_and_writes_nothing(serve_site, tmp_path):
    base = serve_site(ListingsOnlySite.build(4))
    sources = tmp_path / "sources.yaml"
    run = add(base, sources, "--dry-run")
    assert run.code == exitcodes.OK, run.stderr
    assert "- name: alpenblick-kurier" in run.stdout
    assert "not changed" in run.stdout
    assert not sources.exists()


def test_a_dry_run_leaves_no_state_folder_where_it_runs(serve_site, tmp_path, monkeypatch):
    # the probe is no crawl of a blog: it wrote ./output/.newsbot/retry-newsbot-probe.json
    base = serve_site(ListingsOnlySite.build(4))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    run = newsbot("add", f"{base}/", "--sources", tmp_path / "sources.yaml", "--fast", "--dry-run")
    assert run.code == exitcodes.OK, run.stderr
    assert sorted(p.relative_to(work).as_posix() for p in work.rglob("*")) == []


class _HomeOnly:
    """A site with a home page and nothing that looks like an article."""

    site_name = "Coming soon"

    def delivery(self, path):
        from newsbot.demo.outlet import Delivery

        return Delivery()

    def respond(self, path, host):
        if path == "/":
            body = b"<html><head><title>Coming soon</title></head><body><p>Soon.</p></body></html>"
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        return 404, {"Content-Type": "text/plain"}, b"not found"


def test_a_site_without_article_urls_is_said_in_one_line(serve_site, tmp_path):
    base = serve_site(_HomeOnly())
    run = add(base, tmp_path / "sources.yaml")
    assert run.code == exitcodes.NOTHING_PUBLISHED
    assert run.stderr.startswith(f"newsbot add: no article URLs found at {base}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert not (tmp_path / "sources.yaml").exists()


def test_an_unreachable_site_is_said_in_one_line(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = add(f"http://127.0.0.1:{port}", tmp_path / "sources.yaml")
    assert run.code == exitcodes.FAILED
    assert run.stderr.startswith("newsbot add: cannot reach")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ftp://example.com"], "not a site URL"),
        (["https://example.com", "--name", "Bad Name"], "--name must be"),
        (["https://example.com", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (["https://example.com", "--sources", "newsbot/sources.yaml"], "own package"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_fetched(args, says, tmp_path):
    run = newsbot("add", *args)
    assert run.code == exitcodes.USAGE
    assert says in run.stderr and run.stderr.count("\n") == 1
    assert run.stdout == ""
