"""The default profile reproduces the whereispost seed post (tests/golden/whereispost-seed.md).

Regenerate the golden file after an intended change with
``NEWSBOT_UPDATE_GOLDEN=1 pytest tests/test_render_golden.py`` and review the diff by eye.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest
import yaml

from newsbot.config.sources import get_outlet
from newsbot.items import ArticleItem
from newsbot.profiles import load_profile
from newsbot.render import Folded, SingleQuoted, dump_front_matter, post_filename, render_post

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "whereispost-seed.md"
SEED = HERE.parent.parent / "shared" / "seed" / "whereispost-post.md"
SEOUL = ZoneInfo("Asia/Seoul")
NEWSDAO = get_outlet("newsdao").branding  # the bundled sources file

SEED_TITLE = "첨단기술 유출 경제안보 위협…총력 대응 시작!"
SEED_DESCRIPTION = (
    "관세청은 올해 국경단계에서 첨단기술 및 전략물자 불법유출 차단을 강화해 우리 기업의 "
    "경쟁력을 보호하고 경제안보 침해 행위에 총력 대응한다고 밝혔다."
)


def seed_article() -> ArticleItem:
    return ArticleItem(
        url="https://newsdao.kr/2927",
        outlet="newsdao",
        slug="newsdao-2927",
        title=SEED_TITLE,
        published=datetime(2024, 6, 12, 0, 30, tzinfo=ZoneInfo("UTC")),
        description=SEED_DESCRIPTION,
        category="경제",
        language="ko",
        body_html=(HERE / "golden" / "whereispost-seed.body.html").read_text(encoding="utf-8"),
        body_text=SEED_DESCRIPTION,
    )


def render_seed() -> str:
    post = render_post(seed_article(), load_profile("whereispost"), branding=NEWSDAO)
    assert post.relpath == "_posts/2024-06-12-newsdao-2927.md"
    return post.text


def test_golden_file() -> None:
    text = render_seed()
    if os.environ.get("NEWSBOT_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_golden_structure() -> None:
    post = frontmatter.loads(render_seed())
    assert list(post.metadata) == [
        "title",
        "categories",
        "excerpt",
        "feature_text",
        "image",
        "date",
        "last_modified_at",
        "source_url",
    ]
    assert post["title"] == SEED_TITLE
    assert post["categories"] == ["News"]
    excerpt = (
        "관세청은 올해 국경단계에서 첨단기술 및 전략물자 불법유출 차단을 강화해 "
        "우리 기업의 경쟁력을 보호하고…"
    )
    assert post["excerpt"] == excerpt + "\n"
    assert post["feature_text"] == "## whereispost 실시간 뉴스 속보입니다.\n" + excerpt + "\n"
    assert post["image"] == "/assets/img/newsdao_breakingnews.jpg"
    assert post["date"] == datetime(2024, 6, 12, 9, 30, tzinfo=SEOUL)
    assert post["source_url"] == "https://newsdao.kr/2927"
    lines = post.content.split("\n\n")
    assert lines[0] == "![뉴스다오 속보](/assets/img/newsdao_breakingnews.jpg)"
    assert lines[1] == (
        f'<p>출처: <a href="https://newsdao.kr/2927" rel="dofollow">{SEED_TITLE}</a> | 뉴스다오</p>'
    )
    assert lines[-1] == (
        '원하는 뉴스 찾아보기 👉 <a href="https://newsdao.kr" rel="dofollow">newsdao.kr</a>'
    )
    text = render_seed()
    assert "\nimage: '/assets/img/newsdao_breakingnews.jpg'\n" in text
    assert "\ndate: 2024-06-12T09:30:00+09:00\n" in text
    # no modified time on the page: the publication is the last change recorded
    assert "\nlast_modified_at: 2024-06-12T09:30:00+09:00\n" in text
    assert text.endswith("</a>\n") and not text.endswith("\n\n")


def test_date_uses_profile_timezone() -> None:
    article = seed_article()
    article.published = datetime(2024, 6, 11, 15, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 in Seoul
    assert post_filename(article, load_profile("whereispost")) == "2024-06-12-newsdao-2927.md"


def test_excerpt_falls_back_to_body_text() -> None:
    article = seed_article()
    article.description = ""
    article.body_text = (
        "첫 문장입니다.\n\n  둘째   문장은 좀 더 깁니다. 셋째 문장은 잘려야 할 만큼 아주 길고 "
        "깁니다. 넷째 문장은 발췌에 들어가지 않습니다."
    )
    post = frontmatter.loads(
        render_post(article, load_profile("whereispost"), branding=NEWSDAO).text
    )
    assert post["excerpt"] == (
        "첫 문장입니다. 둘째 문장은 좀 더 깁니다. "
        "셋째 문장은 잘려야 할 만큼 아주 길고 깁니다. 넷째 문장은…\n"
    )


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is absent")
    return SEED.read_text(encoding="utf-8")


def test_seed_has_our_keys_minus_date_modified_time_and_source_url(seed_text: str) -> None:
    seed = frontmatter.loads(seed_text)
    ours = frontmatter.loads(render_seed())
    extra = ("date", "last_modified_at", "source_url")
    assert list(seed.metadata) == [k for k in ours.metadata if k not in extra]
    assert seed["categories"] == ours["categories"]
    assert seed["image"] == ours["image"]
    assert seed["title"] == ours["title"]


def test_dumper_reproduces_seed_front_matter_bytes(seed_text: str) -> None:
    block = seed_text.split("---\n")[1]
    data = yaml.safe_load(block)
    again = dump_front_matter(
        {
            "title": data["title"],
            "categories": data["categories"],
            "excerpt": Folded(data["excerpt"]),
            "feature_text": Folded(data["feature_text"]),
            "image": SingleQuoted(data["image"]),
        }
    )
    assert again == block


def test_seed_layout_matches(seed_text: str) -> None:
    """Same furniture in the same places: cover, blank, source line, blank, body, closing."""
    ours = render_seed()
    for text in (seed_text, ours):
        content = text.split("---\n", 2)[2]
        assert content.startswith(
            "\n![뉴스다오 속보](/assets/img/newsdao_breakingnews.jpg)\n\n<p>출처: "
        )
        assert content.rstrip("\n").endswith(
            '\n\n원하는 뉴스 찾아보기 👉 <a href="https://newsdao.kr" rel="dofollow">newsdao.kr</a>'
        )
