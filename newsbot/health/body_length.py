"""The body-length monitor: is an article far shorter than its outlet usually is?

The outlet's usual is the median body length of its recent published articles, read from the
run log (each run records every article's length: ``articles`` in ``runs.jsonl``). Until there
are ``min_history`` of them an absolute floor stands in. Articles under the threshold are held
back only when they are at least half of a run's new articles (a teaser, a paywall, a redesign
cuts them all); a short article among normal ones is an outlet's genuinely short article. One
that was held while the outlet still published normal articles since is released.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsbot import exitcodes

# Runs that say nothing about the outlet's articles
IGNORED_EXITS = (exitcodes.LOCKED, exitcodes.INTERRUPTED)


def outlet_runs(runs: Iterable[Mapping[str, Any]], outlet: str) -> list[Mapping[str, Any]]:
    """The outlet's recorded runs (dry runs and runs that did not crawl left out), oldest
    first."""
    return [
        run
        for run in runs
        if run.get("outlet") == outlet
        and not run.get("dry_run")
        and run.get("exit_code") not in IGNORED_EXITS
    ]


def articles_of(run: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    articles = run.get("articles")
    if not isinstance(articles, list):
        return []
    return [a for a in articles if isinstance(a, dict) and isinstance(a.get("chars"), int)]


@dataclass(frozen=True)
class BodyNorm:
    """What "far shorter" means for one outlet now."""

    usual: int | None  # median characters of its recent published articles; None: no history
    ratio: float
    floor: int

    @property
    def threshold(self) -> int:
        """Articles with fewer characters than this are far shorter than usual."""
        return round(self.usual * self.ratio) if self.usual else self.floor

    def is_short(self, chars: int) -> bool:
        return chars < self.threshold

    def symptom(self, short: int, total: int, run_median: int | None = None) -> str:
        """``body length: 4 of 4 new articles under 25% of the usual 2,300 characters``."""
        median = f" (this run's median: {run_median:,})" if run_median is not None else ""
        if self.usual:
            return (
                f"body length: {short} of {total} new articles under {self.ratio:.0%} of the "
                f"usual {self.usual:,} characters{median}"
            )
        return (
            f"body length: {short} of {total} new articles under {self.floor:,} characters "
            f"(no history yet){median}"
        )


def body_norm(
    runs: Sequence[Mapping[str, Any]],
    outlet: str,
    *,
    ratio: float,
    floor: int,
    history: int,
    min_history: int,
) -> BodyNorm:
    """The outlet's body norm from its last ``history`` published articles in the run log."""
    lengths: list[int] = []
    for run in reversed(outlet_runs(runs, outlet)):
        lengths.extend(a["chars"] for a in articles_of(run) if not a.get("held"))
        if len(lengths) >= history:
            break
    lengths = lengths[:history]
    usual = round(statistics.median(lengths)) if lengths and len(lengths) >= min_history else None
    return BodyNorm(usual, ratio, floor)


def proven_short(runs: Sequence[Mapping[str, Any]], outlet: str) -> set[str]:
    """Articles held in an earlier run after which the outlet still published normal-length
    articles: genuinely short, published when they come again."""
    pending: set[str] = set()
    proven: set[str] = set()
    for run in outlet_runs(runs, outlet):
        articles = articles_of(run)
        if any(not a.get("held") for a in articles):
            proven |= pending
            pending = set()
        pending |= {str(a.get("url")) for a in articles if a.get("held")}
    return proven


def hold_back(short: int, normal: int) -> bool:
    """Whether a run's short articles are held: at least half of its new articles are."""
    return short > 0 and short >= normal


def median(values: Sequence[int]) -> int | None:
    return round(statistics.median(values)) if values else None
