"""Pure pieces of discovery and extraction, built by hand (no network)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scrapy.http import XmlResponse

from newsbot.config.sources import get_outlet
from newsbot.discovery.article_urls import ArticleUrls
from newsbot.discovery.feeds import read_feed
from newsbot.discovery.id_walk import IdWalk
from newsbot.discovery.listings import read_listing
from newsbot.discovery.sitemaps import read_sitemap
from newsbot.extraction.boilerplate import compile_patterns, is_boilerplate, is_furniture_name
from newsbot.extraction.dates import parse_datetime

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    "url",
    [
        "https://newsdao.kr/5247",
        "https://newsdao.kr/5247/",
        "https://newsdao.kr/5247?utm_source=rss&fbclid=x",
        "https://newsdao.kr/5247#comments",
        "http://newsdao.kr/5247",
        "https://www.newsdao.kr/5247",
        "https://m.newsdao.kr/5247",
    ],
)
def test_article_url_variants_collapse_to_one_canonical_url(url):
    ref = ArticleUrls(get_outlet("newsdao")).match(url)
    assert ref is not None
    assert (ref.url, ref.slug, ref.number) == ("https://newsdao.kr/5247", "newsdao-5247", 5247)


@pytest.mark.parametrize(
    "url",
    [
        "https://newsdao.kr/",
        "https://newsdao.kr/tag/경제",
        "https://newsdao.kr/search?q=5247",
        "https://newsdao.kr/notice",
        "https://newsdao.kr/5247/password",
        "https://newsdao.kr/res/images/5247.jpg",
        "https://evil.example/5247",
        "ftp://newsdao.kr/5247",
    ],
)
def test_non_article_urls_are_not_articles(url):
    assert ArticleUrls(get_outlet("newsdao")).match(url) is None


def test_a_mirror_base_url_keeps_its_own_host_and_port():
    urls = ArticleUrls(get_outlet("newsdao"), "http://127.0.0.1:8765/")
    assert urls.match("http://127.0.0.1:8765/12?x=1").url == "http://127.0.0.1:8765/12"
    assert urls.match("https://newsdao.kr/12").url == "http://127.0.0.1:8765/12"


def test_id_walk_stops_after_n_misses_above_the_highest_hit():
    walk = IdWalk(misses=3)
    assert walk.take() == []  # nothing known yet
    walk.hit(10)
    walk.hit(4)
    assert walk.take() == [11, 12, 13]
    assert walk.take() == []  # handed out once
    walk.hit(12)  # found one: the window moves
    assert walk.take() == [14, 15]


def test_sitemap_index_and_urlset_are_read_with_lastmod():
    index = XmlResponse(
        url="https://newsdao.kr/sitemap.xml",
        body=b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://newsdao.kr/s/2024-06.xml</loc><lastmod>2024-06-30</lastmod></sitemap>
        </sitemapindex>""",
    )
    kind, entries, damaged = read_sitemap(index.body, "Asia/Seoul")
    assert kind == "sitemapindex" and not damaged
    assert entries[0].loc == "https://newsdao.kr/s/2024-06.xml"
    assert entries[0].lastmod == datetime(2024, 6, 30, tzinfo=KST)
    assert read_sitemap(b"<html>no</html>", "UTC") == ("", [], False)


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://newsdao.kr/5312</loc></url><url><loc>https://newsdao.kr/5311</loc></url>
</urlset>"""
RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://newsdao.kr/5312</link></item>
<item><title>b</title><link>https://newsdao.kr/5311</link></item></channel></rss>"""


@pytest.mark.parametrize("cut", [len(URLSET) // 2, len(URLSET) - 12, URLSET.index(b"</urlset>")])
def test_a_sitemap_cut_short_is_read_as_far_as_it_goes_and_said_to_be_damaged(cut):
    assert read_sitemap(URLSET, "UTC").damaged is False
    kind, entries, damaged = read_sitemap(URLSET[:cut], "UTC")
    assert kind == "urlset" and damaged
    assert [e.loc for e in entries] == ["https://newsdao.kr/5312", "https://newsdao.kr/5311"][
        : len(entries)
    ]


@pytest.mark.parametrize(
    ("fault", "before", "after"),
    [
        ("a stray ampersand", b"/5312</loc>", b"/5312?a=1&b=2</loc>"),
        ("an undeclared entity", b"/5312</loc>", b"/5312&nbsp;</loc>"),
        ("an undeclared prefix", b"/5311</loc>", b"/5311</loc><image:image/>"),
    ],
)
def test_a_whole_sitemap_with_a_recoverable_fault_is_not_damaged(fault, before, after):
    assert before in URLSET
    kind, entries, damaged = read_sitemap(URLSET.replace(before, after), "UTC")
    assert kind == "urlset" and len(entries) == 2 and not damaged, fault


def test_a_feed_cut_short_is_said_to_be_damaged():
    assert read_feed(RSS, "UTC").damaged is False
    entries, damaged = read_feed(RSS.replace(b"<title>b", b"<title>b & c")[:-30], "UTC")
    assert damaged and entries[0].link == "https://newsdao.kr/5312"
    entries, damaged = read_feed(RSS[: RSS.index(b"</channel>")], "UTC")
    assert damaged and len(entries) == 2


def test_a_whole_feed_with_a_stray_ampersand_is_not_damaged():
    entries, damaged = read_feed(RSS.replace(b"<title>b", b"<title>Q&A b"), "UTC")
    assert not damaged and len(entries) == 2


def test_a_feed_whose_declared_encoding_is_wrong_is_not_damaged():
    korean = "<title>한국</title>".encode()  # UTF-8 bytes in a feed that says it is ASCII
    wrong = RSS.replace(b'encoding="UTF-8"', b'encoding="us-ascii"')
    wrong = wrong.replace(b"<title>a</title>", korean)
    entries, damaged = read_feed(wrong, "UTC")
    assert not damaged and len(entries) == 2


def test_listing_links_pagination_and_feeds_are_read():
    page = """<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head>
    <body><a href="/12">기사</a><a href="/list?page=2">2</a><a href="/list?page=3">다음</a>
    <a href="javascript:void(0)">x</a><a href="https://other.example/?page=9">9</a></body></html>"""
    links = read_listing(page, "https://newsdao.kr/list")
    assert "https://newsdao.kr/12" in links.links
    assert links.pagination == ["https://newsdao.kr/list?page=2", "https://newsdao.kr/list?page=3"]
    assert links.feeds == ["https://newsdao.kr/rss"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-12T14:30:00+09:00", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("2024-06-12T05:30:00Z", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("2024-06-12 14:30", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("Wed, 12 Jun 2024 14:30:00 +0900", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("2024.06.12 14:30", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("2024년 6월 12일 오후 2:30", datetime(2024, 6, 12, 14, 30, tzinfo=KST)),
        ("입력 2024.06.12 오전 9:05", datetime(2024, 6, 12, 9, 5, tzinfo=KST)),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_are_timezone_aware_and_default_to_seoul(value, expected):
    assert parse_datetime(value, "Asia/Seoul") == expected


@pytest.mark.parametrize(
    "text",
    [
        "저작권자 © 뉴스다오 무단 전재 및 재배포 금지",
        "[뉴스다오 김다오 기자] dao@newsdao.kr",
        "김다오 기자 dao@newsdao.kr",
        "홍길동 기자",
        "관련기사",
        "Copyright © 2024 뉴스다오. All rights reserved.",
        "광고",
    ],
)
def test_korean_in_body_boilerplate_is_recognised(text):
    assert is_boilerplate(text, compile_patterns())


@pytest.mark.parametrize(
    "text",
    [
        "정부는 기자회견을 열고 무단 점유 토지에 대한 대책을 발표했다.",
        "기자들은 현장에서 시민들의 이야기를 들었다고 전했다.",
    ],
)
def test_article_sentences_are_not_boilerplate(text):
    assert not is_boilerplate(text, compile_patterns())


def test_furniture_names_are_words_not_substrings():
    assert is_furniture_name("related-news box")
    assert is_furniture_name("ad_banner")
    assert not is_furniture_name("article-head")  # "ad" inside a word
    assert not is_furniture_name("uploads shadow")
