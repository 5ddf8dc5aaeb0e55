"""--download-images: images stored in the blog with Scrapy's FilesPipeline, links rewritten,
a failed download never blocks the post."""

from __future__ import annotations

import subprocess

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import DEFAULT_IMAGE, OutletSite
from tests.in_process import newsbot
from tests.newsbot_runner import read_posts

pytestmark = pytest.mark.slow  # every test here starts a process


def test_cover_images_are_stored_in_the_blog_and_posts_link_the_copies(
    serve_site, samples, tmp_path
):
    site = OutletSite(samples)
    base = serve_site(site)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    run = newsbot("crawl", "newsdao", "--base-url", base, "--output", tmp_path, "--fast",
                  "--profile", "hugo", "--download-images", "--commit")  # fmt: skip
    assert run.code == exitcodes.OK, run.stderr
    posts = read_posts(tmp_path, "content/posts")
    assert len(posts) == len(samples)
    committed = subprocess.run(
        ["git", "-C", str(tmp_path), "show", "--name-only", "--format=", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    linked = {post["images"][0].lstrip("/") for post in posts.values()}
    assert {name for name in committed if name.startswith("assets/")} == linked
    for post in posts.values():
        (image,) = post["images"]
        assert image.startswith("/assets/img/newsbot/newsdao-")
        stored = tmp_path / image.lstrip("/")
        assert stored.is_file() and stored.read_bytes().startswith(b"\x89PNG")
    assert run.stat("newsbot/images/downloaded") == len(samples)


def test_a_failed_image_download_keeps_the_post_with_the_remote_link(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    site.missing_images.add(DEFAULT_IMAGE)  # every sample uses the default cover
    base = serve_site(site)
    run = newsbot("crawl", "newsdao", "--base-url", base, "--output", tmp_path, "--fast",
                  "--profile", "hugo", "--download-images")  # fmt: skip
    assert run.code == exitcodes.OK, run.stderr
    posts = read_posts(tmp_path, "content/posts")
    assert len(posts) == len(samples)
    assert all(post["images"] == [f"{base}{DEFAULT_IMAGE}"] for post in posts.values())
    assert run.stat("newsbot/images/failed") == len(samples)
