"""Smoke test of bench/benchmark.py on 20 articles (about 15-20 s: the AEB extraction dominates).

The benchmark is a script, not a test; this only checks that it runs end to end and that the
JSON it writes has the expected shape and sane numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shared_data import REPO_ROOT, aeb_pages, corpus_rows

SCRIPT = REPO_ROOT / "bench" / "benchmark.py"

pytestmark = [pytest.mark.corpus, pytest.mark.timeout(400)]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    corpus_rows()  # skip when ../shared is absent
    aeb_pages()
    out_dir = tmp_path_factory.mktemp("bench-results")
    args = ["--articles", "20", "--repeat", "1", "--results-dir", str(out_dir), "--timeout", "240"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=360,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| measure | newsbot | trafilatura | newsbot / peer |" in done.stdout
    written = sorted(Path(out_dir).glob("benchmark-*.json"))
    assert len(written) == 1
    assert str(written[0]) in done.stdout
    return json.loads(written[0].read_text(encoding="utf-8"))


def test_top_level_keys(results: dict) -> None:
    assert {"meta", "crawl", "extract_aeb", "extract_corpus", "ratios", "table"} <= set(results)
    assert results["meta"]["articles"] == 20
    assert results["meta"]["repeat"] == 1


@pytest.mark.parametrize("tool", ["newsbot", "peer"])
def test_crawl_figures(results: dict, tool: str) -> None:
    crawl = results["crawl"][tool]
    assert crawl["ok"] is True
    assert crawl["articles_written"] == 20
    assert crawl["requests"] >= 20
    for key in ("wall_s", "cpu_s", "peak_rss_mb", "tree_peak_pss_mb", "tree_peak_rss_mb"):
        assert crawl[key] > 0, key
    assert crawl["tree_max_processes"] >= 1
    assert len(crawl["runs"]) == 1


@pytest.mark.parametrize("suite", ["extract_aeb", "extract_corpus"])
@pytest.mark.parametrize("tool", ["newsbot", "trafilatura"])
def test_extraction_figures(results: dict, suite: str, tool: str) -> None:
    figures = results[suite][tool]
    assert figures["pages"] == (181 if suite == "extract_aeb" else 20)
    for key in ("seconds", "pages_per_s", "f1", "precision", "recall", "mean_text_f1"):
        assert figures[key] > 0, key
    for key in ("f1", "precision", "recall", "mean_text_f1"):
        assert figures[key] <= 1.0, key
    assert figures["f1"] > 0.8  # a sanity bound, not the gate (tests/test_quality_gate.py)


def test_ratios(results: dict) -> None:
    ratios = results["ratios"]
    for key in (
        "crawl_wall_s",
        "crawl_cpu_s",
        "crawl_peak_rss_mb",
        "crawl_tree_peak_pss_mb",
        "extract_aeb_pages_per_s",
        "extract_aeb_f1",
        "extract_corpus_pages_per_s",
        "extract_corpus_f1",
    ):
        assert ratios[key] is not None and ratios[key] > 0, key
