#!/usr/bin/env python3
"""Speed, memory and quality benchmark: newsbot against trafilatura's CLI, same run, same machine.

Not a test: run it by hand (see bench/README.md)::

    .venv/bin/python bench/benchmark.py                 # everything issue 9 asks for
    .venv/bin/python bench/benchmark.py --articles 20 --repeat 1 --noop-sizes 0,200 \\
        --backfill-articles 0 --designs news-cms        # a quick look

It serves N articles of the shared newsdao corpus (``../shared``) on 127.0.0.1 in each outlet
design (``news-cms``: the demo outlet; ``tistory``: the same articles as a Tistory blog) and
measures, per design:

1. crawl, end to end, the tools alternating in every repeat: ``newsbot crawl newsdao --base-url
   ... --output TMP --fast`` (discovery, fetch, extract, write posts) against the peer,
   ``trafilatura -i urls.txt --parallel 2 --markdown -o TMP`` given the article URL list (so it
   pays no discovery): wall s, articles/s, CPU s of the process tree (newsbot also split into
   its reactor process and the rest), CPU ms/article, start-up (launch to the outlet's first
   request), requests served, peak PSS of the process tree, peak RSS of the largest process;
2. newsbot runs with nothing new, right after its crawl and on the blog padded with filler posts
   to each ``--noop-sizes`` size: the first run (builds the published-posts cache) and the second
   (steady state);
3. extraction only, single process, in memory, on up to 300 of the served pages.

Then, once: extraction only on the 181 pages of the ScrapingHub article-extraction benchmark, and
a first crawl of ``--backfill-articles`` articles (newsbot only) for its peak memory.

Prints Markdown tables and writes the whole result as JSON and a PNG chart to ``bench-results/``
(gitignored). Exit status: 0 done, 1 a run failed or timed out, 2 the shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # shared_data (where ../shared is), sites (the test sites)

import results_chart  # noqa: E402
import results_table  # noqa: E402
import shared_data  # noqa: E402
from blog_padding import (  # noqa: E402
    POSTS_DIR,
    changed_posts,
    filler_template,
    padded_blog,
    posts_snapshot,
)
from extraction_speed import (  # noqa: E402
    Page,
    measure_extraction,
    newsbot_extractor,
    trafilatura_extractor,
)
from measured_run import RunResult, run_measured, summarise  # noqa: E402
from served_outlets import DESIGNS, CachedSite, make_site, served_articles  # noqa: E402

from newsbot import exitcodes  # noqa: E402
from newsbot.config.outlet import ExtractionRules  # noqa: E402
from newsbot.config.sources import get_outlet  # noqa: E402
from newsbot.demo.outlet import SampleArticle, body_text  # noqa: E402
from newsbot.demo.server import serve  # noqa: E402

EXTRACT_MAX = 300  # served pages per design for extraction only
DEFAULT_NOOP_SIZES = (0, 2000, 20000)
PEER_PARALLEL = 2
PEER_CONFIG = "[DEFAULT]\n# no politeness delay (newsbot runs with --fast)\nSLEEP_TIME = 0\n"
# trafilatura refuses loopback addresses by default; the outlet is on 127.0.0.1
PEER_CONFIG += "SSRF_PROTECTION = off\n"
# README, "exit codes": a run with nothing new exits 0 (no commit, nothing to publish)
NOOP_OK = frozenset({exitcodes.OK})
NOTES = [
    "crawl: newsbot discovers the articles itself (robots.txt, sitemaps, feed, listings, id "
    "walk); the peer is handed the article URL list, so it pays no discovery.",
    f"crawl: the peer is `trafilatura -i urls.txt --parallel {PEER_PARALLEL} --markdown -o DIR "
    "--config-file settings.cfg` with SLEEP_TIME = 0 and SSRF_PROTECTION = off (loopback "
    "outlet).",
    "startup_s: from the launch of the command (perf_counter right before its Popen) to the "
    "outlet's first request; it includes the interpreter start and the imports.",
    "cpu_s: user + system of the command and all its descendants, orphans included (a "
    "subreaper launcher reaps them); main_cpu_s: the command's own process (newsbot: the "
    "reactor process); rest_cpu_s: the others (newsbot: the fork server and its workers).",
    "peak_rss_mb is ru_maxrss: the largest single process of the run, not a sum; "
    "tree_peak_pss_mb is the max over 0.1 s samples of the summed PSS of every process in the "
    "run's session.",
    "noop: newsbot runs on a blog that already has every served article. posts_in_blog 0 is the "
    "crawl's own folder; larger sizes are a copy of it padded with filler posts of another site "
    "(source_url https://blog.example/old/N), without the published-posts cache "
    "(.newsbot/published.json): 'first' builds the cache, 'steady' is the next run.",
    "articles beyond the corpus size are corpus articles reissued under new ids above the "
    "highest corpus id, with a title suffix (not the same content).",
    "timings are medians over the repeats, memory figures maxima; extraction: single process, "
    "pages in memory, median of the repeats after one warm-up page; CPU by process_time; "
    "newsbot refusals (NotAnArticle) score as empty text.",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _newsdao_rules() -> ExtractionRules:
    """The newsdao outlet's extraction rules (the one place that asks for the outlet)."""
    return get_outlet("newsdao").extraction


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"benchmark: the {name!r} command was not found")
    return found


# -- measured runs ---------------------------------------------------------------------------


def _measure(command: list[str], site: CachedSite, cwd: Path, timeout: float) -> RunResult:
    site.reset()
    result = run_measured(command, cwd=cwd, timeout=timeout)
    result.requests = site.served
    if site.first_request_at is not None:
        result.startup_s = site.first_request_at - result.launched_at
    return result


def newsbot_command(base: str, output: Path) -> list[str]:
    return [
        *(_tool("newsbot"), "crawl", "newsdao", "--base-url", base),
        *("--output", str(output), "--fast", "--no-progress"),
    ]


def crawl_newsbot(base: str, site: CachedSite, output: Path, timeout: float) -> RunResult:
    """A first crawl into ``output`` (kept: the no-op runs reuse it)."""
    result = _measure(newsbot_command(base, output), site, output.parent, timeout)
    result.outputs = len(list((output / POSTS_DIR).glob("*.md")))
    return result


def noop_newsbot(base: str, site: CachedSite, blog: Path, timeout: float) -> RunResult:
    """A run on a blog that has every article already; ``outputs`` = posts written or changed."""
    before = posts_snapshot(blog)
    result = _measure(newsbot_command(base, blog), site, blog.parent, timeout)
    result.outputs = changed_posts(before, posts_snapshot(blog))
    return result


def crawl_peer(urls: list[str], site: CachedSite, work: Path, timeout: float) -> RunResult:
    run_dir = Path(tempfile.mkdtemp(prefix="trafilatura-", dir=work))
    (run_dir / "urls.txt").write_text("".join(f"{u}\n" for u in urls), encoding="utf-8")
    (run_dir / "settings.cfg").write_text(PEER_CONFIG, encoding="utf-8")
    output = run_dir / "out"
    command = [_tool("trafilatura"), "-i", str(run_dir / "urls.txt")]
    command += ["--parallel", str(PEER_PARALLEL), "--markdown", "-o", str(output)]
    command += ["--config-file", str(run_dir / "settings.cfg")]
    result = _measure(command, site, run_dir, timeout)
    result.outputs = sum(1 for p in output.rglob("*") if p.is_file()) if output.exists() else 0
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


# -- one design ------------------------------------------------------------------------------


class Failures:
    """Runs that failed or timed out: reported on stderr, and the exit status becomes 1."""

    def __init__(self) -> None:
        self.count = 0

    def check(self, what: str, run: RunResult, ok: frozenset[int] = frozenset({0})) -> None:
        if not run.succeeded(ok):
            self.count += 1
            log(f"{what} failed (exit {run.exit_code}, timed out {run.timed_out}):")
            log(run.stderr_tail[-1000:])


def _spread(items: list[SampleArticle], k: int) -> list[SampleArticle]:
    """An even spread of ``k`` items (every n-th)."""
    if k >= len(items):
        return items
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


def _noop_runs(
    base: str,
    site: CachedSite,
    crawled: Path,
    sizes: list[int],
    work: Path,
    args: argparse.Namespace,
    failures: Failures,
    into: dict[int, dict[str, Any]],
) -> None:
    """Runs with nothing new on the crawled blog and on copies padded to each size."""
    have = len(posts_snapshot(crawled))
    for size in sizes:
        if size == 0:
            blog = crawled
        else:
            fill = size - have
            template = filler_template(work / f"filler-{fill}", fill) if fill > 0 else None
            blog = padded_blog(crawled, template, work / f"noop-{size}")
        entry = into.setdefault(size, {"posts": 0, "first": [], "steady": []})
        entry["posts"] = max(entry["posts"], len(posts_snapshot(blog)))
        for phase in ("first", "steady"):
            log(f"  nothing new, {entry['posts']} posts, {phase}")
            run = noop_newsbot(base, site, blog, args.timeout)
            failures.check(f"newsbot no-op run ({size} posts, {phase})", run, NOOP_OK)
            entry[phase].append(run)
        if blog != crawled:
            shutil.rmtree(blog, ignore_errors=True)


def measure_design(
    design: str,
    rows: list[dict[str, Any]],
    args: argparse.Namespace,
    work: Path,
    failures: Failures,
) -> dict[str, Any]:
    articles = served_articles(rows, args.articles or len(rows))
    site = make_site(design, articles)
    nb_runs: list[RunResult] = []
    peer_runs: list[RunResult] = []
    noop: dict[int, dict[str, Any]] = {}
    with serve(site) as base:  # type: ignore[arg-type]  # any object with respond/delivery
        host = base.removeprefix("http://")
        log(f"{design}: serving {len(articles)} articles at {base}; rendering them")
        site.warm(host)
        urls = [f"{base}/{i}" for i in site.article_ids]
        for i in range(args.repeat):
            log(f"{design}, repeat {i + 1}/{args.repeat}: newsbot")
            output = Path(tempfile.mkdtemp(prefix="newsbot-", dir=work)) / "blog"
            run = crawl_newsbot(base, site, output, args.timeout)
            failures.check(f"{design}: newsbot crawl", run)
            nb_runs.append(run)
            _noop_runs(base, site, output, args.noop_sizes, work, args, failures, noop)
            shutil.rmtree(output.parent, ignore_errors=True)
            if not args.skip_peer:
                log(f"{design}, repeat {i + 1}/{args.repeat}: trafilatura")
                run = crawl_peer(urls, site, work, args.timeout)
                failures.check(f"{design}: trafilatura crawl", run)
                peer_runs.append(run)

        log(f"{design}: extraction only")
        pages: list[Page] = [
            (site.respond(f"/{a.id}", host)[2], f"{base}/{a.id}", body_text(a.body_html))
            for a in _spread(sorted(articles, key=lambda a: a.id), EXTRACT_MAX)
        ]
    rules = _newsdao_rules()
    section: dict[str, Any] = {
        "articles": len(articles),
        "crawl": {
            "newsbot": summarise(nb_runs),
            "peer": summarise(peer_runs) if peer_runs else None,
        },
        "noop": [
            {
                "padded_to": size,
                "posts_in_blog": entry["posts"],
                "first": summarise(entry["first"], NOOP_OK),
                "steady": summarise(entry["steady"], NOOP_OK),
            }
            for size, entry in sorted(noop.items())
        ],
        "extract": {
            "newsbot": asdict(measure_extraction(newsbot_extractor(rules), pages, args.repeat)),
            "trafilatura": asdict(measure_extraction(trafilatura_extractor, pages, args.repeat)),
        },
    }
    section["ratios"] = results_table.design_ratios(section)
    return section


def measure_backfill(
    design: str,
    rows: list[dict[str, Any]],
    args: argparse.Namespace,
    work: Path,
    failures: Failures,
) -> dict[str, Any]:
    """A first crawl of ``--backfill-articles`` articles, newsbot only, for its peak memory."""
    articles = served_articles(rows, args.backfill_articles)
    site = make_site(design, articles)
    runs = []
    with serve(site) as base:  # type: ignore[arg-type]
        log(f"backfill: serving {len(articles)} articles ({design}) at {base}; rendering them")
        site.warm(base.removeprefix("http://"))
        for i in range(args.repeat):
            log(f"backfill, repeat {i + 1}/{args.repeat}: newsbot")
            output = Path(tempfile.mkdtemp(prefix="newsbot-", dir=work)) / "blog"
            run = crawl_newsbot(base, site, output, args.timeout)
            failures.check("backfill: newsbot crawl", run)
            runs.append(run)
            shutil.rmtree(output.parent, ignore_errors=True)
    return {"design": design, "articles": len(articles), "newsbot": summarise(runs)}


# -- main ------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of numbers: {text!r}"
        ) from None
    if any(size < 0 for size in sizes):
        raise argparse.ArgumentTypeError(f"blog sizes cannot be negative: {text!r}")
    return sizes


def _designs(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [d for d in chosen if d not in DESIGNS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown design {', '.join(unknown) or text!r} (known: {', '.join(DESIGNS)})"
        )
    return list(dict.fromkeys(chosen))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=None,
        help="articles to serve (default: the whole corpus; more are corpus reissues)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement (default 3; medians)"
    )
    parser.add_argument(
        "--designs",
        "--design",
        type=_designs,
        default=list(DESIGNS),
        help=f"outlet designs, comma-separated (default: {','.join(DESIGNS)})",
    )
    parser.add_argument(
        "--noop-sizes",
        type=_sizes,
        default=list(DEFAULT_NOOP_SIZES),
        help="blog sizes (posts in _posts) for the runs with nothing new; 0: the crawled blog "
        f"as it is (default: {','.join(map(str, DEFAULT_NOOP_SIZES))}; '' for none)",
    )
    parser.add_argument(
        "--backfill-articles",
        type=int,
        default=2000,
        help="articles of the memory run, a first crawl by newsbot alone (default 2000; 0 skips)",
    )
    parser.add_argument("--skip-peer", action="store_true", help="do not run trafilatura's CLI")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=REPO / "bench-results",
        help="where the JSON and the chart go (default: bench-results/)",
    )
    args = parser.parse_args(argv)
    if args.articles is not None and args.articles < 1:
        parser.error("--articles must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.backfill_articles < 0:
        parser.error("--backfill-articles cannot be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        rows = shared_data.load_corpus_rows()
        aeb = shared_data.load_aeb_pages()
    except FileNotFoundError as err:
        print(f"benchmark: shared data absent, nothing measured ({err})", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "articles": args.articles or len(rows),
            "corpus_articles": len(rows),
            "repeat": args.repeat,
            "designs": args.designs,
            "noop_sizes": args.noop_sizes,
            "backfill_articles": args.backfill_articles,
            "peer_command": f"trafilatura -i urls.txt --parallel {PEER_PARALLEL} --markdown "
            "-o DIR --config-file settings.cfg",
            "peer_config": PEER_CONFIG,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "newsbot": version("newsbot"),
            "trafilatura": version("trafilatura"),
            "targets": results_table.TARGETS,
            "notes": NOTES,
        },
        "designs": {},
    }
    failures = Failures()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        work = Path(tmp)
        for design in args.designs:
            results["designs"][design] = measure_design(design, rows, args, work, failures)
        results["backfill"] = None
        if args.backfill_articles:
            design = "tistory" if "tistory" in args.designs else args.designs[0]
            results["backfill"] = measure_backfill(design, rows, args, work, failures)

    log("extraction only: AEB pages")
    aeb_pages: list[Page] = [(p.html, p.url, p.truth) for p in aeb]
    lenient = ExtractionRules(min_body_chars=0)
    results["extract_aeb"] = {
        "newsbot": asdict(measure_extraction(newsbot_extractor(lenient), aeb_pages, args.repeat)),
        "trafilatura": asdict(measure_extraction(trafilatura_extractor, aeb_pages, args.repeat)),
    }

    results["targets"] = results_table.targets(results)
    results["meta"]["seconds"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    table = results_table.markdown(results)
    results["table"] = table
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"benchmark-{started:%Y%m%dT%H%M%SZ}"
    chart = args.results_dir / f"{stem}.png"
    results["chart"] = chart.name
    path = args.results_dir / f"{stem}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    results_chart.draw(results, chart)
    print(table)
    print(f"\nresults: {path}\nchart: {chart}")
    return 1 if failures.count else 0


if __name__ == "__main__":
    sys.exit(main())
