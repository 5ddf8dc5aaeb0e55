"""The sample outlet: a fake Korean news site ("뉴스다오") as data plus page rendering.

``OutletSite.respond(path, host)`` maps a request path to ``(status, headers, body)``; it does no
I/O, so the site can be tested without a socket and served by ``newsbot.demo.server``.
Pages carry the furniture of a real Korean news site (menus, ticker, sidebars, comments, ads,
footer) so that an extractor has to work to find the article body. Nothing depends on the
clock or on randomness: every date comes from the articles.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import struct
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape, unescape
from importlib import resources
from urllib.parse import parse_qs, quote, unquote, urlsplit

KST = timezone(timedelta(hours=9), "KST")
DEFAULT_IMAGE = "/res/images/meta/newsdao_breakingnews.jpg"
NAV_SECTIONS = ("정치", "경제", "사회", "국제", "문화", "IT·과학")
RSS_ITEMS = 20

HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

_ARTICLE_PATH = re.compile(r"^/(\d+)/?$")
_MONTH_SITEMAP = re.compile(r"^/sitemaps/(\d{4})-(\d{2})\.xml$")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

_COMMENTS = (
    ("동네주민", "현장 이야기가 잘 정리되어 있네요. 후속 기사도 부탁드립니다."),
    ("직장인A", "신청 기간이 너무 짧은 것 같아요. 홍보를 더 해 주면 좋겠습니다."),
    ("가을하늘", "숫자로 보니 체감이 됩니다. 좋은 기사 감사합니다."),
    ("민원왕", "정작 필요한 사람은 이런 소식을 모르고 지나가는 경우가 많습니다."),
    ("초보엄마", "주변에도 공유했어요. 자세한 안내 고맙습니다."),
    ("익명의독자", "작년에도 비슷한 발표가 있었는데 달라진 점이 뭔지 궁금하네요."),
)


@dataclass
class SampleArticle:
    id: int
    title: str
    body_html: str
    published: datetime  # timezone-aware
    modified: datetime | None = None
    category: str = "뉴스"
    description: str = ""  # when empty, pages use the first 150 chars of body text
    author: str = ""
    tags: list[str] = field(default_factory=list)
    image: str | None = None  # absolute or site-relative; default DEFAULT_IMAGE

    @property
    def summary(self) -> str:
        return self.description or body_text(self.body_html)[:150]


@dataclass
class Faults:
    # Password-protected post pages (200, a password form, no body).
    protected_ids: set[int] = field(default_factory=set)
    # Notice pages: title "[공지] …", short text, still at /<id>.
    notice_ids: set[int] = field(default_factory=set)
    # Served encoded EUC-KR: header "text/html; charset=EUC-KR" and <meta charset="euc-kr">.
    euc_kr_ids: set[int] = field(default_factory=set)
    # id -> how many times to answer 503 before serving it normally (per-id counter).
    flaky_ids: dict[int, int] = field(default_factory=dict)
    # Status 200 but an error page ("페이지를 찾을 수 없습니다").
    soft_error_ids: set[int] = field(default_factory=set)
    # Always 500.
    server_error_ids: set[int] = field(default_factory=set)
    # Listing pages/home also link each article as /<id>?ref=home, /<id>/ and /<id>#comments.
    duplicate_links: bool = False
    # --- faults of a misbehaving server (``newsbot.demo.faults`` names each of them) ---
    # Bytes in CP949 (EUC-KR's superset) but the header says UTF-8; the page's
    # <meta charset="euc-kr"> tells the truth.
    mislabeled_charset_ids: set[int] = field(default_factory=set)
    # The same without any <meta charset>: only detection can tell.
    undeclared_charset_ids: set[int] = field(default_factory=set)
    # id -> statuses answered in turn (a burst of 500/502/503) before the page is served.
    error_bursts: dict[int, list[int]] = field(default_factory=dict)
    # id -> how many times to answer 429 Too Many Requests (with Retry-After) first.
    rate_limited_ids: dict[int, int] = field(default_factory=dict)
    # id -> seconds to wait before answering (slower than the crawler's DOWNLOAD_TIMEOUT).
    slow_ids: dict[int, float] = field(default_factory=dict)
    # id -> how many times the connection is reset (TCP RST) halfway through the body.
    reset_ids: dict[int, int] = field(default_factory=dict)
    # id -> how many times half the body is sent under a Content-Length for all of it.
    truncated_ids: dict[int, int] = field(default_factory=dict)
    # Redirect in a loop: /<id> -> /<id>?loop=1 -> /<id>?loop=2 -> /<id>?loop=1 ...
    redirect_loop_ids: set[int] = field(default_factory=set)
    # id -> another host name (same port) that /<id> redirects to.
    offsite_redirects: dict[int, str] = field(default_factory=dict)
    # Binary bytes served as text/html.
    binary_ids: set[int] = field(default_factory=set)
    # Content-Encoding: gzip, expanding to ``bomb_bytes`` of zeros.
    gzip_bomb_ids: set[int] = field(default_factory=set)
    bomb_bytes: int = 256 * 1024 * 1024
    # The article page padded to ``oversize_bytes`` (Content-Length announced up front).
    oversize_ids: set[int] = field(default_factory=set)
    oversize_bytes: int = 80 * 1024 * 1024
    # /sitemap.xml (and the month sitemaps) and /rss answer malformed XML.
    broken_sitemap: bool = False
    broken_feed: bool = False
    # Deleted articles answering 410 Gone (a removed article answers 404).
    gone_ids: set[int] = field(default_factory=set)
    # Articles edited after publication: a correction paragraph and a modified date.
    changed_ids: set[int] = field(default_factory=set)


Response = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Delivery:
    """How the server sends a response (faults below HTTP): the default is a normal answer."""

    delay: float = 0.0  # seconds before the status line
    cut_after: int | None = None  # send only this many body bytes, then end the connection
    reset: bool = False  # end it with a TCP reset (RST) instead of a normal close
    padding: int = 0  # filler bytes streamed after the body (counted in Content-Length)


def body_text(body_html: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", body_html))).strip()


def _kst(dt: datetime) -> datetime:
    return dt.astimezone(KST)


def _iso(dt: datetime) -> str:
    return _kst(dt).isoformat()


def _dot(dt: datetime) -> str:
    return _kst(dt).strftime("%Y.%m.%d %H:%M")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _section_href(name: str) -> str:
    return "/section/" + quote(name, safe="")


def _tag_href(tag: str) -> str:
    return "/tag/" + quote(tag, safe="")


def _page_href(base: str, page: int) -> str:
    return base if page == 1 else f"{base}?page={page}"


class OutletSite:
    """The whole site: articles, switches for each discovery source, and injected faults."""

    def __init__(
        self,
        articles: Iterable[SampleArticle],
        *,
        site_name: str = "뉴스다오",
        robots: bool = True,
        sitemap: bool = True,
        sitemap_index: bool = True,
        rss: bool = True,
        listing: bool = True,
        page_size: int = 10,
        faults: Faults | None = None,
    ) -> None:
        self.site_name = site_name
        self.robots = robots
        self.sitemap = sitemap
        self.sitemap_index = sitemap_index
        self.rss = rss
        self.listing = listing
        self.page_size = max(1, page_size)
        self.faults = faults or Faults()
        self.missing_images: set[str] = set()  # image paths that answer 404
        self.requests_log: list[str] = []
        self._lock = threading.Lock()
        self._articles: dict[int, SampleArticle] = {a.id: a for a in articles}
        self._flaky_left: dict[int, int] = dict(self.faults.flaky_ids)
        self._used: dict[tuple[str, int], int] = {}  # (fault, id) -> times it was served

    # -- the model ---------------------------------------------------------------------------

    def add(self, article: SampleArticle) -> None:
        with self._lock:
            self._articles[article.id] = article

    def remove(self, article_id: int) -> None:
        with self._lock:
            self._articles.pop(article_id, None)

    def articles(self) -> list[SampleArticle]:
        """All articles, newest (highest id) first."""
        with self._lock:
            return sorted(self._articles.values(), key=lambda a: a.id, reverse=True)

    def get(self, article_id: int) -> SampleArticle | None:
        with self._lock:
            return self._articles.get(article_id)

    def _display_title(self, article: SampleArticle) -> str:
        if article.id in self.faults.notice_ids and not article.title.startswith("[공지]"):
            return f"[공지] {article.title}"
        return article.title

    def _sections(self) -> list[str]:
        extra = sorted({a.category for a in self.articles()} - set(NAV_SECTIONS))
        return [*NAV_SECTIONS, *extra]

    def heal(self) -> None:
        """The server is fixed: no more faults (the articles stay as they are)."""
        with self._lock:
            self.faults = Faults()
            self._flaky_left.clear()
            self._used.clear()

    def _take(self, fault: str, article_id: int, times: int) -> bool:
        """True the first ``times`` times fault ``fault`` is asked for ``article_id``."""
        with self._lock:
            used = self._used.get((fault, article_id), 0)
            if used >= times:
                return False
            self._used[(fault, article_id)] = used + 1
            return True

    def delivery(self, path: str) -> Delivery:
        """How to send the answer to ``path``: slow, cut short, reset or padded."""
        match = _ARTICLE_PATH.match(unquote(urlsplit(path).path))
        if not match:
            return Delivery()
        article_id, faults = int(match.group(1)), self.faults
        if article_id in faults.slow_ids:
            return Delivery(delay=faults.slow_ids[article_id])
        if self._take("reset", article_id, faults.reset_ids.get(article_id, 0)):
            return Delivery(cut_after=2048, reset=True)
        if self._take("truncated", article_id, faults.truncated_ids.get(article_id, 0)):
            return Delivery(cut_after=2048)
        if article_id in faults.oversize_ids:
            return Delivery(padding=faults.oversize_bytes)
        return Delivery()

    # -- dispatch ----------------------------------------------------------------------------

    def respond(self, path: str, host: str) -> Response:
        with self._lock:
            self.requests_log.append(path)
        base = "http://" + (host or "127.0.0.1")
        parts = urlsplit(path)
        route = unquote(parts.path) or "/"
        query = parse_qs(parts.query)

        match = _ARTICLE_PATH.match(route)
        if match:
            redirect = self._redirect(int(match.group(1)), base, query)
            return redirect or self._article(int(match.group(1)), base)
        if route == "/robots.txt":
            return self._robots(base) if self.robots else self._not_found(base)
        if route == "/sitemap.xml":
            if self.sitemap and self.faults.broken_sitemap:
                return _malformed_xml(self._sitemap_root(base))
            return self._sitemap_root(base) if self.sitemap else self._not_found(base)
        month = _MONTH_SITEMAP.match(route)
        if month and self.sitemap and self.sitemap_index:
            answer = self._month_sitemap(base, f"{month.group(1)}-{month.group(2)}")
            return _malformed_xml(answer) if self.faults.broken_sitemap else answer
        if route in ("/rss", "/feed"):
            if self.rss and self.faults.broken_feed:
                return _malformed_xml(self._rss(base))
            return self._rss(base) if self.rss else self._not_found(base)
        if route == "/about":
            return self._about(base)
        if route.startswith("/res/images/") and route.endswith((".jpg", ".png")):
            if route in self.missing_images:
                return self._not_found(base)
            return 200, {"Content-Type": "image/png"}, _image_bytes(route)
        if route == "/":
            if not self.listing:
                return self._bare_home(base)
            return self._listing(base, "/", "최신뉴스", self.articles(), query)
        if self.listing:
            if route.startswith("/section/"):
                name = route[len("/section/") :]
                if name not in self._sections():
                    return self._not_found(base)
                chosen = [a for a in self.articles() if a.category == name]
                return self._listing(base, _section_href(name), name, chosen, query)
            if route.startswith("/tag/"):
                tag = route[len("/tag/") :]
                chosen = [a for a in self.articles() if tag in a.tags]
                return self._listing(base, _tag_href(tag), f"#{tag}", chosen, query)
            if route == "/notice":
                chosen = [a for a in self.articles() if a.id in self.faults.notice_ids]
                return self._listing(base, "/notice", "공지사항", chosen, query)
            if route == "/search":
                q = (query.get("q") or [""])[0].strip()
                chosen = [a for a in self.articles() if q and q in a.title]
                href = "/search?q=" + quote(q)
                return self._listing(base, href, f"'{q}' 검색 결과", chosen, query)
        return self._not_found(base)

    # -- article pages -----------------------------------------------------------------------

    def _redirect(self, article_id: int, base: str, query: dict[str, list[str]]) -> Response | None:
        faults = self.faults
        if article_id in faults.offsite_redirects:
            port = urlsplit(base).port
            target = f"http://{faults.offsite_redirects[article_id]}:{port}/{article_id}"
        elif article_id in faults.redirect_loop_ids:
            step = 2 if (query.get("loop") or [""])[0] == "1" else 1
            target = f"{base}/{article_id}?loop={step}"
        else:
            return None
        return 302, {"Location": target, "Content-Type": TEXT_TYPE}, b"moved\n"

    def _page_fault(self, article_id: int, base: str) -> Response | None:
        """The fault ``article_id`` answers with instead of its page, if any (a burst of 5xx
        or a 429 is used up as it is served)."""
        faults = self.faults
        burst = faults.error_bursts.get(article_id, [])
        with self._lock:
            served = self._used.get(("burst", article_id), 0)
            if served < len(burst):
                self._used[("burst", article_id)] = served + 1
        if served < len(burst):
            return self._error_page(base, burst[served], "서버 오류", "일시적인 오류입니다.")
        if self._take("429", article_id, faults.rate_limited_ids.get(article_id, 0)):
            return self._error_page(
                base, 429, "요청이 너무 많습니다", "잠시 후 다시 시도해 주십시오.", retry_after=True
            )
        if article_id in faults.gone_ids:
            return self._error_page(base, 410, "삭제된 기사입니다", "이 기사는 삭제되었습니다.")
        if article_id in faults.binary_ids:
            return 200, {"Content-Type": "text/html"}, _binary_bytes(article_id)
        if article_id in faults.gzip_bomb_ids:
            headers = {"Content-Type": HTML_TYPE, "Content-Encoding": "gzip"}
            return 200, headers, _gzip_bomb(faults.bomb_bytes)
        return None

    def _article(self, article_id: int, base: str) -> Response:
        faults = self.faults
        if article_id in faults.server_error_ids:
            return self._error_page(base, 500, "서버 오류", "일시적인 오류가 발생했습니다.")
        fault = self._page_fault(article_id, base)
        if fault is not None:
            return fault
        with self._lock:
            left = self._flaky_left.get(article_id, 0)
            if left > 0:
                self._flaky_left[article_id] = left - 1
        if left > 0:
            return self._error_page(
                base, 503, "서비스 점검 중", "잠시 후 다시 시도해 주십시오.", retry_after=True
            )
        if article_id in faults.soft_error_ids:
            _, headers, body = self._not_found(base)
            return 200, headers, body
        article = self.get(article_id)
        if article is None:
            return self._not_found(base)
        if article_id in faults.protected_ids:
            return self._protected(base, article)
        if article_id in faults.changed_ids:
            article = _changed(article)
        if article_id in faults.mislabeled_charset_ids | faults.undeclared_charset_ids:
            declared = "euc-kr" if article_id in faults.mislabeled_charset_ids else ""
            page = self._article_html(base, article, declared)
            return 200, {"Content-Type": HTML_TYPE}, page.encode("cp949", "xmlcharrefreplace")
        charset = "euc-kr" if article_id in faults.euc_kr_ids else "utf-8"
        page = self._article_html(base, article, charset)
        if charset == "euc-kr":
            return (
                200,
                {"Content-Type": "text/html; charset=EUC-KR"},
                page.encode("euc-kr", errors="xmlcharrefreplace"),
            )
        return 200, {"Content-Type": HTML_TYPE}, page.encode("utf-8")

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

    # -- listings ----------------------------------------------------------------------------

    def _listing(
        self,
        base: str,
        href: str,
        heading: str,
        chosen: list[SampleArticle],
        query: dict[str, list[str]],
    ) -> Response:
        try:
            page = int((query.get("page") or ["1"])[0])
        except ValueError:
            page = 1
        page = max(page, 1)
        pages = max(1, -(-len(chosen) // self.page_size))
        if page > pages:
            return self._not_found(base)
        shown = chosen[(page - 1) * self.page_size : page * self.page_size]
        items = []
        for a in shown:
            extra = ""
            if self.faults.duplicate_links:
                extra = (
                    f'<span class="alt-links"><a href="/{a.id}?ref=home">바로가기</a>'
                    f' <a href="/{a.id}/">전체보기</a>'
                    f' <a href="/{a.id}#comments">댓글</a></span>'
                )
            items.append(
                f'<li class="list-item"><a class="thumb" href="/{a.id}">'
                f'<img src="{_e(a.image or DEFAULT_IMAGE)}" alt=""></a>'
                f'<h3 class="list-title"><a href="/{a.id}">{_e(self._display_title(a))}</a></h3>'
                f'<p class="list-excerpt">{_e(a.summary)}</p>'
                f'<span class="list-meta">{_e(a.category)} · {_e(a.author)}'
                f" · {_dot(a.published)}</span>{extra}</li>"
            )
        if not items:
            items.append('<li class="empty">등록된 기사가 없습니다.</li>')
        sep = "&" if "?" in href else "?"
        nav = []
        if page > 1:
            prev = href if page == 2 else f"{href}{sep}page={page - 1}"
            nav.append(f'<a rel="prev" href="{_e(prev)}">이전</a>')
        for n in range(1, pages + 1):
            target = href if n == 1 else f"{href}{sep}page={n}"
            if n == page:
                nav.append(f'<strong class="current">{n}</strong>')
            else:
                nav.append(f'<a href="{_e(target)}">{n}</a>')
        if page < pages:
            nav.append(f'<a rel="next" href="{_e(f"{href}{sep}page={page + 1}")}">다음</a>')
        tag_links = "".join(
            f'<li><a href="{_tag_href(t)}">#{_e(t)}</a></li>'
            for t in sorted({t for a in shown for t in a.tags})[:8]
        )
        content = f"""
<div class="content-wrap">
<main id="content" class="listing">
<h2 class="list-heading">{_e(heading)}</h2>
<ul class="article-list">{"".join(items)}</ul>
<nav class="pagination">{" ".join(nav)}</nav>
</main>
<aside class="sidebar">
<section class="notice-box"><h3><a href="/notice">공지사항</a></h3></section>
<section class="hot-tags"><h3>인기 태그</h3><ul>{tag_links}</ul></section>
<section class="search-links"><h3>많이 찾는 검색어</h3><ul>
<li><a href="/search?q={quote("지원")}">지원</a></li>
<li><a href="/search?q={quote("경제")}">경제</a></li></ul></section>
{self._ad_block("list")}
</aside>
</div>"""
        title = heading if href == "/" and page == 1 else f"{heading} ({page}페이지)"
        head = f'<meta name="description" content="{_e(self.site_name)} {_e(heading)}">'
        page_html = self._layout(base, title, content, head=head)
        return 200, {"Content-Type": HTML_TYPE}, page_html.encode("utf-8")

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

    # -- discovery sources -------------------------------------------------------------------

    def _robots(self, base: str) -> Response:
        lines = ["User-agent: *", "Disallow: /admin", "Disallow: /search", ""]
        if self.sitemap:
            lines.append(f"Sitemap: {base}/sitemap.xml")
        return 200, {"Content-Type": TEXT_TYPE}, ("\n".join(lines) + "\n").encode("utf-8")

    def _months(self) -> dict[str, list[SampleArticle]]:
        months: dict[str, list[SampleArticle]] = {}
        for a in self.articles():
            months.setdefault(f"{_kst(a.published):%Y-%m}", []).append(a)
        return dict(sorted(months.items(), reverse=True))

    def _lastmod(self, article: SampleArticle) -> datetime:
        if article.id in self.faults.changed_ids:
            article = _changed(article)
        return article.modified or article.published

    def _sitemap_root(self, base: str) -> Response:
        if not self.sitemap_index:
            return self._urlset(base, self.articles())
        entries = "".join(
            f"<sitemap><loc>{base}/sitemaps/{month}.xml</loc>"
            f"<lastmod>{_iso(max(self._lastmod(a) for a in chosen))}</lastmod></sitemap>\n"
            for month, chosen in self._months().items()
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n"
        )
        return 200, {"Content-Type": XML_TYPE}, body.encode("utf-8")

    def _month_sitemap(self, base: str, month: str) -> Response:
        chosen = self._months().get(month)
        if chosen is None:
            return self._not_found(base)
        return self._urlset(base, chosen)

    def _urlset(self, base: str, chosen: list[SampleArticle]) -> Response:
        entries = "".join(
            f"<url><loc>{base}/{a.id}</loc><lastmod>{_iso(self._lastmod(a))}</lastmod>"
            f"<news:news><news:publication><news:name>{_e(self.site_name)}</news:name>"
            "<news:language>ko</news:language></news:publication>"
            f"<news:publication_date>{_iso(a.published)}</news:publication_date>"
            f"<news:title>{_e(self._display_title(a))}</news:title></news:news></url>\n"
            for a in chosen
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{entries}</urlset>\n"
        )
        return 200, {"Content-Type": XML_TYPE}, body.encode("utf-8")

    def _rss(self, base: str) -> Response:
        newest = self.articles()[:RSS_ITEMS]
        items = "".join(
            f"<item><title>{_e(self._display_title(a))}</title>"
            f"<link>{base}/{a.id}</link>"
            f'<guid isPermaLink="true">{base}/{a.id}</guid>'
            f"<pubDate>{format_datetime(_kst(a.published))}</pubDate>"
            f"<description>{_e(a.summary)}</description>"
            f"<category>{_e(a.category)}</category>"
            + (f"<author>{_e(a.author)}</author>" if a.author else "")
            + "</item>\n"
            for a in newest
        )
        build = ""
        if newest:
            latest = max(self._lastmod(a) for a in newest)
            build = f"<lastBuildDate>{format_datetime(_kst(latest))}</lastBuildDate>\n"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0">\n<channel>\n'
            f"<title>{_e(self.site_name)}</title>\n<link>{base}/</link>\n"
            f"<description>{_e(self.site_name)} 최신 기사</description>\n"
            f"<language>ko</language>\n{build}{items}</channel>\n</rss>\n"
        )
        return 200, {"Content-Type": RSS_TYPE}, body.encode("utf-8")


def _image_bytes(route: str) -> bytes:
    """A small valid PNG, different for every path (so downloads can be told apart)."""
    seed = zlib.crc32(route.encode("utf-8"))
    width, height = 4, 3
    rows = b"".join(
        b"\x00" + bytes(((seed >> (8 * (x % 3))) + y) & 0xFF for x in range(width * 3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _binary_bytes(seed: int) -> bytes:
    """Deterministic bytes that are no text in any charset (an image, say, or a crash dump)."""
    return b"".join(zlib.crc32(seed.to_bytes(4, "big") + n.to_bytes(4, "big")).to_bytes(4, "big")
                    for n in range(4096))  # fmt: skip


@functools.cache
def _gzip_bomb(size: int) -> bytes:
    """A gzip body that expands to ``size`` zero bytes (about a thousandth of it on the wire):
    one gzip member of 1 MiB of zeros, repeated (a valid gzip stream, RFC 1952 2.2)."""
    block = 1024 * 1024
    member = gzip.compress(bytes(block), compresslevel=9, mtime=0)
    rest = gzip.compress(bytes(size % block), compresslevel=9, mtime=0) if size % block else b""
    return member * (size // block) + rest


def _malformed_xml(answer: Response) -> Response:
    """The document cut in the middle of a tag, with a stray ampersand and a NUL byte."""
    status, headers, body = answer
    return status, headers, body[: len(body) // 2] + b" & \x00<url><loc>"


def _changed(article: SampleArticle) -> SampleArticle:
    correction = "<p>[정정] 이 기사는 처음 보도 이후 내용이 고쳐졌습니다.</p>"
    modified = article.published + timedelta(days=1)
    return replace(article, body_html=article.body_html + correction, modified=modified)


def _parse_sample(data: dict[str, object]) -> SampleArticle:
    modified = data.get("modified")
    tags = data.get("tags") or []
    image = data.get("image")
    return SampleArticle(
        id=int(str(data["id"])),
        title=str(data["title"]),
        body_html=str(data["body_html"]),
        published=datetime.fromisoformat(str(data["published"])),
        modified=datetime.fromisoformat(str(modified)) if modified else None,
        category=str(data.get("category") or "뉴스"),
        description=str(data.get("description") or ""),
        author=str(data.get("author") or ""),
        tags=[str(t) for t in tags] if isinstance(tags, list) else [],
        image=str(image) if image else None,
    )


def load_samples() -> list[SampleArticle]:
    """The bundled sample articles (``newsbot/demo/samples/*.json``), newest first."""
    folder = resources.files("newsbot.demo").joinpath("samples")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found.append(_parse_sample(json.loads(entry.read_text(encoding="utf-8"))))
    return sorted(found, key=lambda a: a.id, reverse=True)
