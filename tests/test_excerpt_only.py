"""Excerpt-only publishing: a profile option (``excerpt_only: {blocks: N}`` or ``{chars: N}``)
publishes the start of each article, on a block boundary, and a link to the whole of it."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
import yaml

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from newsbot.profiles import ProfileError, load_profile
from newsbot.profiles.model import PROFILE_DIR
from newsbot.render.blocks import block_text, split_blocks
from tests.in_process import crawl
from tests.test_golden_pages import GOLDEN, render_recorded_page

PAGE = GOLDEN / "pages" / "newsdao-table-and-emphasis.html"  # a crawled page, recorded


def profile_file(tmp_path: Path, base: str, **excerpt_only: object) -> Path:
    data = yaml.safe_load((PROFILE_DIR / f"{base}.yaml").read_text(encoding="utf-8"))
    data.update(name=f"{base}-excerpt", excerpt_only=excerpt_only)
    path = tmp_path / f"{base}-excerpt.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def body_blocks(text: str) -> list[str]:
    return split_blocks(frontmatter.loads(text).content)


@pytest.mark.parametrize("base", ["whereispost", "hugo"])
def test_the_first_n_blocks_and_a_link_to_the_article_are_published(tmp_path, base):
    full = body_blocks(render_recorded_page(PAGE, base))
    short = body_blocks(render_recorded_page(PAGE, str(profile_file(tmp_path, base, blocks=3))))
    # cover and source line, the first three blocks of the body, the link, the closing line
    assert short[:5] == full[:5]
    assert full[5] not in short
    assert "기사 전문 보기" in short[5] and "https://newsdao.kr/5301" in short[5]
    assert short[6:] == full[-1:]


def test_a_character_budget_keeps_whole_blocks(tmp_path):
    profile = profile_file(tmp_path, "whereispost", chars=300)
    full = body_blocks(render_recorded_page(PAGE))[2:-1]
    short = body_blocks(render_recorded_page(PAGE, str(profile)))[2:-2]
    assert short == full[: len(short)] and 1 <= len(short) < len(full)
    assert sum(len(block_text(b)) for b in short) <= 300
    assert sum(len(block_text(b)) for b in full[: len(short) + 1]) > 300


def test_a_budget_smaller_than_the_first_block_still_publishes_that_block(tmp_path):
    profile = profile_file(tmp_path, "whereispost", chars=5)
    short = body_blocks(render_recorded_page(PAGE, str(profile)))
    assert short[2] == body_blocks(render_recorded_page(PAGE))[2] and len(short) == 5


def test_the_more_line_is_the_profiles_own_when_given(tmp_path):
    more = '<p><a href="{source_url}">{source_label}에서 계속 읽기</a></p>'
    profile = profile_file(tmp_path, "whereispost", blocks=1, more=more)
    short = body_blocks(render_recorded_page(PAGE, str(profile)))
    assert short[3] == '<p><a href="https://newsdao.kr/5301">뉴스다오에서 계속 읽기</a></p>'


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({}, "give either 'blocks' or 'chars'"),
        ({"blocks": 2, "chars": 100}, "give either 'blocks' or 'chars'"),
        ({"blocks": 0}, "excerpt_only.blocks"),
        ({"blocks": 2, "more": "{nope}"}, "unknown placeholder(s) {nope}"),
    ],
)
def test_a_bad_excerpt_only_option_is_refused_with_its_key(tmp_path, option, message):
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_profile(profile_file(tmp_path, "whereispost", **option))


def test_a_crawl_with_an_excerpt_only_profile_writes_excerpts(serve_site, samples, tmp_path):
    # through the real crawler and the post writer, not the renderer alone
    base = serve_site(OutletSite(samples))
    profile = profile_file(tmp_path, "whereispost", blocks=2)
    output = tmp_path / "blog"
    run = crawl(base, output, "--profile", profile)
    assert run.code == exitcodes.OK, run.stderr[-2000:]
    posts = sorted((output / "_posts").glob("*.md"))
    assert len(posts) == len(samples)
    for path in posts:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        blocks = split_blocks(post.content)
        # cover, source line, two blocks of the body, the link to the whole article, closing
        assert len(blocks) == 6, path.name
        assert "기사 전문 보기" in blocks[4] and post["source_url"] in blocks[4]
