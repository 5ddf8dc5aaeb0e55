"""The JSON-lines run log and the ``newsbot status`` table and warning."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsbot.commands import status as status_command
from newsbot.state.run_log import append_run, format_status, read_runs, status_warning


def run(new: int = 0, exit_code: int = 0, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "start": "2026-01-01T10:00:00+00:00",
        "end": "2026-01-01T10:01:05.600000+00:00",
        "outlet": "newsdao",
        "new": new,
        "updated": 0,
        "skipped": 5,
        "failed": 0,
        "exit_code": exit_code,
        "errors": [],
        "committed": None,
        "pushed": None,
    }
    record.update(extra)
    return record


@pytest.fixture
def vietnam_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_append_run_writes_one_json_line_per_run_and_creates_folders(tmp_path: Path) -> None:
    log = tmp_path / "out" / ".newsbot" / "runs.jsonl"
    append_run(log, run(new=1))
    append_run(log, run(new=2, errors=["timeout: https://x.test/1"]))

    lines = log.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["new"] for line in lines] == [1, 2]
    assert read_runs(log)[1]["errors"] == ["timeout: https://x.test/1"]


def test_read_runs_skips_a_truncated_last_line_and_the_next_run_is_not_glued_to_it(
    tmp_path: Path,
) -> None:
    log = tmp_path / "runs.jsonl"
    append_run(log, run(new=1))
    with log.open("a", encoding="utf-8") as fh:
        fh.write('{"start": "2026-01-01T10:10:00+00:00", "new": 4, "upd')  # killed mid-write

    assert [r["new"] for r in read_runs(log)] == [1]

    append_run(log, run(new=3))
    assert [r["new"] for r in read_runs(log)] == [1, 3]


def test_read_runs_returns_the_last_n_and_nothing_for_a_missing_log(tmp_path: Path) -> None:
    log = tmp_path / "runs.jsonl"
    assert read_runs(log) == []
    for n in range(5):
        append_run(log, run(new=n))
    assert [r["new"] for r in read_runs(log, last=2)] == [3, 4]
    assert read_runs(log, last=0) == []


@pytest.mark.usefixtures("vietnam_time")
def test_status_table_shows_local_start_seconds_and_counts() -> None:
    text = format_status([run(new=12, updated=1, failed=2, exit_code=1)], warn_after=3)
    header, row = text.splitlines()
    assert header.split() == ["start", "seconds", "new", "updated", "skipped", "failed", "exit"]
    assert row.split() == ["2026-01-01T17:00:00", "66", "12", "1", "5", "2", "1"]


def test_status_warns_when_the_last_runs_all_found_nothing_new() -> None:
    runs = [run(new=4), run(new=0), run(new=0), run(new=0)]
    text = format_status(runs, warn_after=3)
    assert text.splitlines()[-1] == (
        "WARNING: the last 3 runs found nothing new: the outlet may have changed its pages"
    )
    assert status_warning(runs[:3], warn_after=3) is None  # one of the last 3 found posts
    assert status_warning(runs[-2:], warn_after=3) is None  # too few runs to judge


def test_status_warns_when_the_last_runs_all_failed_and_quotes_the_last_error() -> None:
    runs = [
        run(new=1, exit_code=1, errors=["a"]),
        run(new=2, exit_code=1),
        run(new=0, exit_code=1, errors=["HTTP 404 on the listing page"]),
    ]
    warning = status_warning(runs, warn_after=3)
    assert warning is not None
    assert warning.startswith("WARNING: the last 3 runs all failed (exit codes 1, 1, 1)")
    assert "the outlet may have changed its pages" in warning
    assert warning.endswith("last error: HTTP 404 on the listing page")


def test_status_warning_for_push_failures_points_at_the_remote_not_the_outlet() -> None:
    warning = status_warning([run(new=3, exit_code=4)] * 3, warn_after=3)
    assert warning is not None and "could not push" in warning


def test_status_ignores_runs_that_found_the_output_locked() -> None:
    runs = [run(new=5), run(new=0), run(new=0, exit_code=3), run(new=0)]
    assert status_warning(runs, warn_after=3) is None


def test_status_command_prints_table_to_stdout_warning_to_stderr_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        append_run(tmp_path / ".newsbot" / "runs.jsonl", run(new=0))
    parser = argparse.ArgumentParser()
    status_command.register(parser.add_subparsers())
    args = parser.parse_args(["status", "--output", str(tmp_path), "--last", "2"])

    assert args.func(args) == 0

    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3  # header + the last 2 runs
    assert "WARNING" not in out
    assert err.startswith("WARNING: the last 3 runs found nothing new")


def test_status_warns_of_each_outlet_from_its_own_runs_when_a_log_holds_several(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / ".newsbot" / "runs.jsonl"
    for _ in range(3):  # crawl --all: the outlets' runs interleave
        append_run(log, {**run(new=0, exit_code=1), "outlet": "daily"})
        append_run(log, {**run(new=2), "outlet": "newsdao"})
    parser = argparse.ArgumentParser()
    status_command.register(parser.add_subparsers())
    args = parser.parse_args(["status", "--output", str(tmp_path)])

    args.func(args)

    warnings = [line for line in capsys.readouterr().err.splitlines() if "WARNING" in line]
    assert len(warnings) == 1  # newsdao is fine; mixed in, daily's failures were not "all"
    assert warnings[0].startswith("WARNING: the last 3 runs all failed (exit codes 1, 1, 1)")
    assert warnings[0].endswith("(outlet daily)")


def test_status_command_without_a_log_says_so_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    status_command.register(parser.add_subparsers())
    args = parser.parse_args(["status", "--output", str(tmp_path)])
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    assert out == "no runs recorded yet\n"
    assert "no run log at" in err


def test_status_ignores_interrupted_runs_but_counts_runs_that_published_nothing() -> None:
    interrupted = [run(new=5), run(new=0, exit_code=130), run(new=0, exit_code=130)]
    assert status_warning(interrupted, warn_after=2) is None
    nothing = [run(new=0, exit_code=6, errors=["no article found: …"])] * 3
    warning = status_warning(nothing, warn_after=3)
    assert warning is not None and "all failed (exit codes 6, 6, 6)" in warning
