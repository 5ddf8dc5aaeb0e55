"""The sample outlet's HTML pages: articles (with the furniture of a real Korean news site:
menus, ticker, sidebars, comments, ads, footer), protected posts, error pages and the layout.

A mixin of :class:`newsbot.demo.outlet.OutletSite`, which holds the articles and the faults.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import quote

from newsbot.demo.articles import (
    _COMMENTS,
    DEFAULT_IMAGE,
    HTML_TYPE,
    Faults,
    Response,
    SampleArticle,
    _dot,
    _e,
    _iso,
    _kst,
    _section_href,
    _tag_href,
)


class SitePages:
    """The HTML pages of :class:`OutletSite`."""

    site_name: str
    robots: bool
    sitemap: bool
    sitemap_index: bool
    rss: bool
    listing: bool
    page_size: int
    faults: Faults

    def articles(self) -> list[SampleArticle]:
        raise NotImplementedError

    def _display_title(self, article: SampleArticle) -> str:
        raise NotImplementedError

    def _sections(self) -> list[str]:
        raise NotImplementedError

    def _article_head(self, base: str, article: SampleArticle, title: str) -> str:
        url = f"{base}/{article.id}"
        image = article.image or DEFAULT_IMAGE
        image_abs = image if "://" in image else base + "/" + image.lstrip("/")
        description = article.summary
        meta = [
            f'<meta name="description" content="{_e(description)}">',
            f'<meta name="author" content="{_e(article.author)}">' if article.author else "",
            f'<meta property="og:title" content="{_e(title)}">',
            f'<meta property="og:description" content="{_e(description)}">',
            f'<meta property="og:image" content="{_e(image_abs)}">',
            f'<meta property="og:url" content="{_e(url)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{_e(self.site_name)}">',
            '<meta property="og:locale" content="ko_KR">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta property="article:published_time" content="{_iso(article.published)}">',
        ]
        if article.modified is not None:
            meta.append(
                f'<meta property="article:modified_time" content="{_iso(article.modified)}">'
            )
        meta.append(f'<meta property="article:section" content="{_e(article.category)}">')
        meta += [f'<meta property="article:tag" content="{_e(t)}">' for t in article.tags]
        ld: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": _iso(article.published),
        }
        if article.modified is not None:
            ld["dateModified"] = _iso(article.modified)
        ld.update(
            {
                "author": {"@type": "Person", "name": article.author or self.site_name},
                "image": [image_abs],
                "description": description,
                "articleSection": article.category,
                "keywords": ", ".join(article.tags),
                "inLanguage": "ko",
                "publisher": {
                    "@type": "Organization",
                    "name": self.site_name,
                    "logo": {"@type": "ImageObject", "url": f"{base}/res/images/logo.png"},
                },
                "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            }
        )
        ld_text = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
        extra = "\n".join(m for m in meta if m)
        extra += f'\n<link rel="canonical" href="{_e(url)}">'
        extra += f'\n<script type="application/ld+json">\n{ld_text}\n</script>'
        return extra

    def _article_html(self, base: str, article: SampleArticle, charset: str) -> str:
        title = self._display_title(article)
        notice = article.id in self.faults.notice_ids
        others = [a for a in self.articles() if a.id != article.id]
        dates = f'<span class="date">입력 {_dot(article.published)}</span>'
        if article.modified is not None:
            dates += f' <span class="date">수정 {_dot(article.modified)}</span>'
        if notice:
            body = (
                '<p data-ke-size="size16">독자 여러분께 알려드립니다. '
                "자세한 내용은 공지사항 게시판을 참고해 주시기 바랍니다.</p>"
            )
        elif self.faults.teasers:
            body = _teaser(article.body_html)
        else:
            body = article.body_html
        tags = "".join(
            f'<li><a href="{_tag_href(t)}" rel="tag">#{_e(t)}</a></li>' for t in article.tags
        )
        content = f"""
<div class="content-wrap">
<main id="content">
<div class="breadcrumb"><a href="/">홈</a> &gt;
 <a href="{_section_href(article.category)}">{_e(article.category)}</a></div>
<article class="article-view" itemscope itemtype="https://schema.org/NewsArticle">
<header class="article-head">
<p class="article-section">{_e(article.category)}</p>
<h1 class="article-title" itemprop="headline">{_e(title)}</h1>
<div class="byline">
<span class="reporter" itemprop="author">{_e(article.author or self.site_name)}</span>
{dates}
<button type="button" class="font-size">가</button>
<button type="button" class="print">인쇄</button>
</div>
</header>
<figure class="article-photo"><img src="{_e(article.image or DEFAULT_IMAGE)}" alt="{_e(title)}">
<figcaption>{_e(self.site_name)} 자료사진</figcaption></figure>
<div class="article-body" itemprop="articleBody">
{body}
</div>
<ul class="article-tags">{tags}</ul>
<div class="share-buttons"><span>공유하기</span>
<a href="https://www.facebook.com/sharer/sharer.php?u={quote(f"{base}/{article.id}", safe="")}"
 class="share-fb">페이스북</a>
<a href="https://twitter.com/intent/tweet?url={quote(f"{base}/{article.id}", safe="")}"
 class="share-x">X(트위터)</a>
<a href="#" class="share-kakao">카카오톡</a>
<a href="#" class="share-link">URL 복사</a></div>
<div class="reporter-card"><strong>{_e(article.author or self.site_name)}</strong>
<p>다른 기사 보기 · 구독하기</p></div>
</article>
{self._related_block(article, others)}
{self._ad_block("article-bottom")}
{self._comments_block(article)}
</main>
{self._sidebar(others)}
</div>"""
        head = self._article_head(base, article, title)
        return self._layout(base, title, content, head=head, charset=charset)

    def _protected(self, base: str, article: SampleArticle) -> Response:
        content = f"""
<main id="content">
<article class="article-view protected-entry">
<h1 class="article-title">{_e(article.title)}</h1>
<div class="protected-notice">
<p>보호되어 있는 글입니다.</p>
<p>내용을 보시려면 비밀번호를 입력하세요.</p>
<form method="post" action="/{article.id}/password">
<input type="password" name="password" title="비밀번호" placeholder="비밀번호">
<button type="submit">확인</button>
</form>
</div>
</article>
</main>"""
        head = f'<meta property="og:title" content="{_e(article.title)}">'
        head += '\n<meta name="robots" content="noindex">'
        page = self._layout(base, article.title, content, head=head)
        return 200, {"Content-Type": HTML_TYPE}, page.encode("utf-8")

    def _related_block(self, article: SampleArticle, others: list[SampleArticle]) -> str:
        same = [a for a in others if a.category == article.category]
        rest = sorted(
            (a for a in others if a.category != article.category),
            key=lambda a: (abs(a.id - article.id), a.id),
        )
        items = "".join(
            f'<li><a href="/{a.id}">{_e(self._display_title(a))}</a>'
            f'<span class="date">{_kst(a.published):%m.%d}</span></li>'
            for a in (same + rest)[:5]
        )
        return f'<section class="related-articles"><h3>관련 기사</h3><ul>{items}</ul></section>'

    def _sidebar(self, others: list[SampleArticle]) -> str:
        popular = sorted(others, key=lambda a: ((a.id * 7) % 11, a.id))[:5]
        items = "".join(
            f'<li><span class="rank">{n}</span><a href="/{a.id}">'
            f"{_e(self._display_title(a))}</a></li>"
            for n, a in enumerate(popular, 1)
        )
        return f"""<aside class="sidebar">
<section class="most-viewed"><h3>많이 본 뉴스</h3><ol>{items}</ol></section>
{self._ad_block("sidebar")}
<section class="newsletter"><h3>뉴스레터</h3>
<p>매일 아침 7시, {_e(self.site_name)}가 엄선한 뉴스를 메일로 받아보세요.</p>
<form action="/about" method="get"><input type="email" name="email" placeholder="이메일 주소">
<button type="submit">구독</button></form></section>
</aside>"""

    def _comments_block(self, article: SampleArticle) -> str:
        count = 2 + article.id % 2
        start = article.id % len(_COMMENTS)
        items = []
        for n in range(count):
            name, text = _COMMENTS[(start + n) % len(_COMMENTS)]
            when = _kst(article.published) + timedelta(hours=2 + 3 * n, minutes=17 * n)
            items.append(
                f'<li class="comment"><span class="comment-author">{_e(name)}</span>'
                f'<span class="comment-date">{when:%Y.%m.%d %H:%M}</span>'
                f'<p class="comment-text">{_e(text)}</p>'
                f'<span class="comment-like">추천 {article.id % 9 + n}</span></li>'
            )
        return f"""<section class="comments" id="comments">
<h3>독자 댓글 <span class="count">{count}</span></h3>
<form class="comment-form"><textarea placeholder="로그인 후 댓글을 남길 수 있습니다."></textarea>
<button type="button">등록</button></form>
<ul class="comment-list">{"".join(items)}</ul>
<p class="comment-policy">타인을 비방하거나 욕설이 담긴 댓글은 예고 없이 삭제될 수 있습니다.</p>
</section>"""

    @staticmethod
    def _ad_block(slot: str) -> str:
        return f"""<div class="ad-banner" id="ad-{slot}"><span class="ad-label">AD</span>
<a href="https://ad.example/click?slot={slot}" rel="sponsored nofollow">
<img src="/res/ads/banner_{slot}.jpg" alt="광고"></a>
<p class="ad-text">지금 가입하면 첫 달 무료! 프리미엄 경제 리포트를 만나보세요.</p></div>"""

    def _bare_home(self, base: str) -> Response:
        content = f"""<main id="content"><h2>{_e(self.site_name)}</h2>
<p>사이트 개편 작업 중입니다. 불편을 드려 죄송합니다.</p></main>"""
        page = self._layout(base, self.site_name, content, nav=False)
        return 200, {"Content-Type": HTML_TYPE}, page.encode("utf-8")

    def _about(self, base: str) -> Response:
        content = f"""<main id="content" class="about"><h2>회사소개</h2>
<p>{_e(self.site_name)}는 정책과 생활경제 소식을 알기 쉽게 전하는 인터넷 신문입니다.</p>
<h3 id="privacy">개인정보처리방침</h3><p>수집한 개인정보는 구독 관리 외에 쓰지 않습니다.</p>
<h3 id="youth">청소년보호정책</h3><p>유해 정보로부터 청소년을 보호하기 위해 노력합니다.</p>
<h3 id="contact">제보 및 문의</h3><p>jebo@newsdao.example</p></main>"""
        page = self._layout(base, "회사소개", content, nav=self.listing)
        return 200, {"Content-Type": HTML_TYPE}, page.encode("utf-8")

    # -- errors ------------------------------------------------------------------------------

    def _not_found(self, base: str) -> Response:
        return self._error_page(
            base,
            404,
            "페이지를 찾을 수 없습니다",
            "요청하신 페이지가 삭제되었거나 주소가 잘못되었습니다.",
        )

    def _error_page(
        self, base: str, status: int, heading: str, text: str, *, retry_after: bool = False
    ) -> Response:
        content = f"""<main id="content" class="error-page"><h2>{_e(heading)}</h2>
<p>{_e(text)}</p><p><a href="/">홈으로 가기</a></p></main>"""
        page = self._layout(base, heading, content, nav=False)
        headers = {"Content-Type": HTML_TYPE}
        if retry_after:
            headers["Retry-After"] = "1"
        return status, headers, page.encode("utf-8")

    # -- layout ------------------------------------------------------------------------------

    def _layout(
        self,
        base: str,
        title: str,
        content: str,
        *,
        head: str = "",
        charset: str = "utf-8",
        nav: bool = True,
    ) -> str:
        rss_link = ""
        if self.rss:
            rss_link = (
                f'<link rel="alternate" type="application/rss+xml" '
                f'title="{_e(self.site_name)} RSS" href="/rss">'
            )
        menu = ""
        ticker = ""
        if nav and self.listing:
            links = "".join(
                f'<li><a href="{_section_href(s)}">{_e(s)}</a></li>' for s in self._sections()
            )
            menu = f"""<nav class="gnb"><ul><li><a href="/">홈</a></li>{links}
<li><a href="/notice">공지사항</a></li></ul></nav>"""
            latest = "".join(
                f'<li><a href="/{a.id}">{_e(self._display_title(a))}</a></li>'
                for a in self.articles()[:3]
            )
            ticker = f'<div class="breaking-ticker"><strong>속보</strong><ul>{latest}</ul></div>'
        return f"""<!DOCTYPE html>
<html lang="ko">
<head>
{f'<meta charset="{charset}">' if charset else ""}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} - {_e(self.site_name)}</title>
{head}
{rss_link}
<link rel="stylesheet" href="/res/css/style.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<div id="wrap">
<header id="header">
<div class="top-bar"><span class="today">{_e(self.site_name)} · 정책과 생활경제</span>
<a href="/about">회사소개</a> <a href="/about#contact">기사제보</a></div>
<h1 class="logo"><a href="/"><img src="/res/images/logo.png" alt="{_e(self.site_name)}"></a></h1>
<form class="search-box" action="/search" method="get">
<input type="search" name="q" placeholder="검색어를 입력하세요" title="검색어">
<button type="submit">검색</button></form>
{menu}
{ticker}
</header>
<div id="container">
{content}
</div>
{self._footer()}
</div>
<script src="/res/js/common.js"></script>
</body>
</html>
"""

    def _footer(self) -> str:
        name = _e(self.site_name)
        return f"""<footer id="footer">
<ul class="footer-links"><li><a href="/about">회사소개</a></li>
<li><a href="/about#privacy">개인정보처리방침</a></li>
<li><a href="/about#youth">청소년보호정책</a></li>
<li><a href="/about#contact">기사제보</a></li></ul>
<address>(주){name} | 서울특별시 중구 다오로 12, 7층 | 대표 홍다오 | 발행·편집인 홍다오 |
인터넷신문 등록번호 서울 아00000 | 등록일 2020.01.02 | 전화 02-000-0000 |
청소년보호책임자 김보호</address>
<p class="copyright">{name}의 모든 콘텐츠(기사)는 저작권법의 보호를 받으며,
무단 전재·복사·배포 등을 금합니다.<br>Copyright © {name}. All rights reserved.</p>
</footer>"""


TEASER_CHARS = 220


def _teaser(body_html: str) -> str:
    """The body's opening words and a subscribers-only notice (``Faults.teasers``)."""
    text = " ".join(re.sub(r"<[^>]+>", " ", body_html).split())
    opening = text[:TEASER_CHARS].rsplit(" ", 1)[0]
    return (
        f'<p data-ke-size="size16">{_e(opening)} …</p>\n'
        '<p data-ke-size="size16">이 기사의 전문은 유료 회원에게만 제공됩니다.</p>'
    )
