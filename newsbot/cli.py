"""The ``newsbot`` command: crawl, demo, check, status, cron-line, sources, add."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from newsbot import __version__, exitcodes

# Each module in newsbot/commands/ registers one sub-command.
COMMAND_MODULES = [
    "newsbot.commands.crawl",
    "newsbot.commands.demo",
    "newsbot.commands.status",
    "newsbot.commands.cron_line",
    "newsbot.commands.check",
    "newsbot.commands.sources",
    "newsbot.commands.add",
]


class Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit 2): the problem and where to read more."""

    def error(self, message: str) -> NoReturn:
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newsbot",
        description="Crawl news outlets into front-matter posts for a static blog.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:  # before or after the crawl (during it, the crawl handles it)
        print("newsbot: interrupted", file=sys.stderr)
        return exitcodes.INTERRUPTED
    return code


if __name__ == "__main__":
    sys.exit(main())
