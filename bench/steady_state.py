"""What a cron run with nothing new costs the outlet, and how long it takes.

Serves a Tistory blog (the bundled samples, one password-protected post) on 127.0.0.1 the way
nginx serves files (``ETag``, ``Last-Modified``, 304s: ``tests/sites/conditional.py``), publishes
it once, then runs ``newsbot crawl newsdao`` again with nothing new, ``--runs`` times at the
default politeness and ``--runs`` times with ``--fast``, and prints per run: requests, 404s,
304s, wall time (the whole command, start-up included); and the requests a day of a ``*/10``
cron line.

    .venv/bin/python bench/steady_state.py                       # this checkout
    .venv/bin/python bench/steady_state.py --server nginx        # the real nginx serves it
    git worktree add /tmp/before 0da90f8
    .venv/bin/python bench/steady_state.py --checkout /tmp/before  # another one ("before")
    git worktree remove /tmp/before

``--checkout`` runs the ``newsbot`` of another checkout (its folder first on ``PYTHONPATH``)
against the same outlet; the outlet server always comes from this one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsbot.demo.outlet import load_samples  # noqa: E402
from tests.sites.conditional import ConditionalSite, serve_conditional  # noqa: E402
from tests.sites.nginx import serve_nginx, write_site  # noqa: E402
from tests.sites.tistory import TistorySite  # noqa: E402

RUNS_A_DAY = 24 * 6  # a */10 cron line


def newsbot(checkout: Path, base: str, output: Path, *extra: str) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    argv = [sys.executable, "-m", "newsbot.cli", "crawl", "newsdao", "--base-url", base]
    argv += ["--output", str(output), *extra]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    return done.returncode, wall


@contextmanager
def outlet(server: str) -> Iterator[tuple[Any, str]]:
    """(what was asked and answered, base URL): the replica of nginx's conditional answers, or
    the real nginx serving the blog's files."""
    blog = TistorySite(load_samples(), "odyssey-like", protected_ids=[5305])
    if server == "replica":
        site = ConditionalSite(blog)
        with serve_conditional(site) as base:
            yield site, base
        return
    with tempfile.TemporaryDirectory() as root, serve_nginx(Path(root)) as nginx:
        paths = ["/robots.txt", "/sitemap.xml", "/rss", "/", *(f"/{p.id}" for p in blog.posts)]
        write_site(blog, nginx.site, nginx.base, paths)
        yield nginx, nginx.base


def measure(checkout: Path, runs: int, server: str = "replica") -> None:
    with outlet(server) as (site, base), tempfile.TemporaryDirectory() as blog:
        output = Path(blog)
        code, _ = newsbot(checkout, base, output, "--fast")  # publishes the blog
        print(f"first run: exit {code}, {len(site.log)} requests")
        # discovery paths guessed and missing: asked again once a day when remembered
        guessed = {path for path in site.paths(404) if not path.strip("/").isdigit()}
        per_run: list[int] = []
        for mode, extra in (("default", ()), ("--fast", ("--fast",))):
            walls = []
            for _ in range(runs):
                site.reset()
                code, wall = newsbot(checkout, base, output, *extra)
                counts = site.counts()
                walls.append(wall)
                per_run.append(len(site.log))
                print(
                    f"{mode:8} exit {code}: {len(site.log):2} requests, {counts[404]:2} x 404, "
                    f"{counts[304]} x 304, {counts[200]} x 200, {wall:.2f} s  "
                    + " ".join(f"{path}={status}" for path, status in site.log)
                )
            print(f"{mode:8} median wall time: {statistics.median(walls):.2f} s")
        robots_daily = 0 if any(p == "/robots.txt" for p in site.paths()) else 1
        guesses_daily = len(guessed - set(site.paths()))
        day = RUNS_A_DAY * statistics.median(per_run) + robots_daily + guesses_daily
        print(
            f"*/10 cron, nothing new: about {day:,.0f} requests a day "
            f"({RUNS_A_DAY} runs x {statistics.median(per_run):g}"
            + (" + robots.txt revalidated once a day" if robots_daily else "")
            + (
                f" + {guesses_daily} missing guessed paths asked again once a day"
                if guesses_daily
                else ""
            )
            + ")"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="runs with nothing new per mode")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the newsbot to measure")
    parser.add_argument(
        "--server",
        choices=("replica", "nginx"),
        default="replica",
        help="the outlet's server: the replica of nginx (default) or the real nginx",
    )
    args = parser.parse_args()
    measure(args.checkout.resolve(), args.runs, args.server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
