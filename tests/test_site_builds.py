"""Hostile articles, rendered by ``render_post``, build with real Jekyll and Hugo.

``CASES`` is the table of hostile inputs and the result each must have; the closing note of the
work quotes it. Every case becomes one post in a minimal Jekyll site (whereispost profile) and one
in a minimal Hugo site (hugo profile); both are built with the real tools (skipped when absent)
and each page is checked: it exists at the expected permalink and shows the title, the body
marker, the categories and the source link -- literally, for the template-syntax cases -- and no
page anywhere carries a script, an event handler or a script URL.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsbot.blog.post_checks import check_posts
from newsbot.blog.site_build import build_site
from newsbot.config.sources import get_outlet
from newsbot.items import ArticleItem
from newsbot.profiles import Profile, load_profile
from newsbot.render import render_post
from newsbot.render.post import clean_line, post_slug

BRANDING = get_outlet("newsdao").branding  # the bundled sources file
PUBLISHED = datetime(2024, 6, 12, 9, 30, tzinfo=ZoneInfo("Asia/Seoul"))
EVIL = "EVIL-INCLUDED-MARKER"


@dataclass(frozen=True)
class Case:
    id: str
    result: str  # what must happen (quoted in the closing note)
    title: str = "평범한 제목"
    body: str = "<p>평범한 본문</p>"
    slug: str | None = None  # default: "case-<id>"
    category: str | None = None
    url: str | None = None
    literal: tuple[str, ...] = ()  # must appear in the page text exactly (after entity decoding)
    absent: tuple[str, ...] = ()  # must not appear in the page's HTML (case-insensitive)
    expect_slug: str | None = None  # the file-name slug the renderer must choose


CASES: list[Case] = [
    # --- template syntax: Liquid, kramdown, Hugo shortcodes -------------------------------------
    Case("liquid-output", "literal", title="{{ site.time }} 속보", body="<p>{{ site.time }}</p>",
         literal=("{{ site.time }}",)),
    Case("liquid-raw", "literal", body="<p>{% raw %} 열림</p>", literal=("{% raw %} 열림",)),
    Case("liquid-endraw", "literal", body="<p>{% endraw %}{{ site.time }}</p>",
         literal=("{% endraw %}{{ site.time }}",)),
    Case("liquid-include", "literal, nothing included",
         body="<p>{% include evil.html %}</p>", literal=("{% include evil.html %}",)),
    Case("liquid-for-unclosed", "literal, build still succeeds",
         body="<p>{% for p in site.posts %}{{ p.title }}</p>",
         literal=("{% for p in site.posts %}{{ p.title }}",)),
    Case("liquid-comment-unclosed", "literal", body="<p>{% comment %} 주석</p>",
         literal=("{% comment %} 주석",)),
    Case("liquid-in-title", "literal title", title="{% raw %} {{ page.url }} {% endraw %}",
         literal=("{% raw %} {{ page.url }} {% endraw %}",)),
    Case("kramdown-nomarkdown", "literal braces, script removed",
         body="<p>{::nomarkdown}<script>alert(1)</script>{:/}</p>",
         literal=("{::nomarkdown}{:/}",), absent=("<script", "alert(1)")),
    Case("kramdown-ial", "literal, no attribute added",
         body='<p>문단</p>\n{: .x onclick="alert(1)"}', literal=('{: .x onclick="alert(1)"}',)),
    Case("kramdown-options", "literal",
         body='<p>{::options parse_block_html="true" /}</p>',
         literal=('{::options parse_block_html="true" /}',)),
    Case("hugo-shortcode", "literal", title="{{< param title >}}",
         body='<p>{{< param title >}} {{% readfile "/etc/passwd" %}}</p>',
         literal=("{{< param title >}}", '{{% readfile "/etc/passwd" %}}'), absent=("root:x:",)),
    Case("hugo-go-template", "literal", body="<p>{{ .Site.Params }} {{ os.Getenv \"HOME\" }}</p>",
         literal=('{{ .Site.Params }} {{ os.Getenv "HOME" }}',)),
    # --- YAML-hostile titles ---------------------------------------------------------------------
    Case("title-colon-hash", "title verbatim", title="속보: 정부 발표 #1 # 주석 아님"),
    Case("title-quotes", "title verbatim", title="\"큰따옴표\" 'single' it's"),
    Case("title-yaml-indicators", "title verbatim",
         title="*별표 &앰퍼 !느낌 |파이프 >꺾쇠 %퍼센트 @골뱅이 `백틱`"),
    Case("title-doc-markers", "title verbatim", title="--- 문서 ... 경계"),
    Case("title-only-dashes", "title verbatim", title="---"),
    Case("title-yes", "stays the string 'yes'", title="yes"),
    Case("title-null", "stays the string 'null'", title="null"),
    Case("title-number", "stays the string '1e3'", title="1e3"),
    Case("title-date", "stays the string '2024-06-12'", title="2024-06-12"),
    Case("title-flow", "title verbatim", title="{a: 1} [b, c]"),
    Case("title-newlines", "collapsed to one line", title="첫 줄\n둘째 줄\r\n셋째"),
    Case("title-controls", "control characters dropped", title="탭\t제어\x00문자\x1b[31m끝"),
    Case("title-emoji", "title verbatim", title="🔥 속보 🚨 👉"),
    Case("title-very-long", "title verbatim, not folded", title="아주 긴 제목 " * 300),
    Case("title-html", "shown as text, no tag", title="<script>alert(1)</script> <b>제목</b>",
         absent=("<script", "<b>제목")),
    Case("title-markdown-link", "shown as text, no link", title="[클릭](javascript:alert(1))",
         absent=('href="javascript',)),
    # --- HTML-hostile bodies ---------------------------------------------------------------------
    Case("body-script", "removed", body="<p>앞</p><script>alert('x')</script><p>뒤</p>",
         literal=("앞", "뒤"), absent=("<script", "alert(")),
    Case("body-img-onerror", "handler removed, image kept",
         body='<p><img src="https://newsdao.kr/a.jpg" onerror="alert(1)">사진</p>',
         literal=("사진",), absent=("onerror",)),
    Case("body-javascript-link", "link text kept, URL removed",
         body='<p><a href="JaVaScRiPt:alert(1)">링크글</a></p>', literal=("링크글",),
         absent=("javascript:",)),
    Case("body-entity-javascript", "link text kept, URL removed",
         body='<p><a href="&#106;avascript&#58;alert(1)">엔티티</a></p>', literal=("엔티티",),
         absent=("javascript", "#106;")),
    Case("body-svg-onload", "removed", body="<svg onload=alert(1)><p>svg글</p></svg>",
         literal=("svg글",), absent=("<svg", "onload")),
    Case("body-iframe-style", "removed",
         body='<iframe src="https://evil.example"></iframe><style>*{x:y}</style><p>남음</p>',
         literal=("남음",), absent=("<iframe", "evil.example", "<style")),
    Case("body-data-url", "removed",
         body='<p><img src="data:image/svg+xml;base64,PHN2Zz4=">데이터</p>',
         literal=("데이터",), absent=("data:image",)),
    Case("body-markdown-link", "literal text, no link",
         body="<p>[눌러](javascript:alert(1))</p>\n[x]: javascript:alert(2)",
         literal=("[눌러](javascript:alert(1))",), absent=('href="javascript',)),
    Case("body-unclosed-tags", "balanced by the sanitiser", body="<p><b>열린 태그<div>안쪽",
         literal=("열린 태그", "안쪽")),
    Case("body-comment", "removed", body="<!-- {{ site.time }} --><p>주석뒤</p>",
         literal=("주석뒤",), absent=("<!--",)),
    Case("body-controls", "control characters dropped", body="<p>널\x00문자\x1b끝</p>",
         literal=("널문자끝",)),
    Case("body-empty-html", "paragraphs from body_text", body="", literal=("본문 텍스트 대체",)),
    Case("body-bare-text-markdown", "Markdown syntax stays inert text",
         body="# 제목 아님\n\n* 별표 <b>굵게</b> [a]: /x", literal=("굵게",)),
    # --- file-name hostile slugs -----------------------------------------------------------------
    Case("slug-traversal", "stays in the posts folder", slug="../../etc/passwd",
         expect_slug="etc-passwd-3754d6cb"),
    Case("slug-absolute", "stays in the posts folder", slug="/etc/passwd",
         expect_slug="etc-passwd-74acf318"),
    Case("slug-very-long", "cut to 80 characters", slug="a" * 500,
         expect_slug="a" * 71 + "-" + "69206a47"),
    Case("slug-nul", "NUL becomes a dash", slug="news\x00dao", expect_slug="news-dao-d58317f0"),
    Case("slug-spaces", "spaces become dashes", slug="hello world  again",
         expect_slug="hello-world-again-98282547"),
    Case("slug-hangul", "hash name (no ASCII left)", slug="뉴스-속보", expect_slug="post-2dfc92c6"),
    Case("slug-empty", "hash of the URL", slug="", expect_slug="post-310d535a"),
    Case("slug-dots", "hash name", slug="..", expect_slug="post-5ec1f7e7"),
    Case("slug-upper-underscore", "lowercased", slug="News_DAO_4082",
         expect_slug="news-dao-4082-ae54f4f2"),
    Case("slug-backslash", "stays in the posts folder", slug="a\\..\\b",
         expect_slug="a-b-46fd7901"),
    # --- URLs and categories ---------------------------------------------------------------------
    Case("url-quote-break", "quotes percent-encoded in href",
         url='https://newsdao.kr/1?a="><script>alert(1)</script>', absent=("<script",)),
    Case("category-hostile", "category verbatim (Hugo: article's category)",
         category="{{ site }} ../경제 <i>"),
]  # fmt: skip


def _article(index: int, case: Case) -> ArticleItem:
    return ArticleItem(
        url=case.url or f"https://newsdao.kr/{9000 + index}",
        outlet="newsdao",
        slug=f"case-{case.id}" if case.slug is None else case.slug,
        title=case.title,
        published=PUBLISHED,
        description=f"{case.title} 설명 문장입니다. " * 3,
        category=case.category,
        tags=["태그", case.id],
        body_html=case.body,
        body_text="본문 텍스트 대체 문장입니다.\n\n둘째 문단입니다.",
    )


ARTICLES = [(case, _article(i, case)) for i, case in enumerate(CASES)]


def test_case_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect_slug], ids=lambda c: c.id)
def test_slug_cases(case: Case) -> None:
    index = CASES.index(case)
    for name in ("whereispost", "hugo"):
        profile = load_profile(name)
        slug = post_slug(_article(index, case), profile)
        assert slug == case.expect_slug
        post = render_post(_article(index, case), profile, branding=BRANDING)
        folder, _, filename = post.relpath.rpartition("/")
        assert folder == profile.posts_dir and "/" not in filename and "\\" not in filename
        assert len(slug) <= profile.slug_max_length


def test_rendered_posts_pass_check(tmp_path: Path) -> None:
    for name in ("whereispost", "newsdao-sister", "hugo"):
        profile = load_profile(name)
        root = tmp_path / name
        _write_posts(root, profile)
        assert [str(p) for p in check_posts(root, profile)] == []


# --- the sites ----------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "style", "form"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}=")
            if name in ("href", "src") and value.startswith(("javascript:", "vbscript:", "data:")):
                self.bad.append(f"{tag} {name}={value}")
            if tag == "a" and name == "href":
                self.hrefs.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _write_posts(root: Path, profile: Profile) -> dict[str, str]:
    """Render every case into `root`; returns case id -> relpath."""
    paths = {}
    for case, article in ARTICLES:
        post = render_post(article, profile, branding=BRANDING)
        target = root / post.relpath
        assert target.resolve().is_relative_to((root / profile.posts_dir).resolve())
        assert not target.exists(), f"{case.id}: file name collides: {post.relpath}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(post.text, encoding="utf-8")
        paths[case.id] = post.relpath
    return paths


# Hugo's goldmark typographer turns quotes, dashes and dots into typographic ones.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "–": "--"})


def _words(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).replace("—", "---").split())


def _check_pages(pages: dict[str, Path], profile: Profile, out: Path) -> None:
    failures = []
    for case, article in ARTICLES:
        page_path = pages[case.id]
        if not page_path.is_file():
            failures.append(f"{case.id}: no page at {page_path.relative_to(out)}")
            continue
        raw = page_path.read_text(encoding="utf-8")
        page = _parse(page_path)
        text = _words(" ".join(page.text))
        title = _words(clean_line(article.title))
        if title not in text:
            failures.append(f"{case.id}: title {title[:40]!r} not shown")
        for literal in case.literal:
            if _words(literal) not in text:
                failures.append(f"{case.id}: {literal!r} not shown literally")
        for gone in case.absent:
            if gone.lower() in raw.lower():
                failures.append(f"{case.id}: {gone!r} present in the HTML")
        expected_category = case.category if profile.category_policy == "article" else None
        category = _words(expected_category or "News")
        if category not in text:
            failures.append(f"{case.id}: category {category!r} not shown")
        if not any(h.startswith("https://newsdao.kr/") for h in page.hrefs):
            failures.append(f"{case.id}: no source link in {page.hrefs}")
        if case.url is None and article.url not in page.hrefs:
            failures.append(f"{case.id}: source link {article.url} missing")
        if case.url is not None and not any('"' not in h and "<" not in h for h in page.hrefs):
            failures.append(f"{case.id}: source URL not encoded")
    for path in out.rglob("*.html"):
        body = path.read_text(encoding="utf-8")
        if EVIL in body:
            failures.append(f"{path.relative_to(out)}: an include was executed")
        bad = _parse(path).bad
        if bad:
            failures.append(f"{path.relative_to(out)}: active content {bad}")
    assert not failures, "\n".join(failures)


JEKYLL_CONFIG = """\
title: newsbot hostile-case test
timezone: Asia/Seoul
permalink: /:year/:month/:day/:title/
markdown: kramdown
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post}
"""
JEKYLL_DEFAULT = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body>{{ content }}</body></html>
"""
JEKYLL_POST = """\
---
layout: default
---
<h1 class="title">{{ page.title }}</h1>
<p class="categories">{{ page.categories }}</p>
<article>{{ content }}</article>
"""


@pytest.mark.tool
def test_jekyll_builds_hostile_posts(tmp_path: Path) -> None:
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed")
    profile = load_profile("whereispost")
    site = tmp_path / "blog"
    (site / "_layouts").mkdir(parents=True)
    (site / "_includes").mkdir()
    (site / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
    (site / "_layouts" / "default.html").write_text(JEKYLL_DEFAULT, encoding="utf-8")
    (site / "_layouts" / "post.html").write_text(JEKYLL_POST, encoding="utf-8")
    (site / "_includes" / "evil.html").write_text(EVIL, encoding="utf-8")
    relpaths = _write_posts(site, profile)
    out = tmp_path / "out"
    result = build_site(site, "jekyll", destination=out)
    assert result.ok, result.output
    pages = {
        case_id: out
        / "2024"
        / "06"
        / "12"
        / Path(rel).stem.removeprefix("2024-06-12-")
        / "index.html"
        for case_id, rel in relpaths.items()
    }
    _check_pages(pages, profile, out)
    assert not (site / ".jekyll-cache").exists()


HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "ko"
title = "newsbot hostile-case test"
timeZone = "Asia/Seoul"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1 class="title">{{ .Title }}</h1>
<p class="categories">{{ range .Params.categories }}{{ . }} {{ end }}</p>
<article>{{ .Content }}</article></body></html>
"""
HUGO_LIST = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


@pytest.mark.tool
def test_hugo_builds_hostile_posts(tmp_path: Path) -> None:
    if shutil.which("hugo") is None:
        pytest.skip("hugo is not installed")
    profile = load_profile("hugo")
    site = tmp_path / "blog"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    relpaths = _write_posts(site, profile)
    out = tmp_path / "out"
    result = build_site(site, "hugo", destination=out)
    assert result.ok, result.output
    pages = {
        case_id: out / "posts" / Path(rel).stem / "index.html" for case_id, rel in relpaths.items()
    }
    _check_pages(pages, profile, out)
    assert not (site / ".hugo_build.lock").exists()


# --- newsbot check ------------------------------------------------------------------------------

BROKEN_POSTS = {
    "2024-06-12-bad-yaml.md": "---\ntitle: [unclosed\n---\nbody\n",
    "2024-06-12-no-front-matter.md": "just text\n",
    "2024-06-12-missing-keys.md": "---\ntitle: x\ndate: 2024-06-12T09:30:00+09:00\n---\nbody\n",
    "2024-06-12-naive-date.md": (
        "---\ntitle: x\ndate: 2024-06-12 09:30:00\nsource_url: https://newsdao.kr/2\n---\nb\n"
    ),
    "2024-06-12-dup.md": (
        "---\ntitle: x\ndate: 2024-06-12T09:30:00+09:00\nsource_url: https://newsdao.kr/9000\n"
        "---\nbody\n"
    ),
    "Bad Name.md": "---\ntitle: x\ndate: 2024-06-12T09:30:00+09:00\nsource_url: https://a.kr/3\n---\n",
    "2024-06-12-unsafe.md": (
        "---\ntitle: <b>x</b>\ndate: 2024-06-12T09:30:00+09:00\nsource_url: https://a.kr/4\n---\n"
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:x">l</a>\n'
        "{{ site.time }} {% include x.html %} {: .cls}\n"
    ),
    "2024-06-13-wrong-day.md": (
        "---\ntitle: x\ndate: 2024-06-12T09:30:00+09:00\nsource_url: https://a.kr/5\n---\nb\n"
    ),
}
EXPECTED_PROBLEMS = [
    ("2024-06-12-bad-yaml.md", "front matter does not parse"),
    ("2024-06-12-no-front-matter.md", "does not start with a '---' front-matter block"),
    ("2024-06-12-missing-keys.md", "missing front-matter key(s): "),
    ("2024-06-12-naive-date.md", "'date' has no UTC offset"),
    ("2024-06-12-dup.md", "duplicate source_url https://newsdao.kr/9000"),
    ("Bad Name.md", "file name does not match '{date}-{slug}.md'"),
    ("2024-06-12-unsafe.md", "body contains a <script> tag"),
    ("2024-06-12-unsafe.md", "body contains an on...= event handler"),
    ("2024-06-12-unsafe.md", "body contains a javascript:/vbscript:/data: URL"),
    ("2024-06-12-unsafe.md", "body contains unescaped template syntax"),
    ("2024-06-12-unsafe.md", "body contains unescaped kramdown syntax"),
    ("2024-06-12-unsafe.md", "front-matter 'title' has raw HTML"),
    ("2024-06-13-wrong-day.md", "file name date differs from 'date'"),
]


def test_check_command_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsbot.cli import main

    _write_posts(tmp_path, load_profile("whereispost"))
    assert main(["check", str(tmp_path), "--no-build"]) == 0
    out = capsys.readouterr().out
    assert f"{len(CASES)} posts" in out and "0 problem(s)" in out


def test_check_command_reports_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbot.cli import main

    _write_posts(tmp_path, load_profile("whereispost"))
    for name, text in BROKEN_POSTS.items():
        (tmp_path / "_posts" / name).write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-build"]) == 5
    lines = capsys.readouterr().out.splitlines()
    for name, message in EXPECTED_PROBLEMS:
        assert any(line.startswith(f"_posts/{name}: ") and message in line for line in lines), (
            name,
            message,
            lines,
        )
    assert lines[-1] == "build: skipped (--no-build)"


def test_check_command_bad_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsbot.cli import main

    assert main(["check", str(tmp_path), "--profile", "nope", "--no-build"]) == 2
    assert "no such bundled profile" in capsys.readouterr().out


@pytest.mark.tool
def test_check_command_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed")
    from newsbot.cli import main

    (tmp_path / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "post.html").write_text(JEKYLL_POST, encoding="utf-8")
    (tmp_path / "_layouts" / "default.html").write_text(JEKYLL_DEFAULT, encoding="utf-8")
    _write_posts(tmp_path, load_profile("whereispost"))
    assert main(["check", str(tmp_path)]) == 0
    assert "build: ok (jekyll)" in capsys.readouterr().out
    (tmp_path / "_layouts" / "post.html").write_text("{% if %}", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 5
    assert "build: FAILED (jekyll" in capsys.readouterr().out
