"""The one place that knows where the third-party shared data lives (``<repo>/../shared``).

Tests call ``aeb_pages()`` / ``corpus_rows()``, which ``pytest.skip`` when the data is absent.
Scripts (``bench/benchmark.py``) call ``load_aeb_pages()`` / ``load_corpus_rows()``, which raise
``FileNotFoundError`` instead and do not need pytest. The data is read in place and never copied
into the repository.

Import it from a test as ``from shared_data import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsbot.demo.outlet import KST, SampleArticle

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
AEB_DIR = SHARED / "aeb"
AEB_TRUTH = AEB_DIR / "ground-truth.json"
CORPUS_FILE = SHARED / "corpus" / "newsdao-articles.jsonl"


@dataclass(frozen=True)
class AebPage:
    """One page of the ScrapingHub article-extraction benchmark."""

    id: str
    url: str
    html: str  # decoded UTF-8 (the benchmark's encoding)
    truth: str  # the ground-truth articleBody


def aeb_available() -> bool:
    return AEB_TRUTH.is_file() and (AEB_DIR / "html").is_dir()


def corpus_available() -> bool:
    return CORPUS_FILE.is_file()


@lru_cache(maxsize=1)
def _aeb_pages() -> tuple[AebPage, ...]:
    truth = json.loads(AEB_TRUTH.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((AEB_DIR / "html" / f"{page_id}.html.gz").read_bytes())
        entry = truth[page_id]
        pages.append(
            AebPage(
                id=page_id,
                url=entry["url"],
                html=raw.decode("utf-8", errors="replace"),
                truth=entry["articleBody"],
            )
        )
    return tuple(pages)


@lru_cache(maxsize=1)
def _corpus_rows() -> tuple[dict[str, Any], ...]:
    with CORPUS_FILE.open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


def load_aeb_pages() -> list[AebPage]:
    """All 181 AEB pages, sorted by id. Raises FileNotFoundError when ../shared/aeb is absent."""
    if not aeb_available():
        raise FileNotFoundError(f"AEB benchmark not found at {AEB_DIR}")
    return list(_aeb_pages())


def load_corpus_rows() -> list[dict[str, Any]]:
    """All corpus rows in file order. Raises FileNotFoundError when the corpus is absent."""
    if not corpus_available():
        raise FileNotFoundError(f"newsdao corpus not found at {CORPUS_FILE}")
    return list(_corpus_rows())


def aeb_pages() -> list[AebPage]:
    """Like ``load_aeb_pages`` but skips the calling test when the data is absent."""
    if not aeb_available():
        import pytest

        pytest.skip(f"shared AEB data absent ({AEB_DIR})")
    return load_aeb_pages()


def corpus_rows() -> list[dict[str, Any]]:
    """Like ``load_corpus_rows`` but skips the calling test when the data is absent."""
    if not corpus_available():
        import pytest

        pytest.skip(f"shared newsdao corpus absent ({CORPUS_FILE})")
    return load_corpus_rows()


def sample_article(row: dict[str, Any]) -> SampleArticle:
    """A corpus row as the demo outlet's article: published on post_date at 09:00 KST."""
    day = datetime.fromisoformat(str(row["post_date"])).date()
    return SampleArticle(
        id=int(row["id"]),
        title=str(row["source_title"]),
        body_html=str(row["body_html"]),
        published=datetime.combine(day, time(9, 0), tzinfo=KST),
        category=str(row.get("category") or "뉴스"),
        description=str(row.get("excerpt") or ""),
    )


def sample_rows(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """A deterministic, evenly spread sample of ``n`` rows (every k-th row by id)."""
    ordered = sorted(rows, key=lambda r: int(r["id"]))
    if n >= len(ordered):
        return ordered
    step = len(ordered) / n
    return [ordered[int(i * step)] for i in range(n)]
