"""How the sample outlet's articles are found: section listings, robots.txt, sitemaps, RSS.

Pages of :class:`newsbot.demo.outlet.OutletSite`, which holds the articles and the switches.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from urllib.parse import quote

from newsbot.demo.articles import (
    DEFAULT_IMAGE,
    HTML_TYPE,
    RSS_ITEMS,
    RSS_TYPE,
    TEXT_TYPE,
    XML_TYPE,
    Response,
    SampleArticle,
    _changed,
    _dot,
    _e,
    _iso,
    _kst,
    _tag_href,
)
from newsbot.demo.pages import SitePages


class SiteIndexes(SitePages):
    """Listings, robots.txt, sitemaps and RSS of :class:`OutletSite`."""

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
