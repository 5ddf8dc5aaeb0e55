"""The monitors (``newsbot.health``) and the notice text, on run-log lines built by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from newsbot import exitcodes
from newsbot.commands.status import duration
from newsbot.config.sources import SourcesError, load_sources
from newsbot.health.backoff import next_try
from newsbot.health.body_length import body_norm, hold_back, proven_short
from newsbot.health.judge import State, judge
from newsbot.notify.on_change import message

T0 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def run(
    minute: int, exit_code: int = 0, chars: tuple[int, ...] = (), **extra: Any
) -> dict[str, Any]:
    end = T0 + dt.timedelta(minutes=minute)
    articles = [
        {"url": f"https://outlet.example/{minute}{i}", "chars": c, "path": "container"}
        for i, c in enumerate(chars)
    ]
    return {
        "outlet": "newsdao",
        "start": (end - dt.timedelta(seconds=5)).isoformat(),
        "end": end.isoformat(),
        "exit_code": exit_code,
        "new": len(chars),
        "articles": articles,
        **extra,
    }


def norm(runs: list[dict[str, Any]]) -> Any:
    return body_norm(runs, "newsdao", ratio=0.25, floor=300, history=50, min_history=5)


def test_the_usual_is_the_median_of_published_articles_and_the_floor_stands_in_before():
    assert norm([run(0, chars=(2000, 2400))]).usual is None
    assert norm([run(0, chars=(2000, 2400))]).threshold == 300
    history = [run(0, chars=(2000, 2300, 2400)), run(10, chars=(2200, 2500))]
    assert norm(history).usual == 2300
    assert norm(history).threshold == 575
    held = run(20, exitcodes.HELD_BACK, chars=(200, 210, 220, 230, 240, 250))
    for article in held["articles"]:
        article["held"] = True
    assert norm([*history, held]).usual == 2300  # held teasers never become the usual


def test_short_articles_are_held_when_at_least_half_of_a_run_is_short():
    assert hold_back(short=4, normal=0)
    assert hold_back(short=1, normal=1)
    assert not hold_back(short=1, normal=5)  # an outlet's genuinely short article
    assert not hold_back(short=0, normal=0)


def test_an_article_held_while_the_outlet_still_published_normal_ones_is_proven_short():
    held = run(10, exitcodes.HELD_BACK, chars=(350,))
    held["articles"][0]["held"] = True
    url = held["articles"][0]["url"]
    assert proven_short([run(0, chars=(2300,)), held], "newsdao") == set()
    assert proven_short([held, run(20, chars=(2300,))], "newsdao") == {url}


def test_the_symptom_names_the_share_and_the_usual_length():
    symptom = norm([run(0, chars=(2300,) * 5)]).symptom(4, 4)
    assert symptom == "body length: 4 of 4 new articles under 25% of the usual 2,300 characters"


def test_judge_names_each_state_from_the_run_log():
    good = [run(0, chars=(2300,) * 5)]
    assert judge(good, "newsdao").state is State.HEALTHY
    held = run(10, exitcodes.HELD_BACK, held_back="body length: 4 of 4 new articles …")
    health = judge([*good, held], "newsdao")
    assert health.state is State.DEGRADED
    assert health.symptoms == ["body length: 4 of 4 new articles …"]
    failing = [*good, *(run(10 * i, exitcodes.FAILED, errors=["down"]) for i in (1, 2, 3))]
    health = judge(failing, "newsdao")
    assert health.state is State.FAILING and health.failed_in_row == 3
    assert health.symptoms[0].endswith("last error: down")
    assert judge(failing[:-1], "newsdao").state is State.HEALTHY  # 2 failures: not yet
    pushes = [*good, *(run(10 * i, exitcodes.PUBLISH_FAILED) for i in (1, 2, 3))]
    assert judge(pushes, "newsdao").state is State.PUSH_FAILING
    assert judge([*failing, run(40)], "newsdao").state is State.HEALTHY


def test_judge_sees_the_extraction_path_fall_back_to_generic():
    history = [run(i, chars=(2300, 2200)) for i in range(3)]
    last = run(10, chars=(2100, 2000, 2050))
    for article in last["articles"]:
        article["path"] = "generic"
    health = judge([*history, last], "newsdao")
    assert health.state is State.DEGRADED
    assert health.symptoms[0].startswith("extraction path: 3 of 3 new articles by the generic")
    # a run with nothing new neither confirms nor clears it: no flapping notifications
    assert judge([*history, last, run(20)], "newsdao").state is State.DEGRADED
    assert judge([*history, last, run(30, chars=(2300, 2200))], "newsdao").ok


def test_judge_sees_the_discovery_yield_collapse():
    history = [run(i, skipped=40) for i in range(5)]
    assert judge([*history, run(10, skipped=38)], "newsdao").ok
    health = judge([*history, run(10, skipped=3)], "newsdao")
    assert health.symptoms == ["discovery yield: 3 article links found, usually 40"]


def test_judge_leaves_out_other_outlets_dry_runs_and_locked_runs():
    failing = [run(i, exitcodes.FAILED) for i in range(3)]
    assert judge(failing, "other").ok
    assert judge([{**r, "dry_run": True} for r in failing], "newsdao").ok
    assert judge([*failing[:2], run(5, exitcodes.LOCKED), failing[2]], "newsdao").failed_in_row == 3


def test_backoff_doubles_after_each_further_failure_up_to_the_cap():
    fails = [run(10 * i, exitcodes.FAILED) for i in range(1, 8)]
    kwargs = {"after": 3, "base": 1200.0, "cap": 3600.0}
    assert next_try(fails[:2], "newsdao", **kwargs) is None
    assert next_try(fails[:3], "newsdao", **kwargs) == T0 + dt.timedelta(minutes=30 + 20)
    assert next_try(fails[:4], "newsdao", **kwargs) == T0 + dt.timedelta(minutes=40 + 40)
    assert next_try(fails, "newsdao", **kwargs) == T0 + dt.timedelta(minutes=70 + 60)
    assert next_try([*fails, run(80)], "newsdao", **kwargs) is None
    assert next_try(fails, "newsdao", after=0, base=1200.0, cap=3600.0) is None


def test_a_notice_names_the_outlet_the_symptom_the_last_runs_and_what_to_try():
    held = run(10, exitcodes.HELD_BACK, held_back="body length: 4 of 4 new articles …")
    notice = message(judge([run(0, chars=(2300,)), held], "newsdao"), "healthy", "/srv/blog")
    assert notice.title == "newsbot: newsdao is degraded"
    assert "newsdao (/srv/blog) is degraded (it was healthy)." in notice.body
    assert "Symptom: body length: 4 of 4 new articles …" in notice.body
    assert "start" in notice.body and "What to try:" in notice.body
    assert "paywall" in notice.body


@pytest.mark.parametrize(
    ("text", "seconds"), [("2h", 7200), ("90m", 5400), ("1d", 86400), ("1h30m", 5400)]
)
def test_stale_durations(text: str, seconds: int):
    assert duration(text).total_seconds() == seconds


def test_a_stale_duration_that_is_not_one_is_refused():
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        duration("soon")


def test_an_outlet_declares_its_notifiers_in_the_sources_file(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "outlets:\n- name: x\n  base_url: https://x.example\n"
        "  notify: [mailto://ops@example.com, 'json://127.0.0.1:8080/hook']\n",
        encoding="utf-8",
    )
    outlet = load_sources(path)["x"]
    assert outlet.notify == ("mailto://ops@example.com", "json://127.0.0.1:8080/hook")
    path.write_text(
        "outlets:\n- name: x\n  base_url: https://x.example\n  notify: [ops@example.com]\n",
        encoding="utf-8",
    )
    with pytest.raises(SourcesError, match="not an Apprise URL"):
        load_sources(path)
