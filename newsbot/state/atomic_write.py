"""Write a file so that readers (and a crash) only ever see the old or the new content."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".newsbot-tmp-"


def write_atomic(path: Path, text: str, *, sync_folder: bool = True) -> None:
    """Temporary file in the same folder, fsync, rename over the target, fsync the folder.

    ``sync_folder=False`` leaves out the folder's fsync, for files whose loss in a crash is
    harmless (the rename may be lost, never the content under the name: the file is synced
    before it is renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if not sync_folder:
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
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
