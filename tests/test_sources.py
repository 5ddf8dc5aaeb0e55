"""The sources file: the bundled newsdao entry, one-line errors for bad files, one registry of
spiders (``scrapy list``) and per-outlet politeness."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.crawler import Crawler

from newsbot import exitcodes
from newsbot.config.sources import (
    BUNDLED_SOURCES,
    Extraction,
    ExtractionRules,
    SourcesError,
    get_outlet,
    load_sources,
)
from newsbot.run.plan import project_settings
from newsbot.spiders.loader import OutletSpiderLoader
from tests.newsbot_runner import REPO, Run, newsbot

TWO_OUTLETS = """\
outlets:
  - name: alpha
    base_url: https://alpha.example
    platform: wordpress
    branding: {label: Alpha, cover_image: https://alpha.example/cover.jpg, cover_alt: A}
    politeness: {download_delay: 2.5, concurrency: 1}
  - name: beta-daily
    enabled: false
    base_url: https://beta.example/news
    discovery: {feeds: [], id_walk: false}
"""


def write(tmp_path: Path, text: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def scrapy(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> Run:
    """``scrapy ARGS`` as an operator runs it, with the project's settings (scrapy.cfg)."""
    result = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr, {})


def test_the_bundled_file_declares_newsdao_with_its_platform_branding_and_politeness():
    outlets = load_sources()
    assert list(outlets) == ["newsdao"]
    newsdao = outlets["newsdao"]
    assert newsdao == get_outlet("newsdao")
    assert newsdao.base_url == "https://newsdao.kr"
    assert newsdao.host_aliases == ("www.newsdao.kr", "m.newsdao.kr")
    assert newsdao.slug_template == "newsdao-{id}" and newsdao.numeric_ids
    rules = newsdao.extraction
    assert (rules.platform, rules.timezone, rules.language) == ("tistory", "Asia/Seoul", "ko")
    assert rules.skip_title_patterns == (r"^\s*\[?\s*공지",)
    assert rules.site_label == "뉴스다오"  # from the branding: the name is declared once
    assert newsdao.branding.label == "뉴스다오"
    assert newsdao.branding.cover_image.endswith("/newsdao_breakingnews.jpg")
    assert newsdao.politeness.settings() == {
        "DOWNLOAD_DELAY": 0.5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    }
    assert newsdao.enabled


def test_an_outlet_entry_needs_only_a_name_and_a_base_url(tmp_path):
    path = write(tmp_path, "outlets:\n  - {name: plain, base_url: 'https://plain.example/'}\n")
    plain = load_sources(path)["plain"]
    assert plain.base_url == "https://plain.example"
    assert plain.extraction.timezone == "UTC" and plain.extraction.platform is None
    assert plain.branding.label == "plain"  # a label is never empty in a post
    assert plain.slug_template == "{outlet}-{id}"
    assert plain.politeness.settings() == {}  # the project's throttling applies


@pytest.mark.parametrize(
    ("discovery", "every_run", "fallback"),
    [
        ("{}", (), ("/",)),  # ids walked: the next id and a feed show what the home page shows
        ("{id_walk: false}", ("/",), ()),  # nothing else would: read on every run
        ("{listing_pages: [/, /news]}", ("/", "/news"), ()),
        ("{fallback_listing_pages: [/list]}", (), ("/list",)),
        ("{listing_pages: [/news], fallback_listing_pages: [/]}", ("/news",), ("/",)),
    ],
)
def test_the_home_page_is_a_fallback_listing_only_of_an_outlet_whose_ids_are_walked(
    tmp_path, discovery, every_run, fallback
):
    entry = f"outlets:\n  - {{name: a, base_url: 'https://a.example', discovery: {discovery}}}\n"
    outlet = load_sources(write(tmp_path, entry))["a"]
    assert (outlet.listing_pages, outlet.fallback_listing_pages) == (every_run, fallback)


def test_extraction_overrides_cover_every_extraction_rule_the_entry_does_not_set_elsewhere():
    rules = {f.name for f in dataclasses.fields(ExtractionRules)}
    set_elsewhere = {"timezone", "language", "platform", "platforms", "site_label"}
    assert set(Extraction.model_fields) == rules - set_elsewhere


BAD_FILES = [
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    discovery: {sitemap: []}\n",
     "outlet a: unknown key 'discovery.sitemap'"),
    ("outlets:\n  - name: a\n", "outlet a: missing key 'base_url'"),
    ("outlets:\n  - name: a\n    base_url: ftp://a.example\n",
     "outlet a: 'base_url' must be an http(s) URL"),
    ("outlets:\n  - name: A b\n    base_url: https://a.example\n",
     "outlet A b: 'name' must be lowercase letters, digits, '_' or '-'"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    timezone: Mars/Olympus\n",
     "outlet a: 'timezone' unknown time zone 'Mars/Olympus'"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    platform: blogspot\n",
     "outlet a: 'platform' unknown platform 'blogspot' (known: arc, ndsoft, news_body_area, "
     "tistory, wordpress)"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n"
     "    articles: {pattern: '^/(\\d+)$'}\n",
     "outlet a: 'articles.pattern' must have a named group (?P<id>...)"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    articles: {slug: 'x-{ID}'}\n",
     "outlet a: 'articles.slug' has unknown placeholder(s) {ID}"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n"
     "    extraction: {skip_title_patterns: ['(']}\n",
     "outlet a: 'extraction.skip_title_patterns' '(' is not a valid regular expression"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    extraction: {timezone: UTC}\n",
     "outlet a: unknown key 'extraction.timezone'"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n"
     "    politeness: {concurrency: 0}\n",
     "outlet a: 'politeness.concurrency' input should be greater than or equal to 1"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    enabled: maybe\n",
     "outlet a: 'enabled' must be true or false (got 'maybe')"),
    ("outlets:\n  - name: a\n    base_url: https://a.example\n    branding: {cover_image: x.jpg}\n",
     "outlet a: 'branding.cover_image' must be a path starting with '/' or an http(s) URL"),
    ("outlets:\n  - {name: a, base_url: 'https://a.example'}\n"
     "  - {name: a, base_url: 'https://b.example'}\n",
     "outlet a: the name is used by another outlet"),
    ("outlets:\n  - base_url: https://a.example\n", "outlet #1: missing key 'name'"),
    ("outlets: []\n", "'outlets' list should have at least 1 item"),
    ("feeds: [/rss]\n", "unknown key 'feeds'"),
    ("outlets: [\n", "invalid YAML at line 2"),
    ("- just a list\n", "must be a mapping with the key 'outlets'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BAD_FILES, ids=[e for _, e in BAD_FILES])
def test_a_bad_sources_file_is_one_line_naming_the_file_the_outlet_and_the_key(
    tmp_path, text, expected
):
    path = write(tmp_path, text)
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"sources {path}: ")
    assert expected in message


def test_a_missing_sources_file_is_one_line(tmp_path):
    with pytest.raises(SourcesError, match=r"^sources .*nope\.yaml: cannot read: No such file"):
        load_sources(tmp_path / "nope.yaml")


@pytest.mark.slow
def test_scrapy_list_shows_the_outlets_of_the_sources_file(tmp_path):
    bundled = scrapy("list")
    assert bundled.code == 0 and bundled.stdout.split() == ["newsdao"], bundled.stderr
    path = write(tmp_path, TWO_OUTLETS)
    by_env = scrapy("list", env={"NEWSBOT_SOURCES": str(path)})
    assert by_env.code == 0 and by_env.stdout.split() == ["alpha", "beta-daily"], by_env.stderr
    by_setting = scrapy("list", "-s", f"NEWSBOT_SOURCES={path}")
    assert by_setting.stdout.split() == ["alpha", "beta-daily"], by_setting.stderr


@pytest.mark.slow
def test_scrapy_list_and_crawl_report_a_bad_sources_file_in_one_line(tmp_path):
    path = write(tmp_path, "outlets:\n  - name: a\n    base_url: https://a.example\n    x: 1\n")
    env = {"NEWSBOT_SOURCES": str(path)}
    for run, prog in (
        (scrapy("list", env=env), "scrapy list"),
        (
            scrapy(
                "crawl",
                "a",
                "-s",
                f"NEWSBOT_OUTPUT_DIR={tmp_path}",
                "-s",
                "LOG_LEVEL=ERROR",
                env=env,
            ),
            "scrapy crawl",
        ),
        (newsbot("crawl", "a", "--sources", path, "--output", tmp_path), "newsbot"),
    ):
        assert run.code == exitcodes.USAGE, run.stderr
        assert run.stderr.strip() == f"{prog}: sources {path}: outlet a: unknown key 'x'"


@pytest.mark.slow
def test_newsbot_crawl_knows_the_outlets_of_the_sources_file_only(tmp_path):
    path = write(tmp_path, TWO_OUTLETS)
    run = newsbot("crawl", "newsdao", "--sources", path, "--output", tmp_path / "out")
    assert run.code == exitcodes.USAGE
    assert run.stderr.strip() == (
        f"newsbot: no outlet 'newsdao' in {path} (known: alpha, beta-daily)"
    )


def test_each_outlet_spider_carries_its_politeness_below_the_command_line(tmp_path):
    settings = project_settings()
    settings.set("NEWSBOT_SOURCES", str(write(tmp_path, TWO_OUTLETS)))
    loader = OutletSpiderLoader.from_settings(settings)
    alpha, beta = loader.load("alpha"), loader.load("beta-daily")
    assert alpha.outlet.name == "alpha" and alpha.__name__ == "AlphaSpider"  # type: ignore[attr-defined]
    crawler = Crawler(alpha, settings)
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 2.5
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    plain = Crawler(beta, settings)  # no politeness: the project's settings
    assert plain.settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert plain.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 4
    settings.set("DOWNLOAD_DELAY", 9, priority="cmdline")  # -s DOWNLOAD_DELAY=9 wins
    assert Crawler(alpha, settings).settings.getfloat("DOWNLOAD_DELAY") == 9
    fast = project_settings()
    fast.setdict({"NEWSBOT_SOURCES": settings["NEWSBOT_SOURCES"], "NEWSBOT_FAST": True})
    assert Crawler(alpha, fast).settings.getfloat("DOWNLOAD_DELAY") == 0  # --fast wins


def test_the_spider_loader_finds_the_outlet_of_a_request(tmp_path):
    from scrapy import Request

    settings = project_settings()
    settings.set("NEWSBOT_SOURCES", str(write(tmp_path, TWO_OUTLETS)))
    loader = OutletSpiderLoader.from_settings(settings)
    assert loader.find_by_request(Request("https://www.alpha.example/123")) == ["alpha"]
    assert loader.find_by_request(Request("https://elsewhere.example/1")) == []


def test_the_bundled_sources_file_is_package_data():
    assert BUNDLED_SOURCES.name == "sources.yaml"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"sources.yaml"' in pyproject
