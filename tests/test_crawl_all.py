"""``newsbot crawl --all``: every enabled outlet of a sources file in one process, each with its
own branding, one summary line each, ONE commit, one run-log line each, the worst exit code.

The outlets are the demo outlet served twice, on two ports, under two names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from tests.git_helpers import git, head_files, isolate_git, make_remote_and_blog, remote_log
from tests.in_process import newsbot
from tests.newsbot_runner import read_posts
from tests.operator_helpers import plain_web_server, run_log


def sources_file(tmp_path: Path, alpha: str, beta: str) -> Path:
    """alpha and beta (with their own branding) and a disabled gamma nobody serves."""
    outlets = [
        {
            "name": "alpha",
            "base_url": alpha,
            "platform": "tistory",
            "timezone": "Asia/Seoul",
            "branding": {
                "label": "알파뉴스",
                "cover_image": "https://alpha.example/img/alpha_cover.jpg",
                "cover_alt": "알파 속보",
            },
        },
        {
            "name": "beta",
            "base_url": beta,
            "timezone": "Asia/Seoul",
            "branding": {
                "label": "베타일보",
                "site_url": "https://beta.example",
                "cover_image": "https://beta.example/beta.png",
                "cover_alt": "베타 속보",
            },
            "politeness": {"download_delay": 0, "concurrency": 8},
        },
        {"name": "gamma", "enabled": False, "base_url": "http://127.0.0.1:9"},
    ]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"outlets": outlets}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def blog(tmp_path, monkeypatch) -> tuple[Path, Path]:
    isolate_git(monkeypatch, tmp_path)
    return make_remote_and_blog(tmp_path)


@pytest.mark.slow
def test_all_outlets_are_crawled_with_their_branding_and_published_in_one_commit(
    serve_site, samples, tmp_path, blog
):
    remote, root = blog
    alpha, beta = serve_site(OutletSite(samples)), serve_site(OutletSite(samples))
    sources = sources_file(tmp_path, alpha, beta)
    run = newsbot("crawl", "--all", "--sources", sources, "--output", root, "--fast", "--push")
    assert run.code == exitcodes.OK, run.stderr

    n = len(samples)
    lines = run.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:2]] == ["alpha", "beta"]
    assert all(f": {n} new, 0 updated, 0 skipped, 0 failed in" in line for line in lines[:2])
    assert lines[2].startswith("newsbot: git: committed ") and len(lines) == 3

    posts = read_posts(root)
    assert len(posts) == 2 * n
    for name, post in posts.items():
        if "-alpha-" in name:
            assert post["source_url"].startswith(alpha)
            assert post["image"] == "/assets/img/alpha_cover.jpg"  # whereispost's local copy
            assert post.content.startswith("![알파 속보](/assets/img/alpha_cover.jpg)")
            assert "</a> | 알파뉴스</p>" in post.content
            assert post.content.endswith(f'<a href="{alpha}" rel="dofollow">127.0.0.1</a>')
        else:
            assert "-beta-" in name and post["source_url"].startswith(beta)
            assert post.content.startswith("![베타 속보](/assets/img/beta.png)")
            assert "</a> | 베타일보</p>" in post.content
            assert post.content.endswith(
                '<a href="https://beta.example" rel="dofollow">beta.example</a>'
            )
        assert "뉴스다오" not in post.content.split("\n\n", 2)[0]  # no newsdao branding

    # ONE commit, pushed, with the posts of both outlets
    log = git(root, "log", "--format=%s").splitlines()
    assert log == [f"newsbot: {2 * n} new posts from alpha, beta", "initial"]
    assert remote_log(remote)[0] == log[0]
    assert sorted(f for f in head_files(root) if f.startswith("_posts/")) == sorted(
        f"_posts/{name}" for name in posts
    )

    records = run_log(root)
    assert [r["outlet"] for r in records] == ["alpha", "beta"]
    assert {r["committed"] for r in records} == {git(root, "rev-parse", "HEAD").strip()}
    assert all(r["exit_code"] == 0 and r["new"] == n and r["pushed"] for r in records)

    listing = newsbot("sources", "--sources", sources, "--output", root)
    assert listing.code == 0, listing.stderr
    rows = {line.split()[0]: line for line in listing.stdout.splitlines()[1:]}
    assert rows["alpha"].endswith(f"ok, {n} new, 0 updated")
    assert rows["beta"].endswith(f"ok, {n} new, 0 updated")
    assert rows["gamma"].split()[1] == "no" and rows["gamma"].endswith("never")

    again = newsbot("crawl", "--all", "--sources", sources, "--output", root, "--fast", "--push")
    assert again.code == exitcodes.OK, again.stderr
    assert git(root, "log", "--format=%s").splitlines() == log  # nothing new: no commit
    assert len(run_log(root)) == 4


def test_the_exit_code_is_the_worst_of_the_outlets_and_each_outlet_is_logged(
    serve_site, samples, tmp_path
):
    alpha = serve_site(OutletSite(samples))
    with plain_web_server() as (nothing_there, _):
        sources = sources_file(tmp_path, alpha, nothing_there)
        out = tmp_path / "out"
        run = newsbot("crawl", "--all", "--sources", sources, "--output", out, "--fast")
    assert run.code == exitcodes.NOTHING_PUBLISHED, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"newsbot: alpha: {len(samples)} new")
    assert lines[1].startswith("newsbot: beta: 0 new")
    assert "no article found" in run.stderr
    records = run_log(out)  # each outlet's line as it finishes (no commit to wait for)
    assert sorted((r["outlet"], r["exit_code"]) for r in records) == [
        ("alpha", exitcodes.OK),
        ("beta", exitcodes.NOTHING_PUBLISHED),
    ]
    assert len(read_posts(out)) == len(samples)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["crawl", "--all", "newsdao"], "name one outlet to crawl, or give --all (not both)"),
        (["crawl"], "name one outlet to crawl, or give --all (not both)"),
        (["crawl", "--all", "--base-url", "http://127.0.0.1:9"], "cannot go with --all"),
    ],
)
def test_crawl_all_refuses_an_outlet_name_or_a_base_url(tmp_path, args, expected):
    run = newsbot(*args, "--output", tmp_path)
    assert run.code == exitcodes.USAGE
    assert len(run.stderr.strip().splitlines()) == 1 and expected in run.stderr
