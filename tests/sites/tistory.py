"""A Tistory blog on its own domain, in five skin layouts written for this project.

Each layout follows the structure of the official skin documentation (public repository
``tistory/document-tistory-skin``: ``contents/post.md``, ``protected.md``, ``comment.md``) and
what Tistory renders for its tokens: ``[##_article_rep_desc_##]`` becomes the editor's HTML inside
``<div class="tt_article_useless_p_margin contents_style">`` with ad units, the reaction/share
button bar and the "'…' 카테고리의 다른 글" box around it; ``<s_article_protected>`` replaces the
body with a password form (``entry<ID>password``, ``reloadEntry(<ID>)``); ``<s_rp>`` puts a guest
comment form (name, password, 비밀글 box) under every post. The skins differ in everything a
skin decides: containers, class names, author boxes, related posts, prev/next links, sidebars,
and which generation of the body wrapper the page carries. None is a copy of a published skin.

``TistorySite(articles, layout, protected_ids=...)`` is a site of the test kit (``tests/sites``:
``respond(path, host)`` and ``delivery(path)``, served by ``newsbot.demo.server.serve``):
robots.txt with its sitemap, ``/sitemap.xml``, ``/rss``, the index and category listings with
``?page=N``, ``/<id>`` posts, ``/notice/<id>`` and a 404 page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import quote, unquote, urlsplit

from newsbot.demo.outlet import Delivery, Response, SampleArticle, body_text

BLOG = "뉴스다오"
PAGE_SIZE = 10
HTML_TYPE = "text/html;charset=UTF-8"


@dataclass(frozen=True)
class Post:
    article: SampleArticle
    protected: bool = False

    @property
    def id(self) -> int:
        return self.article.id


# ---------------------------------------------------------------- what Tistory injects
def _revenue_unit(position: str) -> str:
    return (
        f'<!-- System - START --><div class="revenue_unit_wrap position_{position}">'
        '<div class="revenue_unit_item adfit"><div class="revenue_unit_info">728x90</div>'
        '<ins class="kakao_ad_area" style="display:none;" data-ad-unit="DAN-n3wsd4o" '
        'data-ad-width="728" data-ad-height="90"></ins>'
        '<script type="text/javascript" src="//t1.daumcdn.net/kas/static/ba.min.js" async>'
        "</script></div></div><!-- System - END -->"
    )


def _post_buttons(post: Post) -> str:
    a = post.article
    return (
        '<div class="container_postbtn #post_button_group"><div class="postbtn_like">'
        f"<script>window.ReactionButtonType = 'reaction';window.ReactionReqBody = "
        f"{{entryId: {a.id}}}</script>"
        f'<div class="wrap_btn" id="reaction-{a.id}" data-tistory-react-app="Reaction"></div>'
        '<div class="wrap_btn wrap_btn_share"><button type="button" class="btn_post sns_btn '
        f'btn_share" aria-expanded="false" data-thumbnail-url="" data-title="{escape(a.title)}" '
        f'data-description="{escape(a.summary[:80])}" data-profile-name="{BLOG}" '
        f'data-pc-url="/{a.id}" data-relative-pc-url="/{a.id}" data-blog-title="{BLOG}">'
        '<span class="ico_postbtn ico_share">공유하기</span></button>'
        '<div class="layer_post" id="tistorySnsLayer"></div></div>'
        f'<div class="wrap_btn wrap_btn_etc" data-entry-id="{a.id}" '
        'data-entry-visibility="public" data-category-visibility="public">'
        '<button type="button" class="btn_post btn_etc2" aria-expanded="false">'
        '<span class="ico_postbtn ico_etc">게시글 관리</span></button>'
        '<div class="layer_post" id="tistoryEtcLayer"></div></div></div>'
        '<button type="button" class="btn_menu_toolbar btn_subscription #subscribe" '
        'data-blog-id="5330001" data-url="/subscription" data-device="web_pc">'
        f'<em class="txt_state">구독하기</em><strong class="txt_tool_id">{BLOG}</strong>'
        "</button>"
        '<div class="postbtn_ccl" data-ccl-type="6" data-ccl-derive="2">'
        '<a href="https://creativecommons.org/licenses/by-nc-nd/4.0/deed.ko" target="_blank" '
        'class="link_ccl" rel="license"><span class="bundle_ccl"><span class="ico_postbtn '
        'ico_ccl1">저작자표시</span> <span class="ico_postbtn ico_ccl2">비영리</span> '
        '<span class="ico_postbtn ico_ccl3">변경금지</span></span>'
        '<span class="screen_out">(새창열림)</span></a></div>'
        '<div data-tistory-react-app="SupportButton"></div></div>'
    )


def _another_category(post: Post, others: list[Post]) -> str:
    category = post.article.category
    rows = "".join(
        f'<tr><th><a href="/{o.id}">{escape(o.article.title)}</a>&nbsp;&nbsp;'
        f"<span>(0)</span></th><td>{o.article.published:%Y.%m.%d}</td></tr>"
        for o in others
    )
    return (
        "<!-- PostListinCategory - START -->"
        '<div class="another_category another_category_color_gray">'
        f"<h4>'<a href=\"/category/{quote(category)}\">{escape(category)}</a>' "
        f"카테고리의 다른 글</h4><table>{rows}</table></div>"
        "<!-- PostListinCategory - END -->"
    )


def _with_mid_ad(body_html: str) -> str:
    """Tistory's in-article ad after the second paragraph (the "본문 중간" position)."""
    marker = "</p>"
    first = body_html.find(marker)
    second = body_html.find(marker, first + len(marker)) if first >= 0 else -1
    if second < 0:
        return body_html
    cut = second + len(marker)
    return body_html[:cut] + _revenue_unit("middle") + body_html[cut:]


def desc(post: Post, others: list[Post], generation: str = "current") -> str:
    """What ``[##_article_rep_desc_##]`` renders to, by the generation of the post."""
    body = post.article.body_html
    if generation == "current":  # both classes, ads above/inside/below, buttons, category box
        return (
            '<!-- inventory --><div data-tistory-react-app="NaverAd"></div>'
            + _revenue_unit("top")
            + '<div class="tt_article_useless_p_margin contents_style">'
            + _with_mid_ad(body)
            + "</div>"
            + _revenue_unit("bottom")
            + _post_buttons(post)
            + _another_category(post, others)
        )
    if generation == "contents_style":  # one class, an AdSense unit the blog added
        return (
            f'<div class="contents_style">{body}</div>'
            '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000" '
            'data-ad-slot="1234" data-ad-format="auto"></ins>'
            "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>"
            + _post_buttons(post)
            + _another_category(post, others)
        )
    if generation == "2016":  # the category box *inside* the wrapper, the old share plugin
        return (
            f'<div class="tt_article_useless_p_margin">{body}'
            + _another_category(post, others)
            + "</div>"
            '<div class="tt-plugin tt-share-entry-with-sns tt-sns-icon-alignment-left '
            'tt-sns-icon-color-colorful tt-sns-icon-size-big"><a class="tt-sns-icon '
            'tt-sns-icon-facebook" href="#"><div class="tt-sns-icon-container"></div></a>'
            '<a class="tt-sns-icon tt-sns-icon-twitter" href="#">트위터</a></div>'
        )
    if generation == "bare":  # an editor that left no wrapper: extraction must find the body
        return body + _post_buttons(post) + _another_category(post, others)
    raise ValueError(generation)


def protected_form(post: Post, style: str) -> str:
    """``<s_article_protected>`` as rendered: the skin's words, Tistory's field and handler."""
    pid = post.id
    field = (
        f'<input type="password" maxlength="16" id="entry{pid}password" '
        f'name="entry{pid}password" value="" '
        f'onkeydown="if (event.keyCode == 13) reloadEntry({pid});" />'
    )
    if style == "form":
        return (
            f'<div id="entry{pid}"><form class="protected_form" '
            f'onsubmit="{{reloadEntry({pid});return false;}}"><p class="txt">이 글은 보호되어 '
            f"있기 때문에 이것을 보려면 암호가 필요합니다.</p>{field}"
            '<button type="submit" class="btn">확인</button></form></div>'
        )
    if style == "hello":
        return (
            f'<div id="__protected"><div class="protected__icon"></div>'
            f"<p>보호되어 있는 글입니다.<br>내용을 보시려면 비밀번호를 입력하세요.</p>{field}</div>"
        )
    return (
        f'<div id="entry{pid}" class="entryProtected"><p>보호되어 있는 글입니다. 내용을 '
        f'보시려면 비밀번호를 입력하세요.</p><label for="entry{pid}password">비밀번호 ::</label>'
        f'{field}<input type="button" class="submit" value="submit" '
        f'onclick="reloadEntry({pid}); return false;" /></div>'
    )


def guest_comment_form(post: Post, comments: bool = True) -> str:
    """``<s_rp>``: the comments so far and the guest form (name, password, 비밀글)."""
    pid = post.id
    listing = (
        '<ol class="list_reply"><li class="rp_general"><div class="box_reply">'
        '<strong class="tit_reply">동네주민</strong><span class="txt_date">2024.06.12 10:21</span>'
        '<p class="txt_reply">정리 잘 봤습니다. 후속 소식도 부탁드려요.</p></div></li>'
        '<li class="rp_secret"><div class="box_reply"><strong class="tit_reply">익명</strong>'
        '<p class="txt_reply">비밀댓글입니다</p></div></li></ol>'
        if comments
        else ""
    )
    return (
        f'<div class="area_reply" id="entry{pid}Comment">{listing}'
        f'<form method="post" action="/comment/add/{pid}" onsubmit="return false" '
        'style="margin: 0"><fieldset><legend class="screen_out">댓글쓰기 폼</legend>'
        '<div class="reply_write"><input type="text" name="name" value="" placeholder="이름" '
        'title="이름"><input type="password" name="password" maxlength="12" value="" '
        'placeholder="비밀번호" title="비밀번호"></div>'
        '<textarea name="comment" cols="" rows="4" placeholder="여러분의 소중한 댓글을 '
        '입력해주세요" title="댓글 입력"></textarea><div class="reply_btn">'
        '<label class="lab_secret"><input type="checkbox" name="secret" id="secret"> 비밀글'
        "</label>"
        f'<button type="submit" class="btn_register" onclick="addComment(this, {pid}); '
        'return false;">등록</button></div></fieldset></form></div>'
    )


def head(post: Post | None, base: str, title: str) -> str:
    meta = (
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="https://tistory1.daumcdn.net/tistory/0/skin/style.css">'
        '<meta name="google-adsense-platform-domain" content="tistory.com">'
        f'<link rel="alternate" type="application/rss+xml" title="{BLOG}" href="{base}/rss">'
    )
    if post is None:
        return meta
    a = post.article
    url = f"{base}/{a.id}"
    ld = {
        "@context": "http://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@id": url, "name": None},
        "url": url,
        "headline": a.title,
        "description": a.summary,
        "author": {"@type": "Person", "name": "newsdao", "logo": None},
        "image": {"@type": "ImageObject", "url": f"{base}/res/og.jpg", "width": "800px"},
        "datePublished": a.published.isoformat(),
        "dateModified": (a.modified or a.published).isoformat(),
        "publisher": {"@type": "Organization", "name": "TISTORY"},
    }
    return meta + (
        '<script>window.T.config = {"TOP_SSL_URL":"https://www.tistory.com"};'
        f'window.T.entryInfo = {{"entryId":{a.id},"isAuthor":false}};'
        f'window.TistoryBlog = {{url:"{base}", tistoryUrl:"https://newsdao.tistory.com"}};'
        "</script>"
        '<meta property="og:type" content="article">'
        f'<meta property="og:url" content="{url}">'
        f'<meta property="og:site_name" content="{BLOG}">'
        f'<meta property="og:title" content="{escape(a.title)}">'
        f'<meta name="by" content="newsdao">'
        f'<meta property="og:description" content="{escape(a.summary)}">'
        f'<meta property="og:image" content="{base}/res/og.jpg">'
        '<meta property="article:section" content="\'뉴스\'">'
        f'<meta property="article:pc_view_url" content="https://newsdao.tistory.com/{a.id}">'
        f'<meta property="article:published_time" content="{a.published.isoformat()}">'
        f'<meta property="og:regDate" content="{a.published:%Y%m%d%I%M%S}">'
        f'<link rel="canonical" href="{url}">'
        '<!-- BEGIN STRUCTURED_DATA --><script type="application/ld+json">'
        + json.dumps(ld, ensure_ascii=False)
        + "</script><!-- END STRUCTURED_DATA -->"
    )


# ---------------------------------------------------------------- the skins
@dataclass(frozen=True)
class Layout:
    """One skin: how it frames a post, a protected post and a listing."""

    name: str
    generation: str  # which body wrapper its posts carry (see ``desc``)
    protected_style: str
    frame: Callable[[str, str, str], str]  # (title area, main area, sidebar) -> <body> content
    article: Callable[[Post, str, list[Post], str], str]  # (post, body or form, others, comments)


def _sidebar(posts: Iterable[Post], categories: Iterable[str]) -> str:
    recent = "".join(
        f'<li><a href="/{p.id}"><span class="title">{escape(p.article.title)}</span>'
        f'<span class="date">{p.article.published:%Y.%m.%d}</span></a></li>'
        for p in list(posts)[:5]
    )
    cats = "".join(
        f'<li><a href="/category/{quote(c)}" class="link_item">{escape(c)}</a></li>'
        for c in categories
    )
    return (
        f'<div class="module module_plugin"><h3>최근글</h3><ul>{recent}</ul></div>'
        f'<div class="module"><h3>카테고리</h3><ul class="tt_category"><li><a href="/category" '
        f'class="link_tit">분류 전체보기</a><ul class="category_list">{cats}</ul></li></ul></div>'
        '<div class="module"><h3>방문자</h3><p>Today 12 · Yesterday 340 · Total 120,034</p></div>'
    )


def _meta_line(post: Post) -> str:
    a = post.article
    return f"{a.published:%Y. %-m. %-d. %H:%M}"


def _odyssey_frame(title_area: str, main: str, side: str) -> str:
    return (
        '<div id="wrap"><header id="header"><div class="inner"><h1 class="logo">'
        f'<a href="/">{BLOG}</a></h1><nav class="gnb"><ul><li><a href="/category/뉴스">뉴스</a>'
        '</li><li><a href="/guestbook">방명록</a></li></ul></nav><form class="search" '
        'action="" onsubmit="return false"><input type="text" name="search" '
        'placeholder="Search"></form></div></header>'
        f'<div id="container"><main class="main"><div class="area-main">{title_area}{main}'
        f'</div></main><aside class="area-aside">{side}</aside></div>'
        f'<footer id="footer"><p class="copyright">© {BLOG}. Designed by skin author.</p>'
        "</footer></div>"
    )


def _odyssey_article(post: Post, body: str, others: list[Post], comments: str) -> str:
    a = post.article
    related = "".join(
        f'<li class="item-related"><a href="/{o.id}" class="link-related"><span '
        f'class="thumbnail" style="background-image:url(/res/t{o.id}.jpg)"></span>'
        f'<div class="box-info"><strong class="title">{escape(o.article.title)}</strong>'
        f'<span class="date">{o.article.published:%Y.%m.%d}</span></div></a></li>'
        for o in others[:4]
    )
    return (
        '<div class="area-view"><div class="article-header"><div class="inner">'
        f'<strong class="category">{escape(a.category)}</strong>'
        f'<h2 class="title-article">{escape(a.title)}</h2><div class="box-info">'
        f'<p class="date">{_meta_line(post)}</p></div></div></div>'
        f'<div class="article-view"><div class="entry-content" id="article-view">{body}</div>'
        '<div class="article-tag"><div class="box-tag"><strong>TAG</strong> '
        f'<a href="/tag/{quote(a.category)}" rel="tag">{escape(a.category)}</a>, '
        '<a href="/tag/정책" rel="tag">정책</a></div></div>'
        '<div class="article-author"><strong class="tit">WRITTEN BY</strong>'
        f'<div class="info"><strong class="name">{BLOG}</strong><p class="txt">매일 아침 '
        "정부 정책과 생활 정보를 빠르게 정리해 전하는 실시간 뉴스 블로그입니다.</p></div></div>"
        f'<div class="article-related"><h3 class="title-related">\'{escape(a.category)}\' '
        f'Related Articles</h3><ul class="list-related">{related}</ul></div>'
        f'<div class="article-reply">{comments}</div></div></div>'
    )


def _hello_frame(title_area: str, main: str, side: str) -> str:
    return (
        '<div id="dkIndex"><a href="#dkBody">본문 바로가기</a><a href="#dkGnb">메뉴 바로가기'
        '</a></div><div id="dkWrap" class="wrap_skin"><header class="header"><div '
        f'class="header__inner"><a class="header__logo" href="/">{BLOG}</a><nav id="dkGnb">'
        '<ul class="gnb"><li><a href="/">홈</a></li><li><a href="/tag">태그</a></li>'
        '<li><a href="/guestbook">방명록</a></li></ul></nav></div></header>'
        f'<main id="dkBody" class="content">{title_area}{main}</main>'
        f'<div class="sidebar" role="complementary">{side}</div>'
        '<footer class="footer"><p>Powered by Tistory, Designed by skin author</p></footer>'
        "</div>"
    )


def _hello_article(post: Post, body: str, others: list[Post], comments: str) -> str:
    a = post.article
    prev_next = "".join(
        f'<a href="/{o.id}" class="permalink__notify" id="{rel}"><span class="tit">{label}'
        f"</span><strong>{escape(o.article.title)}</strong></a>"
        for o, rel, label in zip(others[:2], ("prev", "next"), ("이전 글", "다음 글"), strict=False)
    )
    related = "".join(
        f'<li><a href="/{o.id}"><figure><img src="/res/t{o.id}.jpg" alt=""></figure>'
        f"<span>{escape(o.article.title)}</span></a></li>"
        for o in others[:3]
    )
    return (
        '<article class="permalink"><header class="permalink__header">'
        f'<a class="permalink__category" href="/category/{quote(a.category)}">'
        f'{escape(a.category)}</a><h1 class="permalink__title">{escape(a.title)}</h1>'
        f'<div class="permalink__meta"><span>{BLOG}</span><time>{_meta_line(post)}</time>'
        f'</div></header><div class="content permalink__content">{body}</div>'
        '<div class="permalink__tags"><a href="/tag/뉴스" rel="tag">#뉴스</a> '
        '<a href="/tag/속보" rel="tag">#속보</a></div>'
        '<div class="permalink__author"><div class="author__avatar"></div><div>'
        f'<strong class="author__name">{BLOG}</strong><p class="author__desc">정책 소식과 '
        "생활 정보를 전하는 뉴스 블로그. 궁금한 점은 방명록에 남겨 주세요.</p></div></div>"
        f'<nav class="permalink__nav">{prev_next}</nav>'
        f'<section class="permalink__related"><h2>관련 글</h2><ul>{related}</ul></section>'
        f'<section class="permalink__comments">{comments}</section></article>'
    )


def _bookclub_frame(title_area: str, main: str, side: str) -> str:
    return (
        '<div id="tistory_wrap"><div id="tistory_head"><h1 class="tit_blog"><a href="/">'
        f'{BLOG}</a></h1><div class="area_search"><input type="text" class="tf_search" '
        'name="search" value=""></div></div>'
        f'<div id="tistory_content"><div id="cMain">{title_area}{main}</div>'
        f'<div id="cSidebar" class="area_sidebar">{side}</div></div>'
        '<div id="tistory_foot"><div class="area_foot"><p class="info_copyright">'
        f"Copyright © {BLOG} All rights reserved.</p></div></div></div>"
    )


def _bookclub_article(post: Post, body: str, others: list[Post], comments: str) -> str:
    a = post.article
    related = "".join(
        f'<li><a href="/{o.id}?category=1" class="link_related"><span class="thumbnail">'
        f'</span><div class="box_content"><strong class="tit_related">'
        f'{escape(o.article.title)}</strong><span class="date">'
        f"{o.article.published:%Y.%m.%d}</span></div></a></li>"
        for o in others[:6]
    )
    return (
        f'<div class="area_title"><strong class="tit_category"><a href="/category/'
        f'{quote(a.category)}">{escape(a.category)}</a></strong>'
        f'<h3 class="tit_post">{escape(a.title)}</h3>'
        f'<span class="txt_detail my_post">{BLOG} · {_meta_line(post)}</span></div>'
        f'<div class="area_view" id="article-view">{body}</div>'
        '<div class="area_etc"><div class="area_tag"><h4 class="screen_out">태그</h4>'
        '<div class="tag_content"><a href="/tag/뉴스" rel="tag">뉴스</a>, '
        '<a href="/tag/정부" rel="tag">정부</a></div></div>'
        '<div class="related_type related_type_view"><h4 class="tit_related">관련글 관련글 '
        f'더보기</h4><ul class="list_related">{related}</ul></div></div>'
        f"{comments}"
    )


def _classic_frame(title_area: str, main: str, side: str) -> str:
    return (
        '<table id="layout" width="100%"><tr><td id="head" colspan="2">'
        f'<h1><a href="/">{BLOG}</a></h1><p class="desc">실시간 뉴스 속보</p></td></tr>'
        f'<tr><td id="body">{title_area}{main}</td><td id="sidebar">{side}</td></tr>'
        f'<tr><td id="foot" colspan="2">Blog is powered by Tistory / Designed by {BLOG}</td>'
        "</tr></table>"
    )


def _classic_article(post: Post, body: str, others: list[Post], comments: str) -> str:
    a = post.article
    return (
        f'<div class="entry" id="entry{a.id}"><div class="titleWrap"><h2>'
        f'<a href="/{a.id}">{escape(a.title)}</a></h2><span class="category">'
        f'<a href="/category/{quote(a.category)}">{escape(a.category)}</a></span> '
        f'<span class="date">{a.published:%Y/%m/%d %H:%M}</span></div>'
        f'<div class="article">{body}</div>'
        '<div class="tagTrail"><span class="tagText">Tag</span> '
        '<a href="/tag/뉴스" rel="tag">뉴스</a>, <a href="/tag/정책" rel="tag">정책</a></div>'
        f'<div class="actionTrail"><a href="#tb" onclick="">트랙백 0</a> '
        f'<a href="#rp" onclick="">댓글 2</a></div>'
        f'<div class="communicateTrail">{comments}</div></div>'
    )


def _magazine_frame(title_area: str, main: str, side: str) -> str:
    return (
        f'<div class="wrapper"><header class="site-header"><a href="/" class="site-title">'
        f'{BLOG}</a><ul class="menu"><li><a href="/category/뉴스">뉴스</a></li>'
        '<li><a href="/notice">공지사항</a></li></ul></header>'
        f'<div class="site-body"><div class="primary">{title_area}{main}</div>'
        f'<div class="secondary">{side}</div></div><footer class="site-footer">'
        f"<p>{BLOG} · 서울특별시 · 문의 newsdao@example.com</p></footer></div>"
    )


def _magazine_article(post: Post, body: str, others: list[Post], comments: str) -> str:
    a = post.article
    more = "".join(
        f'<div class="card"><a href="/{o.id}"><h4>{escape(o.article.title)}</h4>'
        f"<p>{escape(o.article.summary[:60])}</p></a></div>"
        for o in others[:3]
    )
    return (
        f'<div class="post-header"><p class="post-category">{escape(a.category)}</p>'
        f'<h1 class="post-title">{escape(a.title)}</h1><p class="post-meta">by {BLOG} · '
        f"{a.published:%Y.%m.%d}</p></div>"
        f'<div class="post-body article_view">{body}</div>'
        '<div class="post-author-box"><h5>WRITTEN BY</h5><p class="author-name">'
        f"{BLOG}</p><p>실시간 뉴스 속보와 정책 정보를 정리합니다. 구독하시면 새 글을 바로 "
        "받아보실 수 있습니다.</p></div>"
        f'<div class="more-posts"><h3>이 블로그의 인기글</h3>{more}</div>'
        f'<div class="post-comments">{comments}</div>'
    )


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("odyssey-like", "current", "entry", _odyssey_frame, _odyssey_article),
        Layout("hello-like", "current", "hello", _hello_frame, _hello_article),
        Layout("bookclub-like", "contents_style", "form", _bookclub_frame, _bookclub_article),
        Layout("classic-2016", "2016", "entry", _classic_frame, _classic_article),
        Layout("magazine-bare", "bare", "form", _magazine_frame, _magazine_article),
    )
}


class TistorySite:
    """The outlet: posts in one layout, with robots.txt, sitemap, RSS and listings."""

    def __init__(
        self,
        articles: Iterable[SampleArticle],
        layout: str,
        protected_ids: Iterable[int] = (),
        *,
        soft_404: bool = False,
    ) -> None:
        locked = set(protected_ids)
        self.soft_404 = soft_404  # missing posts answer 200 with the "absent post" page
        self.layout = LAYOUTS[layout]
        self.posts = sorted(
            (Post(a, a.id in locked) for a in articles), key=lambda p: p.id, reverse=True
        )
        self._by_id = {p.id: p for p in self.posts}
        self.categories = sorted({p.article.category for p in self.posts})

    def get(self, article_id: int) -> SampleArticle | None:
        post = self._by_id.get(article_id)
        return post.article if post else None

    def delivery(self, path: str) -> Delivery:
        """How the answer leaves: a normal one (faults wrap the site: tests/sites/faults.py)."""
        return Delivery()

    # ------------------------------------------------------------ pages
    def article_page(self, post: Post, base: str = "https://newsdao.kr") -> str:
        layout = self.layout
        same = [p for p in self.posts if p.article.category == post.article.category]
        others = [p for p in same if p.id != post.id][:5]
        if post.protected:
            body = protected_form(post, layout.protected_style)
            comments = ""
        else:
            body = desc(post, others, layout.generation)
            comments = guest_comment_form(post)
        main = layout.article(post, body, others, comments)
        side = _sidebar(self.posts, self.categories)
        return self._document(
            head(post, base, f"{post.article.title} :: {BLOG}"), layout.frame("", main, side)
        )

    def listing_page(self, posts: list[Post], page: int, path: str, base: str) -> str:
        items = "".join(
            f'<div class="post-item"><a href="/{p.id}"><span class="title">'
            f'{escape(p.article.title)}</span><span class="excerpt">'
            f"{escape('' if p.protected else p.article.summary[:100])}</span></a></div>"
            for p in posts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        )
        pages = (len(posts) + PAGE_SIZE - 1) // PAGE_SIZE
        paging = "".join(
            f'<a href="{path}?page={n}" class="link_page"><span class="'
            f'{"selected" if n == page else ""}">{n}</span></a>'
            for n in range(1, pages + 1)
        )
        main = f'<div class="list">{items}</div><div class="pagination">{paging}</div>'
        side = _sidebar(self.posts, self.categories)
        return self._document(head(None, base, BLOG), self.layout.frame("", main, side))

    @staticmethod
    def _document(head_html: str, body_html: str) -> str:
        return (
            f'<!doctype html><html lang="ko"><head>{head_html}</head>'
            f'<body id="tt-body-page">{body_html}</body></html>'
        )

    def respond(self, path: str, host: str) -> Response:
        base = f"http://{host}"
        parts = urlsplit(path)
        route = unquote(parts.path)
        page = int(parts.query.split("page=", 1)[1] or 1) if "page=" in parts.query else 1
        if route == "/robots.txt":
            text = f"User-agent: *\nDisallow: /owner\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
        if route == "/sitemap.xml":
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self._sitemap(base)
        if route == "/rss":
            return 200, {"Content-Type": "application/xml; charset=utf-8"}, self._rss(base)
        if route in ("/", "/category"):
            return self._html(self.listing_page(self.posts, page, route, base))
        if route.startswith("/category/"):
            name = route.split("/", 2)[2]
            posts = [p for p in self.posts if p.article.category == name]
            if posts:
                return self._html(self.listing_page(posts, page, route, base))
        if route.strip("/").isdigit():
            post = self._by_id.get(int(route.strip("/")))
            if post:
                return self._html(self.article_page(post, base))
        return 200 if self.soft_404 else 404, {"Content-Type": HTML_TYPE}, self._not_found(base)

    def _not_found(self, base: str) -> bytes:
        main = (
            '<div class="absent_post">존재하지 않는 <span class="br_line">'
            "페이지입니다.</span></div>"
        )
        html = self._document(head(None, base, f"TISTORY :: {BLOG}"), main)
        return html.encode()

    @staticmethod
    def _html(text: str) -> Response:
        return 200, {"Content-Type": HTML_TYPE}, text.encode("utf-8")

    def _sitemap(self, base: str) -> bytes:
        urls = "".join(
            f"<url><loc>{base}/{p.id}</loc>"
            f"<lastmod>{(p.article.modified or p.article.published).isoformat()}</lastmod></url>"
            for p in self.posts
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        ).encode()

    def _rss(self, base: str) -> bytes:
        items = "".join(
            f"<item><title>{escape(p.article.title)}</title><link>{base}/{p.id}</link>"
            f"<description>{escape(body_text(p.article.body_html)[:200])}</description>"
            f"<category>{escape(p.article.category)}</category>"
            f"<pubDate>{format_datetime(p.article.published)}</pubDate></item>"
            for p in self.posts[:10]
            if not p.protected
        )
        now = self.posts[0].article.published if self.posts else datetime.now()
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{BLOG}</title><link>{base}</link><description>{BLOG}</description>"
            f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>{items}</channel></rss>"
        ).encode()
