"""The bundled sample outlet, fetched over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.error import HTTPError
from urllib.parse import quote, urlsplit

import pytest

from newsbot.demo.outlet import KST, Faults, OutletSite, SampleArticle, body_text, load_samples
from newsbot.demo.server import serve

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
HREF = re.compile(r'href="([^"]+)"')

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except HTTPError as err:
        with err:
            return err.code, dict(err.headers.items()), err.read()


def without_date(
    answer: tuple[int, dict[str, str], bytes],
) -> tuple[int, dict[str, str], bytes]:
    """The answer without its Date header (two fetches may fall in different seconds)."""
    status, headers, body = answer
    return status, {k: v for k, v in headers.items() if k != "Date"}, body


def text(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


def article_links(html: str) -> list[str]:
    return [h for h in HREF.findall(html) if re.fullmatch(r"/\d+", h)]


def make_article(article_id: int, **overrides: object) -> SampleArticle:
    fields: dict[str, object] = {
        "id": article_id,
        "title": f"시험 기사 {article_id}호",
        "body_html": '<p data-ke-size="size16">' + "가나다라마바사 " * 40 + "</p>",
        "published": datetime(2025, 3, 1, 9, 0, tzinfo=KST) + timedelta(hours=article_id),
        "category": "사회",
    }
    fields.update(overrides)
    return SampleArticle(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def samples() -> list[SampleArticle]:
    return load_samples()


@pytest.fixture(scope="module")
def site(samples: list[SampleArticle]) -> OutletSite:
    return OutletSite(samples, page_size=3)


@pytest.fixture(scope="module")
def base(site: OutletSite) -> Iterator[str]:
    with serve(site) as url:
        yield url


# -- the bundled samples ------------------------------------------------------------------------


def test_samples_are_eight_korean_articles_newest_first(samples: list[SampleArticle]) -> None:
    assert len(samples) == 8
    ids = [a.id for a in samples]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 8
    assert max(ids) - min(ids) + 1 > len(ids)  # gaps in the numbering
    for a in samples:
        assert a.published.utcoffset() == timedelta(hours=9)
        assert a.modified is None or a.modified >= a.published
        assert 600 <= len(body_text(a.body_html)) <= 1500, a.id
        assert re.search(r"[가-힣]", a.title) and a.author.endswith("기자") and a.tags
        assert '<h2 data-ke-size="size26">' in a.body_html
        assert '<p data-ke-size="size16">&nbsp;</p>' in a.body_html
        assert '<b><span style="color: #ee2323;">' in a.body_html
    # newer ids are published later
    assert [a.published for a in samples] == sorted((a.published for a in samples), reverse=True)


def test_samples_carry_markup_and_boilerplate_to_remove(samples: list[SampleArticle]) -> None:
    bodies = [a.body_html for a in samples]
    for needle in (
        "<ul><li>",
        "<table",
        "<hr",
        "저작권자 © 뉴스다오 무단 전재 및 재배포 금지",
        '<div class="related-news"><strong>관련기사</strong>',
        "[뉴스다오 ",
    ):
        assert any(needle in b for b in bodies), needle
    assert any(re.search(r">\S+ 기자 \w+@newsdao\.example<", b) for b in bodies)
    assert {a.category for a in samples} >= {"경제", "사회"}
    # two months of publication -> two monthly sitemaps
    assert len({f"{a.published:%Y-%m}" for a in samples}) >= 2


# -- article pages ------------------------------------------------------------------------------


def test_article_page_has_full_metadata(base: str, samples: list[SampleArticle]) -> None:
    article = next(a for a in samples if a.modified is not None)
    status, headers, body = fetch(f"{base}/{article.id}")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode("utf-8")
    url = f"{base}/{article.id}"
    assert '<html lang="ko">' in html
    assert f"<title>{article.title} - 뉴스다오</title>" in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/rss"' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:site_name" content="뉴스다오">' in html
    image = f"{base}/res/images/meta/newsdao_breakingnews.jpg"
    assert f'<meta property="og:image" content="{image}">' in html
    published = article.published.isoformat()
    assert f'<meta property="article:published_time" content="{published}">' in html
    assert article.modified is not None
    modified = article.modified.isoformat()
    assert f'<meta property="article:modified_time" content="{modified}">' in html
    assert f'<meta property="article:section" content="{article.category}">' in html
    for tag in article.tags:
        assert f'<meta property="article:tag" content="{tag}">' in html
    assert f'<meta name="description" content="{article.description}">' in html

    ld_text = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld_text
    ld = json.loads(ld_text.group(1))
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == article.title
    assert ld["datePublished"] == published and ld["dateModified"] == modified
    assert ld["author"]["name"] == article.author
    assert ld["image"] == [image]
    assert ld["articleSection"] == article.category
    assert ld["keywords"] == ", ".join(article.tags)
    assert ld["publisher"]["name"] == "뉴스다오"
    assert ld["mainEntityOfPage"]["@id"] == url


def test_article_page_wraps_body_in_site_furniture(base: str, samples: list[SampleArticle]) -> None:
    article = samples[0]
    html = text(f"{base}/{article.id}")
    body = re.search(
        r'<div class="article-body" itemprop="articleBody">\n(.*?)\n</div>\n', html, re.S
    )
    assert body and body.group(1) == article.body_html
    assert f'<h1 class="article-title" itemprop="headline">{article.title}</h1>' in html
    for furniture in ("많이 본 뉴스", "관련 기사", "속보", 'name="q"', 'id="comments"', "AD"):
        assert furniture in html
    assert "등록번호" in html and "대표" in html and "Copyright ©" in html
    assert f'href="/section/{quote(article.category)}"' in html
    related = re.search(r'<section class="related-articles">(.*?)</section>', html, re.S)
    assert related
    linked = article_links(related.group(1))
    assert len(linked) == 5 and f"/{article.id}" not in linked
    comments = re.findall(r'<li class="comment">', html)
    assert 2 <= len(comments) <= 3


def test_article_without_modified_or_description(base: str, site: OutletSite) -> None:
    article = next(a for a in site.articles() if a.modified is None)
    html = text(f"{base}/{article.id}")
    assert "article:modified_time" not in html and '"dateModified"' not in html
    site.add(make_article(9001, description="", author=""))
    try:
        html = text(f"{base}/9001")
        expected = body_text(make_article(9001).body_html)[:150]
        assert f'<meta name="description" content="{expected}">' in html
    finally:
        site.remove(9001)


def test_article_trailing_slash_and_query_are_the_same_page(base: str, site: OutletSite) -> None:
    article_id = site.articles()[0].id
    plain = without_date(fetch(f"{base}/{article_id}"))
    assert without_date(fetch(f"{base}/{article_id}/")) == plain
    assert fetch(f"{base}/{article_id}?ref=home")[2] == plain[2]


def test_unknown_ids_and_paths_are_404(base: str, samples: list[SampleArticle]) -> None:
    ids = {a.id for a in samples}
    gap = next(i for i in range(min(ids), max(ids)) if i not in ids)
    for path in (f"/{gap}", "/99999", "/nope", "/section/없는섹션", "/sitemaps/1999-01.xml"):
        status, headers, body = fetch(base + quote(path))
        assert status == 404, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "페이지를 찾을 수 없습니다" in body.decode("utf-8")


def test_head_request(base: str, site: OutletSite) -> None:
    status, headers, body = fetch(f"{base}/{site.articles()[0].id}", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


# -- listings -----------------------------------------------------------------------------------


def test_home_paginates_through_every_article(base: str, site: OutletSite) -> None:
    seen: list[str] = []
    url = "/"
    pages = 0
    while url:
        html = text(base + url)
        pages += 1
        listed = re.findall(r'<h3 class="list-title"><a href="(/\d+)">', html)
        assert 1 <= len(listed) <= site.page_size
        seen += listed
        nxt = re.search(r'<a rel="next" href="([^"]+)">다음</a>', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == [f"/{a.id}" for a in site.articles()]
    assert pages == 3  # 8 articles, 3 per page
    first = text(base + "/")
    assert '<a rel="next" href="/?page=2">다음</a>' in first
    assert 'href="/?page=3"' in first
    assert fetch(f"{base}/?page=4")[0] == 404


def test_listing_links_non_article_pages(base: str) -> None:
    html = text(base + "/")
    hrefs = set(HREF.findall(html))
    assert "/notice" in hrefs and "/about" in hrefs
    assert any(h.startswith("/tag/") for h in hrefs)
    assert any(h.startswith("/search?q=") for h in hrefs)
    for path in ("/notice", "/about", "/search?q=" + quote("지원"), "/tag/" + quote("다온시")):
        status, _, body = fetch(base + path)
        assert status == 200, path
        html = body.decode("utf-8")
        assert "article-body" not in html and "og:type" not in html


def test_section_listing(base: str, site: OutletSite) -> None:
    economy = [a for a in site.articles() if a.category == "경제"]
    html = text(f"{base}/section/{quote('경제')}")
    listed = re.findall(r'<h3 class="list-title"><a href="(/\d+)">', html)
    assert listed == [f"/{a.id}" for a in economy][: site.page_size]
    if len(economy) > site.page_size:
        assert f'<a rel="next" href="/section/{quote("경제")}?page=2">다음</a>' in html
    assert fetch(f"{base}/section/{quote('국제')}")[0] == 200  # empty nav section


def test_bare_site_without_listing() -> None:
    bare = OutletSite(load_samples(), listing=False)
    with serve(bare) as url:
        status, _, body = fetch(url + "/")
        assert status == 200 and article_links(body.decode("utf-8")) == []
        assert fetch(f"{url}/section/{quote('경제')}")[0] == 404
        assert fetch(f"{url}/5312")[0] == 200


def test_duplicate_links() -> None:
    dup = OutletSite(load_samples(), faults=Faults(duplicate_links=True))
    with serve(dup) as url:
        hrefs = HREF.findall(text(url + "/"))
    for variant in ("/5312?ref=home", "/5312/", "/5312#comments", "/5312"):
        assert variant in hrefs


# -- robots, sitemaps, feeds ------------------------------------------------------------------


def test_robots(base: str) -> None:
    status, headers, body = fetch(base + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    for line in ("User-agent: *", "Disallow: /admin", "Disallow: /search"):
        assert line in lines
    assert f"Sitemap: {base}/sitemap.xml" in lines


def test_robots_switches() -> None:
    with serve(OutletSite([], robots=False)) as url:
        assert fetch(url + "/robots.txt")[0] == 404
    with serve(OutletSite([], sitemap=False)) as url:
        assert "Sitemap:" not in text(url + "/robots.txt")
        assert fetch(url + "/sitemap.xml")[0] == 404


def test_sitemap_index_and_monthly_sitemaps(base: str, site: OutletSite) -> None:
    status, headers, body = fetch(base + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    index = ET.fromstring(body)
    assert index.tag == SM + "sitemapindex"
    months = {a.published.strftime("%Y-%m") for a in site.articles()}
    locs = [s.findtext(SM + "loc") or "" for s in index.iter(SM + "sitemap")]
    assert sorted(locs) == sorted(f"{base}/sitemaps/{m}.xml" for m in months)
    for entry in index.iter(SM + "sitemap"):
        assert datetime.fromisoformat(entry.findtext(SM + "lastmod") or "").tzinfo

    found: dict[str, ET.Element] = {}
    for loc in locs:
        assert loc
        urlset = ET.fromstring(fetch(loc)[2])
        assert urlset.tag == SM + "urlset"
        for entry in urlset.iter(SM + "url"):
            found[entry.findtext(SM + "loc") or ""] = entry
    by_url = {f"{base}/{a.id}": a for a in site.articles()}
    assert set(found) == set(by_url)
    for url, entry in found.items():
        article = by_url[url]
        lastmod = article.modified or article.published
        assert entry.findtext(SM + "lastmod") == lastmod.isoformat()
        news = entry.find(NEWS + "news")
        assert news is not None
        assert news.findtext(NEWS + "publication_date") == article.published.isoformat()
        assert news.findtext(NEWS + "title") == article.title


def test_plain_sitemap_without_index() -> None:
    plain = OutletSite(load_samples(), sitemap_index=False)
    with serve(plain) as url:
        root = ET.fromstring(fetch(url + "/sitemap.xml")[2])
        assert root.tag == SM + "urlset"
        assert len(list(root.iter(SM + "url"))) == 8
        assert fetch(url + "/sitemaps/2025-06.xml")[0] == 404


def test_rss_lists_twenty_newest() -> None:
    many = OutletSite(load_samples() + [make_article(100 + n) for n in range(20)])
    with serve(many) as url:
        status, headers, body = fetch(url + "/rss")
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
        assert fetch(url + "/feed")[2] == body
        channel = ET.fromstring(body).find("channel")
        assert channel is not None
        items = channel.findall("item")
        newest = many.articles()[:20]
        assert [i.findtext("link") for i in items] == [f"{url}/{a.id}" for a in newest]
        first, article = items[0], newest[0]
        assert first.findtext("guid") == f"{url}/{article.id}"
        assert first.findtext("title") == article.title
        assert first.findtext("category") == article.category
        assert first.findtext("description") == article.description
        pub = first.findtext("pubDate") or ""
        assert pub.endswith("+0900") and parsedate_to_datetime(pub) == article.published


def test_rss_switched_off() -> None:
    with serve(OutletSite(load_samples(), rss=False)) as url:
        assert fetch(url + "/rss")[0] == 404 and fetch(url + "/feed")[0] == 404
        assert "application/rss+xml" not in text(url + "/5312")


# -- faults -------------------------------------------------------------------------------------


@pytest.fixture()
def faulty() -> Iterator[tuple[OutletSite, str]]:
    faults = Faults(
        protected_ids={5301},
        notice_ids={5302},
        euc_kr_ids={5304},
        flaky_ids={5305: 2},
        soft_error_ids={5307},
        server_error_ids={5308},
    )
    site = OutletSite(load_samples(), faults=faults)
    with serve(site) as url:
        yield site, url


def test_protected_page(faulty: tuple[OutletSite, str]) -> None:
    site, url = faulty
    status, _, body = fetch(url + "/5301")
    html = body.decode("utf-8")
    assert status == 200 and 'type="password"' in html and "보호되어 있는 글입니다" in html
    protected = next(a for a in site.articles() if a.id == 5301)
    assert body_text(protected.body_html)[40:80] not in html
    assert "article-body" not in html


def test_notice_page(faulty: tuple[OutletSite, str]) -> None:
    site, url = faulty
    html = text(url + "/5302")
    title = re.search(r"<title>(.*?)</title>", html)
    assert title and title.group(1).startswith("[공지] ")
    notice = next(a for a in site.articles() if a.id == 5302)
    assert body_text(notice.body_html)[40:80] not in html
    # still listed everywhere; /notice lists it too
    assert "/5302" in text(url + "/notice")
    assert f"{url}/5302" in text(url + "/rss")
    assert "/5302" in article_links(text(url + "/"))


def test_euc_kr_page(faulty: tuple[OutletSite, str]) -> None:
    site, url = faulty
    status, headers, body = fetch(url + "/5304")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=EUC-KR"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    html = body.decode("euc-kr")
    assert '<meta charset="euc-kr">' in html
    article = next(a for a in site.articles() if a.id == 5304)
    assert article.title in html


def test_flaky_page_recovers(faulty: tuple[OutletSite, str]) -> None:
    site, url = faulty
    assert fetch(url + "/5305")[0] == 503
    assert fetch(url + "/5305/")[0] == 503  # the counter is per id, not per URL
    assert fetch(url + "/5305")[0] == 200
    assert fetch(url + "/5305")[0] == 200
    assert site.requests_log.count("/5305") == 3


def test_soft_and_server_errors(faulty: tuple[OutletSite, str]) -> None:
    _, url = faulty
    status, _, body = fetch(url + "/5307")
    assert status == 200 and "페이지를 찾을 수 없습니다" in body.decode("utf-8")
    assert [fetch(url + "/5308")[0] for _ in range(3)] == [500, 500, 500]
    assert "/5308" in article_links(text(url + "/"))


# -- the model and the server -------------------------------------------------------------------


def test_add_and_remove_show_up_everywhere(base: str, site: OutletSite) -> None:
    newest = make_article(9100, published=datetime(2025, 7, 1, 8, 0, tzinfo=KST))
    site.add(newest)
    try:
        assert site.articles()[0] is newest
        assert article_links(text(base + "/"))[0] == "/9100"
        assert f"{base}/9100" in text(base + "/rss")
        assert f"{base}/sitemaps/2025-07.xml" in text(base + "/sitemap.xml")
        assert f"{base}/9100" in text(base + "/sitemaps/2025-07.xml")
        assert fetch(base + "/9100")[0] == 200
    finally:
        site.remove(9100)
    assert fetch(base + "/9100")[0] == 404
    assert "/9100" not in text(base + "/rss")
    site.remove(9100)  # removing twice is harmless


def test_requests_log_records_paths_in_order(base: str, site: OutletSite) -> None:
    start = len(site.requests_log)
    fetch(base + "/robots.txt")
    fetch(base + "/?page=2")
    assert site.requests_log[start:] == ["/robots.txt", "/?page=2"]


def test_pages_are_deterministic(site: OutletSite) -> None:
    for path in ("/", "/5312", "/rss", "/sitemap.xml", "/sitemaps/2025-05.xml"):
        assert site.respond(path, "example.test:80") == site.respond(path, "example.test:80")
    _, _, body = site.respond("/5312", "example.test:80")
    assert b'href="http://example.test:80/5312"' in body


def test_concurrent_fetches(base: str, site: OutletSite) -> None:
    paths = [f"/{a.id}" for a in site.articles()] * 3
    results: list[int] = []
    lock = threading.Lock()

    def worker(path: str) -> None:
        status = fetch(base + path)[0]
        with lock:
            results.append(status)

    threads = [threading.Thread(target=worker, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * len(paths)


def test_serve_shuts_down() -> None:
    with serve(OutletSite([])) as url:
        port = urlsplit(url).port
        assert url == f"http://127.0.0.1:{port}"
        assert fetch(url + "/")[0] == 200
    assert port
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
