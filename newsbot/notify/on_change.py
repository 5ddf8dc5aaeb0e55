"""Tell people when an outlet's health changes: healthy -> degraded, failing or push failing,
one of those to another, and back to healthy. Never once per run.

The last state people were told of is kept per outlet in the state folder
(``StateFolder.health``, ``health.json``). An outlet never seen counts as healthy, so a first
healthy run says nothing. When a message cannot be sent the state is not updated: the next run
tries again; the failure is logged and counted (``notify_failures``), never the run's failure.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsbot.health.body_length import articles_of
from newsbot.health.judge import Health, State
from newsbot.notify.apprise_send import send
from newsbot.state.atomic_write import write_atomic
from newsbot.state.folder import StateFolder
from newsbot.state.run_log import format_table

logger = logging.getLogger(__name__)
_lock = threading.Lock()  # the outlets of one `crawl --all` share the file
LAST_RUNS = 5


@dataclass
class Notice:
    title: str
    body: str
    previous: str
    state: str
    error: str | None = None  # why it could not be sent; None: sent (or nobody to tell)


def _load(folder: StateFolder) -> dict[str, Any]:
    try:
        data = json.loads(folder.health.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def notify_on_change(
    folder: StateFolder, health: Health, urls: Sequence[str], output: str = ""
) -> Notice | None:
    """Tell ``urls`` when ``health`` differs from what they were told last; the notice sent
    (None when nothing changed)."""
    with _lock:
        data = _load(folder)
        entry = data.get(health.outlet)
        entry = dict(entry) if isinstance(entry, dict) else {}
        previous = str(entry.get("state") or State.HEALTHY)
        if previous == health.state:
            return None
        notice = message(health, previous, output)
        if urls:
            notice.error = send(urls, notice.title, notice.body)
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        if notice.error:
            entry["notify_failures"] = int(entry.get("notify_failures") or 0) + 1
            entry["last_failure"] = f"{now}: {notice.error}"
            logger.error(
                "Cannot notify that %s is %s (the next run tries again): %s",
                health.outlet,
                health.state,
                notice.error,
            )
        else:
            entry.update(state=str(health.state), since=now, symptoms=health.symptoms)
        data[health.outlet] = entry
        try:
            write_atomic(folder.health, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            logger.error("Cannot save %s: %s", folder.health, exc)
        return notice


WHAT_TO_TRY = {
    "body length": (
        "Open one of the held articles in a browser: a paywall, a login wall or a new page "
        "design may cut the text. Held articles are not published; every run tries them again "
        "and publishes them once their full text is back. If the outlet now publishes short "
        "articles on purpose, lower NEWSBOT_HEALTH_SHORT_RATIO (NEWSBOT_HEALTH_MIN_CHARS while "
        "the blog has no history) or set NEWSBOT_HOLD_SHORT=false."
    ),
    "extraction path": (
        "The outlet's article pages changed: compare one with the outlet's body_xpaths in the "
        "sources file, and run `newsbot crawl OUTLET --dry-run -v` to see what is extracted."
    ),
    "skip reasons": (
        "Most article pages were refused: open one in a browser (an error page, a consent "
        "wall, a new design?) and run `newsbot crawl OUTLET --dry-run -v`."
    ),
    "discovery yield": (
        "Far fewer article links than usual: check the outlet's sitemap, feed and home page "
        "(moved, empty, blocked?) and the discovery section of the sources file."
    ),
}
TRY_FAILING = (
    "Open the outlet's site from this machine (is it up, does it block this address?) and run "
    "`newsbot crawl OUTLET -v` by hand to see the errors. Scheduled runs back off meanwhile "
    "(`newsbot status` says when the next one tries); a run by hand always runs."
)
TRY_PUSH = (
    "Posts are written and committed but not pushed: check the blog repository's remote, "
    "branch and credentials (`git push` in the output folder). The next run pushes them."
)


def message(health: Health, previous: str, output: str = "") -> Notice:
    """The title and text of a notice: the outlet, the symptom, the last runs, what to try."""
    name = health.outlet
    where = f" ({output})" if output else ""
    if health.ok:
        title = f"newsbot: {name} is healthy again"
        lines = [f"{name}{where} is healthy again (it was {previous})."]
        tips = [
            "Nothing: articles held back before were published by this run."
            if previous == State.DEGRADED
            else "Nothing: this run worked again."
        ]
    else:
        title = f"newsbot: {name} is {health.state}"
        lines = [f"{name}{where} is {health.state} (it was {previous})."]
        lines += [f"Symptom: {symptom}" for symptom in health.symptoms]
        held = [str(a.get("url")) for a in articles_of(health.runs[-1]) if a.get("held")]
        if held:
            more = f" and {len(held) - 3} more" if len(held) > 3 else ""
            lines.append(f"Held back: {', '.join(held[:3])}{more}")
        if health.state is State.FAILING:
            tips = [TRY_FAILING]
        elif health.state is State.PUSH_FAILING:
            tips = [TRY_PUSH]
        else:
            tips = [
                tip
                for key, tip in WHAT_TO_TRY.items()
                if any(symptom.startswith(key) for symptom in health.symptoms)
            ]
    lines += ["", "Last runs:", format_table(health.runs[-LAST_RUNS:]), "", "What to try:"]
    lines += [f"- {tip.replace('OUTLET', name)}" for tip in tips]
    lines += ["", f"`newsbot status --output {output or 'OUTPUT'}` shows the latest."]
    return Notice(title, "\n".join(lines), previous, str(health.state))
