"""Smoke test of bench/benchmark.py on a small configuration (about a minute on 2 idle cores:
20 articles in both outlet designs, runs with nothing new on 20 and 200 posts, a 25-article
backfill, the AEB extraction).

The benchmark is a script, not a test; this checks that it runs end to end, that the JSON it
writes has the expected shape and sane numbers, and that the chart is a PNG. It asserts no
timing target. The helpers the script builds its outlets and blogs with are tested directly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_data import REPO_ROOT, aeb_pages, corpus_rows

from newsbot.blog.post_index import PublishedIndex

sys.path.insert(0, str(REPO_ROOT / "bench"))

from blog_padding import filler_template, padded_blog, posts_snapshot
from served_outlets import served_articles

SCRIPT = REPO_ROOT / "bench" / "benchmark.py"
ARTICLES = 20
BACKFILL = 25
DESIGNS = ("news-cms", "tistory")

pytestmark = [pytest.mark.corpus, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    corpus_rows()  # skip when ../shared is absent
    aeb_pages()
    out_dir = tmp_path_factory.mktemp("bench-results")
    args = ["--articles", str(ARTICLES), "--repeat", "1", "--noop-sizes", "0,200"]
    args += ["--backfill-articles", str(BACKFILL), "--designs", ",".join(DESIGNS)]
    args += ["--results-dir", str(out_dir), "--timeout", "240"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = sorted(Path(out_dir).glob("benchmark-*.json"))
    assert len(written) == 1
    assert str(written[0]) in done.stdout
    return json.loads(written[0].read_text(encoding="utf-8")), out_dir, done.stdout


@pytest.fixture(scope="module")
def results(run: tuple[dict, Path, str]) -> dict:
    return run[0]


def test_the_json_has_every_section(results: dict) -> None:
    assert {
        "meta",
        "designs",
        "backfill",
        "extract_aeb",
        "targets",
        "table",
        "chart",
    } <= set(results)
    meta = results["meta"]
    assert meta["articles"] == ARTICLES
    assert meta["repeat"] == 1
    assert meta["noop_sizes"] == [0, 200]
    assert "--parallel 2" in meta["peer_command"]
    assert any("interpreter start" in note for note in meta["notes"])
    assert list(results["designs"]) == list(DESIGNS)


def test_the_tables_are_printed(run: tuple[dict, Path, str]) -> None:
    stdout = run[2]
    for design in DESIGNS:
        assert f"### {design}: {ARTICLES} articles" in stdout
    assert "| measure | newsbot | trafilatura | newsbot / peer |" in stdout
    assert "**speed-up: peer wall / newsbot wall** (>1: newsbot faster" in stdout
    assert "### newsbot only: runs with nothing new, and the backfill" in stdout
    assert "### issue 9's targets" in stdout


def test_the_chart_is_a_png_next_to_the_json(run: tuple[dict, Path, str]) -> None:
    results, out_dir, stdout = run
    chart = out_dir / results["chart"]
    assert chart.suffix == ".png" and str(chart) in stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.stat().st_size > 10_000


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("tool", ["newsbot", "peer"])
def test_both_tools_crawl_every_article_of_each_design(results: dict, design: str, tool: str):
    crawl = results["designs"][design]["crawl"][tool]
    assert crawl["ok"] is True
    assert crawl["articles_written"] == ARTICLES
    assert crawl["requests"] >= ARTICLES
    for key in (
        "wall_s",
        "articles_per_s",
        "cpu_s",
        "main_cpu_s",
        "cpu_ms_per_article",
        "startup_s",
        "peak_rss_mb",
        "tree_peak_pss_mb",
        "tree_peak_rss_mb",
    ):
        assert crawl[key] > 0, key
    assert 0 < crawl["startup_s"] < crawl["wall_s"]
    assert crawl["articles_per_s"] == pytest.approx(ARTICLES / crawl["wall_s"])
    assert crawl["main_cpu_s"] <= crawl["cpu_s"]
    assert len(crawl["runs"]) == 1
    if tool == "newsbot":  # the extraction runs in worker processes
        assert crawl["rest_cpu_s"] > 0
        assert crawl["tree_max_processes"] >= 2


@pytest.mark.parametrize("design", DESIGNS)
def test_runs_with_nothing_new_write_nothing_and_fetch_no_published_article(
    results: dict, design: str
):
    section = results["designs"][design]
    crawl_requests = section["crawl"]["newsbot"]["requests"]
    noop = section["noop"]
    assert [n["padded_to"] for n in noop] == [0, 200]
    assert [n["posts_in_blog"] for n in noop] == [ARTICLES, 200]
    for entry in noop:
        for phase in ("first", "steady"):
            run = entry[phase]
            assert run["ok"] is True, (entry["padded_to"], phase)
            assert run["articles_written_max"] == 0
            assert run["wall_s"] > 0 and run["cpu_s"] > 0
            # the same discovery as the crawl, without the article pages it published
            assert 0 < run["requests"] <= crawl_requests - ARTICLES


def test_the_backfill_run_reports_its_memory(results: dict) -> None:
    backfill = results["backfill"]
    assert backfill["design"] == "tistory"
    assert backfill["articles"] == BACKFILL
    newsbot = backfill["newsbot"]
    assert newsbot["ok"] is True
    assert newsbot["articles_written"] == BACKFILL
    assert newsbot["tree_peak_pss_mb"] > 0 and newsbot["peak_rss_mb"] > 0


@pytest.mark.parametrize("suite", ["extract_aeb", *DESIGNS])
@pytest.mark.parametrize("tool", ["newsbot", "trafilatura"])
def test_extraction_figures(results: dict, suite: str, tool: str) -> None:
    if suite == "extract_aeb":
        figures = results[suite][tool]
    else:
        figures = results["designs"][suite]["extract"][tool]
    assert figures["pages"] == (181 if suite == "extract_aeb" else ARTICLES)
    for key in (
        "seconds",
        "pages_per_s",
        "cpu_s",
        "cpu_ms_per_page",
        "f1",
        "precision",
        "recall",
        "mean_text_f1",
    ):
        assert figures[key] > 0, key
    for key in ("f1", "precision", "recall", "mean_text_f1"):
        assert figures[key] <= 1.0, key
    assert figures["f1"] > 0.8  # a sanity bound, not the gate (tests/test_quality_gate.py)


def test_every_target_is_reported(results: dict) -> None:
    names = {(t["target"], t["design"]) for t in results["targets"]}
    for design in DESIGNS:
        assert ("speed-up (peer wall / newsbot wall)", design) in names
        assert ("start-up s", design) in names
        assert ("nothing new, 200 posts: wall s", design) in names
    assert (f"backfill {BACKFILL}: peak PSS MB", "tistory") in names
    for target in results["targets"]:
        assert target["met"] in (True, False)
        assert target["value"] > 0
    for design in DESIGNS:
        speedup = results["designs"][design]["ratios"]["speedup_peer_wall_over_newsbot_wall"]
        crawl = results["designs"][design]["crawl"]
        assert speedup == pytest.approx(crawl["peer"]["wall_s"] / crawl["newsbot"]["wall_s"])


def test_more_articles_than_the_corpus_are_reissues_with_new_ids_and_titles() -> None:
    rows = corpus_rows()
    articles = served_articles(rows, len(rows) + 3)
    assert len(articles) == len(rows) + 3
    assert len({a.id for a in articles}) == len(articles)
    highest = max(int(r["id"]) for r in rows)
    extra = articles[len(rows) :]
    assert [a.id for a in extra] == [highest + 1, highest + 2, highest + 3]
    originals = {a.title for a in articles[: len(rows)]}
    assert not {a.title for a in extra} & originals
    assert extra[0].body_html == articles[0].body_html


def test_a_padded_blog_counts_its_filler_posts_as_published_elsewhere(tmp_path: Path) -> None:
    crawled = tmp_path / "crawled"
    (crawled / "_posts").mkdir(parents=True)
    (crawled / "_posts" / "2024-07-14-newsdao-1.md").write_text(
        "---\ntitle: t\nsource_url: http://127.0.0.1:1/1\n---\n\nbody\n", encoding="utf-8"
    )
    (crawled / ".newsbot").mkdir()
    (crawled / ".newsbot" / "published.json").write_text("{}", encoding="utf-8")
    template = filler_template(tmp_path / "filler", 30)

    blog = padded_blog(crawled, template, tmp_path / "blog")

    assert len(posts_snapshot(blog)) == 31
    assert not (blog / ".newsbot" / "published.json").exists()
    index = PublishedIndex.load(blog / "_posts")
    assert len(index) == 31
    assert "https://blog.example/old/30" in index
    assert "http://127.0.0.1:1/1" in index
