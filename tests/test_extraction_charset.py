"""``extract_article`` on page bytes reads them in the charset the page declares (issue 19)."""

from __future__ import annotations

import pytest

from newsbot.extraction import extract_article

TITLE = "다온시 공공자전거 요금 7월 개편…1시간권 1천원은 유지"
PARAGRAPHS = (
    "다온시가 공공자전거 '다온바이크' 요금 체계를 7월부터 바꾼다. 1시간권은 그대로 두고 "
    "2시간권과 정기권 요금을 조정한다.",
    "시는 이용 실태를 분석한 결과 2시간권 이용자가 꾸준히 늘었다고 설명했다. 똠방각하 햏자 "
    "시민들은 대체로 반기는 분위기다.",
    "새 요금은 7월 1일 0시부터 적용되며, 이미 산 정기권은 만료일까지 그대로 쓸 수 있다. "
    "시는 대여소 20곳을 새로 짓고, 고장 난 자전거를 신고하는 앱 기능도 6월 안에 내놓는다.",
)
URL = "https://newsdao.kr/5301"


BLOG_SCRIPT = '<script>window.TistoryBlog = {url: "/", title: "뉴스다오"};</script>'


def tistory_page(head_first: str = BLOG_SCRIPT, charset: str = '<meta charset="utf-8">') -> str:
    """A Tistory post page whose charset declaration follows Korean text (the blog's settings
    script that Tistory injects at the top of the head)."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!doctype html><html lang="ko"><head>{head_first}{charset}'
        f"<title>{TITLE} :: 뉴스다오</title>"
        f'<meta property="og:title" content="{TITLE}"></head>'
        '<body id="tt-body-page"><div class="entry-content">'
        f'<div class="tt_article_useless_p_margin contents_style">{body}</div>'
        "</div></body></html>"
    )


def _expected_text() -> str:
    return "\n".join(PARAGRAPHS)


def test_utf8_bytes_declared_after_korean_text_are_not_mojibake():
    article = extract_article(tistory_page().encode("utf-8"), URL)
    assert article.title == TITLE
    assert article.body_text == _expected_text()


def test_bytes_and_text_of_the_same_page_give_the_same_article():
    page = tistory_page()
    from_text = extract_article(page, URL)
    from_bytes = extract_article(page.encode("utf-8"), URL)
    assert (from_bytes.title, from_bytes.body_html) == (from_text.title, from_text.body_html)


@pytest.mark.parametrize(
    "charset",
    [
        '<meta charset="euc-kr">',
        '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">',
        "",  # no declaration at all
    ],
)
def test_cp949_bytes_are_read_as_korean(charset):
    page = tistory_page(charset=charset).encode("cp949")
    article = extract_article(page, URL)
    assert article.title == TITLE
    assert article.body_text == _expected_text()


def test_a_byte_order_mark_is_believed():
    page = b"\xef\xbb\xbf" + tistory_page(head_first="", charset="").encode("utf-8")
    assert extract_article(page, URL).title == TITLE


def test_the_encoding_hint_reads_a_page_that_declares_nothing():
    page = tistory_page(head_first="", charset="").encode("cp949")
    assert extract_article(page, URL, encoding="euc-kr").title == TITLE


def test_a_wrong_encoding_hint_gives_way_to_the_bytes_real_charset():
    page = tistory_page(charset='<meta charset="euc-kr">').encode("cp949")
    assert extract_article(page, URL, encoding="utf-8").title == TITLE
