"""``newsbot status --html FILE``: one self-contained page (inline SVG, no script, no network)
with charts of each outlet's last runs: new posts, failures, body length, requests, duration.
Bars of runs that did not exit 0 are drawn in the colour of their trouble."""

from __future__ import annotations

import datetime as dt
import html
import statistics
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsbot import exitcodes
from newsbot.health.body_length import articles_of
from newsbot.health.judge import Health, run_time
from newsbot.state.atomic_write import write_atomic

Run = Mapping[str, Any]
OK_COLOUR, HELD_COLOUR, FAIL_COLOUR = "#2f7ed8", "#f0a30a", "#d9534f"
WIDTH, HEIGHT = 560, 120


def _seconds(run: Run) -> float:
    if isinstance(run.get("seconds"), int | float):
        return float(run["seconds"])
    start, end = run_time(run, "start"), run_time(run, "end")
    return (end - start).total_seconds() if start and end else 0.0


def _body(run: Run) -> float:
    lengths = [a["chars"] for a in articles_of(run)]
    return float(statistics.median(lengths)) if lengths else 0.0


CHARTS: tuple[tuple[str, Callable[[Run], float]], ...] = (
    ("new posts", lambda r: float(r.get("new") or 0)),
    ("failed articles", lambda r: float(r.get("failed") or 0)),
    ("body length (median characters)", _body),
    ("requests", lambda r: float(r.get("requests") or 0)),
    ("duration (seconds)", _seconds),
)


def _colour(run: Run) -> str:
    code = run.get("exit_code")
    if code == exitcodes.OK:
        return OK_COLOUR
    return HELD_COLOUR if code in (exitcodes.HELD_BACK, exitcodes.PUBLISH_FAILED) else FAIL_COLOUR


def chart(title: str, runs: Sequence[Run], value: Callable[[Run], float]) -> str:
    """One bar chart as an inline ``<svg>``: a bar per run, oldest on the left."""
    values = [value(run) for run in runs]
    top = max(values, default=0.0) or 1.0
    step = WIDTH / max(len(runs), 1)
    bars = []
    for i, (run, v) in enumerate(zip(runs, values, strict=True)):
        h = max(1.0, (HEIGHT - 20) * v / top) if v else 0.0
        tip = html.escape(f"{run.get('start', '')}: {v:g} (exit {run.get('exit_code')})")
        bars.append(
            f'<rect x="{i * step + 1:.1f}" y="{HEIGHT - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{_colour(run)}"><title>{tip}</title></rect>'
        )
    return (
        f"<figure><figcaption>{html.escape(title)} <small>(max {top:g})</small></figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html.escape(title)}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f7f7"/>{"".join(bars)}</svg></figure>'
    )


def outlet_section(health: Health, last: int) -> str:
    runs = list(health.runs[-last:])
    state = html.escape(str(health.state))
    symptoms = "".join(f"<li>{html.escape(s)}</li>" for s in health.symptoms)
    good = health.last_good.isoformat(timespec="minutes") if health.last_good else "never"
    charts = "".join(chart(title, runs, value) for title, value in CHARTS)
    return (
        f'<section><h2>{html.escape(health.outlet)} <span class="state {state.replace(" ", "-")}">'
        f"{state}</span></h2><p>last good run: {html.escape(good)}; {len(runs)} runs shown</p>"
        f"<ul>{symptoms}</ul>{charts}</section>"
    )


STYLE = """
body{font-family:sans-serif;margin:2em;color:#222;background:#fff}
section{margin-bottom:2em}figure{margin:.5em 0}figcaption{font-size:.9em;margin-bottom:.2em}
.state{font-size:.7em;padding:.1em .5em;border-radius:.3em;color:#fff;background:#d9534f}
.state.healthy{background:#3c9a3c}.state.degraded{background:#f0a30a}
.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
.legend span:first-child{margin-left:0}
"""


def render(healths: Sequence[Health], last: int = 30) -> str:
    now = dt.datetime.now().astimezone().isoformat(timespec="minutes")
    legend = (
        f'<p class="legend"><span style="background:{OK_COLOUR}"></span>exit 0'
        f'<span style="background:{HELD_COLOUR}"></span>held back or push failed'
        f'<span style="background:{FAIL_COLOUR}"></span>failed</p>'
    )
    body = "".join(outlet_section(h, last) for h in healths) or "<p>no runs recorded yet</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>newsbot status</title><style>{STYLE}</style></head><body>"
        f"<h1>newsbot status</h1><p>{html.escape(now)}</p>{legend}{body}</body></html>\n"
    )


def write_report(path: Path, healths: Sequence[Health], last: int = 30) -> None:
    write_atomic(Path(path), render(healths, last))
