"""cron_line: a crontab entry that works in cron's bare environment."""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.commands import cron_line as cron_line_command
from newsbot.run import cron_line as cron_module
from newsbot.run.cron_line import cron_line
from newsbot.state.run_log import append_run
from tests.git_helpers import git

SCRIPT = Path(sys.executable).parent / "newsbot"


def command_part(line: str) -> str:
    """What cron hands to ``sh -c``: the text after the 5 time fields, ``\\%`` -> ``%``."""
    return line.split(" ", 5)[5].replace("\\%", "%")


def test_cron_line_uses_absolute_paths_path_and_appends_to_the_log(tmp_path: Path) -> None:
    out = tmp_path / "my blog"
    line = cron_line(output=out, extra_args=["--commit", "--push"])

    assert line.startswith("*/10 * * * * ")
    words = shlex.split(command_part(line))
    assert words[:7] == ["cd", str(out), "&&", "mkdir", "-p", str(out / ".newsbot"), "&&"]
    assert words[7] == "PATH=/usr/local/bin:/usr/bin:/bin"
    assert words[8] == str(SCRIPT)
    assert words[9:15] == ["crawl", "newsdao", "--output", str(out), "--commit", "--push"]
    assert words[15] == "--scheduled"  # cron runs back off from a failing outlet
    assert words[16:] == [">>", str(out / ".newsbot" / "cron.log"), "2>&1"]


def test_cron_line_makes_a_relative_output_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = cron_line(output=Path("blog"), log_file=Path("logs/newsbot.log"))
    words = shlex.split(command_part(line))
    assert words[1] == str(tmp_path / "blog")
    assert words[-2] == str(tmp_path / "logs" / "newsbot.log")


def test_cron_line_escapes_percent_signs_which_cron_would_turn_into_newlines(
    tmp_path: Path,
) -> None:
    line = cron_line(output=tmp_path / "100% news", schedule="@hourly")
    assert line.startswith("@hourly cd ")
    assert "%" not in line.replace("\\%", "")
    assert "'" + str(tmp_path / "100\\% news") + "'" in line


def test_cron_line_rejects_a_malformed_schedule(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="5 cron fields"):
        cron_line(output=tmp_path, schedule="*/10 * * *")


def test_cron_line_falls_back_to_python_dash_m_without_a_console_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cron_module.sys, "executable", str(tmp_path / "bin" / "python3"))
    words = shlex.split(command_part(cron_line(output=tmp_path)))
    assert words[8:11] == [str(tmp_path / "bin" / "python3"), "-m", "newsbot.cli"]


@pytest.mark.slow
def test_cron_line_command_prints_the_line_with_the_chosen_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not shutil.which("git"):
        pytest.skip("git is not installed")  # --push is checked against the repository
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "up", str(tmp_path / "remote.git"))
    parser = argparse.ArgumentParser()
    cron_line_command.register(parser.add_subparsers())
    args = parser.parse_args(
        ["cron-line", "--output", str(tmp_path), "--push", "--commit", "--remote", "up"]
    )
    assert args.func(args) == 0
    line = capsys.readouterr().out.strip()
    assert line == cron_line(output=tmp_path, extra_args=["--commit", "--push", "--remote", "up"])


def test_cron_line_command_reports_a_bad_schedule_as_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    cron_line_command.register(parser.add_subparsers())
    args = parser.parse_args(["cron-line", "--output", str(tmp_path), "--schedule", "often"])
    assert args.func(args) == 2
    assert "5 cron fields" in capsys.readouterr().err


@pytest.mark.slow
def test_cron_line_command_part_runs_under_env_i(tmp_path: Path) -> None:
    """Run the printed command as cron would (``env -i sh -c``), with ``crawl`` swapped
    for ``status`` (same script, cd, PATH and log redirection; no network needed)."""
    assert SCRIPT.is_file(), f"{SCRIPT} is missing: run `make setup` (pip install -e .)"
    out = tmp_path / "blog 100%"
    out.mkdir()
    append_run(out / ".newsbot" / "runs.jsonl", {"start": "2026-01-01T10:00:00+00:00", "new": 7})
    line = cron_line(output=out, extra_args=["--commit", "--push"])
    command = command_part(line)
    crawl = shlex.join(
        ["crawl", "newsdao", "--output", str(out), "--commit", "--push", "--scheduled"]
    )
    assert command.count(crawl) == 1
    command = command.replace(crawl, shlex.join(["status", "--output", str(out)]))

    done = subprocess.run(
        ["env", "-i", "sh", "-c", command], capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""  # everything went to the log
    log = (out / ".newsbot" / "cron.log").read_text(encoding="utf-8")
    assert log.splitlines()[0].split() == [
        "start",
        "seconds",
        "new",
        "updated",
        "skipped",
        "failed",
        "exit",
    ]
    assert log.splitlines()[1].split()[2] == "7"
