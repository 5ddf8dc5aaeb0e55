#!/usr/bin/env python3
"""Where a crawl's CPU goes: a profile of the reactor process and of an extraction worker.

Not a test: run it by hand (see bench/README.md)::

    .venv/bin/python bench/profile_crawl.py --design tistory --articles 527

It serves N corpus articles on 127.0.0.1 (``bench/served_outlets.py``, responses cached) and

1. runs ``newsbot crawl`` under cProfile (``python -m cProfile``): the reactor process's main
   thread, which schedules everything (Scrapy's engine, downloads, discovery, the pipelines);
2. profiles, in this process, what a worker runs for each article: ``extract_article`` and
   then ``render_post`` on the same pages (the worker's job, without the pickling).

Each profile is printed as CPU seconds per component (Scrapy, Twisted, asyncio, newsbot's own
modules, trafilatura, lxml, ...) and the top functions by their own time. Exit status 2 without
the shared data.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # shared_data: the one place that knows ../shared
sys.path.insert(0, str(REPO / "bench"))

import shared_data  # noqa: E402
from served_outlets import DESIGNS, make_site, served_articles  # noqa: E402

from newsbot.config.sources import get_outlet  # noqa: E402
from newsbot.demo.server import serve  # noqa: E402
from newsbot.extraction import Hints, extract_article  # noqa: E402
from newsbot.profiles import load_profile  # noqa: E402
from newsbot.render import render_post  # noqa: E402


def component(filename: str, function: str) -> str:
    """A profile entry's component: the package it belongs to, or the builtin it is."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/newsbot/" in filename:
        return "newsbot/" + filename.split("/newsbot/", 1)[1]
    if filename.startswith("~"):
        return "builtin: " + function.split(" of ")[0].strip("<>")[:48]
    return "stdlib: " + Path(filename).name


def report(stats: pstats.Stats, title: str, top: int) -> None:
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_component: collections.Counter[str] = collections.Counter()
    for (filename, _, function), (_, _, own, _, _) in raw.items():
        by_component[component(filename, function)] += own
    print(f"\n## {title}: {total:.2f} s of profiled time\n")
    print("| component | own s | share |\n| --- | ---: | ---: |")
    for name, seconds in by_component.most_common(top):
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    print(f"\nTop {top} functions by own time:\n")
    entries = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, function), (_, calls, own, cumulative, _) in entries:
        where = component(filename, function)
        print(
            f"- {own:6.3f} s own, {cumulative:6.3f} s cum, {calls:7d} calls"
            f"  {function} ({where}:{line})"
        )


def profile_reactor(base: str, work: Path, top: int) -> None:
    output = work / "blog"
    stats_file = work / "reactor.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "newsbot.cli"]
    command += ["crawl", "newsdao", "--base-url", base, "--output", str(output), "--fast"]
    command += ["--no-progress"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    print(f"crawl: exit {done.returncode} in {time.perf_counter() - started:.1f} s (profiled)")
    print(done.stdout.strip() or done.stderr.strip()[-500:])
    report(pstats.Stats(str(stats_file)), "Reactor process (main thread)", top)


def profile_worker(pages: list[tuple[str, str]], top: int) -> None:
    rules = get_outlet("newsdao").extraction
    branding = get_outlet("newsdao").branding
    profile = load_profile("whereispost")

    def job(page: str, url: str) -> None:  # what a worker runs for one article
        item = extract_article(page, url, Hints(), rules)
        item.slug, item.outlet = "newsdao-" + url.rsplit("/", 1)[-1], "newsdao"
        render_post(item, profile, branding=branding)

    job(*pages[0])  # warm-up: compiled XPaths, lazy imports
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    for page, url in pages:
        job(page, url)
    profiler.disable()
    cpu = time.process_time() - started
    each = cpu / len(pages) * 1000
    print(f"\nworker jobs: {len(pages)} articles, {each:.1f} ms CPU each (profiled)")
    report(pstats.Stats(profiler), "Extraction worker (extract_article + render_post)", top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--design", choices=DESIGNS, default="tistory")
    parser.add_argument("--articles", type=int, default=527)
    parser.add_argument("--top", type=int, default=15, help="rows per table")
    args = parser.parse_args(argv)
    try:
        rows = shared_data.load_corpus_rows()
    except FileNotFoundError as err:
        print(f"profile: shared data absent, nothing measured ({err})", file=sys.stderr)
        return 2
    articles = served_articles(rows, args.articles)
    site = make_site(args.design, articles)
    with tempfile.TemporaryDirectory(prefix="newsbot-profile-") as tmp, serve(site) as base:
        host = base.removeprefix("http://")
        site.warm(host)
        print(f"# Profile: {args.articles} articles, design {args.design}, served at {base}")
        profile_reactor(base, Path(tmp), args.top)
        pages = []
        for article in articles[: min(len(articles), 300)]:
            body = site.respond(f"/{article.id}", host)[2]
            pages.append((body.decode("utf-8"), f"{base}/{article.id}"))
        profile_worker(pages, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
