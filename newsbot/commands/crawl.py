"""``newsbot crawl OUTLET --output DIR …``: one crawl, a one-line summary, a cron-able exit code.
``newsbot crawl --all``: every enabled outlet of the sources file, one summary line each."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from newsbot.run.plan import CrawlOptions
from newsbot.run.runner import run_crawl


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl an outlet into the blog folder",
        description=(
            "Crawl an outlet of the sources file (or, with --all, every enabled one) and write "
            "new articles as posts into the blog folder."
        ),
    )
    parser.add_argument(
        "outlet", nargs="?", help="the outlet to crawl: a name from the sources file"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="crawl every enabled outlet of the sources file, in one process, one commit",
    )
    add_crawl_arguments(parser)
    parser.set_defaults(func=main, parser=parser)


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help="the sources file declaring the outlets (default: $NEWSBOT_SOURCES, else the "
        "bundled one)",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("output"),
        help="the blog repository's root (default: ./output)",
    )
    parser.add_argument("--base-url", help="crawl this host instead (a mirror, a test outlet)")
    parser.add_argument("--since", type=_iso_date, help="ignore sitemap/feed entries before DATE")
    parser.add_argument("--limit", type=_count, default=0, help="write at most N posts")
    parser.add_argument(
        "--backfill",
        type=_count,
        default=0,
        metavar="N",
        help="also fetch the N article ids below the newest known one",
    )
    parser.add_argument("--dry-run", action="store_true", help="write nothing, report only")
    parser.add_argument(
        "--fast", action="store_true", help="no throttling (local outlets and benchmarks only)"
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="re-fetch published articles and update changed posts",
    )
    parser.add_argument(
        "--overwrite-edited",
        action="store_true",
        help="replace posts changed by hand since newsbot wrote them (default: keep them)",
    )
    parser.add_argument("--profile", help="house style: a bundled profile name or a YAML file")
    parser.add_argument(
        "--download-images",
        action="store_true",
        help="store the article images in the blog (assets/img/newsbot/) and link the copies",
    )
    parser.add_argument("--commit", action="store_true", help="git-commit the new posts")
    parser.add_argument("--push", action="store_true", help="commit, then push (implies --commit)")
    parser.add_argument("--remote", help="git remote to push to (default: origin)")
    parser.add_argument("--branch", help="git branch to push (default: the current one)")
    parser.add_argument("--author", help='commit author, "Name <email>"')
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="live progress line (default: on a terminal only)",
    )
    parser.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="URL",
        help="tell this Apprise URL when an outlet's health changes (repeatable; adds to "
        "NEWSBOT_NOTIFY and the outlet's notify: list)",
    )
    parser.add_argument(
        "--scheduled",
        action="store_true",
        help="a scheduled run (the cron line sets it): an outlet that keeps failing is backed "
        "off (skipped, exit 0) until its next try; without it a run always runs",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-v info, -vv debug)"
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        type=_setting,
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newsbot setting",
    )


def options_from_args(args: argparse.Namespace, outlet: str | None) -> CrawlOptions:
    return CrawlOptions(
        outlet=outlet,
        output=args.output.resolve(),
        sources=args.sources.resolve() if args.sources else None,
        base_url=args.base_url,
        since=args.since,
        limit=args.limit,
        backfill=args.backfill,
        dry_run=args.dry_run,
        fast=args.fast,
        refresh=args.refresh,
        overwrite_edited=args.overwrite_edited,
        profile=args.profile,
        download_images=args.download_images,
        commit=args.commit,
        push=args.push,
        remote=args.remote,
        branch=args.branch,
        author=args.author,
        verbose=args.verbose,
        progress=args.progress,
        notify=list(args.notify),
        scheduled=args.scheduled,
        extra_settings=dict(args.set),
    )


def main(args: argparse.Namespace) -> int:
    if args.all == bool(args.outlet):
        args.parser.error("name one outlet to crawl, or give --all (not both)")
    if args.all:
        from newsbot.run.crawl_all import run_all

        return run_all(options_from_args(args, None))
    return run_crawl(options_from_args(args, args.outlet))


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return number


def _setting(value: str) -> tuple[str, str]:
    name, sep, setting = value.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expects NAME=VALUE, got {value!r}")
    return name.strip(), setting


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
