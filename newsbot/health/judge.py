"""The health of an outlet, judged from its run log: healthy, degraded, failing, push failing.

Monitors read the outlet's recorded runs (``runs.jsonl``) and name a symptom each:

- **body length**: the last run held articles back (``newsbot.pipelines.hold_short``);
- **extraction path**: a run's articles all came from the generic fallback while the outlet's
  usually come from its platform's article container;
- **skip reasons**: most of a run's article pages were refused (too short, empty, error pages)
  while the outlet's runs usually refuse almost none;
- **discovery yield**: a run found far fewer article links than the outlet's runs usually do;
- **failing**: the last ``failing_runs`` runs failed (exit 1 or 6) in a row;
- **push failing**: the last ``failing_runs`` runs could not push (exit 4).

``newsbot status`` prints the verdict, ``newsbot.notify`` acts on its changes.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from newsbot import exitcodes
from newsbot.health.body_length import articles_of, outlet_runs
from newsbot.run.ledger import BENIGN_SKIPS, EDITORIAL_SKIPS, SkipReason

FAILED_EXITS = (exitcodes.FAILED, exitcodes.NOTHING_PUBLISHED)
GOOD_EXITS = (exitcodes.OK,)
#: Skips that say extraction no longer finds the article on the outlet's pages
PROBLEM_SKIPS = frozenset(
    str(r)
    for r in SkipReason
    if r not in BENIGN_SKIPS and r not in EDITORIAL_SKIPS and r != SkipReason.HELD_SHORT
) - {str(SkipReason.ID_WALK_MISS)}


class State(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"  # it runs, but what it publishes (or would) looks wrong
    FAILING = "failing"  # its runs fail
    PUSH_FAILING = "push failing"  # posts are written but cannot be pushed


@dataclass
class Health:
    outlet: str
    state: State
    symptoms: list[str] = field(default_factory=list)
    runs: list[Mapping[str, Any]] = field(default_factory=list)  # the outlet's, oldest first
    failed_in_row: int = 0  # runs that failed (exit 1 or 6) in a row, up to the last one
    last_good: dt.datetime | None = None  # the end of the last run that exited 0

    @property
    def ok(self) -> bool:
        return self.state is State.HEALTHY

    def line(self) -> str:
        """``newsdao: degraded: body length: 4 of 4 new articles under …``."""
        if self.ok:
            return f"{self.outlet}: healthy"
        return f"{self.outlet}: {self.state}: {'; '.join(self.symptoms)}"


def run_time(run: Mapping[str, Any], key: str = "end") -> dt.datetime | None:
    value = run.get(key) or run.get("start")
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.astimezone()


def trailing(runs: Sequence[Mapping[str, Any]], codes: tuple[int, ...]) -> int:
    n = 0
    for run in reversed(runs):
        if run.get("exit_code") not in codes:
            break
        n += 1
    return n


def _last_error(runs: Sequence[Mapping[str, Any]]) -> str:
    errors = [e for r in runs for e in (r.get("errors") or [])]
    return f"; last error: {errors[-1]}" if errors else ""


def judge(runs: Sequence[Mapping[str, Any]], outlet: str, failing_runs: int = 3) -> Health:
    """The outlet's health from the whole run log (other outlets' lines are left out)."""
    mine = outlet_runs(runs, outlet)
    health = Health(outlet, State.HEALTHY, runs=mine)
    if not mine:
        return health
    for run in reversed(mine):
        if run.get("exit_code") in GOOD_EXITS:
            health.last_good = run_time(run)
            break
    health.failed_in_row = failed = trailing(mine, FAILED_EXITS)
    pushes = trailing(mine, (exitcodes.PUBLISH_FAILED,))
    failing_runs = max(1, failing_runs)
    if failed >= failing_runs:
        codes = ", ".join(str(r.get("exit_code")) for r in mine[-failed:])
        health.state = State.FAILING
        health.symptoms.append(
            f"the last {failed} runs failed (exit codes {codes}){_last_error(mine[-failed:])}"
        )
        return health
    if pushes >= failing_runs:
        health.state = State.PUSH_FAILING
        health.symptoms.append(
            f"the last {pushes} runs could not push{_last_error(mine[-pushes:])}"
        )
        return health
    symptoms = [
        symptom
        for symptom in (
            _held_back(mine[-1]),
            _extraction_path(mine),
            _skip_reasons(mine),
            _discovery_yield(mine[-1], mine[:-1][-50:]),
        )
        if symptom
    ]
    if symptoms:
        health.state = State.DEGRADED
        health.symptoms = symptoms
    return health


def _held_back(last: Mapping[str, Any]) -> str | None:
    if last.get("exit_code") != exitcodes.HELD_BACK:
        return None
    return str(last.get("held_back") or "body length: articles held back")


def _last_with(
    runs: Sequence[Mapping[str, Any]], has: Any
) -> tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]] | None:
    """The latest run that ``has`` something to judge, and the runs before it (runs with
    nothing new in between neither confirm nor clear a symptom)."""
    for i in range(len(runs) - 1, -1, -1):
        if has(runs[i]):
            return runs[i], runs[max(0, i - 50) : i]
    return None


def _paths(run: Mapping[str, Any]) -> list[str]:
    return [str(a["path"]) for a in articles_of(run) if a.get("path")]


def _extraction_path(runs: Sequence[Mapping[str, Any]]) -> str | None:
    found = _last_with(runs, lambda r: len(_paths(r)) >= 2)
    if found is None:
        return None
    last, history = found
    now = _paths(last)
    before = [path for r in history for path in _paths(r)]
    if len(before) < 5:
        return None
    usual = sum(path != "generic" for path in before) / len(before)
    generic = now.count("generic")
    if generic == len(now) and usual >= 0.8:
        return (
            f"extraction path: {generic} of {len(now)} new articles by the generic fallback, "
            f"usually {usual:.0%} from the platform's article container or embedded JSON"
        )
    return None


def _problem_skips(run: Mapping[str, Any]) -> int:
    reasons = run.get("skipped_reasons") or {}
    return sum(int(n) for r, n in reasons.items() if r in PROBLEM_SKIPS and isinstance(n, int))


def _skip_reasons(runs: Sequence[Mapping[str, Any]]) -> str | None:
    found = _last_with(runs, lambda r: int(r.get("found") or 0) or _problem_skips(r))
    if found is None:
        return None
    last, history = found
    refused = _problem_skips(last)
    pages = int(last.get("found") or 0)
    if refused < 3 or refused * 2 < pages or len(history) < 3:
        return None
    usual = statistics.median([_problem_skips(r) for r in history])
    if refused <= 3 * usual:
        return None
    reasons = last.get("skipped_reasons") or {}
    detail = ", ".join(
        f"{str(r).replace('_', ' ')} {n}" for r, n in reasons.items() if r in PROBLEM_SKIPS and n
    )
    return (
        f"skip reasons: {refused} of {max(pages, refused)} article pages refused ({detail}), "
        f"usually {usual:g}"
    )


def _links(run: Mapping[str, Any]) -> int:
    return sum(int(run.get(k) or 0) for k in ("new", "updated", "skipped", "failed"))


def _discovery_yield(last: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> str | None:
    if len(history) < 3:
        return None
    usual = statistics.median([_links(r) for r in history[-20:]])
    found = _links(last)
    if usual >= 8 and found < usual / 4:
        return f"discovery yield: {found} article links found, usually {usual:g}"
    return None


def outlets_in(runs: Sequence[Mapping[str, Any]]) -> list[str]:
    """The outlets of the run log, in the order they first appear."""
    seen: dict[str, None] = {}
    for run in runs:
        if isinstance(run.get("outlet"), str):
            seen.setdefault(run["outlet"], None)
    return list(seen)
