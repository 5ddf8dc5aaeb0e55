"""Generic rules on the guessed (trafilatura) body, each on a small hand-built page."""

from __future__ import annotations

import pytest

from newsbot.config.outlet import ExtractionRules
from newsbot.extraction import NotAnArticle, extract_article

RULES = ExtractionRules(min_body_chars=0)
PARAGRAPH_LIST = [
    f"<p>Paragraph {i} of the story tells what happened in the town on the day of the vote, "
    f"and what the officials said about it afterwards in a long statement.</p>"
    for i in range(6)
]
PARAGRAPHS = "".join(PARAGRAPH_LIST)


def page(article: str, title: str = "Storm hits the coast") -> str:
    return (
        f"<html><head><title>{title} | Daily Site</title>"
        f'<meta property="og:title" content="{title}"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article>{article}</article></body></html>"
    )


def test_the_headline_at_the_top_of_the_body_is_the_title_not_text() -> None:
    item = extract_article(page(f"<h1>Storm hits the coast</h1>{PARAGRAPHS}"), "https://x.test/a")
    assert item.title == "Storm hits the coast"
    assert not item.body_text.startswith("Storm hits the coast")
    assert item.body_text.startswith("Paragraph 0")


def test_a_section_heading_that_repeats_the_title_stays() -> None:
    item = extract_article(page(f"<h2>Storm hits the coast</h2>{PARAGRAPHS}"), "https://x.test/a")
    assert item.body_text.startswith("Storm hits the coast")


def test_an_h1_that_is_not_the_title_stays() -> None:
    item = extract_article(page(f"<h1>What we know</h1>{PARAGRAPHS}"), "https://x.test/a")
    assert item.body_text.startswith("What we know")


def test_whole_linked_paragraphs_are_prose_not_navigation() -> None:
    deals = "".join(
        f"<h2>Deal {i}: a controller at its lowest price</h2>"
        f"<p><a href='https://shop.test/{i}'>The price of this controller has dropped to its "
        f"lowest level yet, and the colour is the best looking of all the ones on sale this "
        f"week, so it is worth a look before the weekend.</a></p><p>Get it for $39.99.</p>"
        for i in range(6)
    )
    item = extract_article(page(deals), "https://x.test/deals", rules=RULES)
    assert "lowest level yet" in item.body_text


def test_a_page_of_short_links_is_refused_as_navigation() -> None:
    links = "".join(
        f"<p><a href='/story/{i}'>Short headline number {i} about the town</a></p>"
        for i in range(30)
    )
    with pytest.raises(NotAnArticle):
        extract_article(page(links), "https://x.test/list", rules=RULES)


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Markets rally as rates fall",
        "Related: The ten biggest storms on record",
        "SEE MORE: Residents evacuated from the coast",
        "Leggi anche: la tempesta in arrivo",
        "Veja também: a tempestade chega ao litoral",
    ],
)
def test_a_read_more_line_is_not_article_text(line: str) -> None:
    article = "".join(PARAGRAPH_LIST[:3]) + f"<p>{line}</p>" + "".join(PARAGRAPH_LIST[3:])
    item = extract_article(page(article), "https://x.test/a")
    assert line not in item.body_text
    assert "Paragraph 5" in item.body_text


def test_a_sentence_that_mentions_related_news_stays() -> None:
    line = "Related news from the region shows the storm was the worst in years."
    item = extract_article(page(f"<p>{line}</p>{PARAGRAPHS}"), "https://x.test/a")
    assert line in item.body_text


def test_a_link_to_another_article_of_the_site_is_a_teaser_not_text() -> None:
    teaser = "<p><strong><a href='/politics/other-story'>STORM DAMAGE COSTS SOAR</a></strong></p>"
    article = "".join(PARAGRAPH_LIST[:3]) + teaser + "".join(PARAGRAPH_LIST[3:])
    item = extract_article(page(article), "https://x.test/news/storm")
    assert "STORM DAMAGE" not in item.body_text
    assert "Paragraph 5" in item.body_text


@pytest.mark.parametrize(
    "link",
    [
        "<a href='https://x.test/news/storm'>Storm hits the coast | Daily Site</a>",  # itself
        "<a href='https://other.test/report'>The full weather service report</a>",  # a source
        "<a href='/politics/other-story'>The mayor said the storm was the worst in years.</a>",
    ],
)
def test_links_that_are_not_teasers_stay(link: str) -> None:
    article = "".join(PARAGRAPH_LIST[:3]) + f"<p>{link}</p>" + "".join(PARAGRAPH_LIST[3:])
    item = extract_article(page(article), "https://x.test/news/storm")
    text = link.split(">", 1)[1].split("<", 1)[0]
    assert text in item.body_text


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to the Morning Review newsletter",
        "Get the latest updates right in your inbox. Subscribe to our newsletters.",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Email the author or follow us on Twitter @dailysite.",
    ],
)
def test_a_call_to_subscribe_or_follow_is_not_article_text(line: str) -> None:
    article = "".join(PARAGRAPH_LIST) + f"<p>{line}</p>"
    item = extract_article(page(article), "https://x.test/a")
    assert line not in item.body_text
    assert "Paragraph 5" in item.body_text


def test_a_sentence_about_subscribers_stays() -> None:
    line = "The service signed up two million subscribers in its first week, the company said."
    item = extract_article(page(f"<p>{line}</p>{PARAGRAPHS}"), "https://x.test/a")
    assert line in item.body_text


@pytest.mark.parametrize(
    "line",
    ["Comments", "3 comments", "Tags", "Leave a reply", "Published 18 November 2019",
     "November 19, 2019 / 12:21 AM / Updated 14 hours ago", "UPDATED: Tue., Nov. 19, 2019"],
)  # fmt: skip
def test_section_labels_and_datelines_alone_are_not_text(line: str) -> None:
    article = f"<p>{line}</p>" + "".join(PARAGRAPH_LIST)
    item = extract_article(page(article), "https://x.test/a")
    assert line not in item.body_text
    assert item.body_text.startswith("Paragraph 0")


def test_a_sentence_that_starts_with_a_date_stays() -> None:
    line = "November 19, 2019 was the day the storm reached the coast."
    item = extract_article(page(f"<p>{line}</p>{PARAGRAPHS}"), "https://x.test/a")
    assert line in item.body_text


def test_hover_cards_and_latest_lists_are_furniture() -> None:
    card = (
        "<p>Paragraph 2 quotes <a href='/people/jane'>Rep. Jane Doe</a>"
        "<span class='rollover-people'><span>Jane Doe's other stories: Budget talks stall</span>"
        "</span> on the storm and what the officials said about it afterwards.</p>"
    )
    latest = (
        "<div class='latest-news-box'><h4>Budget talks stall</h4><p>The latest on the budget "
        "talks in the capital.</p></div>"
    )
    article = "".join(PARAGRAPH_LIST[:2]) + card + "".join(PARAGRAPH_LIST[2:]) + latest
    item = extract_article(page(article), "https://x.test/a")
    assert "Rep. Jane Doe on the storm" in item.body_text
    assert "other stories" not in item.body_text
    assert "Budget talks" not in item.body_text


def chunked(first: list[str], second: list[str], *, next_article: bool = False) -> str:
    chunk = "<div class='grid'><div class='article__body'>{}</div></div>"
    ad = "<div class='grid'><div class='ad-slot'>Advertisement</div></div>"
    second_chunk = chunk.format("".join(second))
    if next_article:
        return f"{chunk.format(''.join(first))}</article><article><h1>Next story</h1>{second_chunk}"
    return f"<div class='chunks'>{chunk.format(''.join(first))}{ad}{second_chunk}</div>"


def test_an_article_body_split_into_chunks_is_read_whole() -> None:
    later = [p.replace("Paragraph", "Later paragraph") for p in PARAGRAPH_LIST]
    item = extract_article(page(chunked(PARAGRAPH_LIST, later)), "https://x.test/a")
    assert "Paragraph 0" in item.body_text
    assert "Later paragraph 5" in item.body_text
    assert "Advertisement" not in item.body_text


def test_the_next_article_of_an_endless_scroll_page_is_not_a_chunk() -> None:
    later = [p.replace("Paragraph", "Next story paragraph") for p in PARAGRAPH_LIST]
    html = page(chunked(PARAGRAPH_LIST, later, next_article=True))
    item = extract_article(html, "https://x.test/a")
    assert "Paragraph 5" in item.body_text
    assert "Next story paragraph" not in item.body_text


def test_a_you_may_also_like_box_is_not_text() -> None:
    box = (
        "<p>You may also like...</p><ul><li><a href='/a'>Who will win the cup</a></li>"
        "<li><a href='/b'>The band returns to the stage</a></li></ul>"
    )
    item = extract_article(page(PARAGRAPHS + box), "https://x.test/a")
    assert "You may also like" not in item.body_text
    assert "band returns" not in item.body_text


def test_other_posts_nested_in_the_article_are_not_text() -> None:
    cards = "".join(
        f"<article class='postbox'><h2><a href='/post-{i}'>Card {i}</a></h2><p>Card {i}: "
        f"another post of the site that the theme lists under this one with its whole opening "
        f"paragraph, long enough to read as text.</p></article>"
        for i in range(3)
    )
    item = extract_article(page(PARAGRAPHS + cards), "https://x.test/a")
    assert "Paragraph 5" in item.body_text
    assert "Card" not in item.body_text


def test_sections_the_writer_wrapped_in_article_elements_stay() -> None:
    sections = "".join(f"<article>{p}</article>" for p in PARAGRAPH_LIST[3:])
    article = "".join(PARAGRAPH_LIST[:3]) + sections
    item = extract_article(page(article), "https://x.test/a")
    assert "Paragraph 0" in item.body_text
    assert "Paragraph 5" in item.body_text


def test_a_single_nested_article_is_the_article() -> None:
    item = extract_article(
        page(f"<article class='content'>{PARAGRAPHS}</article>"), "https://x.test/a"
    )
    assert "Paragraph 5" in item.body_text
