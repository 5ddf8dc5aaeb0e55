"""Write a file so that readers (and a crash) only ever see the old or the new content."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".newsbot-tmp-"


def write_atomic(path: Path, text: str | bytes, *, sync_folder: bool = True) -> None:
    """Temporary file in the same folder, fsync, rename over the target, fsync the folder.
    ``text`` is written as UTF-8; bytes are written as they are.

    ``sync_folder=False`` leaves out the folder's fsync, for files whose loss in a crash is
    harmless (the rename may be lost, never the content under the name: the file is synced
    before it is renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=path.parent)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if sync_folder:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make the names in ``folder`` (a rename, a new file) survive a crash."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files left by a run that was killed mid-write."""
    removed = 0
    if folder.is_dir():
        for temp in folder.rglob(f"{TEMP_PREFIX}*.part"):
            with contextlib.suppress(OSError):
                temp.unlink()
                removed += 1
    return removed
