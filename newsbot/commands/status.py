"""``newsbot status``: the recent runs of an output folder, from its run log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbot import exitcodes
from newsbot.state.folder import StateFolder
from newsbot.state.run_log import format_table, read_runs, status_warning


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show the recent runs of an output folder",
        description=(
            "Print the last runs recorded in OUTPUT/.newsbot/runs.jsonl. A WARNING goes to "
            "stderr when the last runs all found nothing new or all failed. Exits 0."
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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    log_path = StateFolder.of_output(args.output).run_log
    runs = read_runs(log_path)
    print(format_table(runs[-args.last :] if args.last > 0 else []))
    if not runs:
        print(f"(no run log at {log_path})", file=sys.stderr)
    warning = status_warning(runs, args.warn_after)
    if warning:
        print(warning, file=sys.stderr)
    return exitcodes.OK
