"""``newsbot sources``: the outlets of the sources file, with their last run from the run log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from newsbot import exitcodes
from newsbot.config.outlet import Outlet
from newsbot.config.run_settings import RunSettings
from newsbot.config.sources import SourcesError, configured_path, load_sources
from newsbot.run.plan import project_settings
from newsbot.state.folder import DEFAULT_NAME, StateFolder
from newsbot.state.run_log import read_runs

COLUMNS = ("outlet", "enabled", "base URL", "platform", "discovery", "last run")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list the outlets of the sources file and their last run",
        description=(
            "List the outlets declared in the sources file (--sources, else $NEWSBOT_SOURCES, "
            "else the bundled one) with how each is discovered and its last run recorded in "
            "OUTPUT/.newsbot/runs.jsonl. Exits 0, or 2 when the sources file is invalid."
        ),
    )
    parser.add_argument("--sources", type=Path, metavar="FILE", help="the sources file")
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="the blog folder whose run log tells the last runs (default: output)",
    )
    parser.set_defaults(func=run)


def discovery(outlet: Outlet) -> str:
    """How the outlet's articles are found, e.g. "sitemaps 2, feeds 4, listings 1, id walk"."""
    parts = [
        f"{label} {len(paths)}"
        for label, paths in (
            ("sitemaps", outlet.sitemaps),
            ("feeds", outlet.feeds),
            ("listings", outlet.listing_pages),
            ("fallback listings", outlet.fallback_listing_pages),
        )
        if paths
    ]
    if outlet.numeric_ids:
        parts.append("id walk")
    return ", ".join(parts) or "robots.txt only"


def last_run(run: Mapping[str, Any] | None) -> str:
    """ "2024-06-12T09:10:00 ok, 3 new, 0 updated" (local time), or "never"."""
    if run is None:
        return "never"
    try:
        when = datetime.fromisoformat(str(run.get("start"))).astimezone()
        started = when.replace(tzinfo=None).isoformat(timespec="seconds")
    except ValueError:
        started = str(run.get("start") or "-")
    code = run.get("exit_code")
    outcome = "ok" if code == exitcodes.OK else f"exit {code} ({run.get('reason') or '-'})"
    return f"{started} {outcome}, {run.get('new', 0)} new, {run.get('updated', 0)} updated"


def table(outlets: Mapping[str, Outlet], runs: Sequence[Mapping[str, Any]]) -> str:
    latest = {run.get("outlet"): run for run in runs}  # oldest first: the last one wins
    rows = [list(COLUMNS)]
    for name, outlet in outlets.items():
        rows.append(
            [
                name,
                "yes" if outlet.enabled else "no",
                outlet.base_url,
                outlet.extraction.platform or "-",
                discovery(outlet),
                last_run(latest.get(name)),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def run(args: argparse.Namespace) -> int:
    try:
        outlets = load_sources(args.sources or configured_path())
    except SourcesError as exc:
        print(f"newsbot sources: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    state_dir = RunSettings.from_settings(project_settings()).state_dir or DEFAULT_NAME
    print(table(outlets, read_runs(StateFolder.of_output(args.output, state_dir).run_log)))
    return exitcodes.OK
