"""``newsbot cron-line``: print a crontab entry that runs ``newsbot crawl`` unattended."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from newsbot import exitcodes
from newsbot.commands.crawl import add_crawl_arguments, options_from_args
from newsbot.config.preflight import ConfigError, check_crawl_settings
from newsbot.config.sources import SourcesError
from newsbot.run.cron_line import cron_line
from newsbot.run.plan import crawl_settings
from newsbot.spiders.loader import OutletSpiderLoader


class _CrawlArguments(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def crawl_problem(outlet: str | None, output: Path, extra: list[str]) -> str | None:
    """Why ``newsbot crawl OUTLET --output OUTPUT EXTRA`` (``--all`` when ``outlet`` is None)
    would fail at once, or None: the line must not fail every ten minutes in a log nobody
    reads."""
    parser = _CrawlArguments(prog="newsbot crawl", add_help=False)
    add_crawl_arguments(parser)
    try:
        args = parser.parse_args(["--output", str(output), *extra])
    except ValueError as exc:
        return f"invalid crawl option: {exc}"
    try:
        options = options_from_args(args, outlet)
        settings = crawl_settings(options)
        loader = OutletSpiderLoader.from_settings(settings)
        names = [outlet] if outlet else loader.list()
        for name in names:
            spider = loader.load(name)
            check_crawl_settings(settings, spider.outlet, options.base_url)  # type: ignore[attr-defined]
    except (ConfigError, SourcesError) as exc:
        return str(exc)
    except KeyError as exc:  # an outlet the sources file does not declare
        return str(exc.args[0])
    return None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cron-line",
        help="print a crontab line for unattended crawls",
        description=(
            "Print a crontab entry that works in cron's bare environment: absolute paths, "
            "PATH set for git, output appended to a log. Add it with `crontab -e`."
        ),
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="the output folder (the blog's git repository)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--outlet",
        default="newsdao",
        help="the outlet to crawl, a name from the sources file (default: newsdao)",
    )
    which.add_argument(
        "--all",
        action="store_true",
        help="crawl every enabled outlet of the sources file (`newsbot crawl --all`)",
    )
    parser.add_argument(
        "--schedule",
        default="*/10 * * * *",
        help="the cron schedule (default: every 10 minutes, '*/10 * * * *')",
    )
    parser.add_argument("--commit", action="store_true", help="pass --commit to crawl")
    parser.add_argument("--push", action="store_true", help="pass --push to crawl")
    parser.add_argument("--remote", help="pass --remote REMOTE to crawl")
    parser.add_argument("--branch", help="pass --branch BRANCH to crawl")
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="FILE",
        help="append the run's output here (default: OUTPUT/.newsbot/cron.log)",
    )
    parser.add_argument(
        "crawl_args",
        nargs=argparse.REMAINDER,
        metavar="-- CRAWL_ARGS",
        help="more `newsbot crawl` options after `--`, e.g. -- --since 2024-06-01",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    extra: list[str] = []
    if args.commit:
        extra.append("--commit")
    if args.push:
        extra.append("--push")
    if args.remote:
        extra += ["--remote", args.remote]
    if args.branch:
        extra += ["--branch", args.branch]
    passthrough = list(args.crawl_args or [])
    if passthrough[:1] == ["--"]:
        passthrough = passthrough[1:]
    extra += passthrough
    problem = crawl_problem(None if args.all else args.outlet, args.output, extra)
    if problem:
        print(f"newsbot cron-line: {problem}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        line = cron_line(
            output=args.output,
            outlet="--all" if args.all else args.outlet,
            schedule=args.schedule,
            extra_args=extra,
            log_file=args.log_file,
        )
    except ValueError as exc:
        print(f"newsbot cron-line: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    print(line)
    return exitcodes.OK
