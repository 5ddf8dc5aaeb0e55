"""Korean press pages in, the expected article out (issue 19): entity-escaped metadata, bodies
framed by screen-reader labels, reporter boxes and copyright lines, ND소프트's CMS, and articles
that exist only as embedded JSON (Arc XP's ``Fusion.globalContent``, ``__NEXT_DATA__``, a
``<pre>``). The pages are built by ``tests/press_site.py`` around the bundled demo samples."""

from __future__ import annotations

import json

import pytest
from quality import text_f1

from newsbot.config.outlet import ExtractionRules
from newsbot.demo.outlet import SampleArticle, load_samples
from newsbot.extraction import NotAnArticle, extract_article
from newsbot.extraction.entities import EntityDecoder
from newsbot.extraction.furniture import is_edge_furniture
from newsbot.platforms import Platform, PlatformError, compile_platform, known_platforms
from newsbot.render.blogsafe import html_body_for_markdown_file
from tests.press_site import (
    ESCAPED_TITLE,
    PRESS,
    REPORTER,
    TITLE_TEXT,
    arc_page,
    broadcaster_page,
    ndsoft_page,
    news_body_area_page,
)
from tests.test_crawl_tistory import article_text

BASE = "https://daon.example"


@pytest.fixture(scope="module")
def sample() -> SampleArticle:
    return load_samples()[0]


def url(article: SampleArticle) -> str:
    return f"{BASE}/{article.id}"


# ---------------------------------------------------------------- entities
def test_an_entity_escaped_json_ld_headline_is_decoded(sample):
    article = extract_article(broadcaster_page(sample, BASE), url(sample))
    assert article.title == TITLE_TEXT


def test_entity_escaped_description_author_and_section_are_decoded(sample):
    article = extract_article(broadcaster_page(sample, BASE), url(sample))
    assert article.description == "다온시가 공공자전거 요금을 '시간제'로 바꾼다 & 정기권도 손본다"
    assert article.author == f"{REPORTER} <기자>"
    assert article.category == "사회 & 경제"


@pytest.mark.parametrize(
    ("headline", "rendered", "expected"),
    [
        ("AT&amp;T 한국 진출", "AT&T 한국 진출", "AT&T 한국 진출"),
        # twice escaped by the CMS, shown once decoded: decoded twice
        ("&amp;quot;책임 통감&amp;quot;", '"책임 통감"', '"책임 통감"'),
        # a headline about markup that the page shows as written: already text
        ("&lt;b&gt; 태그 바로 쓰기", "&lt;b&gt; 태그 바로 쓰기", "&lt;b&gt; 태그 바로 쓰기"),
        # nothing rendered says otherwise: decoded exactly once
        ("&amp;quot;책임 통감&amp;quot;", "다른 제목", "&quot;책임 통감&quot;"),
    ],
)
def test_entities_are_decoded_once_unless_the_page_shows_otherwise(headline, rendered, expected):
    assert EntityDecoder([rendered]).text(headline) == expected


def test_text_without_entities_is_left_as_it_is():
    assert EntityDecoder([]).text("R&D 예산 & 인력") == "R&D 예산 & 인력"


def test_a_json_ld_headline_is_judged_against_the_pages_own_h1(sample):
    page = broadcaster_page(sample, BASE, headline="&lt;b&gt; 태그 바로 쓰기",
                            rendered="&lt;b&gt; 태그 바로 쓰기")  # fmt: skip
    assert extract_article(page, url(sample)).title == "&lt;b&gt; 태그 바로 쓰기"
    assert ESCAPED_TITLE not in page.split("<body>", 1)[1]  # the h1 shows the decoded title


# ---------------------------------------------------------------- furniture at the edges
def test_labels_reporter_box_copyright_and_tip_off_never_frame_the_body(sample):
    article = extract_article(broadcaster_page(sample, BASE), url(sample))
    expected = article_text(sample).splitlines()
    lines = article.body_text.splitlines()
    assert lines[0] == expected[0]
    assert lines[-1] == expected[-1]
    for furniture in ("기사 본문 영역", "상세페이지", "기자 정보", "제보", "ⓒ", REPORTER):
        assert furniture not in article.body_text


def test_hidden_labels_are_removed_on_a_platform_container_too(sample):
    body = '<span class="blind">본문</span><p class="sr-only">기사 본문 시작</p>' + sample.body_html
    page = (
        '<html><head><title>t</title></head><body><div class="tt_article_useless_p_margin">'
        f"{body}</div></body></html>"
    )
    article = extract_article(page, url(sample))
    assert article.body_text.splitlines()[0] == article_text(sample).splitlines()[0]


@pytest.mark.parametrize(
    "line",
    [
        "기자 정보",
        f"{REPORTER} 기자",
        f"/{REPORTER} 기자",
        f"{REPORTER} 기자 구독하기",
        "daon@example.kr",
        "[Copyright ⓒ 다온방송. All rights reserved.]",
        "저작권자 © 다온일보 무단전재 및 재배포, AI 학습 및 활용 금지",
        "▷ 제보는 카카오톡 '다온제보' 검색",
        "▷ 이메일 : daon@example.kr",
        "기사 본문 영역",
    ],
)
def test_furniture_lines_are_recognised_at_the_edges(line):
    assert is_edge_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "이 기사는 다온시 기자단이 공동 취재했다.",
        f"{REPORTER} 기자는 시청 앞에서 시민들을 만나 요금 개편에 대한 의견을 들었다. "
        "대부분은 환영했다.",
        "저작권 분쟁은 결국 법원으로 갔다." * 12,
    ],
)
def test_text_that_mentions_a_reporter_or_copyright_is_not_furniture(line):
    assert not is_edge_furniture(line)


def test_a_closing_sentence_about_reporters_stays(sample):
    closing = "<p>이 기사는 다온시 기자단이 공동 취재했다.</p>"
    page = broadcaster_page(
        SampleArticle(sample.id, sample.title, sample.body_html + closing, sample.published),
        BASE,
    )
    article = extract_article(page, url(sample))
    assert article.body_text.splitlines()[-1] == "이 기사는 다온시 기자단이 공동 취재했다."


# ---------------------------------------------------------------- ND소프트
def test_an_ndsoft_article_is_its_container_without_the_cms_furniture(sample):
    article = extract_article(ndsoft_page(sample, BASE), url(sample))
    assert text_f1(article.body_text, article_text(sample)) >= 0.99
    for furniture in ("ADVERTISEMENT", "기자명", "저작권자", "daon@example.kr", "#자전거", PRESS):
        assert furniture not in article.body_text
    assert article.title == sample.title


def test_a_news_body_area_article_is_its_container(sample):
    article = extract_article(news_body_area_page(sample, BASE), url(sample))
    assert text_f1(article.body_text, article_text(sample)) >= 0.99
    assert "많이 본 뉴스" not in article.body_text and "다른 기사" not in article.body_text
    assert "등록" not in article.body_text


@pytest.mark.parametrize(
    ("page", "platform"),
    [(ndsoft_page, "ndsoft"), (news_body_area_page, "news_body_area"), (arc_page, "arc")],
)
def test_each_press_platform_is_detected_by_its_signature(sample, page, platform):
    from newsbot.probe.site_pages import read_article_page

    assert read_article_page(page(sample, BASE)).platforms == [platform]


# ---------------------------------------------------------------- embedded JSON: Arc XP
def test_an_arc_xp_page_whose_body_exists_only_in_fusion_global_content_is_extracted_whole(
    sample,
):
    page = arc_page(sample, BASE)
    html_body = page.split("<body>", 1)[1].split("<script", 1)[0]
    assert html_body == '<div id="fusion-app"></div>'  # no article text in the HTML
    article = extract_article(page.encode("utf-8"), url(sample))
    assert article.extraction == "embedded"
    assert text_f1(article.body_text, article_text(sample)) >= 0.99
    assert article.body_text.splitlines()[0] == article_text(sample).splitlines()[0]
    assert article.body_text.splitlines()[-1] == article_text(sample).splitlines()[-1]
    assert "<h2>얼마나 돌려받나</h2>" in article.body_html
    assert "<table>" in article.body_html
    assert "영상으로 보기" not in article.body_text  # a video element is not text


def test_an_arc_xp_article_takes_title_date_author_and_section_from_the_json(sample):
    article = extract_article(arc_page(sample, BASE), url(sample))
    assert article.title == sample.title  # <title> has " - 다온일보"; the JSON has the headline
    assert article.published == sample.published
    assert article.author == REPORTER
    assert article.category == sample.category


def test_arc_json_is_sanitised_like_an_html_body(sample):
    hostile = SampleArticle(
        sample.id,
        sample.title,
        sample.body_html
        + '<p>끝 문단 <a href="javascript:alert(1)">링크</a> {{ site.secret }} {% raw %}</p>',
        sample.published,
    )
    page = arc_page(hostile, BASE).replace(
        '"type": "custom_embed"',
        '"type": "raw_html", "content": "<script>alert(1)<\\/script><iframe src=x><\\/iframe>'
        '<p onclick=\\"x()\\">클릭<\\/p>"}, {"type": "custom_embed"',
    )
    article = extract_article(page, url(sample))
    for unsafe in ("<script", "<iframe", "javascript:", "onclick"):
        assert unsafe not in article.body_html
    written = html_body_for_markdown_file(article.body_html)
    assert "{{" not in written and "{%" not in written
    assert "클릭" in article.body_text


def test_arc_is_detected_by_its_signature():
    arc = next(p for p in known_platforms() if p.name == "arc")
    assert arc.embedded is not None and arc.embedded.label == "Fusion.globalContent"


def test_a_fusion_page_with_no_article_elements_is_too_short(sample):
    page = arc_page(SampleArticle(sample.id, sample.title, "<p></p>", sample.published), BASE)
    with pytest.raises(NotAnArticle) as refused:
        extract_article(page, url(sample))
    assert refused.value.reason == "too_short"


# ---------------------------------------------------------------- embedded JSON: declared
def rules_with(declaration: dict) -> ExtractionRules:
    return ExtractionRules(platforms=(compile_platform(Platform.model_validate(declaration)),))


PARAGRAPHS = [
    "다온시가 공공자전거 '다온바이크' 요금 체계를 7월부터 바꾼다. 1시간권은 그대로 두고 "
    "2시간권과 정기권 요금을 조정한다.",
    "시는 이용 실태를 분석한 결과 2시간권 이용자가 꾸준히 늘었다고 설명했다.",
    "새 요금은 7월 1일 0시부터 적용되며, 이미 산 정기권은 만료일까지 그대로 쓸 수 있다. "
    "시는 대여소 20곳을 새로 짓고 고장 신고 기능도 6월 안에 내놓는다.",
]


def test_a_next_js_page_reads_its_article_from_next_data():
    data = {"props": {"pageProps": {"article": {
        "title": "공공자전거 요금 7월 개편",
        "publishedAt": "2025-06-11T09:00:00+09:00",
        "blocks": [
            {"kind": "heading", "depth": 3, "text": "무엇이 바뀌나"},
            *({"kind": "paragraph", "text": p} for p in PARAGRAPHS),
            {"kind": "bullets", "entries": [{"kind": "paragraph", "text": "1시간권 유지"},
                                            {"kind": "paragraph", "text": "정기권 인하"}]},
        ],
    }}}}  # fmt: skip
    page = (
        '<html><head><title>다온뉴스</title></head><body><div id="__next"></div>'
        '<script id="__NEXT_DATA__" type="application/json">'
        + json.dumps(data, ensure_ascii=False)
        + "</script></body></html>"
    )
    rules = rules_with({
        "name": "daon-next",
        "detect": ["script#__NEXT_DATA__"],
        "embedded": {
            "source": "script#__NEXT_DATA__",
            "article": "props.pageProps.article",
            "elements": "blocks",
            "kind": "kind",
            "kinds": {
                "heading": {"as": "heading", "text": "text", "level": "depth"},
                "paragraph": {"as": "paragraph", "text": "text"},
                "bullets": {"as": "list", "items": "entries"},
            },
            "fields": {"title": "title", "published": "publishedAt"},
        },
    })  # fmt: skip
    article = extract_article(page, "https://daon.example/a/1", rules=rules)
    assert article.title == "공공자전거 요금 7월 개편"
    assert article.published is not None and article.published.isoformat().startswith("2025-06-11")
    assert article.body_text.splitlines() == [
        "무엇이 바뀌나",
        *PARAGRAPHS,
        "1시간권 유지",
        "정기권 인하",
    ]
    assert "<h3>무엇이 바뀌나</h3>" in article.body_html and "<ul><li>" in article.body_html


def test_json_in_a_pre_is_read_as_text_not_as_markup():
    data = {"post": {"content": [{"t": "p", "v": p} for p in PARAGRAPHS] +
                     [{"t": "p", "v": "<b>굵게</b> 쓴 척한 글"}]}}  # fmt: skip
    page = (
        '<html><head><title>다온블로그</title></head><body><pre id="post-data">'
        + json.dumps(data, ensure_ascii=False).replace("&", "&amp;").replace("<", "&lt;")
        + "</pre></body></html>"
    )
    rules = rules_with({
        "name": "daon-pre",
        "detect": ["pre#post-data"],
        "embedded": {"source": "pre#post-data", "article": "post", "elements": "content",
                     "kind": "t", "kinds": {"p": {"as": "paragraph", "text": "v"}}},
    })  # fmt: skip
    article = extract_article(page, "https://daon.example/p/1", rules=rules)
    assert article.body_text.splitlines() == [*PARAGRAPHS, "<b>굵게</b> 쓴 척한 글"]


def test_a_window_assignment_is_read_up_to_the_end_of_its_json():
    payload = {"article": {"paragraphs": PARAGRAPHS}}
    page = (
        "<html><head><title>다온</title></head><body><script>"
        "window.__NUXT__ = " + json.dumps(payload, ensure_ascii=False) + ";window.x = 1;"
        "</script></body></html>"
    )
    rules = rules_with({
        "name": "daon-nuxt",
        "detect": ["script:contains('__NUXT__')"],
        "embedded": {"source": "script:contains('__NUXT__')", "assignment": "window.__NUXT__",
                     "article": "article", "elements": "paragraphs[].{type: 'p', text: @}",
                     "kinds": {"p": {"as": "paragraph", "text": "text"}}},
    })  # fmt: skip
    article = extract_article(page, "https://daon.example/n/1", rules=rules)
    assert article.body_text.splitlines() == PARAGRAPHS


@pytest.mark.parametrize(
    ("embedded", "message"),
    [
        ({"source": "script", "kinds": {"text": {"as": "paragraph", "htm": "content"}}}, "htm"),
        ({"source": "script", "kinds": {"text": {"as": "table"}}}, "as"),
        ({"source": "script", "elements": "content_elements[", "kinds": {}}, "JMESPath"),
        ({"source": "script[", "kinds": {}}, "CSS"),
    ],
)
def test_a_bad_embedded_declaration_is_refused_naming_the_key(embedded, message):
    with pytest.raises((ValueError, PlatformError)) as refused:
        Platform.model_validate({"name": "bad", "embedded": embedded})
    assert message in str(refused.value)
