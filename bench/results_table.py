"""The benchmark's results as Markdown tables, ratios and the issue's targets checked."""

from __future__ import annotations

from typing import Any

# Issue 9's targets. The script reports whether they are met; it enforces nothing.
TARGETS = {
    "speedup_min": 2.0,  # peer wall / newsbot wall on the same outlet, discovery included
    "startup_s_max": 0.5,  # launch of `newsbot crawl` to the outlet's first request
    "noop_wall_s_max": 1.5,  # a run with nothing new, steady state, whatever the blog's size
    "backfill_pss_mb_max": 200.0,  # peak PSS of the process tree, 2,000-article first crawl
}

Row = tuple[str, float | int | None, float | int | None, int]


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def design_ratios(section: dict[str, Any]) -> dict[str, float | None]:
    """newsbot / peer ratios of one design (and the speed-up, peer wall / newsbot wall)."""
    out: dict[str, float | None] = {}
    nb, peer = section["crawl"]["newsbot"], section["crawl"]["peer"]
    if peer:
        out["speedup_peer_wall_over_newsbot_wall"] = ratio(peer["wall_s"], nb["wall_s"])
        for key in (
            "articles_per_s",
            "wall_s",
            "cpu_s",
            "cpu_ms_per_article",
            "startup_s",
            "peak_rss_mb",
            "tree_peak_pss_mb",
        ):
            out[f"crawl_{key}"] = ratio(nb[key], peer[key])
    ours, theirs = section["extract"]["newsbot"], section["extract"]["trafilatura"]
    for key in ("pages_per_s", "cpu_ms_per_page", "f1", "precision", "recall"):
        out[f"extract_{key}"] = ratio(ours[key], theirs[key])
    return out


def _rows_table(rows: list[Row], ratio_rows: dict[str, float | None]) -> list[str]:
    lines = [
        "| measure | newsbot | trafilatura | newsbot / peer |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, ours_v, theirs_v, digits in rows:
        shown = ratio_rows[label] if label in ratio_rows else ratio(ours_v, theirs_v)
        lines.append(
            f"| {label} | {fmt(ours_v, digits)} | {fmt(theirs_v, digits)} | {fmt(shown, 2)} |"
        )
    return lines


def design_table(name: str, section: dict[str, Any], repeat: int) -> str:
    nb, peer = section["crawl"]["newsbot"], section["crawl"]["peer"] or {}
    ours, theirs = section["extract"]["newsbot"], section["extract"]["trafilatura"]
    speedup_label = (
        f"**speed-up: peer wall / newsbot wall** (>1: newsbot faster; target ≥ "
        f"{TARGETS['speedup_min']:.1f})"
    )
    rows: list[Row] = [
        ("crawl: wall s", nb["wall_s"], peer.get("wall_s"), 2),
        ("crawl: articles/s (written / wall)", nb["articles_per_s"], peer.get("articles_per_s"), 1),
        (speedup_label, None, None, 2),
        ("crawl: CPU s, process tree", nb["cpu_s"], peer.get("cpu_s"), 2),
        (
            "crawl: CPU s, main process (newsbot: reactor)",
            nb["main_cpu_s"],
            peer.get("main_cpu_s"),
            2,
        ),
        (
            "crawl: CPU s, the rest (newsbot: workers, fork server)",
            nb["rest_cpu_s"],
            peer.get("rest_cpu_s"),
            2,
        ),
        ("crawl: CPU ms/article", nb["cpu_ms_per_article"], peer.get("cpu_ms_per_article"), 1),
        ("start-up: launch to first request, s", nb["startup_s"], peer.get("startup_s"), 3),
        ("crawl: HTTP requests served", nb["requests"], peer.get("requests"), 0),
        ("crawl: articles written", nb["articles_written"], peer.get("articles_written"), 0),
        (
            "crawl: peak PSS, process tree (MB, sampled)",
            nb["tree_peak_pss_mb"],
            peer.get("tree_peak_pss_mb"),
            0,
        ),
        ("crawl: peak RSS, largest process (MB)", nb["peak_rss_mb"], peer.get("peak_rss_mb"), 0),
        (
            "crawl: processes in tree (max)",
            nb["tree_max_processes"],
            peer.get("tree_max_processes"),
            0,
        ),
        (f"extract {ours['pages']} pages: pages/s", ours["pages_per_s"], theirs["pages_per_s"], 1),
        ("extract: CPU ms/page", ours["cpu_ms_per_page"], theirs["cpu_ms_per_page"], 1),
        ("extract: F1 (AEB metric)", ours["f1"], theirs["f1"], 3),
        ("extract: precision", ours["precision"], theirs["precision"], 3),
        ("extract: recall", ours["recall"], theirs["recall"], 3),
        ("extract: mean token F1", ours["mean_text_f1"], theirs["mean_text_f1"], 3),
    ]
    speedup = section["ratios"].get("speedup_peer_wall_over_newsbot_wall")
    title = f"### {name}: {section['articles']} articles, {repeat} repeat(s), medians"
    return "\n".join([title, "", *_rows_table(rows, {speedup_label: speedup})])


def aeb_table(aeb: dict[str, Any]) -> str:
    ours, theirs = aeb["newsbot"], aeb["trafilatura"]
    rows: list[Row] = [
        ("pages/s", ours["pages_per_s"], theirs["pages_per_s"], 1),
        ("CPU ms/page", ours["cpu_ms_per_page"], theirs["cpu_ms_per_page"], 1),
        ("F1 (AEB metric)", ours["f1"], theirs["f1"], 3),
        ("precision", ours["precision"], theirs["precision"], 3),
        ("recall", ours["recall"], theirs["recall"], 3),
    ]
    title = f"### extraction only, AEB ({ours['pages']} pages)"
    return "\n".join([title, "", *_rows_table(rows, {})])


def newsbot_only_table(results: dict[str, Any]) -> str:
    lines = [
        "### newsbot only: runs with nothing new, and the backfill",
        "",
        "| run | design | posts in blog | wall s | CPU s | requests | posts written "
        "| start-up s | peak PSS MB | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def line(label: str, design: str, posts: int | str, run: dict[str, Any], written: Any) -> str:
        return (
            f"| {label} | {design} | {posts} | {fmt(run['wall_s'], 2)} | {fmt(run['cpu_s'], 2)} "
            f"| {fmt(run['requests'], 0)} | {written} | {fmt(run['startup_s'], 3)} "
            f"| {fmt(run['tree_peak_pss_mb'], 0)} | {fmt(run['peak_rss_mb'], 0)} |"
        )

    for design, section in results["designs"].items():
        for noop in section["noop"]:
            for phase, label in (
                ("first", "nothing new, first (builds cache)"),
                ("steady", "nothing new, steady"),
            ):
                run = noop[phase]
                lines.append(
                    line(label, design, noop["posts_in_blog"], run, run["articles_written_max"])
                )
    backfill = results.get("backfill")
    if backfill:
        run = backfill["newsbot"]
        label = f"backfill: first crawl of {backfill['articles']} articles"
        lines.append(line(label, backfill["design"], 0, run, run["articles_written"]))
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each of issue 9's targets with the measured value and whether it is met."""
    out: list[dict[str, Any]] = []

    def add(name: str, design: str, value: float | None, goal: str, met: bool | None) -> None:
        out.append({"target": name, "design": design, "value": value, "goal": goal, "met": met})

    for design, section in results["designs"].items():
        nb, peer = section["crawl"]["newsbot"], section["crawl"]["peer"]
        if peer:
            speedup = section["ratios"].get("speedup_peer_wall_over_newsbot_wall")
            goal = TARGETS["speedup_min"]
            add(
                "speed-up (peer wall / newsbot wall)",
                design,
                speedup,
                f"≥ {goal}",
                None if speedup is None else speedup >= goal,
            )
            ours, theirs = nb["cpu_ms_per_article"], peer["cpu_ms_per_article"]
            add(
                "CPU ms/article",
                design,
                ours,
                f"≤ peer's ({fmt(theirs)})",
                None if ours is None or theirs is None else ours <= theirs,
            )
        ours_f1 = section["extract"]["newsbot"]["f1"]
        theirs_f1 = section["extract"]["trafilatura"]["f1"]
        add(
            "body fidelity (extraction F1)",
            design,
            ours_f1,
            f"≥ peer's ({theirs_f1:.3f})",
            ours_f1 >= theirs_f1,
        )
        startup = nb["startup_s"]
        add(
            "start-up s",
            design,
            startup,
            f"≤ {TARGETS['startup_s_max']}",
            None if startup is None else startup <= TARGETS["startup_s_max"],
        )
        for noop in section["noop"]:
            wall = noop["steady"]["wall_s"]
            add(
                f"nothing new, {noop['posts_in_blog']} posts: wall s",
                design,
                wall,
                f"≤ {TARGETS['noop_wall_s_max']}",
                wall <= TARGETS["noop_wall_s_max"],
            )
    backfill = results.get("backfill")
    if backfill:
        pss = backfill["newsbot"]["tree_peak_pss_mb"]
        add(
            f"backfill {backfill['articles']}: peak PSS MB",
            backfill["design"],
            pss,
            f"≤ {TARGETS['backfill_pss_mb_max']:.0f}",
            pss <= TARGETS["backfill_pss_mb_max"],
        )
    return out


def targets_table(rows: list[dict[str, Any]]) -> str:
    lines = ["### issue 9's targets", "", "| target | design | measured | goal | met |"]
    lines.append("| --- | --- | ---: | --- | --- |")
    for row in rows:
        met = {True: "yes", False: "**no**", None: "–"}[row["met"]]
        value = row["value"]
        digits = 3 if isinstance(value, float) and value < 10 else 1
        lines.append(
            f"| {row['target']} | {row['design']} | {fmt(value, digits)} | {row['goal']} | {met} |"
        )
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    repeat = results["meta"]["repeat"]
    parts = [design_table(name, s, repeat) for name, s in results["designs"].items()]
    parts += [aeb_table(results["extract_aeb"]), newsbot_only_table(results)]
    parts.append(targets_table(results["targets"]))
    return "\n\n".join(parts)
