"""Keep the run log bounded: older lines move out to gzip archives, nothing is lost.

When ``runs.jsonl`` grows over :data:`MAX_BYTES` (and over twice what the last compaction kept,
so a log whose kept part is itself large is not compacted on every run), the lines no reader
needs any more move to ``runs-archive/runs-<first day>-<last day>.jsonl.gz`` (gzip JSON lines,
the lines as they were) and ``runs.jsonl`` is replaced by the rest. Kept, per outlet:

- its last ``keep`` lines (``NEWSBOT_RUN_LOG_KEEP``), and its last ``keep`` judged runs (dry
  runs and runs that found the folder locked or were interrupted left out), so a busy outlet
  never pushes a rarely-run one's history out;
- its last good run (``newsbot status --stale``, the health judge's "last good run");
- the runs holding its last ``history`` published articles (``NEWSBOT_HEALTH_HISTORY``: the
  usual body length of an outlet that seldom publishes).

A line that is not a record (a writer killed mid-line) is archived as it is.

Safety. One compaction at a time (``runs-archive/compaction.lock``; another one skips). It reads
the log's whole lines and writes the archive without blocking anyone; then it takes the log's
lock (``newsbot.state.run_log.log_lock``, the one every append takes) just long enough to copy
the lines appended meanwhile into the new log and put it in place, so an append waits a few
milliseconds instead of going into the old file. The order survives a crash at any point:

1. ``runs-archive/compaction.json`` says which archive is being written and fingerprints the
   log it is cut from (inode, size, SHA-256), written and synced;
2. the archive is written to a temporary file, synced and renamed (folder synced);
3. ``runs.jsonl`` is replaced atomically (``write_atomic``);
4. ``compaction.json`` is marked done (with the size kept).

After a crash the next compaction looks at ``compaction.json`` first: when the log is still the
one fingerprinted, its lines were never removed, and the archive (if it got written) is
deleted; otherwise the compaction finished and only the mark is cleared. So a record is in the
log or in an archive, never lost and never in both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from newsbot.health.body_length import articles_of, outlet_runs
from newsbot.health.judge import GOOD_EXITS
from newsbot.state.atomic_write import TEMP_PREFIX, fsync_folder, write_atomic
from newsbot.state.folder import StateFolder
from newsbot.state.run_log import log_lock, parse_line

#: Compact once the log is over this many bytes. A year of */10 runs of one outlet is about
#: 52,560 lines, 30-60 MB; 8 MiB is a few weeks of one outlet, parsed in about 0.2 s.
MAX_BYTES = 8 * 1024 * 1024
#: Lines kept per outlet (``NEWSBOT_RUN_LOG_KEEP``): two weeks of */10 runs, 40 times the longest
#: window a reader looks at (the health judge's last 50 runs).
KEEP = 2000
#: Seconds a compaction waits for the log's lock; it tries again at the next run otherwise.
LOCK_WAIT = 5.0
STATE_FILE = "compaction.json"


@dataclass(frozen=True)
class Compaction:
    """What one compaction did."""

    archive: Path
    archived: int  # lines moved to the archive
    kept: int  # lines left in the log
    seconds: float  # the whole compaction
    locked: float  # of which with the log's lock held (appends wait)


def due(state: StateFolder, max_bytes: int | None = None) -> bool:
    """Whether the log is over the limit (``max_bytes``, :data:`MAX_BYTES` by default, and
    twice what the last compaction kept): a stat and, over the limit, a small file read."""
    if max_bytes is None:
        max_bytes = MAX_BYTES
    try:
        size = state.run_log.stat().st_size
    except FileNotFoundError:
        return False
    if size <= max_bytes:
        return False
    return size > 2 * int(_read_state(state).get("kept_bytes") or 0)


def compact(
    state: StateFolder,
    *,
    keep: int = KEEP,
    history: int = 50,
    max_bytes: int | None = None,
    force: bool = False,
) -> Compaction | None:
    """Compact the run log when :func:`due` (or ``force``); None when there was nothing to do
    or another compaction was under way (or held the log's lock :data:`LOCK_WAIT` seconds)."""
    if not force and not due(state, max_bytes):
        return None
    state.run_log_archive.mkdir(parents=True, exist_ok=True)
    compacting = FileLock(_lock_path(state), timeout=0, thread_local=False)
    try:
        with compacting:
            started = time.perf_counter()
            _recover(state)
            done = _compact(state, max(1, keep), history)
    except Timeout:
        return None
    if done is None:
        return None
    archive, archived, kept, locked = done
    return Compaction(archive, archived, kept, time.perf_counter() - started, locked)


def _compact(state: StateFolder, keep: int, history: int) -> tuple[Path, int, int, float] | None:
    """The compaction, with the compaction lock held; the log's lock only for its replacement.

    Lines appended while the rest is done are after the part read (``cut``): they are copied
    into the new log under the log's lock, with the part of a line still being written."""
    log = state.run_log
    try:
        with open(log, "rb") as handle:
            inode = os.fstat(handle.fileno()).st_ino
            data = handle.read()
    except FileNotFoundError:
        return None
    cut = data.rfind(b"\n") + 1  # whole lines only: the rest may be an append under way
    data = data[:cut]
    lines = [line for line in data.split(b"\n") if line.strip()]
    records = [parse_line(line) for line in lines]
    kept_at = kept_lines(records, keep=keep, history=history)
    archived = [line for i, line in enumerate(lines) if i not in kept_at]
    kept = b"".join(line + b"\n" for i, line in enumerate(lines) if i in kept_at)
    if not archived:
        _write_state(state, {"kept_bytes": len(data)})
        return None
    archive = _archive_name(state, [r for i, r in enumerate(records) if i not in kept_at])
    fingerprint = {"inode": inode, "size": cut, "sha256": hashlib.sha256(data).hexdigest()}
    _write_state(state, {"pending": {"archive": archive.name, **fingerprint}})  # 1
    _write_archive(archive, archived)  # 2
    with log_lock(log, timeout=LOCK_WAIT):
        locked = time.perf_counter()
        tail = _tail(log, inode, cut)
        if tail is None:  # the log was moved away by hand meanwhile: leave it be
            archive.unlink()
            _write_state(state, {})
            return None
        write_atomic(log, kept + tail)  # 3
        locked = time.perf_counter() - locked
    _write_state(state, {"kept_bytes": len(kept)})  # 4
    return archive, len(archived), len(lines) - len(archived), locked


def _tail(log: Path, inode: int, cut: int) -> bytes | None:
    """What follows ``cut`` in the log, when it is still the file of inode ``inode``."""
    try:
        with open(log, "rb") as handle:
            if os.fstat(handle.fileno()).st_ino != inode:
                return None
            handle.seek(cut)
            return handle.read()
    except FileNotFoundError:
        return None


def kept_lines(
    records: Sequence[Mapping[str, Any] | None], *, keep: int, history: int = 50
) -> set[int]:
    """The indexes of the lines that stay in the log (``records``: one per line, None for a
    line that is not a record)."""
    by_outlet: dict[Any, list[int]] = {}
    for i, record in enumerate(records):
        if record is not None:
            outlet = record.get("outlet")
            by_outlet.setdefault(outlet if isinstance(outlet, str) else None, []).append(i)
    kept: set[int] = set()
    for outlet, indexes in by_outlet.items():
        kept.update(indexes[-keep:])
        mine = [i for i in indexes if outlet_runs([_record(records, i)], outlet)]
        kept.update(mine[-keep:])
        for i in reversed(mine):
            if _record(records, i).get("exit_code") in GOOD_EXITS:
                kept.add(i)
                break
        published = 0
        for i in reversed(mine):
            if published >= history:
                break
            count = sum(1 for a in articles_of(_record(records, i)) if not a.get("held"))
            if count:
                kept.add(i)
                published += count
    return kept


def _record(records: Sequence[Mapping[str, Any] | None], i: int) -> Mapping[str, Any]:
    record = records[i]
    assert record is not None
    return record


def _day(record: Mapping[str, Any] | None) -> str | None:
    if record is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(record.get("start"))).strftime("%Y%m%d")
    except ValueError:
        return None


def _archive_name(state: StateFolder, records: Sequence[Mapping[str, Any] | None]) -> Path:
    days = sorted(d for d in map(_day, records) if d)
    today = dt.date.today().strftime("%Y%m%d")
    stem = f"runs-{days[0] if days else today}-{days[-1] if days else today}"
    folder = state.run_log_archive
    path, n = folder / f"{stem}.jsonl.gz", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.jsonl.gz"
    return path


def _write_archive(path: Path, lines: Sequence[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{TEMP_PREFIX}{path.name}.part")
    try:
        with open(temp, "wb") as raw:
            with gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6
            ) as handle:
                for line in lines:
                    handle.write(line + b"\n")
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_folder(path.parent)


def _lock_path(state: StateFolder) -> Path:
    """One compaction at a time (appends take the log's own lock)."""
    return state.run_log_archive / "compaction.lock"


def _state_path(state: StateFolder) -> Path:
    return state.run_log_archive / STATE_FILE


def _read_state(state: StateFolder) -> dict[str, Any]:
    try:
        data = json.loads(_state_path(state).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(state: StateFolder, data: Mapping[str, Any]) -> None:
    write_atomic(_state_path(state), json.dumps(dict(data)) + "\n")


def unfinished_archive(state: StateFolder) -> str | None:
    """The name of the archive of a compaction that never replaced the log (its lines are all
    still in the log), or None."""
    pending = _read_state(state).get("pending")
    if not isinstance(pending, dict):
        return None
    try:
        size = int(pending["size"])
        with open(state.run_log, "rb") as handle:
            if os.fstat(handle.fileno()).st_ino != pending["inode"]:
                return None
            prefix = handle.read(size)
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if len(prefix) == size and hashlib.sha256(prefix).hexdigest() == pending.get("sha256"):
        return str(pending.get("archive"))
    return None


def _recover(state: StateFolder) -> None:
    """Undo the archive of a compaction cut short before it replaced the log (a crash); clear
    the mark of one cut short after."""
    saved = _read_state(state)
    if not isinstance(saved.get("pending"), dict):
        return
    unfinished = unfinished_archive(state)
    if unfinished:
        with contextlib.suppress(FileNotFoundError):
            (state.run_log_archive / Path(unfinished).name).unlink()
    for temp in state.run_log_archive.glob(f"{TEMP_PREFIX}*.part"):
        with contextlib.suppress(OSError):
            temp.unlink()
    _write_state(state, {"kept_bytes": saved.get("kept_bytes") or 0})
