"""The run log stays bounded: compaction archives older lines per outlet, loses nothing, races no
append, survives a crash at any step, and leaves readers the runs they look at."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import multiprocessing
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from newsbot import exitcodes
from newsbot.commands.sources import table as sources_table
from newsbot.config.run_settings import RunSettings
from newsbot.config.sources import load_sources
from newsbot.health.backoff import next_try
from newsbot.health.body_length import body_norm, proven_short
from newsbot.health.judge import judge, outlets_in
from newsbot.run import record
from newsbot.state import run_log_compaction as compaction
from newsbot.state.folder import StateFolder
from newsbot.state.run_log import append_run, log_lock, read_runs, status_warning
from newsbot.state.run_log_compaction import compact, due
from tests.run_log_archives import all_runs, archived_runs, archives

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def line(n: int, outlet: str = "busy", exit_code: int = 0, **extra: Any) -> dict[str, Any]:
    start = T0 + dt.timedelta(minutes=10 * n)
    return {
        "start": start.isoformat(),
        "end": (start + dt.timedelta(seconds=30)).isoformat(),
        "outlet": outlet,
        "n": n,
        "new": extra.pop("new", 1),
        "exit_code": exit_code,
        "errors": [],
        **extra,
    }


def write_log(state: StateFolder, records: list[dict[str, Any]]) -> None:
    state.root.mkdir(parents=True, exist_ok=True)
    with open(state.run_log, "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r) + "\n")


def keys(runs: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["outlet"], r["n"]) for r in runs]


@pytest.fixture
def state(tmp_path: Path) -> StateFolder:
    return StateFolder.of_output(tmp_path)


def test_compaction_keeps_the_last_k_per_outlet_and_archives_the_rest(state):
    records = [line(n, ("busy", "other")[n % 4 == 0]) for n in range(400)]
    write_log(state, records)
    done = compact(state, keep=20, history=0, force=True)
    assert done is not None and done.archived + done.kept == 400
    kept = read_runs(state.run_log)
    for outlet in ("busy", "other"):
        mine = [r for r in records if r["outlet"] == outlet]
        assert [r for r in kept if r["outlet"] == outlet] == mine[-20:]
    # the archive: gzip JSON lines, named after the days it spans, the rest of the records
    assert [p.name for p in archives(state)] == ["runs-20250101-20250103.jsonl.gz"]
    with gzip.open(archives(state)[0], "rt", encoding="utf-8") as handle:
        archived = [json.loads(text) for text in handle]
    assert archived == archived_runs(state) and len(archived) == done.archived == 360
    assert sorted(keys(archived + kept)) == sorted(keys(records))  # nothing lost, nothing twice
    assert all_runs(state) == records  # oldest first, as written


def test_a_rarely_run_outlet_keeps_its_history(state):
    records = [line(n, "rare" if n in (3, 50, 200) else "busy") for n in range(1000)]
    write_log(state, records)
    compact(state, keep=10, history=0, force=True)
    kept = read_runs(state.run_log)
    assert [r["n"] for r in kept if r["outlet"] == "rare"] == [3, 50, 200]
    assert [r["n"] for r in kept if r["outlet"] == "busy"] == list(range(990, 1000))


def test_an_outlet_keeps_its_last_good_run_and_the_runs_of_its_usual_body_length(state):
    good = line(0, articles=[{"url": f"u{i}", "chars": 2000 + i} for i in range(3)])
    failing = [line(n, exit_code=exitcodes.FAILED, new=0) for n in range(1, 300)]
    locked = [line(n, exit_code=exitcodes.LOCKED, new=0) for n in range(300, 320)]
    write_log(state, [good, *failing, *locked])
    compact(state, keep=10, history=50, force=True)
    kept = read_runs(state.run_log)
    assert kept[0] == good  # the last good run, and its articles: the outlet's usual length
    # the last 10 lines, and the last 10 judged runs behind the locked ones
    assert kept[1:] == failing[-10:] + locked[-10:]
    health = judge(kept, "busy")
    assert health.last_good == dt.datetime.fromisoformat(good["end"])
    assert body_norm(kept, "busy", ratio=0.25, floor=300, history=50, min_history=3).usual == 2001


def test_readers_see_the_same_runs_on_a_compacted_log(state, tmp_path):
    rng = random.Random(7)
    outlets = ["newsdao", "daily", "weekly"]
    exits = [0, 0, 0, 0, 1, 4, 6, 7, exitcodes.LOCKED, exitcodes.INTERRUPTED]
    records = []
    for n in range(3000):
        outlet = "weekly" if n % 500 == 0 else outlets[n % 2]
        articles = [
            {"url": f"{outlet}/{n}/{i}", "chars": rng.randint(200, 4000), "path": "container",
             "held": rng.random() < 0.05}
            for i in range(rng.choice([0, 0, 0, 1, 2]))
        ]  # fmt: skip
        records.append(
            line(n, outlet, rng.choice(exits), articles=articles, dry_run=rng.random() < 0.02)
        )
    records += [line(3000 + n, "daily", exitcodes.FAILED) for n in range(60)]  # failing now
    write_log(state, records)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "outlets:\n"
        + "".join(f"  - name: {o}\n    base_url: https://{o}.example\n" for o in outlets),
        encoding="utf-8",
    )

    def seen(runs: list[dict[str, Any]]) -> Any:
        now = T0 + dt.timedelta(days=30)
        per_outlet = {
            o: (
                judge(runs, o, 3),
                body_norm(runs, o, ratio=0.25, floor=300, history=50, min_history=5),
                next_try(runs, o, after=3, base=1200, cap=21600),
                now,
            )
            for o in outlets_in(runs)
        }
        return (
            per_outlet,
            runs[-10:],
            status_warning(runs, 3),
            sources_table(load_sources(sources), runs),
        )

    before = seen(read_runs(state.run_log))
    done = compact(state, keep=100, history=50, force=True)
    assert done is not None and done.kept < 700
    after = seen(read_runs(state.run_log))
    for outlet in outlets:  # the judge's runs: some of them, in order; the same recent ones
        kept, had = after[0][outlet][0].runs, before[0][outlet][0].runs
        assert kept[-100:] == had[-100:]
        assert sorted(keys(kept), key=keys(had).index) == keys(kept)
        after[0][outlet][0].runs = before[0][outlet][0].runs = []
    assert after == before
    assert proven_short(read_runs(state.run_log), "newsdao") <= proven_short(records, "newsdao")


def test_a_truncated_last_line_survives_compaction(state):
    write_log(state, [line(n) for n in range(50)])
    fragment = '{"start": "2025-01-02T00:00:00+00:00", "outlet": "bu'  # a killed writer
    with open(state.run_log, "a", encoding="utf-8") as handle:
        handle.write(fragment)
    compact(state, keep=5, history=0, force=True)
    # not a whole line (it could be an append under way): it stays at the end of the log
    assert state.run_log.read_text(encoding="utf-8").endswith("\n" + fragment)
    append_run(state.run_log, line(50))  # on a fresh line, as before
    assert [r["n"] for r in read_runs(state.run_log)] == [45, 46, 47, 48, 49, 50]
    compact(state, keep=5, history=0, force=True)  # now a whole (broken) line: archived as is
    with gzip.open(archives(state)[-1], "rt", encoding="utf-8") as handle:
        assert handle.read().splitlines()[-1] == fragment
    assert [r["n"] for r in read_runs(state.run_log)] == [46, 47, 48, 49, 50]
    assert [p.name for p in archives(state)] == [
        "runs-20250101-20250101.jsonl.gz",
        "runs-20250101-20250101-2.jsonl.gz",
    ]
    assert [r["n"] for r in all_runs(state)] == list(range(51))


def test_an_append_during_a_compaction_does_not_wait_and_is_kept(state, monkeypatch):
    write_log(state, [line(n) for n in range(100)])
    real_write_archive = compaction._write_archive

    def write_archive(path: Path, lines: Any) -> None:
        real_write_archive(path, lines)
        with log_lock(state.run_log, timeout=0):  # the log's lock is free while archiving
            pass
        append_run(state.run_log, line(100))

    monkeypatch.setattr(compaction, "_write_archive", write_archive)
    done = compact(state, keep=10, history=0, force=True)
    assert done is not None and done.archived == 90 and done.locked < done.seconds
    assert [r["n"] for r in read_runs(state.run_log)] == list(range(90, 101))
    assert keys(all_runs(state)) == [("busy", n) for n in range(101)]


def test_appends_racing_compactions_are_never_lost(state):
    write_log(state, [line(n, "seed") for n in range(200)])
    writers, per_writer = 4, 150
    stop = threading.Event()
    compactions: list[Any] = []
    done = threading.Condition()

    def compacted() -> int:
        return sum(1 for c in compactions if c is not None)

    def append(w: int) -> None:
        for i in range(per_writer):
            # however busy the machine, the k-th compaction comes while every writer is at
            # its k-th quarter (each quarter leaves the next compaction lines to move)
            if i and i % (per_writer // 4) == 0 and i < per_writer - 1:
                quarter = i // (per_writer // 4)
                with done:
                    done.wait_for(lambda: compacted() >= quarter, timeout=60)  # noqa: B023
            append_run(state.run_log, line(1000 * (w + 1) + i, f"w{w}"))

    def compact_over_and_over() -> None:
        while not stop.is_set():
            result = compact(state, keep=7, history=0, force=True)
            with done:
                compactions.append(result)
                done.notify_all()

    compactors = [threading.Thread(target=compact_over_and_over) for _ in range(2)]
    for t in compactors:
        t.start()
    threads = [threading.Thread(target=append, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    for t in compactors:
        t.join()
    assert sum(1 for c in compactions if c is not None) >= 3
    compact(state, keep=7, history=0, force=True)
    everything = keys(all_runs(state))
    assert len(everything) == len(set(everything)) == 200 + writers * per_writer
    for w in range(writers):  # each outlet's last 7 stay, in order
        assert [n for o, n in keys(read_runs(state.run_log)) if o == f"w{w}"] == [
            1000 * (w + 1) + i for i in range(per_writer - 7, per_writer)
        ]


def _append_lines(root: str, writer: int, count: int) -> None:
    for i in range(count):
        append_run(StateFolder(Path(root)).run_log, line(1000 * (writer + 1) + i, f"p{writer}"))


@pytest.mark.slow
def test_appends_from_other_processes_racing_compactions_are_never_lost(state):
    write_log(state, [line(n, "seed") for n in range(200)])
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_append_lines, args=(str(state.root), w, 100)) for w in range(3)
    ]
    for p in processes:
        p.start()
    while any(p.is_alive() for p in processes):
        compact(state, keep=5, history=0, force=True)
    for p in processes:
        p.join()
        assert p.exitcode == 0
    everything = keys(all_runs(state))
    assert len(everything) == len(set(everything)) == 200 + 3 * 100


@pytest.mark.parametrize("step", ["archive", "log", "done"])
def test_a_compaction_cut_short_at_any_step_loses_nothing_and_counts_nothing_twice(
    state, monkeypatch, step
):
    records = [line(n, ("a", "b")[n % 2]) for n in range(100)]
    write_log(state, records)

    class Crash(Exception):
        pass

    real_write_atomic, real_write_archive = compaction.write_atomic, compaction._write_archive
    calls = {"state": 0}

    def write_atomic(path: Path, text: Any, **kwargs: Any) -> None:
        if path == state.run_log and step == "log":
            raise Crash
        if path.name == compaction.STATE_FILE:
            calls["state"] += 1
            if step == "done" and calls["state"] == 2:
                raise Crash
        real_write_atomic(path, text, **kwargs)

    def write_archive(path: Path, lines: Any) -> None:
        real_write_archive(path, lines)
        if step == "archive":
            raise Crash  # written and renamed, the log not replaced yet

    monkeypatch.setattr(compaction, "write_atomic", write_atomic)
    monkeypatch.setattr(compaction, "_write_archive", write_archive)
    with pytest.raises(Crash):
        compact(state, keep=10, history=0, force=True)
    assert all_runs(state) == records  # readers: every record, once
    monkeypatch.undo()
    done = compact(state, keep=10, history=0, force=True)  # recovers first
    if step == "done":  # the first one had finished: nothing left to archive
        assert done is None and len(archives(state)) == 1
    else:
        assert done is not None and done.archived == 80
        assert len(list(state.run_log_archive.glob("runs-*.gz"))) == 1
    assert all_runs(state) == records
    assert len(read_runs(state.run_log)) == 20


def test_due_is_a_stat_and_waits_until_the_log_doubles_what_was_kept(state):
    assert not due(state, max_bytes=0)  # no log yet
    write_log(state, [line(n) for n in range(100)])
    size = state.run_log.stat().st_size
    assert not due(state, max_bytes=size) and due(state, max_bytes=size - 1)
    assert compact(state, keep=60, history=0, max_bytes=size) is None
    done = compact(state, keep=60, history=0, max_bytes=1000)
    assert done is not None and done.kept == 60
    kept = state.run_log.stat().st_size
    for n in range(100, 160):
        assert due(state, max_bytes=1000) == (state.run_log.stat().st_size > 2 * kept)
        append_run(state.run_log, line(n))
    assert due(state, max_bytes=1000)


def test_a_run_compacts_the_log_after_its_line(state, monkeypatch):
    settings = RunSettings(output_dir=str(state.root.parent), run_log_keep=5)
    write_log(state, [line(n) for n in range(40)])
    monkeypatch.setattr(compaction, "MAX_BYTES", 1000)
    record._append(settings, line(40))
    assert [r["n"] for r in read_runs(state.run_log)] == [36, 37, 38, 39, 40]
    assert len(archived_runs(state)) == 36
    dry = RunSettings(output_dir=str(state.root.parent), run_log_keep=1, dry_run=True)
    record._append(dry, line(41, dry_run=True))  # a dry run writes its line, no more
    assert len(read_runs(state.run_log)) == 6
