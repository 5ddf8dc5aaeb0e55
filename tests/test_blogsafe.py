"""The sanitiser removes active content and keeps the article's formatting."""

from __future__ import annotations

import pytest

from newsbot.render.blogsafe import (
    escape_markdown_text,
    escape_text,
    html_body_for_markdown_file,
    html_to_markdown,
    neutralise_templates,
    sanitize_html,
)

DANGEROUS = [
    pytest.param("<script>alert(1)</script>ok", "alert", id="script"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok", "evil", id="script-src"),
    pytest.param("<style>body{display:none}</style>ok", "display", id="style"),
    pytest.param('<iframe src="https://evil.example"></iframe>ok', "evil", id="iframe"),
    pytest.param('<object data="x.swf"></object><embed src="x.swf">ok', "swf", id="object-embed"),
    pytest.param('<img src="x.png" onerror="alert(1)">ok', "onerror", id="onerror"),
    pytest.param('<p onclick="alert(1)">ok</p>', "onclick", id="onclick"),
    pytest.param('<a href="javascript:alert(1)">ok</a>', "javascript", id="javascript-url"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">ok</a>', "alert", id="javascript-mixed-case"),
    pytest.param('<a href=" javascript:alert(1)">ok</a>', "alert", id="javascript-leading-space"),
    pytest.param('<a href="java\tscript:alert(1)">ok</a>', "alert", id="javascript-tab"),
    pytest.param(
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">ok</a>',
        "alert",
        id="javascript-entities",
    ),
    pytest.param(
        '<a href="&#x6A;avascript&colon;alert(1)">ok</a>', "alert", id="javascript-hex-entity"
    ),
    pytest.param('<a href="vbscript:msgbox(1)">ok</a>', "vbscript", id="vbscript-url"),
    pytest.param(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ok</a>',
        "data:",
        id="data-url-link",
    ),
    pytest.param('<img src="data:image/svg+xml,<svg onload=alert(1)>">ok', "data:", id="data-img"),
    pytest.param("<svg onload=alert(1)><circle/></svg>ok", "onload", id="svg-onload"),
    pytest.param(
        "<math><mi xlink:href=javascript:alert(1)>x</mi></math>ok", "javascript", id="math"
    ),
    pytest.param('<form action="https://evil.example"><input name=a></form>ok', "form", id="form"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=https://evil.example">ok', "evil", id="meta"
    ),
    pytest.param('<base href="https://evil.example/">ok', "evil", id="base"),
    pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">ok', "evil", id="link"),
    pytest.param('<p style="background:url(javascript:alert(1))">ok</p>', "url(", id="style-url"),
    pytest.param('<p style="color: expression(alert(1))">ok</p>', "expression", id="style-expr"),
    pytest.param('<span style="position:fixed;top:0">ok</span>', "position", id="style-overlay"),
    pytest.param("<!-- <script>alert(1)</script> -->ok", "alert", id="comment"),
    pytest.param("<noscript><img src=x onerror=alert(1)></noscript>ok", "onerror", id="noscript"),
    pytest.param("<template><script>alert(1)</script></template>ok", "alert", id="template"),
    pytest.param('<div id="x" class="y" data-x="1">ok</div>', "class", id="attributes"),
]


@pytest.mark.parametrize(("html", "gone"), DANGEROUS)
def test_dangerous_content_removed(html: str, gone: str) -> None:
    clean = sanitize_html(html)
    assert gone.lower() not in clean.lower()
    assert "ok" in clean
    for converted in (html_body_for_markdown_file(html), html_to_markdown(clean)):
        assert gone.lower() not in converted.lower()


KEPT = [
    pytest.param("<h2>제목</h2>", "<h2>제목</h2>", id="heading"),
    pytest.param("<ul><li>하나</li><li>둘</li></ul>", "<li>둘</li>", id="list"),
    pytest.param('<ol start="3"><li>셋</li></ol>', '<ol start="3">', id="ordered-list"),
    pytest.param(
        '<table><tr><th>a</th></tr><tr><td colspan="2">b</td></tr></table>',
        '<td colspan="2">b</td>',
        id="table",
    ),
    pytest.param(
        "<b>굵게</b> <strong>강하게</strong>", "<b>굵게</b> <strong>강하게</strong>", id="bold"
    ),
    pytest.param("<em>기울임</em> <i>i</i>", "<em>기울임</em> <i>i</i>", id="emphasis"),
    pytest.param(
        '<a href="https://newsdao.kr/1" title="t">링크</a>',
        '<a href="https://newsdao.kr/1" title="t">링크</a>',
        id="link",
    ),
    pytest.param(
        '<img src="https://newsdao.kr/a.jpg" alt="사진">',
        '<img src="https://newsdao.kr/a.jpg" alt="사진">',
        id="image",
    ),
    pytest.param(
        '<b><span style="color: #ee2323;">강조</span></b>',
        '<span style="color: #ee2323;">강조</span>',
        id="colour",
    ),
    pytest.param("<blockquote>인용</blockquote>", "<blockquote>인용</blockquote>", id="quote"),
    pytest.param("<p>a<br>b</p><hr>", "<p>a<br>b</p><hr>", id="br-hr"),
    pytest.param("<pre><code>x = 1</code></pre>", "<pre><code>x = 1</code></pre>", id="code"),
    pytest.param('<a href="mailto:a@b.kr">메일</a>', 'href="mailto:a@b.kr"', id="mailto"),
]


@pytest.mark.parametrize(("html", "expected"), KEPT)
def test_formatting_kept(html: str, expected: str) -> None:
    assert expected in sanitize_html(html)


def test_img_without_src_and_empty_links_dropped() -> None:
    assert sanitize_html('<p><img alt="x"><img src="javascript:x">a</p>') == "<p>a</p>"
    assert sanitize_html('<p><a href="https://x.kr"> </a>b</p>') == "<p>b</p>"
    assert sanitize_html('<p><a href="javascript:x">text stays</a></p>') == "<p>text stays</p>"


def test_control_characters_dropped() -> None:
    assert sanitize_html("<p>a\x00b\x1bc</p>") == "<p>abc</p>"


@pytest.mark.parametrize(
    "text",
    ["{{ site.time }}", "{% raw %}", "{% endraw %}", "{% include evil.html %}", "{: .x}",
     "{::nomarkdown}", "{{< shortcode >}}", "{{% md %}}"],
)  # fmt: skip
def test_templates_neutralised(text: str) -> None:
    for out in (
        neutralise_templates(text),
        escape_text(text),
        escape_markdown_text(text),
        html_body_for_markdown_file(f"<p>{text}</p>"),
        html_to_markdown(f"<p>{text}</p>"),
    ):
        assert "{" not in out and "}" not in out
        assert "&#123;" in out


def test_markdown_links_in_text_are_inert() -> None:
    html = "<p>see [here](javascript:alert(1)) and [^1]</p>"
    assert "](" not in html_body_for_markdown_file(html)
    assert "\\[here\\]" in html_to_markdown(sanitize_html(html))


def test_escape_text() -> None:
    assert escape_text("R&D <b> \"q\" 'a'") == "R&amp;D &lt;b&gt; &quot;q&quot; 'a'"
    assert escape_markdown_text("[a](b) *c*") == "\\[a\\]\\(b\\) \\*c\\*"


def test_markdown_conversion() -> None:
    md = html_to_markdown(
        sanitize_html(
            '<h2>제목</h2><p><b>굵게</b> <a href="https://x.kr">링크</a></p><ul><li>a</li></ul>'
        )
    )
    assert "## 제목" in md and "**굵게**" in md and "[링크](https://x.kr)" in md and "- a" in md
