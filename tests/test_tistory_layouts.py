"""Corpus articles inside five Tistory skin layouts (``tests/sites/tistory.py``): every article is
extracted whole, with nothing of the skin or of what Tistory injects, no glued words; a protected
post is recognised by its article area, not by the guest comment form under every post.

In-process (no HTTP): the page as the outlet would serve it, the newsdao outlet's own rules.
``python tests/test_tistory_layouts.py [N]`` prints the per-layout table for N articles (all by
default) — the figures quoted in closing notes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from statistics import fmean

import pytest
from quality import glued_words, text_f1

from newsbot.config.sources import get_outlet
from newsbot.extraction import NotAnArticle, extract_article
from newsbot.extraction.body import html_to_text
from tests.shared_data import corpus_rows, load_corpus_rows, sample_article, sample_rows
from tests.sites.tistory import LAYOUTS, TistorySite

SAMPLE = 150
MEAN_F1_FLOOR = 0.99
MIN_F1_FLOOR = 0.90


@dataclass
class LayoutScore:
    layout: str
    articles: int
    published: int
    mean_f1: float
    min_f1: float
    worst_id: int
    glued: int
    glued_articles: int


def score_layout(layout: str, rows: list[dict]) -> LayoutScore:
    articles = [sample_article(row) for row in rows]
    site = TistorySite(articles, layout)
    rules = get_outlet("newsdao").extraction
    f1s: list[tuple[float, int]] = []
    glued = glued_articles = published = 0
    for post in site.posts:
        page = site.article_page(post)
        try:
            item = extract_article(page, f"https://newsdao.kr/{post.id}", rules=rules)
        except NotAnArticle:
            f1s.append((0.0, post.id))
            continue
        published += 1
        source = html_to_text(post.article.body_html)  # as a browser shows it: no tag splits words
        f1s.append((text_f1(item.body_text, source), post.id))
        found = glued_words(item.body_text, source)
        glued += len(found)
        glued_articles += bool(found)
    worst = min(f1s)
    return LayoutScore(
        layout,
        len(articles),
        published,
        fmean(f for f, _ in f1s),
        worst[0],
        worst[1],
        glued,
        glued_articles,
    )


@pytest.mark.corpus
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_article_in_a_tistory_layout_is_published_whole_without_furniture(layout):
    score = score_layout(layout, sample_rows(corpus_rows(), SAMPLE))
    print(f"\n{score}")
    assert score.published == score.articles
    assert score.mean_f1 >= MEAN_F1_FLOOR
    assert score.min_f1 >= MIN_F1_FLOOR
    assert score.glued == 0


@pytest.mark.corpus
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_protected_post_is_skipped_as_protected_in_every_layout(layout):
    article = sample_article(sample_rows(corpus_rows(), 1)[0])
    site = TistorySite([article], layout, protected_ids=[article.id])
    with pytest.raises(NotAnArticle) as skipped:
        extract_article(
            site.article_page(site.posts[0]),
            f"https://newsdao.kr/{article.id}",
            rules=get_outlet("newsdao").extraction,
        )
    assert skipped.value.reason == "protected"


def main(limit: int | None) -> None:
    rows = load_corpus_rows()
    rows = sample_rows(rows, limit) if limit else rows
    print("| layout | articles | published | mean F1 | min F1 (id) | glued words (articles) |")
    print("|---|---|---|---|---|---|")
    for layout in sorted(LAYOUTS):
        s = score_layout(layout, rows)
        print(
            f"| {s.layout} | {s.articles} | {s.published} | {s.mean_f1:.4f} | "
            f"{s.min_f1:.4f} ({s.worst_id}) | {s.glued} ({s.glued_articles}) |"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
