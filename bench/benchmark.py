#!/usr/bin/env python3
"""Speed, memory and quality benchmark: newsbot against plain trafilatura, same run, same machine.

Not a test: run it by hand (see bench/README.md)::

    .venv/bin/python bench/benchmark.py                 # all 1,620 corpus articles
    .venv/bin/python bench/benchmark.py --articles 200 --repeat 3 --skip-peer

It serves N articles of the shared newsdao corpus (``../shared``) with the demo outlet
(``OutletSite``) on 127.0.0.1 and measures:

1. crawl, end to end: ``newsbot crawl newsdao --base-url ... --output TMP --fast`` (discovery,
   fetch, extract, write posts) against the peer, ``trafilatura -i urls.txt --markdown -o TMP``
   given the article URL list (so the peer pays no discovery). Wall seconds, CPU seconds, the
   largest single process's peak RSS (``/usr/bin/time -v``'s "Maximum resident set size", i.e.
   ru_maxrss; without /usr/bin/time, getrusage(RUSAGE_CHILDREN) in a small launcher) and the
   process tree's peak PSS/RSS sums sampled every 0.1 s from /proc;
2. extraction only, single process, in memory: ``extract_article`` against
   ``trafilatura.extract(include_comments=False, include_tables=True)`` on the 181 pages of the
   ScrapingHub article-extraction benchmark (pages/second and the benchmark's F1) and on up to 300
   of the served newsdao pages.

Prints a Markdown table (absolute numbers and newsbot/peer ratios) and writes the whole result as
JSON to ``bench-results/`` (gitignored). Exit status: 0 done, 1 a crawl failed or timed out,
2 the shared data is absent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # shared_data: the one place that knows ../shared

import shared_data  # noqa: E402
import trafilatura  # noqa: E402

from newsbot.demo.outlet import OutletSite, Response, SampleArticle, body_text  # noqa: E402
from newsbot.demo.server import serve  # noqa: E402
from newsbot.extraction import NotAnArticle, extract_article  # noqa: E402
from newsbot.outlets import get_outlet  # noqa: E402
from newsbot.outlets.declaration import ExtractionRules  # noqa: E402
from newsbot.quality import corpus_f1, mean_text_f1  # noqa: E402

CORPUS_EXTRACT_MAX = 300
SAMPLE_EVERY = 0.1  # seconds between /proc samples of the process tree
PEER_CONFIG = "[DEFAULT]\n# no politeness delay (newsbot runs with --fast)\nSLEEP_TIME = 0\n"
# trafilatura refuses loopback addresses by default; the outlet is on 127.0.0.1
PEER_CONFIG += "SSRF_PROTECTION = off\n"


# -- the served outlet -----------------------------------------------------------------------


class CachedSite(OutletSite):
    """The demo outlet with rendered responses cached, so page rendering stays out of the timing.

    Safe because the site has no faults and nothing in it depends on time: a response depends
    only on (path, host). ``served`` counts requests (hits and misses).
    """

    def __init__(self, articles: list[SampleArticle]) -> None:
        super().__init__(articles)
        self._cache: dict[tuple[str, str], Response] = {}
        self._count_lock = threading.Lock()
        self.served = 0

    def respond(self, path: str, host: str) -> Response:
        with self._count_lock:
            self.served += 1
        key = (path, host)
        hit = self._cache.get(key)
        if hit is None:
            hit = super().respond(path, host)
            self._cache[key] = hit
        return hit

    def warm(self, host: str) -> None:
        for article in self.articles():
            self.respond(f"/{article.id}", host)
        for path in ("/robots.txt", "/sitemap.xml", "/rss", "/"):
            self.respond(path, host)
        self.served = 0


# -- measured subprocesses -------------------------------------------------------------------


@dataclass
class RunResult:
    command: list[str]
    exit_code: int | None
    timed_out: bool
    wall_s: float
    cpu_s: float  # user + system of the command and its reaped descendants (rusage)
    peak_rss_mb: float  # largest single process (ru_maxrss of the command's rusage)
    tree_peak_pss_mb: float  # sampled max of the summed PSS of the whole process tree
    tree_peak_rss_mb: float  # same with RSS (double-counts shared pages)
    tree_max_processes: int
    rusage_from: str = ""  # "/usr/bin/time -v" or the getrusage launcher
    outputs: int = 0  # articles written
    requests: int = 0  # HTTP requests the outlet served during the run
    stdout_tail: str = ""
    stderr_tail: str = ""


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # after "pid (comm) ": state ppid pgrp session ...
        if len(fields) > 3 and int(fields[3]) == sid:
            members.append(int(entry.name))
    return members


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB of one process; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError):
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            rss = pss = pages * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            return 0, 0
    return pss, rss


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


TIME_V = Path("/usr/bin/time")
# Fallback when /usr/bin/time is absent: a small Python parent that runs the command and writes
# getrusage(RUSAGE_CHILDREN) of it (and its reaped descendants) to a JSON file.
_LAUNCHER = """
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fh:
    json.dump({"maxrss_kb": ru.ru_maxrss, "cpu_s": ru.ru_utime + ru.ru_stime}, fh)
sys.exit(code if code >= 0 else 128 - code)
"""


def _rusage_wrapper(report: Path) -> tuple[list[str], str]:
    """The command prefix that reports the child's rusage into ``report``, and its name.

    The rusage must be read by a small parent: a child forked from this (large) process starts
    with this process's memory high-water mark, and execve keeps it in ru_maxrss.
    """
    if TIME_V.exists():
        return [str(TIME_V), "-v", "-o", str(report)], "/usr/bin/time -v"
    return [sys.executable, "-c", _LAUNCHER, str(report)], "getrusage(RUSAGE_CHILDREN) launcher"


def _read_rusage(report: Path) -> tuple[float, float]:
    """(peak RSS kB of the largest process, CPU seconds) from the wrapper's report; 0 if none."""
    try:
        text = report.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0.0, 0.0
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        return float(data["maxrss_kb"]), float(data["cpu_s"])
    values: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.strip().rpartition(": ")
        with contextlib.suppress(ValueError):
            values[name] = float(value)
    cpu = values.get("User time (seconds)", 0.0) + values.get("System time (seconds)", 0.0)
    return values.get("Maximum resident set size (kbytes)", 0.0), cpu


def run_measured(command: list[str], *, cwd: Path, timeout: float) -> RunResult:
    """Run ``command`` in its own session; time it and follow its memory until it exits."""
    proc_stats = Path("/proc/self/stat").exists()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch, "rusage")
        prefix, wrapper = _rusage_wrapper(report)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*prefix, *command], cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        peak_pss = peak_rss = max_procs = 0
        timed_out = False
        try:
            while proc.poll() is None:
                if proc_stats:
                    members = [m for m in _session_members(proc.pid) if m != proc.pid]
                    mem = [_memory_kb(m) for m in members]
                    peak_pss = max(peak_pss, sum(p for p, _ in mem))
                    peak_rss = max(peak_rss, sum(r for _, r in mem))
                    max_procs = max(max_procs, len(members))
                if time.perf_counter() - start > timeout:
                    timed_out = True
                    _kill_group(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        _kill_group(proc.pid, signal.SIGKILL)
                        proc.wait()
                    break
                time.sleep(SAMPLE_EVERY)
        except BaseException:
            _kill_group(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        _kill_group(proc.pid, signal.SIGKILL)  # leftovers of the session, if any
        maxrss_kb, cpu_s = _read_rusage(report)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return RunResult(
        command=command,
        exit_code=None if timed_out else proc.returncode,
        timed_out=timed_out,
        wall_s=wall,
        cpu_s=cpu_s,
        peak_rss_mb=maxrss_kb / 1024,
        tree_peak_pss_mb=peak_pss / 1024,
        tree_peak_rss_mb=peak_rss / 1024,
        tree_max_processes=max_procs,
        rusage_from=wrapper,
        stdout_tail=stdout[-2000:],
        stderr_tail=stderr[-2000:],
    )


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"benchmark: the {name!r} command was not found")
    return found


def crawl_newsbot(base: str, site: CachedSite, work: Path, timeout: float) -> RunResult:
    output = Path(tempfile.mkdtemp(prefix="newsbot-", dir=work))
    command = [_tool("newsbot"), "crawl", "newsdao", "--base-url", base]
    command += ["--output", str(output), "--fast", "--no-progress"]
    site.served = 0
    result = run_measured(command, cwd=work, timeout=timeout)
    result.requests = site.served
    result.outputs = len(list((output / "_posts").glob("*.md")))
    shutil.rmtree(output, ignore_errors=True)
    return result


def crawl_peer(urls: list[str], site: CachedSite, work: Path, timeout: float) -> RunResult:
    run_dir = Path(tempfile.mkdtemp(prefix="trafilatura-", dir=work))
    (run_dir / "urls.txt").write_text("".join(f"{u}\n" for u in urls), encoding="utf-8")
    (run_dir / "settings.cfg").write_text(PEER_CONFIG, encoding="utf-8")
    output = run_dir / "out"
    command = [_tool("trafilatura"), "-i", str(run_dir / "urls.txt"), "--markdown"]
    command += ["-o", str(output), "--config-file", str(run_dir / "settings.cfg")]
    site.served = 0
    result = run_measured(command, cwd=run_dir, timeout=timeout)
    result.requests = site.served
    result.outputs = sum(1 for p in output.rglob("*") if p.is_file()) if output.exists() else 0
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


# -- extraction only -------------------------------------------------------------------------


@dataclass
class ExtractResult:
    pages: int
    seconds: float  # median over repeats
    pages_per_s: float
    f1: float
    precision: float
    recall: float
    mean_text_f1: float
    refused: int = 0  # pages newsbot refused (NotAnArticle), scored as empty text
    runs_s: list[float] = field(default_factory=list)


Extractor = Callable[[str | bytes, str], tuple[str, bool]]  # -> (text, refused)


def newsbot_extractor(rules: ExtractionRules) -> Extractor:
    def run(page: str | bytes, url: str) -> tuple[str, bool]:
        try:
            # as the crawl calls it: Markdown is rendered later, only for profiles that want it
            return extract_article(page, url, rules=rules).body_text, False
        except NotAnArticle:
            return "", True

    return run


def trafilatura_extractor(page: str | bytes, url: str) -> tuple[str, bool]:
    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=True)
    return text or "", False


def measure_extraction(
    extract: Extractor, pages: Sequence[tuple[str | bytes, str, str]], repeat: int
) -> ExtractResult:
    """Extract (page, url, truth) triples ``repeat`` times; warm up on the first page first."""
    extract(pages[0][0], pages[0][1])
    runs: list[float] = []
    texts: list[tuple[str, bool]] = []
    for _ in range(repeat):
        start = time.perf_counter()
        texts = [extract(page, url) for page, url, _ in pages]
        runs.append(time.perf_counter() - start)
    pairs = [(text, truth) for (text, _), (_, _, truth) in zip(texts, pages, strict=True)]
    scores = corpus_f1(pairs)
    seconds = statistics.median(runs)
    return ExtractResult(
        pages=len(pages),
        seconds=seconds,
        pages_per_s=len(pages) / seconds,
        f1=scores.f1,
        precision=scores.precision,
        recall=scores.recall,
        mean_text_f1=mean_text_f1(pairs),
        refused=sum(1 for _, refused in texts if refused),
        runs_s=runs,
    )


# -- report ----------------------------------------------------------------------------------


def _median_run(runs: list[RunResult]) -> dict[str, Any]:
    """Medians of the timings, maxima of the memory figures, over repeated runs."""
    return {
        "wall_s": statistics.median(r.wall_s for r in runs),
        "cpu_s": statistics.median(r.cpu_s for r in runs),
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "tree_peak_pss_mb": max(r.tree_peak_pss_mb for r in runs),
        "tree_peak_rss_mb": max(r.tree_peak_rss_mb for r in runs),
        "tree_max_processes": max(r.tree_max_processes for r in runs),
        "articles_written": min(r.outputs for r in runs),
        "requests": statistics.median(r.requests for r in runs),
        "ok": all(r.exit_code == 0 and not r.timed_out for r in runs),
        "runs": [asdict(r) for r in runs],
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _fmt(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def markdown_table(results: dict[str, Any]) -> str:
    n = results["meta"]["articles"]
    nb, peer = results["crawl"]["newsbot"], results["crawl"]["peer"] or {}
    rows: list[tuple[str, float | int | None, float | int | None, int]] = [
        (f"crawl {n} articles: wall s", nb["wall_s"], peer.get("wall_s"), 1),
        ("crawl: CPU s (user+sys)", nb["cpu_s"], peer.get("cpu_s"), 1),
        ("crawl: peak RSS, largest process (MB)", nb["peak_rss_mb"], peer.get("peak_rss_mb"), 0),
        (
            "crawl: peak PSS, process tree (MB, sampled)",
            nb["tree_peak_pss_mb"],
            peer.get("tree_peak_pss_mb"),
            0,
        ),
        (
            "crawl: processes in tree (max)",
            nb["tree_max_processes"],
            peer.get("tree_max_processes"),
            0,
        ),
        ("crawl: articles written", nb["articles_written"], peer.get("articles_written"), 0),
        ("crawl: HTTP requests served", nb["requests"], peer.get("requests"), 0),
    ]
    for suite, label in (("extract_aeb", "AEB"), ("extract_corpus", "newsdao")):
        ours, theirs = results[suite]["newsbot"], results[suite]["trafilatura"]
        pages = ours["pages"]
        rows += [
            (
                f"extract {label} ({pages} pages): pages/s",
                ours["pages_per_s"],
                theirs["pages_per_s"],
                1,
            ),
            (f"extract {label}: F1 (AEB metric)", ours["f1"], theirs["f1"], 3),
            (f"extract {label}: precision", ours["precision"], theirs["precision"], 3),
            (f"extract {label}: recall", ours["recall"], theirs["recall"], 3),
        ]
        if suite == "extract_corpus":
            rows.append(
                (f"extract {label}: mean token F1", ours["mean_text_f1"], theirs["mean_text_f1"], 3)
            )
    lines = [
        "| measure | newsbot | trafilatura | newsbot / peer |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, ours_v, theirs_v, digits in rows:
        ratio = _ratio(ours_v, theirs_v)
        lines.append(
            f"| {label} | {_fmt(ours_v, digits)} | {_fmt(theirs_v, digits)} | {_fmt(ratio, 2)} |"
        )
    return "\n".join(lines)


def _ratios(results: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    nb, peer = results["crawl"]["newsbot"], results["crawl"]["peer"]
    if peer:
        for key in ("wall_s", "cpu_s", "peak_rss_mb", "tree_peak_pss_mb"):
            out[f"crawl_{key}"] = _ratio(nb[key], peer[key])
    for suite in ("extract_aeb", "extract_corpus"):
        ours, theirs = results[suite]["newsbot"], results[suite]["trafilatura"]
        for key in ("pages_per_s", "f1", "precision", "recall"):
            out[f"{suite}_{key}"] = _ratio(ours[key], theirs[key])
    return out


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=None, help="articles to serve (default all)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (median)")
    parser.add_argument("--skip-peer", action="store_true", help="do not run trafilatura's CLI")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per crawl run")
    parser.add_argument(
        "--results-dir", type=Path, default=REPO / "bench-results", help="where the JSON goes"
    )
    args = parser.parse_args(argv)
    if args.articles is not None and args.articles < 1:
        parser.error("--articles must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        rows = shared_data.load_corpus_rows()
        aeb = shared_data.load_aeb_pages()
    except FileNotFoundError as err:
        print(f"benchmark: shared data absent, nothing measured ({err})", file=sys.stderr)
        return 2
    n = len(rows) if args.articles is None else min(args.articles, len(rows))
    articles = [shared_data.sample_article(r) for r in shared_data.sample_rows(rows, n)]
    started = datetime.now(UTC)
    log = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)  # noqa: E731

    results: dict[str, Any] = {
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "articles": n,
            "repeat": args.repeat,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "newsbot": version("newsbot"),
            "trafilatura": version("trafilatura"),
            "notes": [
                "crawl: newsbot discovers the articles itself (robots.txt, sitemaps, feed, "
                "listings); the peer is handed the article URL list, so it pays no discovery.",
                "crawl: trafilatura's CLI runs with SLEEP_TIME = 0 and SSRF_PROTECTION = off "
                "(loopback outlet); it fetches one URL per host at a time by design.",
                "peak_rss_mb is ru_maxrss: the largest single process of the run, not a sum "
                "(from /usr/bin/time -v, else getrusage(RUSAGE_CHILDREN) in a small launcher);"
                " tree_peak_pss_mb is the max over 0.1 s samples of the summed PSS of every "
                "process in the run's session.",
                "extraction: single process, pages in memory, median of the repeats, after one "
                "warm-up page; newsbot refusals (NotAnArticle) score as empty text.",
            ],
        },
    }
    exit_code = 0
    site = CachedSite(articles)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp, serve(site) as base:
        work = Path(tmp)
        host = base.removeprefix("http://")
        log(f"serving {n} articles at {base}")
        site.warm(host)
        urls = [f"{base}/{a.id}" for a in sorted(articles, key=lambda a: a.id)]

        nb_runs, peer_runs = [], []
        for i in range(args.repeat):
            log(f"crawl {i + 1}/{args.repeat}: newsbot")
            nb_runs.append(crawl_newsbot(base, site, work, args.timeout))
            if not args.skip_peer:
                log(f"crawl {i + 1}/{args.repeat}: trafilatura")
                peer_runs.append(crawl_peer(urls, site, work, args.timeout))
        results["crawl"] = {
            "newsbot": _median_run(nb_runs),
            "peer": _median_run(peer_runs) if peer_runs else None,
        }
        for name, runs in (("newsbot", nb_runs), ("trafilatura", peer_runs)):
            for run in runs:
                if run.timed_out or run.exit_code != 0:
                    exit_code = 1
                    log(f"{name} crawl failed (exit {run.exit_code}, timed out {run.timed_out}):")
                    log(run.stderr_tail[-1000:])

        log("extraction: AEB pages")
        aeb_pages = [(p.html, p.url, p.truth) for p in aeb]
        lenient = ExtractionRules(min_body_chars=0)
        results["extract_aeb"] = {
            "newsbot": asdict(
                measure_extraction(newsbot_extractor(lenient), aeb_pages, args.repeat)
            ),
            "trafilatura": asdict(
                measure_extraction(trafilatura_extractor, aeb_pages, args.repeat)
            ),
        }

        log("extraction: newsdao pages")
        chosen = shared_data.sample_rows(
            [r for r in rows if int(r["id"]) in {a.id for a in articles}],
            min(n, CORPUS_EXTRACT_MAX),
        )
        corpus_pages: list[tuple[str | bytes, str, str]] = []
        for row in chosen:
            article = shared_data.sample_article(row)
            page = site.respond(f"/{article.id}", host)[2]
            corpus_pages.append((page, f"{base}/{article.id}", body_text(article.body_html)))
        rules = get_outlet("newsdao").extraction
        results["extract_corpus"] = {
            "newsbot": asdict(
                measure_extraction(newsbot_extractor(rules), corpus_pages, args.repeat)
            ),
            "trafilatura": asdict(
                measure_extraction(trafilatura_extractor, corpus_pages, args.repeat)
            ),
        }

    results["ratios"] = _ratios(results)
    results["meta"]["seconds"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    table = markdown_table(results)
    results["table"] = table
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"benchmark-{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table)
    print(f"\nresults: {path}")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
