"""Hand edits are never lost: a post someone changed is kept and reported when its article
changes and the change cannot be merged with the edit (tests/test_blog_in_git.py has the clean
merges); --overwrite-edited replaces it; without newsbot's record, git decides or it is kept."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from tests.git_helpers import git, isolate_git
from tests.in_process import crawl
from tests.operator_helpers import run_log

HAND_EDIT = "\n편집자 주: 이 문단은 블로그 운영자가 직접 덧붙였습니다.\n"
FOOTER = "\n\n원하는 뉴스 찾아보기"
# a paragraph the editor adds where the outlet's correction lands too: the two cannot be merged
EDITORS_PARAGRAPH = "\n\n<p>편집자 주: 이 문단은 블로그 운영자가 직접 덧붙였습니다.</p>"
CORRECTION = "<p>정정: 이 기사는 처음 보도 이후 내용이 고쳐졌습니다.</p>"


def post_of(output: Path, article_id: int) -> Path:
    matches = list((output / "_posts").glob(f"*-newsdao-{article_id}.md"))
    assert len(matches) == 1, matches
    return matches[0]


def change_article(site: OutletSite, article) -> None:
    site.remove(article.id)
    site.add(replace(article, body_html=article.body_html + CORRECTION,
                     modified=article.published + timedelta(days=1)))  # fmt: skip


@pytest.mark.slow
def test_a_post_edited_by_hand_is_kept_reported_and_replaced_only_on_request(
    serve_site, samples, tmp_path
):
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    post = post_of(tmp_path, samples[0].id)
    edited = post.read_text(encoding="utf-8").replace(FOOTER, EDITORS_PARAGRAPH + FOOTER)
    post.write_text(edited, encoding="utf-8")
    change_article(site, samples[0])

    run = crawl(base, tmp_path, "--refresh")
    assert run.code == exitcodes.OK, run.stderr
    assert post.read_text(encoding="utf-8") == edited  # not overwritten
    assert run.stat("newsbot/skipped/edited") == 1 and run.stat("newsbot/posts/updated") == 0
    assert "edited 1" in run.stdout
    assert (
        f"newsbot: kept _posts/{post.name}: changed since newsbot wrote it; the outlet's "
        "correction conflicts with the hand edit in block "
    ) in run.stderr
    named = "'<p>편집자 주: 이 문단은 블로그 운영자가 직접 덧붙였습니다.</p>'"
    assert f"{named} (--overwrite-edited replaces it)" in run.stderr
    assert "<<<<<<<" not in post.read_text(encoding="utf-8")
    assert run_log(tmp_path)[-1]["skipped_reasons"]["edited"] == 1

    again = crawl(base, tmp_path, "--refresh")  # still kept, still reported
    assert post.read_text(encoding="utf-8") == edited and "edited 1" in again.stdout

    forced = crawl(base, tmp_path, "--refresh", "--overwrite-edited")
    assert forced.code == exitcodes.OK, forced.stderr
    assert forced.stat("newsbot/posts/updated") == 1
    text = post.read_text(encoding="utf-8")
    assert "정정: 이 기사는 처음 보도 이후" in text and "편집자 주" not in text

    after = crawl(base, tmp_path, "--refresh")  # newsbot's own writing again: no report
    assert after.stat("newsbot/skipped/edited") == 0 and "kept" not in after.stderr


@pytest.mark.slow
def test_an_unedited_post_is_still_updated_when_its_article_changes(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    change_article(site, samples[1])
    run = crawl(base, tmp_path, "--refresh")
    assert run.code == exitcodes.OK
    assert run.stat("newsbot/posts/updated") == 1 and run.stat("newsbot/skipped/edited") == 0
    assert "정정" in post_of(tmp_path, samples[1].id).read_text(encoding="utf-8")


@pytest.mark.slow
def test_without_a_record_and_without_git_a_changed_post_is_kept(serve_site, samples, tmp_path):
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, tmp_path).code == exitcodes.OK
    shutil.rmtree(tmp_path / ".newsbot")  # the record is gone: nobody can tell
    post = post_of(tmp_path, samples[0].id)
    before = post.read_text(encoding="utf-8")
    change_article(site, samples[0])
    run = crawl(base, tmp_path, "--refresh")
    assert run.code == exitcodes.OK
    assert post.read_text(encoding="utf-8") == before
    assert "newsbot has no record of writing it" in run.stderr


@pytest.mark.tool
def test_without_a_record_git_tells_newsbots_posts_from_edited_ones(
    serve_site, samples, tmp_path, monkeypatch
):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    isolate_git(monkeypatch, tmp_path)
    blog = tmp_path / "blog"
    blog.mkdir()
    git(blog, "init", "-q", "-b", "main")
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, blog, "--commit").code == exitcodes.OK  # commits "newsbot: 8 new …"
    edited_post = post_of(blog, samples[0].id)
    edited_post.write_text(edited_post.read_text(encoding="utf-8") + HAND_EDIT, encoding="utf-8")
    git(blog, "commit", "-q", "-am", "Editor's note")  # committed by the operator
    shutil.rmtree(blog / ".newsbot")

    change_article(site, samples[0])
    change_article(site, samples[1])
    run = crawl(base, blog, "--refresh")
    assert run.code == exitcodes.OK, run.stderr
    # samples[1]: last committed by newsbot, updated; samples[0]: edited by the operator, the
    # correction merged over the version newsbot committed (git history is the record)
    assert run.stat("newsbot/posts/updated") == 2 and run.stat("newsbot/posts/merged") == 1
    assert "정정" in post_of(blog, samples[1].id).read_text(encoding="utf-8")
    text = edited_post.read_text(encoding="utf-8")
    assert "편집자 주" in text and "정정" in text
    assert run.stat("newsbot/skipped/edited") == 0 and "kept" not in run.stderr
