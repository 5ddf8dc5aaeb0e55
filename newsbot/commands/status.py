"""``newsbot status``: the recent runs of an output folder, and each outlet's health, from its
run log (``newsbot.health``)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsbot import exitcodes
from newsbot.config.run_settings import RunSettings
from newsbot.health.backoff import next_try
from newsbot.health.judge import Health, judge, outlets_in
from newsbot.run.plan import project_settings
from newsbot.state.folder import DEFAULT_NAME, StateFolder
from newsbot.state.run_log import format_table, read_runs, status_warning

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(text: str) -> dt.timedelta:
    """``2h``, ``90m``, ``1d``, ``1h30m``, ``45s`` -> a timedelta (argparse type)."""
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhdw])", text.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != text.strip().lower():
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 2h, 90m or 1d")
    return dt.timedelta(seconds=sum(float(n) * UNITS[u] for n, u in parts))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show the recent runs of an output folder and each outlet's health",
        description=(
            "Print the last runs recorded in OUTPUT/.newsbot/runs.jsonl, then (on stderr) each "
            "outlet that is not healthy, with its symptom, and when a backed-off outlet is "
            "tried next. A WARNING goes to stderr when an outlet's last runs all found nothing "
            "new or all failed. Exits 1 while an outlet is degraded, failing or cannot push, "
            "else 0. "
            "With --stale, prints one line per outlet and exits 1 when an outlet's last good "
            "run is older than DURATION (a check for Nagios, healthchecks or a second cron line)."
        ),
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="the output folder (default: output)",
    )
    parser.add_argument(
        "--last", type=int, default=10, metavar="N", help="show the last N runs (default: 10)"
    )
    parser.add_argument(
        "--warn-after",
        type=int,
        default=3,
        metavar="N",
        help="warn when the last N runs found nothing new or failed (default: 3)",
    )
    parser.add_argument(
        "--stale",
        type=duration,
        metavar="DURATION",
        help="exit 1 when an outlet's last good run is older than DURATION (2h, 90m, 1d)",
    )
    parser.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="also write one self-contained page with charts of the last runs per outlet",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = RunSettings.from_settings(project_settings())
    log_path = StateFolder.of_output(args.output, settings.state_dir or DEFAULT_NAME).run_log
    runs = read_runs(log_path)
    healths = [judge(runs, name, settings.health_failing_runs) for name in outlets_in(runs)]
    if args.html:
        from newsbot.health.html_report import write_report

        write_report(args.html, healths, last=max(args.last, 30))
        print(f"newsbot: wrote {args.html}", file=sys.stderr)
    if args.stale is not None:
        return stale_check(healths, args.stale, log_path)
    print(format_table(runs[-args.last :] if args.last > 0 else []))
    if not runs:
        print(f"(no run log at {log_path})", file=sys.stderr)
    for warning in warnings(runs, args.warn_after):
        print(warning, file=sys.stderr)
    code = exitcodes.OK
    for health in healths:
        if not health.ok:
            print(f"newsbot: {health.line()}", file=sys.stderr)
            code = exitcodes.FAILED
        tried = backoff_of(runs, health, settings)
        if tried:
            print(f"newsbot: {health.outlet}: {tried}", file=sys.stderr)
    return code


def warnings(runs: Sequence[Mapping[str, Any]], warn_after: int) -> list[str]:
    """The WARNING lines: one per outlet whose own last runs all failed or found nothing new
    (``crawl --all`` interleaves the outlets' runs in one log: a busy outlet's runs must not
    hide, or stand for, a quiet one's)."""
    names = outlets_in(runs)
    if len(names) <= 1:
        warning = status_warning(runs, warn_after)
        return [warning] if warning else []
    found = []
    for name in names:
        warning = status_warning([r for r in runs if r.get("outlet") == name], warn_after)
        if warning:
            found.append(f"{warning} (outlet {name})")
    return found


def backoff_of(runs: Sequence[Mapping[str, Any]], health: Health, s: RunSettings) -> str | None:
    """``backing off: next scheduled try at …`` while scheduled runs of the outlet wait."""
    until = next_try(
        runs, health.outlet, after=s.backoff_after, base=s.backoff_base, cap=s.backoff_max
    )
    if until is None or until <= dt.datetime.now().astimezone():
        return None
    return (
        f"backing off after {health.failed_in_row} failed runs in a row: next scheduled try at "
        f"{until.astimezone().isoformat(timespec='minutes')}"
    )


def _ago(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d"


def stale_check(healths: Sequence[Health], limit: dt.timedelta, log_path: Path) -> int:
    """One line per outlet; exit 1 when one's last good run is older than ``limit``."""
    if not healths:
        print(f"STALE: no run recorded (no run log at {log_path})")
        return exitcodes.FAILED
    now = dt.datetime.now().astimezone()
    code = exitcodes.OK
    for health in healths:
        good = health.last_good
        if good is None:
            print(f"STALE: {health.outlet}: no good run recorded ({health.state})")
            code = exitcodes.FAILED
        elif now - good > limit:
            print(
                f"STALE: {health.outlet}: last good run {_ago(now - good)} ago "
                f"({good.isoformat(timespec='minutes')}), more than {_ago(limit)}; "
                f"{health.line()}"
            )
            code = exitcodes.FAILED
        else:
            print(f"OK: {health.outlet}: last good run {_ago(now - good)} ago")
    return code
