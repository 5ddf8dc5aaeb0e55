"""The sample outlet: a fake Korean news site ("뉴스다오") as data plus page rendering.

``OutletSite.respond(path, host)`` maps a request path to ``(status, headers, body)``; it does no
I/O, so the site can be tested without a socket and served by ``newsbot.demo.server``.
Pages carry the furniture of a real Korean news site (menus, ticker, sidebars, comments, ads,
footer) so that an extractor has to work to find the article body. Nothing depends on the
clock or on randomness: every date comes from the articles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newsbot.demo.articles import (
    _ARTICLE_PATH,
    _MONTH_SITEMAP,
    DEFAULT_IMAGE,
    HTML_TYPE,
    KST,
    NAV_SECTIONS,
    TEXT_TYPE,
    Delivery,
    Faults,
    Response,
    SampleArticle,
    _binary_bytes,
    _changed,
    _gzip_bomb,
    _image_bytes,
    _malformed_xml,
    _section_href,
    _tag_href,
    body_text,
    load_samples,
)
from newsbot.demo.indexes import SiteIndexes


class OutletSite(SiteIndexes):
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


__all__ = [
    "DEFAULT_IMAGE",
    "KST",
    "Delivery",
    "Faults",
    "OutletSite",
    "Response",
    "SampleArticle",
    "body_text",
    "load_samples",
]
