"""``newsbot crawl OUTLET --output DIR …``: one crawl, a one-line summary, a cron-able exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from newsbot import exitcodes
from newsbot.crawl_runner import CrawlOptions, CrawlOutcome, project_settings, run_crawl
from newsbot.extensions.run_summary import RunReport
from newsbot.outlets import OUTLETS
from newsbot.profiles import ProfileError, load_profile
from newsbot.publish.run_lock import RunLocked, run_lock
from newsbot.publish.run_log import append_run

STATE_DIR = ".newsbot"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl an outlet into the blog folder",
        description="Crawl an outlet and write new articles as posts into the blog folder.",
    )
    parser.add_argument("outlet", choices=sorted(OUTLETS), help="outlet to crawl")
    add_crawl_arguments(parser)
    parser.set_defaults(func=main)


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("output"),
        help="the blog repository's root (default: ./output)",
    )
    parser.add_argument("--base-url", help="crawl this host instead (a mirror, a test outlet)")
    parser.add_argument("--since", type=_iso_date, help="ignore sitemap/feed entries before DATE")
    parser.add_argument("--limit", type=int, default=0, help="write at most N posts")
    parser.add_argument(
        "--backfill",
        type=int,
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
        "-v", "--verbose", action="count", default=0, help="log more (-v info, -vv debug)"
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newsbot setting",
    )


def options_from_args(args: argparse.Namespace, outlet: str) -> CrawlOptions:
    extra = {}
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"newsbot: -s expects NAME=VALUE, got {pair!r}")
        extra[name] = value
    return CrawlOptions(
        outlet=outlet,
        output=args.output.resolve(),
        base_url=args.base_url,
        since=args.since,
        limit=args.limit,
        backfill=args.backfill,
        dry_run=args.dry_run,
        fast=args.fast,
        refresh=args.refresh,
        profile=args.profile,
        download_images=args.download_images,
        commit=args.commit,
        push=args.push,
        remote=args.remote,
        branch=args.branch,
        author=args.author,
        verbose=args.verbose,
        progress=args.progress,
        extra_settings=extra,
    )


def main(args: argparse.Namespace) -> int:
    return crawl_with_lock(options_from_args(args, args.outlet))


def crawl_with_lock(options: CrawlOptions) -> int:
    """Lock the blog folder, crawl, log the run, print the summary; return the exit code."""
    try:
        load_profile(options.profile or project_settings().get("NEWSBOT_PROFILE"))
    except ProfileError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    state = options.output / STATE_DIR
    start = dt.datetime.now().astimezone()
    try:
        with run_lock(state):
            try:
                outcome = run_crawl(options)
            except Exception as exc:  # a crash still leaves a line in the run log
                report = RunReport(finish_reason="crashed", errors=[f"newsbot crashed: {exc!r}"])
                record_run(state / "runs.jsonl", options, CrawlOutcome(1, report), start)
                raise
            record_run(state / "runs.jsonl", options, outcome, start)
    except RunLocked as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return exitcodes.LOCKED
    print_outcome(options, outcome)
    return outcome.exit_code


def record_run(
    path: Path, options: CrawlOptions, outcome: CrawlOutcome, start: dt.datetime
) -> None:
    report = outcome.report
    publish = outcome.publish
    errors = list(report.errors)
    if outcome.publish_error:
        errors.append(outcome.publish_error)
    append_run(
        path,
        {
            "start": start.isoformat(timespec="seconds"),
            "end": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "outlet": options.outlet,
            "new": report.new,
            "updated": report.updated,
            "skipped": report.skipped,
            "failed": report.failed,
            "exit_code": outcome.exit_code,
            "errors": errors[:50],
            "committed": getattr(publish, "committed", None),
            "pushed": getattr(publish, "pushed", None) if options.push else None,
            "dry_run": options.dry_run,
        },
    )


def print_outcome(options: CrawlOptions, outcome: CrawlOutcome) -> None:
    report = outcome.report
    for error in report.errors[:20]:
        print(f"newsbot: error: {error}", file=sys.stderr)
    if len(report.errors) > 20:
        print(f"newsbot: … and {len(report.errors) - 20} more errors", file=sys.stderr)
    if outcome.publish_error:
        print(f"newsbot: publish failed: {outcome.publish_error}", file=sys.stderr)
    line = report.line(options.outlet, options.dry_run)
    publish = outcome.publish
    if publish is not None and (publish.committed or "pushed " in publish.message):
        line += f"; git: {publish.message}"
    print(line)


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
