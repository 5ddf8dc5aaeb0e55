"""Korean press pages as the common press platforms build them, written for these tests
(issue 19): the structure of each platform's article page, never a real outlet's page or text.

- ``arc``: an Arc XP (Fusion) page whose article exists only as ANS JSON in
  ``Fusion.globalContent`` (the HTML holds an empty app root, as on client-rendered Arc sites);
- ``ndsoft``: ND소프트's news CMS (``#article-view-content-div``, reporter box, copyright);
- ``broadcaster``: a page with no known platform, the body framed by screen-reader labels
  (``blind``), a reporter box and the copyright and tip-off lines, and an entity-escaped
  JSON-LD headline.

``PressSite`` serves the sample articles in one style with robots.txt and a sitemap, for the
real crawler on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml.html import fragment_fromstring, tostring

from newsbot.demo.outlet import SampleArticle

HTML_TYPE = "text/html; charset=utf-8"
PRESS = "다온일보"
REPORTER = "한다온"
Response = tuple[int, dict[str, str], bytes]


# ---------------------------------------------------------------- Arc XP
def ans_elements(body_html: str) -> list[dict[str, Any]]:
    """The article's HTML as ANS ``content_elements`` (text, header, list, quote, image)."""
    root = fragment_fromstring(body_html, create_parent="div")
    elements: list[dict[str, Any]] = []
    if (root.text or "").strip():
        elements.append({"type": "text", "content": escape(root.text.strip())})
    for node in root:
        if not isinstance(node.tag, str):
            continue
        inner = _inner_html(node)
        if node.tag == "p":
            elements.append({"_id": f"t{len(elements)}", "type": "text", "content": inner})
        elif node.tag in ("h2", "h3", "h4"):
            elements.append({"type": "header", "level": int(node.tag[1]), "content": inner})
        elif node.tag in ("ul", "ol"):
            items = [{"type": "text", "content": _inner_html(li)} for li in node.iter("li")]
            kind = "ordered" if node.tag == "ol" else "unordered"
            elements.append({"type": "list", "list_type": kind, "items": items})
        elif node.tag == "blockquote":
            quoted = [{"type": "text", "content": _inner_html(p)} for p in node.iter("p")]
            elements.append({"type": "quote", "content_elements": quoted or
                             [{"type": "text", "content": inner}]})  # fmt: skip
        elif node.tag == "table":  # Arc keeps tables as raw HTML
            elements.append({"type": "raw_html", "content": tostring(node, encoding="unicode")})
        elif node.tag == "div":  # the related-articles box: links to other stories
            for link in node.iter("a"):
                elements.append({"type": "interstitial_link", "content": link.text_content(),
                                 "url": link.get("href")})  # fmt: skip
        if (node.tail or "").strip():
            elements.append({"type": "text", "content": escape(node.tail.strip())})
    return elements


def _inner_html(node: Any) -> str:
    parts = [escape(node.text or "")]
    parts += [tostring(child, encoding="unicode") for child in node]
    return "".join(parts).strip()


def arc_page(article: SampleArticle, base: str) -> str:
    """An Arc XP page drawn by script: title in <title> only, everything else in the JSON."""
    story = {
        "_id": f"DAON{article.id}",
        "type": "story",
        "canonical_url": f"/{article.id}",
        "headlines": {"basic": article.title},
        "description": {"basic": article.summary[:120]},
        "credits": {"by": [{"type": "author", "name": REPORTER}]},
        "first_publish_date": article.published.isoformat(),
        "display_date": article.published.isoformat(),
        "taxonomy": {"primary_section": {"_id": "/news", "name": article.category}},
        "content_elements": [
            {"type": "video", "_id": "v1", "headlines": {"basic": "영상으로 보기"}},
            *ans_elements(article.body_html),
            {"type": "custom_embed", "subtype": "ad", "embed": {"id": "ad-bottom"}},
        ],
    }
    payload = json.dumps(story, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)} - {PRESS}</title>"
        '<link rel="stylesheet" href="/pf/resources/styles/main.css?d=120">'
        '<script defer src="/pf/dist/engine/react.js?d=120"></script></head>'
        '<body><div id="fusion-app"></div>'
        '<script id="fusion-metadata" type="application/javascript">'
        'window.Fusion=window.Fusion||{};Fusion.arcSite="daon";Fusion.deployment="120";'
        f"Fusion.globalContent={payload};"
        'Fusion.globalContentConfig={"source":"content-api","query":{"_id":"x"}};'
        "Fusion.contentCache={};</script></body></html>"
    )


# ---------------------------------------------------------------- ND소프트
def ndsoft_page(article: SampleArticle, base: str) -> str:
    """An ND소프트 news CMS article page: body container with an ad slot, the reporter box and
    copyright inside it (as some skins have them) and outside it."""
    paragraphs = article.body_html
    half = paragraphs.find("</p>") + len("</p>")
    body = (
        paragraphs[:half]
        + '<div id="AD1" class="ad-template"><p class="ad_title">ADVERTISEMENT</p></div>'
        + paragraphs[half:]
    )
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)} - {PRESS}</title>"
        f'<meta property="og:title" content="{escape(article.title)}">'
        f'<meta property="article:published_time" content="{article.published.isoformat()}">'
        '</head><body><div id="user-container"><header class="article-view-header">'
        f'<h3 class="heading">{escape(article.title)}</h3><ul class="infomation">'
        '<li><i class="icon-user-o"><span class="show-for-sr">기자명</span></i>'
        f" {REPORTER} 기자</li>"
        "</ul></header>"
        '<article id="article-view-content-div" class="article-veiw-body view-page font-size17"'
        f' itemprop="articleBody">{body}'
        f'<div class="view-copyright">저작권자 © {PRESS} 무단전재 및 재배포 금지</div>'
        f'<div class="view-editors"><strong class="names">{REPORTER} 기자</strong>'
        f'<a href="mailto:daon@example.kr" class="user-email">daon@example.kr</a></div>'
        "</article>"
        f'<article class="writer"><strong class="name">{REPORTER} 기자</strong></article>'
        '<div class="tag-group"><a href="/news/articleList.html?sc_word=자전거">#자전거</a></div>'
        "</div></body></html>"
    )


# ---------------------------------------------------------------- news_body_area CMS
def news_body_area_page(article: SampleArticle, base: str) -> str:
    """An article page of the "/news/article.html?no=" CMS: headline box, date line, the body in
    ``div.cnt_view.news_body_area`` (an inner ``smartOutput``), related and popular lists."""
    related = "".join(f'<li><a href="/news/article.html?no={n}">다른 기사 {n}</a></li>'
                      for n in range(3))  # fmt: skip
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)} - {PRESS}</title>"
        f'<meta property="og:title" content="{escape(article.title)}">'
        '</head><body><div class="wrapper"><div class="art_top">'
        f'<h2>{escape(article.title)}</h2><ul class="art_info">'
        f"<li>등록 {article.published:%Y.%m.%d %H:%M:%S}</li></ul></div>"
        '<div class="cnt_view news_body_area" id="news_body_area">'
        f'<div class="smartOutput">{article.body_html}</div></div>'
        f'<div class="art_rel"><h3>많이 본 뉴스</h3><ul>{related}</ul></div>'
        "</div></body></html>"
    )


# ---------------------------------------------------------------- a broadcaster, no platform
ESCAPED_TITLE = "권 변호사 &quot;어떤 변명도 하지 않겠다&quot;…&#34;책임 통감&#34;"
TITLE_TEXT = '권 변호사 "어떤 변명도 하지 않겠다"…"책임 통감"'


def broadcaster_page(article: SampleArticle, base: str, *, headline: str = ESCAPED_TITLE,
                     rendered: str = TITLE_TEXT) -> str:  # fmt: skip
    """A broadcaster's article page: JSON-LD headline escaped by the CMS, the body opened by
    hidden labels and closed by the reporter box, copyright and tip-off lines."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "description": "다온시가 공공자전거 요금을 &#39;시간제&#39;로 바꾼다 &amp; 정기권도 손본다",
        "author": {"@type": "Person", "name": f"{REPORTER} &lt;기자&gt;"},
        "articleSection": "사회 &amp; 경제",
        "datePublished": article.published.isoformat(),
    }
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(rendered)} | 다온방송 뉴스</title>"
        '<script type="application/ld+json">'
        + json.dumps(ld, ensure_ascii=False)
        + "</script></head><body>"
        '<div class="wrap"><h1 class="headline">' + escape(rendered) + "</h1>"
        '<div class="detail-body" id="cont_newstext">'
        '<h2 class="blind">기사 본문 영역</h2><span class="screen_out">상세페이지</span>'
        + article.body_html
        + '<div class="person-box"><h3 class="tit">기자 정보</h3>'
        f'<p class="name">{REPORTER} 기자</p></div>'
        f"<p>ⓒ 다온방송 무단 전재 및 재배포 금지</p>"
        "<p>▷ 제보는 카카오톡 '다온제보' 검색</p>"
        "</div></div></body></html>"
    )


STYLES = {
    "arc": arc_page,
    "ndsoft": ndsoft_page,
    "news_body_area": news_body_area_page,
    "broadcaster": broadcaster_page,
}


class PressSite:
    """A press outlet in one style: articles at /<id>, robots.txt and a sitemap."""

    def __init__(self, articles: Iterable[SampleArticle], style: str) -> None:
        self.articles = {a.id: a for a in articles}
        self.page = STYLES[style]

    def get(self, article_id: int) -> SampleArticle | None:
        return self.articles.get(article_id)

    def delivery(self, path: str) -> Any:
        from newsbot.demo.outlet import Delivery

        return Delivery()

    def respond(self, path: str, host: str) -> Response:
        base = f"http://{host}"
        route = unquote(urlsplit(path).path)
        if route == "/robots.txt":
            text = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
        if route == "/sitemap.xml":
            urls = "".join(
                f"<url><loc>{base}/{a.id}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
                for a in self.articles.values()
            )
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            )
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, xml.encode()
        if route == "/":
            links = "".join(
                f'<li><a href="/{a.id}">{escape(a.title)}</a></li>' for a in self.articles.values()
            )
            home = (
                f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{PRESS}</title>'
                f'</head><body><ul class="headlines">{links}</ul></body></html>'
            )
            return 200, {"Content-Type": HTML_TYPE}, home.encode("utf-8")
        if route.strip("/").isdigit() and (article := self.get(int(route.strip("/")))):
            return 200, {"Content-Type": HTML_TYPE}, self.page(article, base).encode("utf-8")
        return 404, {"Content-Type": HTML_TYPE}, "<html><body>없는 페이지</body></html>".encode()
