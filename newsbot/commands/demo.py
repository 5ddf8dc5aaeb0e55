"""``newsbot demo``: serve the bundled sample outlet on 127.0.0.1 and crawl it into ./output."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from newsbot.demo.outlet import OutletSite, load_samples
from newsbot.demo.server import serve
from newsbot.profiles import load_profile
from newsbot.run.plan import CrawlOptions
from newsbot.run.runner import run_crawl


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="crawl the bundled sample outlet (works offline)",
        description="Serve the bundled sample outlet on 127.0.0.1 and crawl it into a folder.",
    )
    parser.add_argument("--output", "-o", type=Path, default=Path("output"))
    parser.add_argument(
        "--port",
        type=_port,
        default=8765,
        help="port of the sample outlet; post links name it (default: 8765)",
    )
    parser.add_argument("--profile", help="house style (default: whereispost)")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.set_defaults(func=main)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535 (0: any free port), got {port}")
    return port


def main(args: argparse.Namespace) -> int:
    site = OutletSite(load_samples())
    with ExitStack() as stack:
        try:
            base_url = stack.enter_context(serve(site, port=args.port))
        except OSError as exc:  # the port is taken: any free port will do
            print(f"newsbot demo: port {args.port} unavailable ({exc.strerror}); using another")
            base_url = stack.enter_context(serve(site, port=0))
        print(f"newsbot demo: sample outlet at {base_url}, writing to {args.output.resolve()}")
        options = CrawlOptions(
            outlet="newsdao",
            output=args.output.resolve(),
            base_url=base_url,
            fast=True,
            profile=args.profile,
            verbose=args.verbose,
        )
        code = run_crawl(options)
    folder = args.output / load_profile(args.profile or "whereispost").posts_dir
    posts = sorted(folder.glob("*.md")) if folder.is_dir() else []
    print(f"newsbot demo: {len(posts)} posts in {folder}")
    return code
