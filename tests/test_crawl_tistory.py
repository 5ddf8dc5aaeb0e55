"""The real crawler against a Tistory blog on 127.0.0.1, in each skin layout of
``tests/sites/tistory.py``: every article becomes exactly one post with its whole text and none of
the skin, a password-protected post is skipped as ``protected`` (and said so in the summary), and
the guest comment form under every post changes nothing.

The articles are the bundled demo samples (original text), so this runs without ../shared.
"""

from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring, tostring
from quality import glued_words, text_f1

from newsbot import exitcodes
from newsbot.demo.outlet import SampleArticle, load_samples
from newsbot.extraction.body import html_to_text
from newsbot.extraction.boilerplate import compile_patterns, is_boilerplate
from tests.in_process import crawl
from tests.newsbot_runner import read_posts
from tests.sites.tistory import LAYOUTS, TistorySite
from tests.test_corpus_crawl import post_body_text

PROTECTED_ID = 5305
BOILERPLATE = compile_patterns()


def article_text(article: SampleArticle) -> str:
    """The sample's text without its byline, copyright lines and in-body related-articles box
    (the samples carry them on purpose: newsbot drops them)."""
    body = fragment_fromstring(article.body_html, create_parent="div")
    for box in body.find_class("related-news"):
        box.drop_tree()
    lines = html_to_text(tostring(body, encoding="unicode")).splitlines()
    return "\n".join(line for line in lines if not is_boilerplate(line, BOILERPLATE))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_tistory_blog_is_published_whole_in_every_layout(layout, serve_site, tmp_path):
    articles: list[SampleArticle] = load_samples()
    site = TistorySite(articles, layout, protected_ids=[PROTECTED_ID])
    base = serve_site(site)

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    expected = {f"{base}/{a.id}" for a in articles if a.id != PROTECTED_ID}
    posts = {post["source_url"]: post for post in read_posts(tmp_path).values()}
    assert set(posts) == expected
    assert run.stat("newsbot/skipped/protected") == 1
    assert run.stat("newsbot/posts/new") == len(expected)
    for article in articles:
        post = posts.get(f"{base}/{article.id}")
        if post is None:
            continue
        source = article_text(article)
        text = post_body_text(post.content)
        assert text_f1(text, source) >= 0.99, (article.id, text)
        assert glued_words(text, source) == []
        for furniture in ("카테고리의 다른 글", "WRITTEN BY", "공유하기", "구독하기", "비밀글"):
            assert furniture not in post.content
    assert posts[f"{base}/5312"]["title"] == site.get(5312).title  # type: ignore[union-attr]


def test_an_outlet_that_answers_200_for_missing_posts_ends_the_id_walk(serve_site, tmp_path):
    """Soft 404s (the absent-post page with status 200) are no evidence that an id exists."""
    articles = load_samples()
    base = serve_site(TistorySite(articles, "odyssey-like", soft_404=True))

    run = crawl(base, tmp_path, timeout=120)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert {p["source_url"] for p in read_posts(tmp_path).values()} == {
        f"{base}/{a.id}" for a in articles
    }
    walked = run.stat("newsbot/discovered/id-walk")
    assert 0 < walked <= 10 + 5  # the misses past the newest id, and the gaps between ids
