"""Through the real crawler into a real Jekyll site: hostile articles still build and show
their text literally; ``newsbot check`` agrees."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from tests.in_process import newsbot
from tests.newsbot_runner import read_posts
from tests.sites.tistory import TistorySite

pytestmark = pytest.mark.tool

# id: (title, body HTML, text the built page must show literally)
HOSTILE = {
    5501: (
        "제목: 콜론 # 해시 '따옴표' \"큰따옴표\"",
        "<p>{{ site.time }} 와 {% include evil.html %}</p>",
        ["{{ site.time }}", "{% include evil.html %}"],
    ),
    5502: (
        "{% raw %} 시작 {% endraw %} 끝",
        "<p>{% endraw %}{% for x in site.posts %}</p>",
        ["{% endraw %}{% for x in site.posts %}"],
    ),
    5503: (
        "--- yes: no",
        "<p><script>alert(1)</script><img src=x onerror=alert(2)>본문</p>",
        ["본문"],
    ),
    5504: (
        "{::nomarkdown} {: .evil}",
        '<p><a href="javascript:alert(3)">링크</a> {{< param x >}}</p>',
        ["링크 {{< param x >}}"],
    ),
}
FILLER = (
    "<p>이 문단은 기사 본문으로 인정받기에 충분한 길이를 채우기 위한 평범한 한국어 문장들로 "
    "이루어져 있습니다. 정부는 관련 제도를 손보겠다고 밝혔고, 시민들은 변화를 기대하고 "
    "있습니다. 세부 일정은 다음 달 발표될 예정이며, 관계 부처가 함께 준비하고 있습니다.</p>"
    "<p>두 번째 문단도 평범합니다. 지방자치단체들은 예산을 편성하고 설명회를 열어 주민들의 "
    "의견을 듣겠다고 했으며, 전문가들은 꾸준한 점검이 필요하다고 조언했습니다.</p>"
)


def hostile_site(samples, design: str = "news-cms") -> OutletSite | TistorySite:
    articles = [
        *samples[:2],
        *(
            replace(samples[0], id=article_id, title=title, body_html=body + FILLER)
            for article_id, (title, body, _) in HOSTILE.items()
        ),
    ]
    return OutletSite(articles) if design == "news-cms" else TistorySite(articles, "odyssey-like")


def write_jekyll_site(root: Path) -> None:
    (root / "_layouts").mkdir(parents=True)
    (root / "_layouts" / "default.html").write_text(
        "<html><body>{{ content }}</body></html>\n", encoding="utf-8"
    )
    (root / "_layouts" / "post.html").write_text(
        '---\nlayout: default\n---\n<h1 class="t">{{ page.title }}</h1>\n'
        '<p class="c">{{ page.categories | join: "," }}</p>\n{{ content }}\n',
        encoding="utf-8",
    )
    (root / "_config.yml").write_text(
        # the timezone keeps permalinks on the Seoul dates that the file names carry
        "title: test\ntimezone: Asia/Seoul\n"
        "defaults:\n  - scope: {path: ''}\n    values: {layout: post}\n",
        encoding="utf-8",
    )


@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed")
@pytest.mark.parametrize("design", ["news-cms", "tistory"])
def test_crawled_hostile_articles_build_with_jekyll_and_render_literally(
    design, serve_site, samples, tmp_path
):
    blog = tmp_path / "blog"
    write_jekyll_site(blog)
    base = serve_site(hostile_site(samples, design))
    # the hostile articles are a few lines each, under the teaser floor of a blog without
    # history (README "Health checks"): this test is about their markup, not their length
    hold = ("-s", "NEWSBOT_HOLD_SHORT=false")
    run = newsbot("crawl", "newsdao", "--base-url", base, "--output", blog, "--fast", *hold)
    assert run.code == exitcodes.OK, run.stderr
    posts = read_posts(blog)
    assert len(posts) == 2 + len(HOSTILE)

    site = tmp_path / "site"
    build = subprocess.run(
        ["jekyll", "build", "--safe", "--source", str(blog), "--destination", str(site)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    assert "evil.html" not in build.stderr

    for name, post in posts.items():
        stem = re.sub(r"^(\d{4})-(\d{2})-(\d{2})-", r"\1/\2/\3/", Path(name).stem)
        page = site / "news" / f"{stem}.html"  # Jekyll's default permalink
        assert page.is_file(), f"no page for {name}: {sorted(site.rglob('*.html'))[:5]}"
        shown = html.unescape(page.read_text(encoding="utf-8"))
        assert post["title"] in shown  # the title, literally
        assert "News" in shown and post["source_url"] in shown
        assert "<script" not in shown and "onerror" not in shown and "javascript:" not in shown
        article_id = int(post["source_url"].rsplit("/", 1)[1])
        for literal in HOSTILE.get(article_id, ("", "", []))[2]:
            assert literal in shown, literal  # template syntax shown, not run

    check = newsbot("check", blog)
    assert check.code == exitcodes.OK, check.stdout + check.stderr


def test_check_warns_when_the_jekyll_site_has_no_timezone(serve_site, samples, tmp_path):
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / "_config.yml").write_text("title: test\n", encoding="utf-8")
    base = serve_site(OutletSite(samples[:2]))
    assert newsbot("crawl", "newsdao", "--base-url", base, "--output", blog, "--fast").code == 0
    check = newsbot("check", blog, "--no-build")
    assert check.code == exitcodes.OK  # a warning, not a failure
    assert "sets no timezone" in check.stdout and "timezone: Asia/Seoul" in check.stdout
