"""A crontab entry for unattended runs.

cron starts jobs with almost no environment: ``PATH=/usr/bin:/bin``, no virtualenv, the
home folder as working directory, and no terminal. The generated line therefore

* calls the ``newsbot`` script of *this* interpreter by absolute path (its shebang
  selects the virtualenv), or ``python -m newsbot.cli`` when there is no script;
* ``cd``-s to the absolute output folder and passes it as an absolute ``--output``;
* sets ``PATH=/usr/local/bin:/usr/bin:/bin`` for the command, so ``git`` is found;
* creates the log folder and appends stdout and stderr to the log (``>> LOG 2>&1``);
* passes ``--scheduled``: cron runs of an outlet that keeps failing back off
  (``newsbot.health.backoff``), a run by hand does not;
* shell-quotes every argument, and escapes ``%`` (cron turns a bare ``%`` into a newline).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from newsbot.state.folder import StateFolder

CRON_PATH = "/usr/local/bin:/usr/bin:/bin"


def newsbot_command() -> list[str]:
    """The absolute command that runs this installation's ``newsbot``."""
    script = Path(sys.executable).absolute().parent / "newsbot"
    if script.is_file():
        return [str(script)]
    return [str(Path(sys.executable).absolute()), "-m", "newsbot.cli"]


def _check_schedule(schedule: str) -> str:
    schedule = " ".join(schedule.split())
    fields = schedule.split(" ")
    if "\n" in schedule or not (
        len(fields) == 5 or (len(fields) == 1 and schedule.startswith("@"))
    ):
        raise ValueError(
            f"schedule must have 5 cron fields (like '*/10 * * * *') or be an @keyword "
            f"(like '@hourly'), got {schedule!r}"
        )
    return schedule


def cron_command(
    *,
    output: Path,
    outlet: str = "newsdao",
    extra_args: Sequence[str] = (),
    log_file: Path | None = None,
) -> str:
    """The shell command of the crontab entry (before cron's ``%`` escaping)."""
    output = Path(output).expanduser().absolute()
    log = (
        Path(log_file).expanduser().absolute()
        if log_file
        else StateFolder.of_output(output).cron_log
    )
    argv = [
        *newsbot_command(),
        "crawl",
        outlet,
        "--output",
        str(output),
        *extra_args,
        "--scheduled",  # a failing outlet is backed off; a run by hand always runs
    ]
    q = shlex.quote
    return (
        f"cd {q(str(output))} && mkdir -p {q(str(log.parent))} && "
        f"PATH={CRON_PATH} {shlex.join(argv)} >> {q(str(log))} 2>&1"
    )


def cron_line(
    *,
    output: Path,
    outlet: str = "newsdao",
    schedule: str = "*/10 * * * *",
    extra_args: Sequence[str] = (),
    log_file: Path | None = None,
) -> str:
    """One crontab line (schedule + command) that runs ``newsbot crawl`` for ``output``."""
    command = cron_command(output=output, outlet=outlet, extra_args=extra_args, log_file=log_file)
    escaped = command.replace("%", r"\%")  # cron: an unescaped % ends the command
    return f"{_check_schedule(schedule)} {escaped}"
