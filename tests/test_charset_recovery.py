"""Pages whose header names the wrong charset are decoded by the one their bytes are in."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsbot import exitcodes
from newsbot.demo.articles import _binary_bytes
from newsbot.demo.faults import apply_fault
from newsbot.demo.outlet import OutletSite, body_text
from newsbot.downloadermiddlewares.charset import CharsetRecoveryMiddleware
from newsbot.extraction.charset import is_unreadable, recovered_encoding
from tests.conftest import extra_article
from tests.in_process import crawl
from tests.reliability import assert_sound

# 똠 and 햏 are in CP949 but not in EUC-KR proper: real "EUC-KR" pages are CP949.
KOREAN = (
    "다온시가 공공자전거 '다온바이크' 요금 체계를 7월부터 바꾼다. 1시간권은 그대로 두고 "
    "2시간권과 정기권 요금을 조정한다. 똠방각하 햏자 시민들은 대체로 반기는 분위기다."
)
FRENCH = (
    "Le gouvernement a annoncé mercredi une réforme des retraites très contestée. "
    "Les syndicats appellent à la grève générale, déclarant que les élèves seront pénalisés."
)


def page(text: str, meta: str = "") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>news</title></head><body><p>{text}</p></body></html>"


def html_response(body: bytes, content_type: str = "text/html; charset=utf-8") -> HtmlResponse:
    return HtmlResponse("http://127.0.0.1/5301", body=body, headers={"Content-Type": content_type})


def middleware(**settings) -> tuple[CharsetRecoveryMiddleware, object]:
    crawler = get_crawler(settings_dict={"NEWSBOT_CHARSET_RECOVERY": True, **settings})
    crawler.stats.open_spider()
    return CharsetRecoveryMiddleware.from_crawler(crawler), crawler.stats


def test_cp949_bytes_under_a_utf8_header_are_read_by_the_pages_meta_charset():
    body = page(KOREAN, meta="euc-kr").encode("cp949")
    assert recovered_encoding(body, "utf-8") == "cp949"


def test_cp949_bytes_without_any_declaration_are_detected():
    body = page(KOREAN).encode("cp949")
    assert recovered_encoding(body, "utf-8") == "cp949"


def test_utf8_bytes_under_a_euc_kr_header_are_read_as_utf8():
    body = page(KOREAN, meta="utf-8").encode("utf-8")
    assert recovered_encoding(body, "euc-kr") == "utf-8"


def test_utf8_bytes_under_a_latin1_header_are_read_as_utf8_not_as_mojibake():
    # windows-1252 decodes almost any byte: without the UTF-8 check this is silent mojibake
    body = page(FRENCH).encode("utf-8")
    assert recovered_encoding(body, "cp1252") == "utf-8"
    assert recovered_encoding(body, "iso-8859-1") == "utf-8"


def test_a_western_page_mislabeled_utf8_is_detected_as_windows_1252():
    body = page(FRENCH).encode("cp1252")
    assert recovered_encoding(body, "utf-8") == "cp1252"


@pytest.mark.parametrize(
    ("body", "declared"),
    [
        (page(KOREAN, meta="utf-8").encode("utf-8"), "utf-8"),
        (page(KOREAN, meta="euc-kr").encode("cp949"), "cp949"),
        (page("plain ascii text").encode("ascii"), "utf-8"),
        (page(FRENCH).encode("cp1252"), "cp1252"),
        (b"\xef\xbb\xbf" + page(KOREAN).encode("utf-8"), "utf-8"),  # a BOM is believed
    ],
)
def test_a_correctly_declared_page_is_left_alone(body, declared):
    assert recovered_encoding(body, declared) is None


def test_a_utf8_page_with_a_few_stray_bytes_stays_utf8():
    body = page(KOREAN * 20, meta="utf-8").encode("utf-8").replace(b"</p>", b"\xff</p>", 1)
    assert recovered_encoding(body, "utf-8") is None


def test_the_middleware_reencodes_the_response_and_counts_it():
    mw, stats = middleware()
    body = page(KOREAN, meta="euc-kr").encode("cp949")
    garbled = html_response(body)
    assert "다온시" not in garbled.text  # what Scrapy alone makes of it

    fixed = mw.process_response(Request(garbled.url), garbled)

    assert fixed.encoding == "cp949"
    assert KOREAN in fixed.text
    assert stats.get_value("newsbot/charset/recovered") == 1
    assert stats.get_value("newsbot/charset/utf-8->cp949") == 1


def test_the_middleware_passes_correct_pages_through_untouched():
    mw, stats = middleware()
    response = html_response(page(KOREAN, meta="utf-8").encode("utf-8"))
    assert mw.process_response(Request(response.url), response) is response
    assert stats.get_value("newsbot/charset/recovered") is None


def test_binary_data_served_as_html_fails_the_request_instead_of_becoming_a_post():
    mw, stats = middleware()
    response = html_response(_binary_bytes(5301), content_type="text/html")
    with pytest.raises(IgnoreRequest, match="undecodable page"):
        mw.process_response(Request(response.url), response)
    assert stats.get_value("newsbot/charset/undecodable") == 1


def test_unreadable_means_more_than_two_percent_replacement_or_control_characters():
    assert not is_unreadable(KOREAN * 10 + "\ufffd")
    assert is_unreadable("abc\x00\x01\x02\x03\x04")
    assert not is_unreadable("line\nbreaks\tand\rreturns\x0c")


def test_the_middleware_can_be_switched_off():
    from scrapy.exceptions import NotConfigured

    crawler = get_crawler(settings_dict={"NEWSBOT_CHARSET_RECOVERY": False})
    with pytest.raises(NotConfigured):
        CharsetRecoveryMiddleware.from_crawler(crawler)


def test_articles_served_under_a_wrong_charset_header_are_published_without_mojibake(
    serve_site, samples, tmp_path
):
    """The issue's fault run lost such pages for good; now each is a normal post."""
    site = OutletSite(samples)
    for article_id, fault in ((5400, "mislabeled-charset"), (5401, "undeclared-charset")):
        site.add(extra_article(article_id))
        apply_fault(site.faults, fault, article_id)
    base = serve_site(site)

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr
    assert run.stat("newsbot/charset/recovered") == 2
    assert run.stat("newsbot/skipped/garbled_text") == 0
    posts = assert_sound(tmp_path).posts.values()  # includes a mojibake check
    for article_id in (5400, 5401):
        post = next(p for p in posts if p["source_url"] == f"{base}/{article_id}")
        article = site.get(article_id)
        assert post["title"] == article.title
        second_paragraph = body_text(article.body_html.split("</p>")[1])  # after the byline
        assert second_paragraph[:40] in " ".join(post.content.split())
