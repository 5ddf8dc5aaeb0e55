"""Bundled profiles load; bad profiles fail with a message naming file, key and problem."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

import frontmatter
import pytest

from newsbot.config.sources import get_outlet
from newsbot.items import ArticleItem
from newsbot.profiles import BUNDLED, Profile, ProfileError, load_profile
from newsbot.render import render_post

NEWSDAO = get_outlet("newsdao").branding  # the bundled sources file

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
CORPUS_FILE = CORPUS / "newsdao-articles.jsonl"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_profiles_load(name: str) -> None:
    profile = load_profile(name)
    assert isinstance(profile, Profile)
    assert profile.name == name
    assert "source_url" in profile.front_matter and "date" in profile.front_matter


def test_profile_by_path_and_frozen(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nexcerpt_chars: 30\n", encoding="utf-8")
    profile = load_profile(str(path))
    assert profile.excerpt_chars == 30 and profile.generator == "jekyll"
    with pytest.raises(ValueError):
        profile.excerpt_chars = 10  # type: ignore[misc]


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert str(path) in message
    return message


def test_unknown_key(tmp_path: Path) -> None:
    assert "unknown key 'foo'" in _error(tmp_path, "name: x\nfoo: 1\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("excerpt_chars: sixty", "'excerpt_chars' must be an integer"),
        ("excerpt_chars: '60'", "'excerpt_chars' must be an integer"),
        ("excerpt_chars: true", "'excerpt_chars' must be an integer"),
        ("excerpt_chars: 0", "'excerpt_chars'"),
        ("blog_name: 5", "'blog_name' must be a string"),
        ("front_matter_html_escape: 'yes'", "'front_matter_html_escape' must be true or false"),
        ("generator: wordpress", "'generator' must be one of 'jekyll' or 'hugo'"),
        ("image_policy: random", "'image_policy' must be one of"),
        ("categories: News", "'categories' must be a list"),
        ("categories: [News, 3]", "'categories[1]' must be a string"),
        ("front_matter: [title, date]", "must include 'source_url'"),
        ("front_matter: [title, date, source_url, bogus]", "unknown front-matter key(s) 'bogus'"),
        ("posts_dir: ../outside", "'posts_dir'"),
        ("filename: '{date}-{id}.md'", "unknown placeholder(s) {id}"),
        ("filename: '{slug}.md'", "must start with '{date}-' for a Jekyll profile"),
        ("header_lines: ['{nope}']", "'header_lines'"),
        ("timezone: Mars/Olympus", "unknown time zone"),
        ("cover_image: 'javascript:alert(1)'", "'cover_image'"),
    ],
)
def test_bad_values(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, "name: x\n" + text + "\n")


def test_every_problem_is_reported(tmp_path: Path) -> None:
    message = _error(tmp_path, "name: x\nfoo: 1\nbar: 2\nexcerpt_chars: many\n")
    lines = message.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("profile ") for line in lines)
    assert "'foo'" in message and "'bar'" in message and "'excerpt_chars'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("- a\n- b\n", "must be a mapping"), ("name: [unclosed\n", "invalid YAML")],
)
def test_not_a_profile(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, text)


def test_missing_profile() -> None:
    with pytest.raises(ProfileError, match="no such bundled profile"):
        load_profile("nonexistent")
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile("/nonexistent/profile.yaml")


# --- the sister profile against the corpus ------------------------------------------------------


def _corpus(limit: int) -> list[dict[str, str]]:
    if not CORPUS_FILE.is_file():
        pytest.skip(f"{CORPUS_FILE} is absent")
    with CORPUS_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.mark.corpus
def test_sister_profile_matches_corpus_structure() -> None:
    profile = load_profile("newsdao-sister")
    records = _corpus(200)
    for record in records:
        theirs = frontmatter.loads(record["post_text"])
        article = ArticleItem(
            url=record["url"],
            outlet="newsdao",
            slug=f"newsdao-{record['id']}",
            title=record["source_title"],
            description=record["excerpt"].rstrip("…") + " 그리고 이어지는 설명 문장입니다.",
            body_html=record["body_html"],
            published=datetime.fromisoformat(record["post_date"] + "T09:00:00+09:00"),
        )
        post = render_post(article, profile, branding=NEWSDAO)
        assert post.relpath == f"_posts/{record['post_date']}-newsdao-{record['id']}.md"
        ours = frontmatter.loads(post.text)
        # Same keys in the same order, plus the three every Jekyll profile adds.
        extra = ["date", "last_modified_at", "source_url"]
        assert list(ours.metadata) == [*theirs.metadata, *extra]
        assert ours["feature_image"] == theirs["feature_image"]
        assert ours["image"] == theirs["image"]
        if theirs["categories"] == ["News"]:
            assert ours["categories"] == theirs["categories"]
        # Excerpt: 60 characters + "…" (the corpus keeps double spaces; we collapse them).
        assert ours["excerpt"].endswith("…\n") and theirs["excerpt"].endswith("…\n")
        assert _norm(ours["excerpt"]).startswith(_norm(theirs["excerpt"]).rstrip("…").rstrip())
        heading = "## 뉴스다오 실시간 뉴스 속보입니다."
        assert ours["feature_text"].split("\n")[0] == theirs["feature_text"].split("\n")[0]
        assert ours["feature_text"] == heading + "\n" + ours["excerpt"]
        # Furniture: cover line, source line, closing line.
        our_blocks = ours.content.split("\n\n")
        their_blocks = theirs.content.split("\n\n")
        assert our_blocks[0] == their_blocks[0]
        assert _norm(our_blocks[1]) == _norm(their_blocks[1])
        closing = their_blocks[-1].strip().splitlines()[-1]
        if closing.startswith("빠르고 정확한 뉴스를 원한다면?"):
            assert our_blocks[-1] == closing
        # The same front-matter text style, line for line, apart from the texts themselves
        # (a few corpus posts have a stray blank line after the title).
        assert _shape(post.text)[:-3] == _shape(record["post_text"])


def _shape(text: str) -> list[str]:
    lines = text.split("---\n")[1].splitlines()[1:]  # without the title line
    return [re.sub(r"^(  )\S.*", r"\1TEXT", line) for line in lines if line]


@pytest.mark.corpus
def test_hugo_profile_renders_corpus_articles() -> None:
    profile = load_profile("hugo")
    for record in _corpus(30):
        article = ArticleItem(
            url=record["url"],
            slug=f"newsdao-{record['id']}",
            title=record["source_title"],
            category=record["category"],
            body_html=record["body_html"],
            published=datetime.fromisoformat(record["post_date"] + "T09:00:00+09:00"),
        )
        post = render_post(article, profile, branding=NEWSDAO)
        assert post.relpath == f"content/posts/newsdao-{record['id']}.md"
        meta = frontmatter.loads(post.text).metadata
        assert list(meta) == list(profile.front_matter)
        assert meta["draft"] is False and meta["categories"] == [record["category"]]
        assert "<" not in frontmatter.loads(post.text).content.replace("&lt;", "")


@pytest.mark.parametrize("name", BUNDLED)
def test_an_outlet_without_a_cover_image_gets_no_empty_image_line(name: str) -> None:
    from newsbot.config.outlet import Branding

    article = ArticleItem(
        url="https://harbor.example/news/1",
        outlet="harbor",
        slug="harbor-1",
        title="Quiet harbor plans",
        published=datetime.fromisoformat("2024-05-01T09:00:00+00:00"),
        image="https://harbor.example/img/1.jpg",
        body_html="<p>The harbor board met on Tuesday and agreed the budget.</p>",
        body_text="The harbor board met on Tuesday and agreed the budget.",
    )
    branding = Branding(label="Harbor Herald", site_url="https://harbor.example")
    post = render_post(article, load_profile(name), branding=branding).text
    assert "]()" not in post and "/assets/img/)" not in post and "(/assets/img/" not in post
    meta = frontmatter.loads(post).metadata
    for key in ("image", "feature_image"):
        if key in meta:  # the article's own image stands in for the missing cover
            assert meta[key] == "https://harbor.example/img/1.jpg"
    if "![" in post:
        assert "(https://harbor.example/img/1.jpg)" in post
