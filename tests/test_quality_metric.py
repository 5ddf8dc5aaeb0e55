"""quality: the AEB shingle metric and the token F1, on hand-computed small cases."""

from __future__ import annotations

from collections import Counter

import pytest
from quality import (
    Scores,
    corpus_f1,
    f1_score,
    glued_words,
    mean_text_f1,
    page_scores,
    shingle_counts,
    text_f1,
    tokens,
)


def test_tokens_are_unicode_word_runs_case_kept() -> None:
    assert tokens("Hello, world! 안녕하세요 2024년 snake_case don't") == [
        "Hello",
        "world",
        "안녕하세요",
        "2024년",
        "snake_case",
        "don",
        "t",
    ]
    assert tokens("") == []
    assert tokens(None) == []
    assert tokens(" \n—…· ") == []


def test_shingles_are_runs_of_four_tokens_with_multiplicity() -> None:
    assert shingle_counts("a b c d e") == Counter(
        {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    )
    assert shingle_counts("a b c d a b c d") == Counter(
        {
            ("a", "b", "c", "d"): 2,
            ("b", "c", "d", "a"): 1,
            ("c", "d", "a", "b"): 1,
            ("d", "a", "b", "c"): 1,
        }
    )
    # fewer than n tokens: one shorter shingle; no tokens: none
    assert shingle_counts("a, b") == Counter({("a", "b"): 1})
    assert shingle_counts("...") == Counter()
    assert shingle_counts("a b c", n=2) == Counter({("a", "b"): 1, ("b", "c"): 1})


def test_page_scores_extra_text_lowers_precision_only() -> None:
    # truth shingles: abcd bcde cdef; predicted adds defg efgh -> tp 3, fp 2, fn 0
    assert page_scores("a b c d e f g h", "a b c d e f") == (pytest.approx(0.6), 1.0)


def test_page_scores_missing_text_lowers_recall_only() -> None:
    # truth: abcd×2 bcda cdab dabc (5); predicted abcd (1) -> tp 1, fp 0, fn 4
    assert page_scores("a b c d", "a b c d a b c d") == (1.0, pytest.approx(0.2))


def test_page_scores_shifted_window() -> None:
    # predicted xabc abcd, truth abcd bcde -> tp 1, fp 1, fn 1
    assert page_scores("x a b c d", "a b c d e") == (0.5, 0.5)


def test_page_scores_edge_cases() -> None:
    assert page_scores("Same text, same words.", "same text same words") == (0.0, 0.0)  # case
    assert page_scores("One two three four five", "One two three four five") == (1.0, 1.0)
    assert page_scores("a b", "a b") == (1.0, 1.0)  # short texts: a single short shingle
    assert page_scores("a b c", "a b") == (0.0, 0.0)
    # nothing predicted: no precision (left out of the mean), recall 0
    assert page_scores("", "a b c d") == (None, 0.0)
    # empty truth: precision 0, no recall
    assert page_scores("a b c d", "") == (0.0, None)
    assert page_scores("", "") == (None, None)
    assert page_scores(None, "--") == (None, None)  # punctuation only has no tokens


def test_corpus_f1_means_then_f1() -> None:
    pairs = [
        ("a b c d e f g h", "a b c d e f"),  # P 0.6, R 1.0
        ("x a b c d", "a b c d e"),  # P 0.5, R 0.5
        ("", "a b c d"),  # P skipped, R 0.0
        ("", ""),  # both skipped, still counted as a page
    ]
    scores = corpus_f1(pairs)
    assert scores.precision == pytest.approx(0.55)  # mean(0.6, 0.5)
    assert scores.recall == pytest.approx(0.5)  # mean(1.0, 0.5, 0.0)
    assert scores.f1 == pytest.approx(2 * 0.55 * 0.5 / 1.05)  # 0.5238…, not the mean page F1
    assert scores.f1 == pytest.approx(0.5238095)
    assert scores.pages == 4
    assert scores.as_dict()["pages"] == 4


def test_corpus_f1_perfect_and_empty() -> None:
    assert corpus_f1([("a b c d e", "a b c d e")] * 3) == Scores(1.0, 1.0, 1.0, 3)
    assert corpus_f1([]) == Scores(0.0, 0.0, 0.0, 0)
    assert corpus_f1(iter([("x y z w", "a b c d")])) == Scores(0.0, 0.0, 0.0, 1)


def test_f1_score() -> None:
    assert f1_score(1.0, 1.0) == 1.0
    assert f1_score(0.0, 0.0) == 0.0
    assert f1_score(0.5, 1.0) == pytest.approx(2 / 3)


def test_text_f1_is_a_bag_of_tokens_f1() -> None:
    # predicted {a, b, c}, truth {a, b, d, d}: tp 2, P 2/3, R 1/2, F1 4/7
    assert text_f1("a b c", "a b d d") == pytest.approx(4 / 7)
    assert text_f1("b a", "a, b") == 1.0  # order ignored
    assert text_f1("a a", "a") == pytest.approx(2 / 3)  # multiplicity: P 1/2, R 1
    assert text_f1("정부는 오늘 발표했다", "정부는 어제 발표했다") == pytest.approx(2 / 3)
    assert text_f1("", "") == 1.0
    assert text_f1("a", "") == 0.0
    assert text_f1(None, "a") == 0.0


def test_mean_text_f1() -> None:
    assert mean_text_f1([("a b c", "a b d d"), ("x", "x")]) == pytest.approx((4 / 7 + 1) / 2)
    assert mean_text_f1([]) == 0.0


def test_glued_words_are_two_neighbouring_source_words_run_together():
    source = "핵심 과제 가운데 하나입니다. 국가 지원과 함께"
    assert glued_words("핵심 과제 가운데 하나입니다.국가 지원과 함께", source) == [
        "하나입니다.국가"
    ]
    assert glued_words(source, source) == []
    assert glued_words("과제가운데", "과제가운데 과제 가운데") == []  # the source has it too
    assert glued_words("지원과함께 국가", source) == ["지원과함께"]
