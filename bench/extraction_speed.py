"""Extraction only: newsbot's ``extract_article`` against ``trafilatura.extract``, one process,
pages in memory. Wall seconds (``perf_counter``) and CPU seconds (``process_time``) per repeat,
quality with the AEB's own metric (``quality.corpus_f1``) and mean token F1."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import trafilatura
from quality import corpus_f1, mean_text_f1

from newsbot.config.outlet import ExtractionRules
from newsbot.extraction import NotAnArticle, extract_article

Page = tuple[str | bytes, str, str]  # (page, url, truth text)
Extractor = Callable[[str | bytes, str], tuple[str, bool]]  # -> (text, refused)


@dataclass
class ExtractResult:
    pages: int
    seconds: float  # median wall over repeats
    pages_per_s: float
    cpu_s: float  # median CPU (process_time) over repeats
    cpu_ms_per_page: float
    f1: float
    precision: float
    recall: float
    mean_text_f1: float
    refused: int = 0  # pages newsbot refused (NotAnArticle), scored as empty text
    runs_s: list[float] = field(default_factory=list)
    runs_cpu_s: list[float] = field(default_factory=list)


def newsbot_extractor(rules: ExtractionRules) -> Extractor:
    def run(page: str | bytes, url: str) -> tuple[str, bool]:
        try:
            # as the crawl calls it: Markdown is rendered later, only for profiles that want it
            return extract_article(page, url, rules=rules).body_text, False
        except NotAnArticle:
            return "", True

    return run


def trafilatura_extractor(page: str | bytes, url: str) -> tuple[str, bool]:
    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=True)
    return text or "", False


def measure_extraction(extract: Extractor, pages: Sequence[Page], repeat: int) -> ExtractResult:
    """Extract (page, url, truth) triples ``repeat`` times; warm up on the first page first."""
    extract(pages[0][0], pages[0][1])
    runs: list[float] = []
    cpu_runs: list[float] = []
    texts: list[tuple[str, bool]] = []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        texts = [extract(page, url) for page, url, _ in pages]
        runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu_start)
    pairs = [(text, truth) for (text, _), (_, _, truth) in zip(texts, pages, strict=True)]
    scores = corpus_f1(pairs)
    seconds = statistics.median(runs)
    cpu_s = statistics.median(cpu_runs)
    return ExtractResult(
        pages=len(pages),
        seconds=seconds,
        pages_per_s=len(pages) / seconds,
        cpu_s=cpu_s,
        cpu_ms_per_page=1000 * cpu_s / len(pages),
        f1=scores.f1,
        precision=scores.precision,
        recall=scores.recall,
        mean_text_f1=mean_text_f1(pairs),
        refused=sum(1 for _, refused in texts if refused),
        runs_s=runs,
        runs_cpu_s=cpu_runs,
    )
