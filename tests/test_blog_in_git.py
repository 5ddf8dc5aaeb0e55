"""The blog as people read, edit and review it in git: corrections found from the modified time
the posts record (so a fresh clone finds them too), corrections that are small diffs, and
corrections merged with hand edits (``git merge-file``)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import frontmatter
import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite, SampleArticle
from tests.git_helpers import clone, git, isolate_git, make_remote_and_blog
from tests.newsbot_runner import crawl

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
