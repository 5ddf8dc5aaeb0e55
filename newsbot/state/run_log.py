"""The run log: one JSON object per line in ``<output>/.newsbot/runs.jsonl``.

Record keys: ``start``, ``end`` (ISO 8601 with offset), ``outlet``, ``new``, ``updated``,
``merged`` (of the updated, the corrections merged with a person's edits), ``skipped``,
``failed``, ``exit_code``, ``reason`` (how the crawl ended: ``finished``, ``interrupted``,
``outlet_unreachable``…), ``skipped_reasons`` and ``failed_reasons`` (reason ->
count), ``errors`` (list of short strings), ``committed`` (sha or null), ``pushed`` (bool or
null), ``dry_run``, ``seconds``, ``requests``, ``responses``, ``found`` (article pages
fetched), ``articles`` (one ``{"url", "chars", "path", "held"}`` per article that got through or
was held back: its body length, ``container`` or ``generic`` extraction; the history the health
monitors of ``newsbot.health`` read) and ``held_back`` (the symptom, when articles were held).

Each run appends one line with a single ``write`` (``O_APPEND``) followed by ``fsync``.
A run killed mid-write can leave a truncated last line; readers skip lines that are not
valid JSON, and the next append starts on a fresh line so its record is not glued to it.

The log is kept bounded by its compaction (``newsbot.state.run_log_compaction``), which replaces
the file with a shorter one (atomically: readers see the old file or the new one). An append and
a compaction take the same short lock, ``runs.jsonl.lock`` (:func:`log_lock`), so a line appended
while the log is compacted is never lost with the old file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from newsbot import exitcodes

COLUMNS = ("start", "seconds", "new", "updated", "skipped", "failed", "exit")

#: Seconds an append waits for a compaction to finish (one takes well under a second).
APPEND_WAIT = 60.0


def lock_path(path: Path) -> Path:
    """The lock file of the run log ``path`` (``runs.jsonl.lock`` next to it)."""
    return Path(path).with_name(Path(path).name + ".lock")


@contextlib.contextmanager
def log_lock(path: Path, timeout: float = APPEND_WAIT) -> Iterator[None]:
    """Hold the run log's lock (an OS ``flock``, dropped when its holder dies) for the ``with``
    block; :class:`filelock.Timeout` (an ``OSError``) after ``timeout`` seconds."""
    lock_file = lock_path(path)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_file, timeout=timeout, thread_local=False)
    with lock:
        yield


def append_run(path: Path, record: Mapping[str, Any]) -> None:
    """Append ``record`` as one JSON line to ``path`` (parent folders are created), under the
    log's lock (:func:`log_lock`): never into a file that a compaction is replacing."""
    path = Path(path)
    line = json.dumps(dict(record), ensure_ascii=False, default=str) + "\n"
    with log_lock(path):
        _append_line(path, line)


def _append_line(path: Path, line: str) -> None:
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = "\n" + line  # the previous writer died mid-line
        data = line.encode("utf-8")
        written = os.write(fd, data)
        while written < len(data):  # only on exotic filesystems; normally one write
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


def read_runs(path: Path, last: int | None = None) -> list[dict[str, Any]]:
    """The recorded runs, oldest first (the ``last`` N only); corrupt lines are skipped.

    One run asks several times (backoff before the crawl, the usual body length when it opens,
    its health after its line is written): the file is parsed again only when it changed."""
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return []
    key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)  # a compaction replaces the file
    cached = _parsed.get(str(path))
    if cached is None or cached[0] != key:
        cached = _parsed[str(path)] = (key, _parse_runs(Path(path)))
    runs = list(cached[1])
    if last is not None:
        runs = runs[-last:] if last > 0 else []
    return runs


_parsed: dict[str, tuple[tuple[int, int, int], tuple[dict[str, Any], ...]]] = {}


def _parse_runs(path: Path) -> tuple[dict[str, Any], ...]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ()
    return tuple(r for r in map(parse_line, text.splitlines()) if r is not None)


def parse_line(line: str | bytes) -> dict[str, Any] | None:
    """The record of one line of the log; None for a blank, truncated or foreign line."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _start_cell(run: Mapping[str, Any]) -> str:
    start = _parse_time(run.get("start"))
    if start is None:
        return str(run.get("start") or "-")
    return start.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def _seconds_cell(run: Mapping[str, Any]) -> str:
    start, end = _parse_time(run.get("start")), _parse_time(run.get("end"))
    if start is None or end is None:
        return "-"
    try:
        return f"{(end - start).total_seconds():.0f}"
    except TypeError:  # one naive, one aware
        return "-"


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def format_table(runs: Sequence[Mapping[str, Any]]) -> str:
    """The runs as a plain text table, oldest first."""
    if not runs:
        return "no runs recorded yet"
    rows = [list(COLUMNS)]
    for run in runs:
        rows.append(
            [
                _start_cell(run),
                _seconds_cell(run),
                _cell(run.get("new")),
                _cell(run.get("updated")),
                _cell(run.get("skipped")),
                _cell(run.get("failed")),
                _cell(run.get("exit_code")),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _failed(run: Mapping[str, Any]) -> bool:
    return run.get("exit_code") not in (exitcodes.OK, None)


def status_warning(runs: Sequence[Mapping[str, Any]], warn_after: int = 3) -> str | None:
    """A one-line WARNING when the last ``warn_after`` runs all failed or all found nothing new.

    Runs that exited because another run held the lock, or that someone interrupted, are
    ignored: they say nothing about the outlet.
    """
    if warn_after <= 0:
        return None
    ignored = (exitcodes.LOCKED, exitcodes.INTERRUPTED)
    considered = [r for r in runs if r.get("exit_code") not in ignored]
    recent = considered[-warn_after:]
    if len(recent) < warn_after:
        return None
    n = len(recent)
    if all(_failed(r) for r in recent):
        codes = ", ".join(str(r.get("exit_code")) for r in recent)
        errors = [e for r in recent for e in (r.get("errors") or [])]
        tail = f"; last error: {errors[-1]}" if errors else ""
        if all(r.get("exit_code") == exitcodes.PUBLISH_FAILED for r in recent):
            return (
                f"WARNING: the last {n} runs could not push (exit codes {codes}): "
                f"check the blog repository's remote and credentials{tail}"
            )
        return (
            f"WARNING: the last {n} runs all failed (exit codes {codes}): "
            f"the outlet may have changed its pages{tail}"
        )
    if all(not r.get("new") for r in recent):
        return (
            f"WARNING: the last {n} runs found nothing new: the outlet may have changed its pages"
        )
    return None


def format_status(runs: Iterable[Mapping[str, Any]], warn_after: int = 3) -> str:
    """The table and, below it, the WARNING line when there is one."""
    runs = list(runs)
    text = format_table(runs)
    warning = status_warning(runs, warn_after)
    return f"{text}\n{warning}" if warning else text
