"""newsdao.kr (뉴스다오): Korean news, articles at https://newsdao.kr/<number>."""

from newsbot.outlets.declaration import ExtractionRules, Outlet

OUTLET = Outlet(
    name="newsdao",
    base_url="https://newsdao.kr",
    site_name="뉴스다오",
    article_pattern=r"^/(?P<id>\d+)/?$",
    canonical_template="{base}/{id}",
    slug_template="newsdao-{id}",
    host_aliases=("www.newsdao.kr", "m.newsdao.kr"),
    sitemaps=("/sitemap.xml", "/sitemap_index.xml"),
    feeds=("/rss", "/feed", "/rss.xml", "/atom.xml"),
    listing_pages=("/",),
    numeric_ids=True,
    extraction=ExtractionRules(
        timezone="Asia/Seoul",
        language="ko",
        site_name="뉴스다오",
        skip_title_patterns=(r"^\s*\[?\s*공지",),
    ),
)
