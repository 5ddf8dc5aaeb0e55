"""newsdao.kr (뉴스다오): Korean news, articles at https://newsdao.kr/<number>.

Its article bodies are Tistory editor HTML (``data-ke-size``, ``contents_style``) and its URLs
Tistory's numeric permalinks, so it is read with the Tistory platform's rules.
"""

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
        platform="tistory",
        timezone="Asia/Seoul",
        language="ko",
        site_name="뉴스다오",
        skip_title_patterns=(r"^\s*\[?\s*공지",),
    ),
)
