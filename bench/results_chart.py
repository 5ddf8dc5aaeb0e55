"""The benchmark's comparison as a PNG chart (matplotlib, no display), targets drawn as lines.

Six panels: crawl throughput, CPU per article, start-up, runs with nothing new by blog size,
peak memory, extraction CPU per page. matplotlib is imported here only, when the chart is drawn.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from results_table import TARGETS

TOOLS = (("newsbot", "newsbot", "#1f77b4"), ("peer", "trafilatura CLI", "#ff7f0e"))
TARGET_STYLE = {"color": "#d62728", "linestyle": "--", "linewidth": 1.2}


def _value(value: float | None) -> float:
    """A bar's height; NaN (no bar, no label) for a figure that was not measured."""
    return math.nan if value is None else float(value)


def _grouped(ax: Any, groups: list[str], series: list[tuple[str, str, list[float]]]) -> None:
    """Bars of several series side by side per group, each labelled with its value."""
    width = 0.8 / max(1, len(series))
    for k, (label, color, values) in enumerate(series):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(groups))]
        bars = ax.bar(xs, values, width, label=label, color=color)
        texts = ["" if math.isnan(v) else f"{v:.3g}" for v in values]
        ax.bar_label(bars, labels=texts, fontsize=7, padding=2)
    ax.set_xticks(range(len(groups)), groups, fontsize=8)


def _crawl_panel(ax: Any, results: dict[str, Any], key: str, title: str) -> None:
    designs = list(results["designs"])
    series = []
    for tool, label, color in TOOLS:
        runs = [results["designs"][d]["crawl"][tool] for d in designs]
        if all(r is None for r in runs):
            continue
        series.append((label, color, [_value(r[key] if r else None) for r in runs]))
    _grouped(ax, designs, series)
    ax.set_title(title, fontsize=9)


def draw(results: dict[str, Any], path: Path) -> Path:
    """Write the chart of ``results`` (the benchmark's JSON document) to ``path``."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(15, 9), layout="constrained")
    axes = fig.subplots(2, 3)
    designs = list(results["designs"])
    meta = results["meta"]
    fig.suptitle(
        f"newsbot vs trafilatura CLI (--parallel 2) · {meta['started']} · {meta['cpus']} CPUs · "
        f"{meta['repeat']} repeat(s), medians",
        fontsize=11,
    )

    ax = axes[0][0]
    _crawl_panel(ax, results, "articles_per_s", "crawl: articles/s (discovery included)")
    for i, design in enumerate(designs):
        peer = results["designs"][design]["crawl"]["peer"]
        if peer and peer["articles_per_s"]:
            goal = TARGETS["speedup_min"] * peer["articles_per_s"]
            ax.hlines(
                goal,
                i - 0.45,
                i + 0.45,
                label="target: 2× peer" if i == 0 else None,
                **TARGET_STYLE,
            )
    ax.legend(fontsize=7)

    ax = axes[0][1]
    _crawl_panel(ax, results, "cpu_ms_per_article", "crawl: CPU ms/article (process tree)")
    for i, design in enumerate(designs):
        peer = results["designs"][design]["crawl"]["peer"]
        if peer and peer["cpu_ms_per_article"]:
            ax.hlines(
                peer["cpu_ms_per_article"],
                i - 0.45,
                i + 0.45,
                label="target: ≤ peer" if i == 0 else None,
                **TARGET_STYLE,
            )
    ax.legend(fontsize=7)

    ax = axes[0][2]
    _crawl_panel(ax, results, "startup_s", "start-up: launch to first request, s")
    ax.axhline(TARGETS["startup_s_max"], label="target (newsbot)", **TARGET_STYLE)
    ax.legend(fontsize=7)

    ax = axes[1][0]
    groups: list[str] = []
    first: list[float] = []
    steady: list[float] = []
    for design in designs:
        for noop in results["designs"][design]["noop"]:
            groups.append(f"{design}\n{noop['posts_in_blog']} posts")
            first.append(_value(noop["first"]["wall_s"]))
            steady.append(_value(noop["steady"]["wall_s"]))
    if groups:
        _grouped(
            ax, groups, [("first (builds cache)", "#9ecae1", first), ("steady", "#1f77b4", steady)]
        )
        ax.tick_params(axis="x", labelsize=7)
    ax.axhline(TARGETS["noop_wall_s_max"], label="target", **TARGET_STYLE)
    ax.set_title("newsbot, nothing new: wall s by blog size", fontsize=9)
    ax.legend(fontsize=7)

    ax = axes[1][1]
    labels = [f"crawl\n{d}" for d in designs]
    nb_pss = [
        _value(results["designs"][d]["crawl"]["newsbot"]["tree_peak_pss_mb"]) for d in designs
    ]
    peer_pss = [
        _value((results["designs"][d]["crawl"]["peer"] or {}).get("tree_peak_pss_mb"))
        for d in designs
    ]
    backfill = results.get("backfill")
    if backfill:
        labels.append(f"backfill {backfill['articles']}\n{backfill['design']}")
        nb_pss.append(_value(backfill["newsbot"]["tree_peak_pss_mb"]))
        peer_pss.append(math.nan)
    _grouped(
        ax, labels, [("newsbot", TOOLS[0][2], nb_pss), ("trafilatura CLI", TOOLS[1][2], peer_pss)]
    )
    ax.axhline(TARGETS["backfill_pss_mb_max"], label="target (backfill)", **TARGET_STYLE)
    ax.set_title("peak PSS of the process tree, MB", fontsize=9)
    ax.legend(fontsize=7)

    ax = axes[1][2]
    suites = [("AEB", results["extract_aeb"])]
    suites += [(d, results["designs"][d]["extract"]) for d in designs]
    _grouped(
        ax,
        [name for name, _ in suites],
        [
            ("newsbot", TOOLS[0][2], [_value(s["newsbot"]["cpu_ms_per_page"]) for _, s in suites]),
            (
                "trafilatura",
                TOOLS[1][2],
                [_value(s["trafilatura"]["cpu_ms_per_page"]) for _, s in suites],
            ),
        ],
    )
    ax.set_title("extraction only, one process: CPU ms/page", fontsize=9)
    ax.legend(fontsize=7)

    fig.savefig(path, format="png", dpi=100)
    return path
