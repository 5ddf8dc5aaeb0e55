"""Extraction quality metrics: the ScrapingHub article-extraction benchmark's, and a token F1.

The AEB metric (``page_scores``, ``corpus_f1``) follows the benchmark's ``evaluate.py``, so
figures compare with its published table (trafilatura 2.0.0: F1 0.958):

- tokens are the matches of ``\\w+`` (Unicode; case kept) in the text;
- shingles are runs of 4 consecutive tokens, counted with multiplicity; a text with fewer than 4
  tokens (but at least one) has a single, shorter shingle: all its tokens;
- per page: tp = overlap of the two multisets, fp = predicted beyond truth, fn = truth beyond
  predicted (the benchmark then divides the three by their sum; ratios are unchanged by that);
- page precision = tp/(tp+fp), page recall = tp/(tp+fn), each 1.0 where fp = fn = 0; a page with
  tp+fp = 0 (nothing predicted) has no precision and is left out of the precision mean, and a page
  with tp+fn = 0 (empty truth) is left out of the recall mean;
- corpus precision and recall are the means over pages; F1 = 2PR/(P+R) from those two means
  (not the mean of per-page F1s).

``text_f1`` is a simpler per-page score on bags of tokens (no shingles), used for the newsdao
corpus suite's "mean body-text F1".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean
from typing import TypeVar

__all__ = [
    "Scores",
    "corpus_f1",
    "f1_score",
    "glued_words",
    "mean_text_f1",
    "page_scores",
    "shingle_counts",
    "text_f1",
    "tokens",
]

_TOKEN = re.compile(r"\w+", re.UNICODE)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int  # pages scored (pairs given), whether or not each entered both means

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "pages": self.pages,
        }


def tokens(text: str | None) -> list[str]:
    """The ``\\w+`` tokens of ``text`` (Unicode word characters), in order, case kept."""
    return _TOKEN.findall(text or "")


def shingle_counts(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Shingles (runs of ``n`` tokens) with multiplicity; fewer than ``n`` tokens -> one shingle."""
    toks = tokens(text)
    counts: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(toks) - n + 1)):
        shingle = tuple(toks[i : i + n])
        if shingle:
            counts[shingle] += 1
    return counts


def _overlap(pred: Counter[K], true: Counter[K]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two multisets."""
    tp = fp = fn = 0
    for key in pred.keys() | true.keys():
        p, t = pred[key], true[key]  # a Counter answers 0 for a missing key
        tp += min(p, t)
        fp += max(0, p - t)
        fn += max(0, t - p)
    return tp, fp, fn


def page_scores(predicted: str | None, truth: str | None) -> tuple[float | None, float | None]:
    """(precision, recall) of one page on 4-token shingles, as the AEB computes them.

    Either is ``None`` where the benchmark leaves the page out of that mean: precision when
    nothing was predicted (tp+fp = 0), recall when the truth is empty (tp+fn = 0).
    """
    tp, fp, fn = _overlap(shingle_counts(predicted), shingle_counts(truth))
    return _ratio(tp, fp, fn), _ratio(tp, fn, fp)


def _ratio(tp: int, miss: int, other: int) -> float | None:
    # precision: miss = fp, other = fn; recall: miss = fn, other = fp
    if tp + miss == 0:
        return None
    if miss == 0 and other == 0:
        return 1.0
    return tp / (tp + miss)


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def corpus_f1(pairs: Iterable[tuple[str | None, str | None]]) -> Scores:
    """AEB precision, recall (means over pages) and F1 (from the means) of (predicted, truth)."""
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for predicted, truth in pairs:
        pages += 1
        p, r = page_scores(predicted, truth)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    precision = fmean(precisions) if precisions else 0.0
    recall = fmean(recalls) if recalls else 0.0
    return Scores(precision, recall, f1_score(precision, recall), pages)


def text_f1(predicted: str | None, truth: str | None) -> float:
    """Per-page F1 on bags of ``\\w+`` tokens (with multiplicity, order ignored).

    tp = tokens in common, precision = tp/len(predicted), recall = tp/len(truth). Both empty:
    1.0; exactly one empty: 0.0. The corpus suite's "mean body-text F1" is the plain mean of this
    over pages (see ``mean_text_f1``); it is not the AEB shingle metric.
    """
    pred = Counter(tokens(predicted))
    true = Counter(tokens(truth))
    if not pred and not true:
        return 1.0
    if not pred or not true:
        return 0.0
    tp, _, _ = _overlap(pred, true)
    return f1_score(tp / pred.total(), tp / true.total())


def mean_text_f1(pairs: Iterable[tuple[str | None, str | None]]) -> float:
    """The mean of ``text_f1`` over (predicted, truth) pairs; 0.0 for no pairs."""
    scores = [text_f1(p, t) for p, t in pairs]
    return fmean(scores) if scores else 0.0


def glued_words(predicted: str | None, truth: str | None) -> list[str]:
    """Words of ``predicted`` that are two adjacent words of ``truth`` run together.

    A space lost at an inline tag boundary (``하나입니다.</b> 국가`` written as
    ``하나입니다.</strong>국가``) changes no character, only where words split: the post then has
    a word that the source lacks but that two neighbouring source words spell. Words are split on
    whitespace (not ``\\w+``, which would split at the full stop and hide the glue); give both
    texts with one line per block (``newsbot.extraction.body.html_to_text``).
    """
    source = (truth or "").split()
    known = set(source)
    joined = {a + b for a, b in pairwise(source)} - known
    return [word for word in (predicted or "").split() if word in joined]
