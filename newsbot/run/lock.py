"""One run at a time per output folder.

``run_lock(state)`` takes an OS lock (``flock`` on Unix, through :class:`filelock.FileLock`)
on the state folder's ``run.lock`` without waiting. If another run holds it, :class:`RunLocked` is
raised at once -- a cron job that fires while the previous run is still busy just exits
(``exitcodes.LOCKED``) and the next tick tries again.

The kernel drops an ``flock`` when its holder exits, however it exits -- including
``SIGKILL``, an OOM kill or a reboot. The ``run.lock`` file itself stays on disk, but a lock
file left behind never blocks anyone: only a live process holding it does. So there is no
"stale lock" to clean up by hand, and no PID-based guessing.

After acquiring, the holder's PID, host, start time and command line are written to the
sidecar ``run.lock.info`` (JSON), only to make the :class:`RunLocked` message useful. The
sidecar is informative: the lock is the ``flock``, never the file's existence or content.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from newsbot.state.folder import StateFolder

_held: set[Path] = set()  # lock files this process holds


class RunLocked(RuntimeError):
    """Another run holds the output folder's lock."""

    def __init__(self, message: str, *, lock_file: Path, holder: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.lock_file = lock_file
        self.holder = holder


def _read_info(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_info(path: Path) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "start": datetime.now().astimezone().isoformat(timespec="seconds"),
        "argv": sys.argv,
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _locked_message(lock_file: Path, holder: dict[str, Any] | None) -> str:
    message = f"another newsbot run holds {lock_file}"
    if holder:
        details = []
        if holder.get("pid") is not None:
            details.append(f"PID {holder['pid']}")
        if holder.get("host"):
            details.append(f"on {holder['host']}")
        if holder.get("start"):
            details.append(f"started {holder['start']}")
        if details:
            message += f" ({' '.join(details)})"
    return message + "; this run does nothing (the lock is released when that run exits)"


def _folder(state: StateFolder | Path) -> StateFolder:
    return state if isinstance(state, StateFolder) else StateFolder(Path(state))


def holds_lock(state: StateFolder | Path) -> bool:
    """True when this process holds the state folder's lock (``newsbot crawl`` takes it before
    Scrapy starts; the RunRecord extension then does not take it a second time)."""
    return _folder(state).lock.absolute() in _held


@contextlib.contextmanager
def run_lock(state: StateFolder | Path) -> Iterator[None]:
    """Hold the state folder's ``run.lock`` for the ``with`` block, or raise :class:`RunLocked`."""
    folder = _folder(state)
    folder.root.mkdir(parents=True, exist_ok=True)
    lock_file = folder.lock
    info_file = folder.lock_info
    # fallback_to_soft=False: on a filesystem without flock, fail loudly rather than
    # silently use a marker-file lock that a killed run would leave behind.
    lock = FileLock(lock_file, timeout=0, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout:
        holder = _read_info(info_file)
        raise RunLocked(
            _locked_message(lock_file, holder), lock_file=lock_file, holder=holder
        ) from None
    _held.add(lock_file.absolute())
    try:
        _write_info(info_file)
        yield
    finally:
        _held.discard(lock_file.absolute())
        # Remove the sidecar while still holding the lock, so it never describes a
        # later holder's run.
        with contextlib.suppress(OSError):
            info_file.unlink()
        lock.release()
