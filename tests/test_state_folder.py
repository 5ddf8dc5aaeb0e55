"""One object owns every path under the blog's state folder (.newsbot/)."""

from __future__ import annotations

from pathlib import Path

from newsbot.state.folder import StateFolder


def test_every_state_file_sits_in_the_one_folder_under_its_documented_name(tmp_path):
    state = StateFolder.from_settings(
        {"NEWSBOT_OUTPUT_DIR": str(tmp_path), "NEWSBOT_STATE_DIR": ".newsbot"}
    )
    assert state.root == tmp_path.resolve() / ".newsbot"
    names = {
        state.run_log: "runs.jsonl",
        state.written_log: "written.jsonl",
        state.index_cache: "published.json",
        state.lock: "run.lock",
        state.lock_info: "run.lock.info",
        state.cron_log: "cron.log",
        state.retry_list("newsdao"): "retry-newsdao.json",
        state.legacy_retry_list: "retry.json",
        state.http_cache: "httpcache",
        state.discovery_memory("newsdao"): "discovery-newsdao.json",
    }
    for path, name in names.items():
        assert path == state.root / name
    assert not state.root.exists()  # asking for a path creates nothing


def test_a_relative_output_folder_stays_relative_for_messages():
    assert StateFolder.of_output(Path("blog")).run_log == Path("blog/.newsbot/runs.jsonl")
