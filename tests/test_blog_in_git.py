"""The blog as people read, edit and review it in git: corrections found from the modified time
the posts record (so a fresh clone finds them too), corrections that are small diffs, and
corrections merged with hand edits (``git merge-file``)."""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import frontmatter
import pytest

from newsbot import exitcodes
from newsbot.blog.publish_posts import commit_message, lists_merged
from newsbot.demo.outlet import OutletSite, SampleArticle
from newsbot.pipelines.merge_edits import WrittenTexts
from tests.git_helpers import clone, git, isolate_git, make_remote_and_blog
from tests.newsbot_runner import crawl
from tests.operator_helpers import run_log

pytestmark = [
    pytest.mark.tool,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command"),
]


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


def post_of(blog: Path, article_id: int) -> Path:
    matches = list((blog / "_posts").glob(f"*-newsdao-{article_id}.md"))
    assert len(matches) == 1, matches
    return matches[0]


def correct(site: OutletSite, article: SampleArticle, paragraph: int = 0) -> SampleArticle:
    """The outlet corrects the article's ``paragraph``-th paragraph of text, a day later."""
    body = article.body_html
    texts = [m.end() - 4 for m in re.finditer(r"<p[^>]*>(?:(?!</p>).){40,}?</p>", body, re.S)]
    end = texts[paragraph]
    corrected = replace(
        article,
        body_html=body[:end] + " (정정: 수치를 바로잡았습니다)" + body[end:],
        modified=(article.modified or article.published) + timedelta(days=1),
    )
    site.remove(article.id)
    site.add(corrected)
    return corrected


def test_a_fresh_clone_picks_up_five_of_five_corrections(serve_site, samples, tmp_path):
    remote, blog = make_remote_and_blog(tmp_path)
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, blog, "--push").code == exitcodes.OK
    # the outlet's last change is recorded in each post, where git keeps it
    for article in samples:
        recorded = frontmatter.load(post_of(blog, article.id))["last_modified_at"]
        assert recorded == (article.modified or article.published)

    fresh = clone(remote, tmp_path / "fresh")  # every file's mtime is now: newer than any date
    corrected = [correct(site, article) for article in samples[:5]]
    run = crawl(base, fresh, "--commit")
    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/posts/updated") == 5, run.stdout
    for article in corrected:
        post = frontmatter.load(post_of(fresh, article.id))
        assert "정정: 수치를 바로잡았습니다" in post.content
        assert post["last_modified_at"] == article.modified

    again = crawl(base, fresh)  # recorded now: nothing to fetch again
    assert again.stat("newsbot/posts/updated") == 0
    assert again.stat("newsbot/fetched/article_pages") == 0


def test_a_corrected_paragraph_changes_its_line_and_the_modified_time_only(
    serve_site, samples, tmp_path
):
    _, blog = make_remote_and_blog(tmp_path)
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, blog, "--commit").code == exitcodes.OK
    article = samples[2]
    correct(site, article, paragraph=1)
    run = crawl(base, blog, "--commit")
    assert run.code == exitcodes.OK and run.stat("newsbot/posts/updated") == 1, run.stderr
    relpath = post_of(blog, article.id).relative_to(blog).as_posix()
    assert git(blog, "diff", "--numstat", "HEAD~1", "HEAD").split() == ["2", "2", relpath]
    diff = git(blog, "diff", "--unified=0", "HEAD~1", "HEAD").splitlines()
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 4, changed
    assert changed[0].startswith("-last_modified_at: ")
    assert changed[1].startswith("+last_modified_at: ")
    assert changed[2].startswith("-<p>") and changed[3].startswith("+<p>")
    assert changed[3].replace(" (정정: 수치를 바로잡았습니다)", "") == "+" + changed[2][1:]


# --- corrections merged with hand edits -------------------------------------------------------

CORRECTION = "(정정: 수치를 바로잡았습니다)"
EDIT = " (블로그 편집자가 덧붙인 설명)"


def edit_paragraph(post: Path, paragraph: int) -> str:
    """A person edits the ``paragraph``-th text paragraph of the post's body; the new line."""
    lines = post.read_text(encoding="utf-8").split("\n")
    texts = [i for i, line in enumerate(lines) if re.match(r"<p>(?!출처: ).{40,}</p>$", line)]
    i = texts[paragraph]
    lines[i] = lines[i].removesuffix("</p>") + EDIT + "</p>"
    post.write_text("\n".join(lines), encoding="utf-8")
    return lines[i]


def published_then_edited(serve_site, samples, tmp_path: Path, paragraph: int, *, commit: bool):
    """A blog in git with the samples published and a person's edit in one paragraph of the
    third sample's post (committed, or left in the work tree): (site, base, blog, article,
    post, the edited line)."""
    _, blog = make_remote_and_blog(tmp_path)
    site = OutletSite(samples)
    base = serve_site(site)
    assert crawl(base, blog, "--commit").code == exitcodes.OK
    article = samples[2]
    post = post_of(blog, article.id)
    edited_line = edit_paragraph(post, paragraph)
    if commit:
        git(blog, "commit", "-q", "-am", f"Editor: a note in paragraph {paragraph + 1}")
    return site, base, blog, article, post, edited_line


def test_a_correction_and_a_hand_edit_in_other_paragraphs_merge_cleanly(
    serve_site, samples, tmp_path
):
    site, base, blog, article, post, edited_line = published_then_edited(
        serve_site, samples, tmp_path, 3, commit=True
    )

    correct(site, article, paragraph=0)
    run = crawl(base, blog, "--commit")
    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/posts/merged") == 1 and run.stat("newsbot/posts/updated") == 1
    assert run.stat("newsbot/skipped/edited") == 0 and "kept" not in run.stderr
    assert "0 new, 1 updated (1 merged), 7 skipped (already published 7)" in run.stdout
    assert run_log(blog)[-1]["merged"] == 1 and run_log(blog)[-1]["updated"] == 1
    text = post.read_text(encoding="utf-8")
    assert edited_line in text.split("\n") and CORRECTION in text  # both kept
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    # the merge commit changes the corrected paragraph and the modified time only
    assert git(blog, "diff", "--numstat", "HEAD~1", "HEAD").split()[:2] == ["2", "2"]

    correct(site, site.get(article.id), paragraph=1)  # a second correction merges again
    again = crawl(base, blog, "--commit")
    assert again.stat("newsbot/posts/merged") == 1, again.stderr
    text = post.read_text(encoding="utf-8")
    assert edited_line in text.split("\n") and text.count(CORRECTION) == 2

    quiet = crawl(base, blog, "--commit")  # nothing new: the merged post is left alone
    assert quiet.stat("newsbot/posts/updated") == 0 and "kept" not in quiet.stderr
    assert post.read_text(encoding="utf-8") == text


def test_a_correction_of_the_edited_paragraph_keeps_the_persons_post_and_names_the_block(
    serve_site, samples, tmp_path
):
    site, base, blog, article, post, edited_line = published_then_edited(
        serve_site, samples, tmp_path, 1, commit=False
    )
    edited = post.read_text(encoding="utf-8")

    correct(site, article, paragraph=1)
    run = crawl(base, blog, "--commit")
    assert run.code == exitcodes.OK, run.stderr  # as for any kept edited post
    assert post.read_text(encoding="utf-8") == edited  # the person's post, no conflict markers
    assert run.stat("newsbot/skipped/edited") == 1 and run.stat("newsbot/posts/merged") == 0
    assert "edited 1" in run.stdout
    body = edited.split("---\n", 2)[2]
    block = next(i for i, b in enumerate(body.strip("\n").split("\n\n"), 1) if b == edited_line)
    assert (
        f"newsbot: kept {post.relative_to(blog).as_posix()}: changed since newsbot wrote it; "
        f"the outlet's correction conflicts with the hand edit in block {block} of the body: "
        f"'{edited_line[:60].rstrip()}…' (--overwrite-edited replaces it)"
    ) in run.stderr


def test_a_merged_post_keeps_its_hand_edit_when_newsbots_record_is_gone(
    serve_site, samples, tmp_path
):
    site, base, blog, article, post, edited_line = published_then_edited(
        serve_site, samples, tmp_path, 3, commit=True
    )
    correct(site, article, paragraph=0)
    assert crawl(base, blog, "--commit").stat("newsbot/posts/merged") == 1
    message = git(blog, "log", "-1", "--format=%B")
    assert lists_merged(message, frontmatter.load(post)["source_url"]), message

    shutil.rmtree(blog / ".newsbot")  # the record and the saved texts are gone: git decides
    correct(site, site.get(article.id), paragraph=1)
    run = crawl(base, blog, "--commit")
    assert run.code == exitcodes.OK, run.stderr
    # not taken for newsbot's own writing: merged again, over the last pure rendering in git
    assert run.stat("newsbot/posts/merged") == 1, run.stderr
    text = post.read_text(encoding="utf-8")
    assert edited_line in text.split("\n") and text.count(CORRECTION) == 2


def test_the_commit_message_lists_merged_posts_among_the_updated_and_again_apart():
    message = commit_message("newsdao", ["https://n.test/1"], ["https://n.test/2"], [])
    assert not lists_merged(message, "https://n.test/2")
    message = commit_message(
        "newsdao", [], ["https://n.test/2", "https://n.test/3"], ["https://n.test/3"]
    )
    assert message.splitlines()[0] == "newsbot: 2 updated posts from newsdao"
    assert message.endswith("\n\nMerged with hand edits:\nhttps://n.test/3\n")
    assert lists_merged(message, "https://n.test/3")
    assert not lists_merged(message, "https://n.test/2")


def test_only_the_last_writing_of_each_post_is_kept_as_a_merge_base(tmp_path):
    texts = WrittenTexts(tmp_path / "written-posts")
    for sha in ("old", "last", "saved-by-another-crawl"):
        texts.save(sha, f"{sha}\n")
    stale = time.time() - 60
    os.utime(texts.path("old"), (stale, stale))
    os.utime(texts.path("last"), (stale, stale))
    texts.prune({"last"}, older_than=time.time() - 30)
    assert texts.load("old") is None
    assert texts.load("last") == "last\n"
    assert texts.load("saved-by-another-crawl") == "saved-by-another-crawl\n"


def test_a_crawl_keeps_newsbots_last_writing_of_every_post(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    assert crawl(base, tmp_path).code == exitcodes.OK
    saved = sorted((tmp_path / ".newsbot" / "written-posts").glob("*.md"))
    posts = sorted((tmp_path / "_posts").glob("*.md"))
    assert len(saved) == len(posts) == len(samples)
    assert {p.read_text(encoding="utf-8") for p in saved} == {
        p.read_text(encoding="utf-8") for p in posts
    }
