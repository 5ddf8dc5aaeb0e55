"""Imported by the extraction workers' fork server before it forks any worker (first in
``newsbot.run.workers.PRELOAD``): Ctrl-C is ignored from the first instruction of every worker.

The fork server restores, in each child it forks, the SIGINT handler it found after its preload
imports; without this module that is Python's default handler, so a Ctrl-C that reached a worker
between its fork and its initializer (``_exit_with_parent``, which ignores SIGINT too) printed a
``KeyboardInterrupt`` traceback from ``multiprocessing``'s bootstrap. The parent alone decides
when workers stop.
"""

from __future__ import annotations

import signal
import sys


def _in_fork_server() -> bool:
    """The fork server runs ``python -c 'from multiprocessing.forkserver import main; ...'``."""
    return sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules


if _in_fork_server():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
