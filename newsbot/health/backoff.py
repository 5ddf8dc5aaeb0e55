"""Backoff across runs: scheduled runs of an outlet that keeps failing wait longer and longer.

After ``after`` failed runs in a row (exit 1 or 6: the outlet is down, blocks us, or changed),
the next scheduled run (``newsbot crawl --scheduled``, as the cron line runs it) waits
``base`` seconds after the last failure, then twice that after each further failure, at most
``cap``. A run by hand always runs; the first good run ends the backoff. Derived from the run log
alone: nothing else to keep or to lose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from newsbot.health.body_length import outlet_runs
from newsbot.health.judge import FAILED_EXITS, run_time, trailing


def next_try(
    runs: Sequence[Mapping[str, Any]], outlet: str, *, after: int, base: float, cap: float
) -> dt.datetime | None:
    """When a scheduled run of ``outlet`` may run again; None: now (no backoff)."""
    mine = outlet_runs(runs, outlet)
    failed = trailing(mine, FAILED_EXITS)
    if after <= 0 or failed < after:
        return None
    last = run_time(mine[-1])
    if last is None:
        return None
    wait = min(cap, base * 2 ** (failed - after))
    return last + dt.timedelta(seconds=wait)


def backoff_line(outlet: str, until: dt.datetime, failed: int) -> str:
    """The one line a skipped scheduled run prints."""
    local = until.astimezone().isoformat(timespec="minutes")
    return (
        f"newsbot: {outlet}: backing off after {failed} failed runs in a row: next try at "
        f"{local} (a run by hand, without --scheduled, runs now)"
    )
