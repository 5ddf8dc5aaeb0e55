"""A blog profile's title hook rewords title and excerpt before the post is written; a hook
that fails in any way keeps the original, is counted and reported, and the run still succeeds.
Real crawls of the demo outlet, with the hook as a Python entry point and as a command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite
from newsbot.profiles import ProfileError, load_profile
from tests.in_process import crawl
from tests.newsbot_runner import read_posts

WHEREISPOST = Path(__file__).resolve().parent.parent / "newsbot" / "profiles" / "whereispost.yaml"
COMMAND = [sys.executable, "-m", "tests.title_hooks"]


def profile_with(tmp_path: Path, hook: str) -> Path:
    """The default profile plus ``hook`` (YAML lines)."""
    path = tmp_path / "hooked.yaml"
    text = WHEREISPOST.read_text(encoding="utf-8") + hook + "title_hook_timeout: 1.5\n"
    path.write_text(text, encoding="utf-8")
    return path


def command(behaviour: str) -> str:
    return "title_command: [" + ", ".join(f"'{a}'" for a in [*COMMAND, behaviour]) + "]\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "hook",
    ["title_hook: 'tests.title_hooks:breaking'\n", command("breaks")],
    ids=["entry point", "command"],
)
def test_a_working_hook_rewords_title_and_excerpt(serve_site, samples, tmp_path, hook):
    base = serve_site(OutletSite(samples))
    out = tmp_path / "out"
    run = crawl(base, out, "--profile", profile_with(tmp_path, hook))
    assert run.code == exitcodes.OK, run.stderr
    posts = read_posts(out)
    assert len(posts) == len(samples)
    titles = {sample.title for sample in samples}
    for post in posts.values():
        assert post["title"].startswith("[속보] ")
        original = post["title"].removeprefix("[속보] ")
        assert original in titles
        assert post["excerpt"].startswith("요약: ")
        assert f'rel="dofollow">{original}</a> | 뉴스다오</p>' in post.content  # the source link
    assert run.stat("newsbot/title_hook/rewritten_titles") == len(samples)
    assert run.stat("newsbot/title_hook/failed") == 0


FAILURES = [
    ("title_hook: 'tests.title_hooks:raises'\n", "raised RuntimeError('the rewording service"),
    ("title_hook: 'tests.title_hooks:answers_a_string'\n", "answered str, not an object"),
    ("title_hook: 'tests.title_hooks:sleeps'\n", "no answer within 1.5s"),
    (command("fails"), "exited with 3: rewording failed: quota exceeded"),
    (command("garbage"), "printed no JSON: '<html>not json</html>'"),
    (command("sleeps"), "no answer within 1.5s"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("hook", "why"), FAILURES, ids=[w for _, w in FAILURES])
def test_a_failing_hook_keeps_the_original_and_is_reported(
    serve_site, samples, tmp_path, hook, why
):
    base = serve_site(OutletSite(samples))
    out = tmp_path / "out"
    run = crawl(base, out, "--profile", profile_with(tmp_path, hook))
    assert run.code == exitcodes.OK, run.stderr  # the posts are written all the same
    posts = read_posts(out).values()
    assert sorted(post["title"] for post in posts) == sorted(sample.title for sample in samples)
    assert not any(post["excerpt"].startswith("요약") for post in posts)
    n = len(samples)
    assert run.stat("newsbot/title_hook/failed") == n
    assert run.stat("newsbot/title_hook/rewritten_titles") == 0
    assert f"newsbot: error: the title hook failed for {n} post(s)" in run.stderr
    assert why in run.stderr
    assert f"{n} new" in run.stdout


@pytest.mark.parametrize(
    ("hook", "expected"),
    [
        ("title_hook: 'tests.title_hooks'\n", "'title_hook' must be 'package.module:function'"),
        (
            "title_hook: 'tests.title_hooks:x'\ntitle_command: [cat]\n",
            "'title_hook' and 'title_command' cannot both be set",
        ),
        ("title_command: []\n", "'title_command' tuple should have at least 1 item"),
    ],
)
def test_a_malformed_hook_is_a_profile_error(tmp_path, hook, expected):
    with pytest.raises(ProfileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_profile(profile_with(tmp_path, hook))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("hook", "expected"),
    [
        ("title_hook: 'tests.title_hooks:missing'\n", "title_hook 'tests.title_hooks:missing'"),
        ("title_hook: 'no_such_module:f'\n", "cannot be loaded: No module named"),
        ("title_command: [no-such-program-here]\n", "'no-such-program-here' is not a program"),
    ],
)
def test_a_hook_that_cannot_run_stops_the_crawl_before_it_starts(tmp_path, hook, expected):
    run = crawl("http://127.0.0.1:9", tmp_path / "out", "--profile", profile_with(tmp_path, hook))
    assert run.code == exitcodes.USAGE
    assert len(run.stderr.strip().splitlines()) == 1 and expected in run.stderr
