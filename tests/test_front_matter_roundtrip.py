"""Hostile strings survive the front-matter dumper exactly (PyYAML writes, frontmatter reads)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import frontmatter
import pytest
import yaml

from newsbot.render import Folded, SingleQuoted, dump_front_matter, render_document

HOSTILE = [
    pytest.param("key: value", id="colon-space"),
    pytest.param("a # not a comment", id="hash"),
    pytest.param("# leading hash", id="leading-hash"),
    pytest.param("it's \"quoted\" 'both'", id="quotes"),
    pytest.param("'single at start", id="leading-single-quote"),
    pytest.param('"double at start', id="leading-double-quote"),
    pytest.param("*alias", id="leading-star"),
    pytest.param("&anchor value", id="leading-ampersand"),
    pytest.param("!tag value", id="leading-bang"),
    pytest.param("!!python/object:os.system", id="python-tag"),
    pytest.param("| literal", id="leading-pipe"),
    pytest.param("> folded", id="leading-gt"),
    pytest.param("---", id="doc-start"),
    pytest.param("...", id="doc-end"),
    pytest.param("a\n---\nb", id="doc-start-inside"),
    pytest.param("a\n...\nb", id="doc-end-inside"),
    *[pytest.param(w, id=f"bool-{w}") for w in ("yes", "no", "on", "off", "Yes", "NO", "y", "n")],
    pytest.param("true", id="true"),
    pytest.param("null", id="null"),
    pytest.param("~", id="tilde"),
    pytest.param("", id="empty"),
    pytest.param("1e3", id="float-exp"),
    pytest.param("0x1F", id="hex"),
    pytest.param("0o17", id="octal"),
    pytest.param("010", id="leading-zero"),
    pytest.param("1_000", id="underscore-int"),
    pytest.param(".inf", id="inf"),
    pytest.param("12:30:45", id="sexagesimal"),
    pytest.param("2024-06-12", id="date"),
    pytest.param("2024-06-12T09:30:00+09:00", id="timestamp"),
    pytest.param("line one\nline two", id="newline"),
    pytest.param("para one\n\npara two\n", id="blank-line"),
    pytest.param("tab\there", id="tab"),
    pytest.param("\tleading tab", id="leading-tab"),
    pytest.param("crlf\r\nline", id="crlf"),
    pytest.param("🔥 속보 🚨", id="emoji"),
    pytest.param("가" * 10_000, id="10k-hangul"),
    pytest.param("word " * 2_000, id="10k-words"),
    pytest.param("  leading spaces", id="leading-spaces"),
    pytest.param("trailing spaces  ", id="trailing-spaces"),
    pytest.param("   ", id="only-spaces"),
    pytest.param("%YAML 1.2", id="percent"),
    pytest.param("@mention", id="at"),
    pytest.param("`backtick`", id="backtick"),
    pytest.param("{a: 1}", id="flow-map"),
    pytest.param("[1, 2]", id="flow-seq"),
    pytest.param("{{ site.time }}", id="liquid"),
    pytest.param("- item", id="dash-item"),
    pytest.param("? key", id="question"),
    pytest.param("첨단기술 유출 경제안보 위협…총력 대응 시작!", id="hangul"),
    pytest.param("a\x85b\u2028c\u2029d", id="unicode-line-breaks"),
    pytest.param("\ufeffbom", id="bom"),
    pytest.param("nul\x00byte\x1b[31m", id="control-chars"),
    pytest.param("\\back\\slash\\", id="backslash"),
    pytest.param("<script>alert(1)</script>", id="html"),
    pytest.param("\n\nleading newlines", id="leading-newlines"),
    pytest.param("trailing newlines\n\n\n", id="trailing-newlines"),
    pytest.param("  indented\n more\nless", id="mixed-indent"),
]


def _roundtrip(data: dict[str, object]) -> dict[str, object]:
    text = render_document(data, "\nbody\n")
    post = frontmatter.loads(text)
    assert post.content == "body"
    # Jekyll's rule: the block ends at the first line that is exactly "---" or "...".
    block = re.match(r"---\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", text, re.S)
    assert block is not None
    assert (yaml.safe_load(block.group(1) or "") or {}) == post.metadata
    return dict(post.metadata)


@pytest.mark.parametrize("value", HOSTILE)
def test_plain_value(value: str) -> None:
    assert _roundtrip({"title": value}) == {"title": value}


@pytest.mark.parametrize("value", HOSTILE)
def test_folded_value(value: str) -> None:
    for text in (value, value + "\n"):
        assert _roundtrip({"excerpt": Folded(text)}) == {"excerpt": text}


@pytest.mark.parametrize("value", HOSTILE)
def test_single_quoted_value(value: str) -> None:
    assert _roundtrip({"image": SingleQuoted(value)}) == {"image": value}


@pytest.mark.parametrize("value", HOSTILE)
def test_list_item_and_many_keys(value: str) -> None:
    data: dict[str, object] = {
        "title": value,
        "categories": [value, "News"],
        "excerpt": Folded(value + "\n"),
        "feature_text": Folded("## heading\n" + value + "\n"),
        "image": SingleQuoted(value),
        "date": datetime(2024, 6, 12, 9, 30, tzinfo=ZoneInfo("Asia/Seoul")),
        "source_url": value,
    }
    assert _roundtrip(data) == {k: str(v) if isinstance(v, str) else v for k, v in data.items()}


def test_seed_style() -> None:
    text = dump_front_matter(
        {
            "title": "제목",
            "categories": ["News"],
            "excerpt": Folded("발췌…\n"),
            "feature_text": Folded("## whereispost 실시간 뉴스 속보입니다.\n발췌…\n"),
            "image": SingleQuoted("/assets/img/newsdao_breakingnews.jpg"),
            "date": datetime(2024, 6, 12, 9, 30, tzinfo=ZoneInfo("Asia/Seoul")),
            "draft": False,
        }
    )
    assert text == (
        "title: 제목\n"
        "categories:\n"
        "  - News\n"
        "excerpt: >\n"
        "  발췌…\n"
        "feature_text: >\n"
        "  ## whereispost 실시간 뉴스 속보입니다.\n"
        "\n"
        "  발췌…\n"
        "image: '/assets/img/newsdao_breakingnews.jpg'\n"
        "date: 2024-06-12T09:30:00+09:00\n"
        "draft: false\n"
    )


def test_long_korean_line_is_never_folded() -> None:
    line = "관세청은 올해 국경단계에서 첨단기술 " * 200
    assert dump_front_matter({"excerpt": Folded(line.strip() + "\n")}).count("\n") == 2


def test_fallback_is_quoted_not_folded() -> None:
    # Trailing spaces cannot live in a folded block: PyYAML's own quoting is used instead.
    assert dump_front_matter({"excerpt": Folded("x \n")}) == 'excerpt: "x \\n"\n'
    assert dump_front_matter({"excerpt": Folded("a\x85b\n")}).startswith('excerpt: "')


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        dump_front_matter({"date": datetime(2024, 6, 12)})
