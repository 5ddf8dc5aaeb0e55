"""The figures of a cron run with nothing new, against the real nginx serving a Tistory blog's
files (its own ``ETag``/``Last-Modified`` and 304s, its access log counting), not only against
this repository's replica of nginx's conditional answers (``tests/sites/conditional.py``)."""

from __future__ import annotations

import os
import shutil

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import load_samples
from tests.conftest import extra_article
from tests.in_process import crawl
from tests.newsbot_runner import read_posts
from tests.sites.nginx import serve_nginx, write_site
from tests.sites.tistory import Post, TistorySite

pytestmark = pytest.mark.slow  # nginx is a process
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
PROTECTED = 5305


def pages(site: TistorySite) -> list[str]:
    return ["/robots.txt", "/sitemap.xml", "/rss", "/", *(f"/{post.id}" for post in site.posts)]


def test_a_run_with_nothing_new_costs_nginx_three_requests_and_the_next_article_is_published(
    tmp_path,
):
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: .ci/run installs it")
        pytest.skip("nginx is not installed")
    site = TistorySite(load_samples(), "odyssey-like", protected_ids=[PROTECTED])
    blog = tmp_path / "blog"
    with serve_nginx(tmp_path / "nginx") as nginx:
        write_site(site, nginx.site, nginx.base, pages(site))
        first = crawl(nginx.base, blog)
        assert first.code == exitcodes.OK, first.stderr[-2000:]
        assert first.stat("newsbot/posts/new") == len(site.posts) - 1  # the protected one
        nginx.reset()

        quiet = crawl(nginx.base, blog)

        assert quiet.code == exitcodes.OK, quiet.stderr[-2000:]
        assert quiet.stat("newsbot/posts/new") == 0
        counts = nginx.counts()
        assert sum(counts.values()) <= 3, nginx.log
        assert counts[404] <= 1 and counts[304] >= 1, nginx.log
        assert sorted(nginx.log) == [("/5313", 404), ("/rss", 304), ("/sitemap.xml", 304)]

        new = extra_article(5313)
        site.posts.insert(0, Post(new))
        site._by_id[new.id] = site.posts[0]
        write_site(site, nginx.site, nginx.base, pages(site))
        nginx.reset()

        next_run = crawl(nginx.base, blog)

    assert next_run.code == exitcodes.OK, next_run.stderr[-2000:]
    assert next_run.stat("newsbot/posts/new") == 1
    assert f"{nginx.base}/5313" in {p["source_url"] for p in read_posts(blog).values()}
