"""``newsbot add URL``: probe a new site and append a proposed entry to the sources file."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsbot import exitcodes
from newsbot.config.sources_append import (
    SourcesFileError,
    append_entry,
    check_new,
    starting_point,
)
from newsbot.config.sources_append import sources_path as resolve_sources_path
from newsbot.config.validators import time_zone
from newsbot.probe.proposal import name_from_host

NAME_RULE = "lowercase letters, digits, '_' or '-'"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "add",
        help="probe a new site and add it to the sources file",
        description=(
            "Probe a news site (robots.txt sitemaps, feeds, listing pages, the URLs of its "
            "articles, platform, language, timezone), show a sample extraction and append the "
            "proposed outlet entry to the sources file; `newsbot crawl NAME --sources FILE` "
            "then crawls it. A sources file that does not exist yet starts from the bundled "
            "outlets. robots.txt is obeyed."
        ),
    )
    parser.add_argument("url", help="the site's home page, e.g. https://example.com")
    parser.add_argument("--name", help="the outlet's name (default: from the host name)")
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help="the sources file to add to (default: $NEWSBOT_SOURCES, else ./sources.yaml)",
    )
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        help="IANA zone of the site's times when its dates carry no offset (e.g. Europe/Berlin)",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the entry, write nothing")
    parser.add_argument(
        "--fast", action="store_true", help="no throttling (local sites and tests only)"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-v info, -vv debug)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = _site_url(args.url)
    if url is None:
        return _fail(f"not a site URL: {args.url!r} (expected e.g. https://example.com)")
    if args.name is not None and not _valid_name(args.name):
        return _fail(f"--name must be {NAME_RULE}, got {args.name!r}")
    if args.timezone is not None and not _valid_zone(args.timezone):
        return _fail(f"--timezone: unknown time zone {args.timezone!r} (e.g. Asia/Seoul)")
    try:
        path = resolve_sources_path(args.sources)
        _, outlets, _ = starting_point(path)
        check_new(path, outlets, args.name or name_from_host(url), url)
    except SourcesFileError as exc:
        return _fail(str(exc))

    from newsbot.probe.fetch import fetch_site, probe_settings
    from newsbot.probe.proposal import ProbeError, propose
    from newsbot.probe.report import format_proposal
    from newsbot.run.plan import project_settings

    print(f"newsbot add: probing {url} …", flush=True)
    settings = probe_settings(project_settings(), fast=args.fast, verbose=args.verbose)
    capture = fetch_site(url, settings)
    try:
        proposal = propose(capture, args.name, args.timezone)
    except ProbeError as exc:
        print(f"newsbot add: {exc}", file=sys.stderr)
        return exc.exit_code
    print(format_proposal(proposal), flush=True)
    if not any(sample.item for sample in proposal.samples):
        print(
            f"newsbot add: no article found at {proposal.base_url}: no page matching "
            f"{proposal.group.pattern.pattern} reads as an article; nothing added",
            file=sys.stderr,
        )
        return exitcodes.NOTHING_PUBLISHED
    if args.dry_run:
        print(f"(--dry-run: {path} not changed)")
        return exitcodes.OK
    try:
        started = append_entry(path, proposal.entry)
    except SourcesFileError as exc:
        return _fail(str(exc))
    except OSError as exc:
        print(f"newsbot add: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.FAILED
    sources = "" if args.sources is None else f" --sources {path}"
    if started:
        names = ", ".join(str(o.get("name")) for o in starting_point(path)[1][:-1])
        print(
            f"Created {path} from newsbot's bundled outlets ({names}), so that "
            "`newsbot crawl --all` keeps crawling them; disable or remove those you do not want."
        )
    print(
        f"Added outlet {proposal.name!r} to {path}. Crawl it with: "
        f"newsbot crawl {proposal.name}{sources}"
    )
    return exitcodes.OK


def _fail(message: str) -> int:
    print(f"newsbot add: {message}", file=sys.stderr)
    return exitcodes.USAGE


def _site_url(value: str) -> str | None:
    """``example.com`` -> ``https://example.com/``; None for what is not an http(s) URL."""
    value = value.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _valid_name(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9_-]+", name) is not None


def _valid_zone(name: str) -> bool:
    try:
        time_zone(name)
    except ValueError:
        return False
    return True
