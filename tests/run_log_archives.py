"""Reading the run log's archives back (``newsbot.state.run_log_compaction``), to prove that a
compaction loses nothing and counts nothing twice; newsbot itself never reads them (an operator
does with ``zcat``)."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsbot.state.folder import StateFolder
from newsbot.state.run_log import parse_line, read_runs
from newsbot.state.run_log_compaction import unfinished_archive


def archives(state: StateFolder) -> list[Path]:
    """The archives of finished compactions, oldest first."""
    folder = state.run_log_archive
    if not folder.is_dir():
        return []
    unfinished = unfinished_archive(state)
    found = [p for p in folder.glob("runs-*.jsonl.gz") if p.name != unfinished]
    return sorted(found, key=_archive_order)


def _archive_order(path: Path) -> tuple[str, int]:
    """``runs-20250101-20250301.jsonl.gz`` before ``runs-20250101-20250301-2.jsonl.gz``."""
    stem = path.name.removesuffix(".jsonl.gz")
    head, _, n = stem.rpartition("-")
    if head.count("-") == 2 and n.isdigit():
        return head, int(n)
    return stem, 1


def archived_runs(state: StateFolder) -> list[dict[str, Any]]:
    """Every archived record, in the order the archives hold them (lines that are not records
    are skipped, as :func:`~newsbot.state.run_log.read_runs` skips them)."""
    runs: list[dict[str, Any]] = []
    for archive in archives(state):
        with gzip.open(archive, "rb") as handle:
            runs.extend(r for r in map(parse_line, handle) if r is not None)
    return runs


def all_runs(state: StateFolder) -> list[dict[str, Any]]:
    """Every record ever written, archived ones included, oldest first (by ``start``)."""
    runs = [*archived_runs(state), *read_runs(state.run_log)]
    return sorted(runs, key=_start_key)


def _start_key(run: Mapping[str, Any]) -> float:
    try:
        return dt.datetime.fromisoformat(str(run.get("start"))).timestamp()
    except (ValueError, TypeError):
        return float("-inf")
