"""run_lock: one run per output folder; a killed holder never leaves a blocking lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsbot.run.lock import RunLocked, run_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from newsbot.run.lock import run_lock
    with run_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(60)
    """
)


def test_second_run_while_the_first_holds_the_lock_raises_run_locked_naming_the_holder(
    tmp_path: Path,
) -> None:
    state = tmp_path / ".newsbot"
    with run_lock(state):
        info = json.loads((state / "run.lock.info").read_text())
        assert info["pid"] == os.getpid()
        with pytest.raises(RunLocked) as caught, run_lock(state):
            pytest.fail("the second run must not get the lock")
    message = str(caught.value)
    assert str(state / "run.lock") in message
    assert f"PID {os.getpid()}" in message
    assert f"started {info['start']}" in message
    assert caught.value.lock_file == state / "run.lock"


def test_lock_is_released_when_the_run_ends_even_by_an_exception(tmp_path: Path) -> None:
    with pytest.raises(KeyError), run_lock(tmp_path):
        raise KeyError("crawl blew up")
    assert not (tmp_path / "run.lock.info").exists()
    with run_lock(tmp_path):
        pass


@pytest.mark.slow
def test_a_sigkilled_lock_holder_does_not_block_the_next_run(tmp_path: Path) -> None:
    state = tmp_path / ".newsbot"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state)],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLocked, match=f"PID {holder.pid}"), run_lock(state):
            pass

        holder.kill()  # SIGKILL: no finally, no cleanup
        holder.wait()

    assert (state / "run.lock").exists()  # the file stays behind ...
    assert (state / "run.lock.info").exists()  # ... and so does the stale sidecar
    with run_lock(state):  # ... yet the next run gets the lock
        info = json.loads((state / "run.lock.info").read_text())
        assert info["pid"] == os.getpid()


def test_a_corrupt_info_file_still_gives_a_clear_locked_message(tmp_path: Path) -> None:
    with run_lock(tmp_path):
        (tmp_path / "run.lock.info").write_text("{half")
        with (
            pytest.raises(RunLocked, match=r"another newsbot run holds .*run\.lock;"),
            run_lock(tmp_path),
        ):
            pass
