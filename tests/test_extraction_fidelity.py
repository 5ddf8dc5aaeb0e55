"""What a reader sees of an article survives extraction: spaces at inline tag boundaries,
paragraphs only where the source has them, tables of contents whole, and the classification of
protected pages by what stands where the article would be.

Pages are written here by hand (original text), one failure each; ``test_tistory_layouts.py``
and ``test_crawl_tistory.py`` measure the same on whole skins.
"""

from __future__ import annotations

import lxml.html
import pytest
from lxml.html import fragment_fromstring
from quality import glued_words

from newsbot.config.outlet import ExtractionRules
from newsbot.config.sources import get_outlet
from newsbot.extraction import NotAnArticle, extract_article
from newsbot.extraction.body import html_to_text
from newsbot.extraction.contents import unlink_table_of_contents
from newsbot.extraction.page_rules import page_rules
from newsbot.platforms import PlatformError, load_platform

URL = "https://newsdao.kr/4100"
FILLER = (
    "<p>다온시는 올해 하반기부터 생활 밀착형 행정 서비스를 확대한다고 밝혔다. 시는 주민 의견을 "
    "모아 우선순위를 정했고, 예산은 추경을 통해 확보할 계획이다. 담당 부서는 분기마다 추진 "
    "상황을 점검해 누리집에 공개하기로 했다.</p>"
)
SECOND = (
    "<p>시는 또 민원 처리 기간을 평균 닷새에서 사흘로 줄이는 방안도 함께 검토하고 있다. 관계자는 "
    "주민이 체감할 수 있는 변화부터 차례로 추진하겠다며 하반기 중 세부 계획을 발표하겠다고 "
    "말했다.</p>"
)
COMMENT_FORM = (
    '<div class="comments"><form method="post" action="/comment/add/4100">'
    '<input type="text" name="name" placeholder="이름"><input type="password" name="password" '
    'placeholder="비밀번호"><textarea name="comment"></textarea><label><input type="checkbox" '
    'name="secret"> 비밀글</label><button type="submit">등록</button></form></div>'
)


def page(article_area: str, *, title: str = "다온시 생활 행정 서비스 확대", after: str = "") -> str:
    return (
        f'<html lang="ko"><head><meta charset="utf-8"><title>{title} :: 뉴스다오</title>'
        f'<meta property="og:title" content="{title}"></head><body>'
        '<header><nav><a href="/">홈</a> <a href="/category/뉴스">뉴스</a></nav></header>'
        f'<main><h1>{title}</h1><div class="entry-content">{article_area}</div>{after}</main>'
        "<footer>뉴스다오 · 문의 newsdao@example.com</footer></body></html>"
    )


def tistory_body(html: str) -> str:
    return f'<div class="tt_article_useless_p_margin contents_style">{html}</div>'


def body_of(html: str, rules: ExtractionRules | None = None) -> str:
    return extract_article(html, URL, rules=rules or get_outlet("newsdao").extraction).body_html


LOOSE = (
    '이 사업은 시의 핵심 과제 <b><span style="color: #1a5490;">가운데 하나입니다.</span></b> '
    "국가 지원과 함께 추진되며 <b>주로 청년층</b>을 대상으로 합니다."
)


@pytest.mark.parametrize("container", [True, False], ids=["tistory-container", "trafilatura"])
def test_a_space_at_an_inline_tag_boundary_in_loose_text_is_kept(container):
    area = FILLER + LOOSE + "<h2>추진 일정</h2>" + FILLER
    html = page(tistory_body(area) if container else area)
    body = body_of(html)
    assert "하나입니다.</strong> 국가" in body
    assert glued_words(html_to_text(body), html_to_text(area)) == []


@pytest.mark.parametrize("container", [True, False], ids=["tistory-container", "trafilatura"])
def test_loose_text_with_emphasis_stays_one_paragraph(container):
    area = FILLER + LOOSE + "<table><tr><td>구분</td><td>예산</td></tr></table>" + FILLER
    body = body_of(page(tistory_body(area) if container else area))
    paragraph = next(
        p
        for p in fragment_fromstring(body, create_parent="div").iter("p")
        if "핵심" in p.text_content()
    )
    assert " ".join(paragraph.text_content().split()) == " ".join(
        fragment_fromstring(LOOSE, create_parent="div").text_content().split()
    )


def test_double_line_breaks_make_paragraphs_and_a_single_one_stays_a_line_break():
    area = (
        "첫째 문단의 첫 줄입니다.<br>첫째 문단의 둘째 줄입니다.<br><br>"
        "둘째 문단입니다. 다온시는 올해 하반기부터 생활 밀착형 행정 서비스를 확대한다고 밝혔다. "
        "시는 주민 의견을 모아 우선순위를 정했고 예산은 추경을 통해 확보할 계획이다.<br><br>"
        "셋째 문단입니다. 담당 부서는 분기마다 추진 상황을 점검해 누리집에 공개하기로 했다."
        "<h3>문의</h3>" + FILLER
    )
    body = body_of(page(tistory_body(area)))
    paragraphs = [
        " ".join(p.text_content().split())
        for p in fragment_fromstring(body, create_parent="div").iter("p")
    ]
    assert paragraphs[0] == "첫째 문단의 첫 줄입니다.첫째 문단의 둘째 줄입니다."
    assert "<br>" in body.split("</p>", 1)[0]
    assert paragraphs[1].startswith("둘째 문단입니다.") and paragraphs[2].startswith("셋째")


@pytest.mark.parametrize("container", [True, False], ids=["tistory-container", "trafilatura"])
def test_a_table_of_contents_of_in_page_links_is_kept_whole(container):
    toc = (
        '<h2 data-ke-size="size26">목차</h2><ul>'
        '<li><a href="#s1">추진 배경</a></li><li><a href="#s2">지원 대상</a></li>'
        '<li><a href="#s3">신청 방법</a></li></ul>'
    )
    sections = "".join(
        f'<h2 id="s{i}">{name}</h2>{FILLER}'
        for i, name in enumerate(("추진 배경", "지원 대상", "신청 방법"), 1)
    )
    area = toc + sections
    body = body_of(page(tistory_body(area) if container else area))
    assert "목차" in body
    for entry in ("<li>추진 배경</li>", "<li>지원 대상</li>", "<li>신청 방법</li>"):
        assert entry in body


@pytest.mark.parametrize("rules", ["tistory", "generic"])
def test_the_guest_comment_form_under_every_post_does_not_make_it_protected(rules):
    chosen = get_outlet("newsdao").extraction if rules == "tistory" else ExtractionRules()
    body = body_of(page(tistory_body(FILLER + SECOND), after=COMMENT_FORM), chosen)
    assert "생활 밀착형" in body and "비밀글" not in body


def test_a_tistory_protected_post_is_skipped_as_protected():
    form = (
        '<div class="entryProtected"><p>보호되어 있는 글입니다. 내용을 보시려면 비밀번호를 '
        '입력하세요.</p><input type="password" id="entry4100password" name="entry4100password" '
        'onkeydown="if (event.keyCode == 13) reloadEntry(4100);"><input type="button" '
        'value="확인" onclick="reloadEntry(4100); return false;"></div>'
    )
    sidebar = "<aside><h3>최근글</h3>" + FILLER * 3 + "</aside>"  # text enough to look like a body
    with pytest.raises(NotAnArticle) as skipped:
        body_of(page(form, after=sidebar + COMMENT_FORM))
    assert skipped.value.reason == "protected"


def test_a_password_form_without_a_comment_box_on_a_bodiless_page_is_protected_anywhere():
    form = (
        '<form class="post-password-form" action="/wp-login.php?action=postpass" method="post">'
        "<p>This content is password protected. To view it please enter your password below:</p>"
        '<label>Password: <input name="post_password" type="password"></label>'
        '<input type="submit" value="Enter"></form>'
    )
    with pytest.raises(NotAnArticle) as skipped:
        body_of(page(form, after=COMMENT_FORM), ExtractionRules())
    assert skipped.value.reason == "protected"


def test_what_tistory_injects_around_and_inside_the_body_never_reaches_the_post():
    injected = (
        '<div class="revenue_unit_wrap"><div class="revenue_unit_item adfit">'
        '<div class="revenue_unit_info">728x90</div></div></div>'
    )
    around = (
        '<div class="container_postbtn #post_button_group"><button class="btn_post">'
        '<span class="ico_postbtn ico_share">공유하기</span></button>'
        '<button class="btn_subscription"><em class="txt_state">구독하기</em></button></div>'
        '<div class="another_category another_category_color_gray"><h4>\'<a href="/category/'
        '뉴스">뉴스</a>\' 카테고리의 다른 글</h4><table><tr><th><a href="/4099">다온시 버스 '
        "노선 개편 이달 말 시행</a></th><td>2024.06.11</td></tr></table></div>"
    )
    html = page(tistory_body(FILLER + injected + FILLER + around))
    body = body_of(html)
    for furniture in ("728x90", "공유하기", "구독하기", "카테고리의 다른 글", "버스 노선"):
        assert furniture not in body
    assert body.count("생활 밀착형") == 2


def test_a_short_article_in_its_container_is_published_whole():
    short = "<p>다온시 시립도서관이 15일부터 야간 개관을 밤 10시까지 연장한다.</p>" * 3
    sidebar = "<aside><h3>인기글</h3><ul>" + "<li>다른 글 제목 하나</li>" * 8 + "</ul></aside>"
    rules = ExtractionRules(platform="tistory", min_body_chars=50)
    body = body_of(page(tistory_body(short), after=sidebar), rules)
    assert body.count("야간 개관") == 3 and "인기글" not in body


def test_platform_files_are_validated_and_unknown_platforms_named():
    assert load_platform("tistory").body[0] == ".tt_article_useless_p_margin"
    assert load_platform("wordpress").protected
    with pytest.raises(PlatformError, match="unknown platform 'blogspot'"):
        load_platform("blogspot")


def test_a_page_of_another_known_platform_is_read_with_that_platforms_rules():
    wordpress = (
        '<html><head><meta name="generator" content="WordPress 6.5"><title>t</title></head><body>'
        '<article><h1>다온시 생활 행정 서비스 확대</h1><div class="entry-content">'
        + FILLER
        + SECOND
        + '<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="/s">공유</a></li></ul>'
        "</div></div></article><aside>"
        + FILLER.replace("다온시는", "다른 글에서 다온시는")
        + "</aside></body></html>"
    )
    rules = get_outlet("newsdao").extraction  # a Tistory outlet
    tree = lxml.html.document_fromstring(wordpress)
    assert page_rules(tree, rules).platforms == ("tistory", "wordpress")
    body = body_of(wordpress, rules)
    assert "Share this" not in body and "다른 글에서" not in body
    assert "생활 밀착형" in body and "민원 처리" in body


def test_an_unknown_platform_name_is_refused():
    with pytest.raises(ValueError, match="unknown platform 'tistori'"):
        ExtractionRules(platform="tistori")


def test_a_login_box_in_the_sidebar_does_not_make_an_article_protected():
    login = (
        '<aside class="sidebar"><form action="/login" method="post"><input name="id">'
        '<input type="password" name="pw"><button>로그인</button></form></aside>'
    )
    body = body_of(page(FILLER + SECOND, after=login), ExtractionRules())
    assert "생활 밀착형" in body


def test_a_password_form_in_the_article_area_is_protected_whatever_the_sidebar_holds():
    form = (
        '<div class="protected-notice"><p>보호되어 있는 글입니다.</p><form method="post" '
        'action="/4100/password"><input type="password" name="password"><button>확인</button>'
        "</form></div>"
    )
    sidebar = "<aside><h3>최근글</h3>" + FILLER + SECOND + "</aside>"
    with pytest.raises(NotAnArticle) as skipped:
        body_of(page(form, after=sidebar), ExtractionRules())
    assert skipped.value.reason == "protected"


@pytest.mark.parametrize("container", [True, False], ids=["tistory-container", "trafilatura"])
def test_a_name_in_angle_brackets_does_not_swallow_the_rest_of_the_article(container):
    """``<The Register>`` parses as an element that holds everything after it."""
    area = (
        FILLER
        + "<p>영국의 <The Register> 보도에 따르면 산림 재난 대응에도 기여할 것으로 보인다.</p>"
        + "<h2>국방 분야</h2>"
        + SECOND
    )
    body = body_of(page(tistory_body(area) if container else area))
    assert "보도에 따르면" in body and "국방 분야" in body and "민원 처리" in body


def test_active_content_in_an_article_container_is_removed_and_its_text_kept():
    hostile = (
        FILLER + '<p onclick="steal()">본문 {{ site.time }} 그리고 {% raw %} 문법, '
        '<a href="javascript:alert(1)">위험한 링크</a> 문장.</p>'
        '<script>alert("x")</script><img src="x" onerror="alert(2)">'
        '<iframe src="https://evil.example/"></iframe><style>p{color:red}</style>'
        '<svg onload="alert(3)"><text>svg</text></svg>' + SECOND
    )
    body = body_of(page(tistory_body(hostile)))
    for active in ("<script", "onclick", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert active not in body
    assert "위험한 링크" in body and "{{ site.time }}" in body  # braces are the renderer's job


def test_a_table_of_contents_without_targets_under_its_title_is_kept_whole():
    toc = "<h2>목차</h2><ol>" + "".join(
        f'<li><a href="#toc-{i}">{name}</a></li>'
        for i, name in enumerate(("추진 배경", "지원 대상", "신청 방법"))
    )
    body = body_of(page(toc + "</ol>" + FILLER + SECOND, title="다른 제목"), ExtractionRules())
    for entry in ("<li>추진 배경</li>", "<li>지원 대상</li>", "<li>신청 방법</li>"):
        assert entry in body


def test_sidebar_tabs_that_jump_within_the_page_stay_links():
    tabs = (
        '<div class="widget"><ul class="tabs"><li><a href="#tab-popular">인기글</a></li>'
        '<li><a href="#tab-recent">최신글</a></li></ul><div id="tab-popular">'
        '<a href="/1">다른 기사 하나</a></div><div id="tab-recent"><a href="/2">다른 기사 둘</a>'
        "</div></div>"
    )
    tree = lxml.html.document_fromstring(page(FILLER + SECOND, after=tabs))
    unlink_table_of_contents(tree)
    assert [a.get("href") for a in tree.iter("a") if a.get("href", "").startswith("#tab")] == [
        "#tab-popular",
        "#tab-recent",
    ]
