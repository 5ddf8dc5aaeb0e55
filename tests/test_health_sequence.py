"""The real ``newsbot`` command across the runs of months unattended: nothing new, new
articles, the outlet serving teasers (held back, status non-zero, one notification), full bodies
back (published, one recovery notification), staleness, backoff from an outlet that is down."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from newsbot import exitcodes
from newsbot.demo.outlet import OutletSite, SampleArticle
from tests.conftest import extra_article
from tests.newsbot_runner import Run, crawl, newsbot, read_posts
from tests.notify_servers import free_port, json_endpoint, smtp_server

# the real newsbot command (and Chromium) across runs: processes, so the slow tier
pytestmark = pytest.mark.slow


def long_samples(samples: list[SampleArticle]) -> list[SampleArticle]:
    """The bundled samples with bodies of an outlet's usual length (about 2,300 characters)."""
    return [replace(article, body_html=article.body_html * 3) for article in samples]


def run_log(blog: Path) -> list[dict]:
    path = blog / ".newsbot" / "runs.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def source_urls(blog: Path) -> set[str]:
    return {str(post["source_url"]) for post in read_posts(blog).values()}


def status(blog: Path, *args: str) -> Run:
    return newsbot("status", "--output", blog, *args)


def test_teasers_are_held_back_told_once_and_published_once_full_bodies_are_back(
    serve_site, samples, tmp_path
):
    articles = long_samples(samples)
    site = OutletSite(articles)
    base = serve_site(site)
    blog = tmp_path / "blog"
    with json_endpoint() as (hook, received):
        notify = ("--notify", hook)

        first = crawl(base, blog, *notify)  # a new blog: the absolute floor, no history yet
        assert first.code == exitcodes.OK, first.stderr[-2000:]
        assert len(source_urls(blog)) == len(articles)
        nothing_new = crawl(base, blog, *notify)
        assert nothing_new.code == exitcodes.OK
        site.add(extra_article(5400, articles[-1]))
        new = crawl(base, blog, *notify)
        assert new.code == exitcodes.OK and "1 new" in new.stdout
        assert status(blog).code == exitcodes.OK
        assert received == []  # healthy all along: nobody is told anything

        site.faults.teasers = True  # a paywall: every body cut to its opening words
        teasers = [extra_article(i, articles[-1]) for i in (5401, 5402, 5403, 5404)]
        for article in teasers:
            site.add(article)
        held = crawl(base, blog, *notify)

        assert held.code == exitcodes.HELD_BACK, held.stderr[-2000:]
        assert "0 new" in held.stdout
        assert "held back, body length: 4 of 4 new articles under 25% of the usual" in held.stdout
        teaser_urls = {f"{base}/{a.id}" for a in teasers}
        assert not teaser_urls & source_urls(blog)  # not published
        retry = json.loads((blog / ".newsbot" / "retry-newsdao.json").read_text("utf-8"))
        assert set(retry) == teaser_urls  # tried first by the next run
        record = run_log(blog)[-1]
        assert record["exit_code"] == exitcodes.HELD_BACK
        assert all(a["held"] and a["chars"] < 400 for a in record["articles"])
        assert all(a["path"] in ("container", "generic") for a in record["articles"])
        degraded = status(blog)
        assert degraded.code == exitcodes.FAILED
        assert "newsdao: degraded: body length: 4 of 4 new articles under 25%" in degraded.stderr
        assert len(received) == 1
        assert received[0]["title"] == "newsbot: newsdao is degraded"
        message = received[0]["message"]
        assert "Symptom: body length: 4 of 4 new articles" in message
        assert "Last runs:" in message and "What to try:" in message
        assert f"Held back: {base}/540" in message

        still = crawl(base, blog, *notify)  # teasers again: still held, nobody told twice
        assert still.code == exitcodes.HELD_BACK
        assert len(received) == 1

        site.faults.teasers = False  # the full bodies are back
        back = crawl(base, blog, *notify)

        assert back.code == exitcodes.OK, back.stderr[-2000:]
        assert "4 new" in back.stdout
        assert teaser_urls <= source_urls(blog)
        bodies = {p["source_url"]: p.content for p in read_posts(blog).values()}
        assert all(len(bodies[url]) > 1500 for url in teaser_urls)  # the full text
        assert status(blog).code == exitcodes.OK
        assert len(received) == 2
        assert received[1]["title"] == "newsbot: newsdao is healthy again"

        # staleness: the last good run is seconds old
        assert status(blog, "--stale", "2h").code == exitcodes.OK
        stale = status(blog, "--stale", "0s")
        assert stale.code == exitcodes.FAILED and stale.stdout.startswith("STALE: newsdao")
        assert status(blog, "--stale", "soon").code == exitcodes.USAGE


def test_an_outlet_that_keeps_failing_is_backed_off_by_scheduled_runs_not_by_hand(
    serve_site, samples, tmp_path
):
    base = serve_site(OutletSite(samples))
    blog = tmp_path / "blog"
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with json_endpoint() as (hook, received):
        assert crawl(base, blog, "--notify", hook).code == exitcodes.OK
        for _ in range(3):
            failed = crawl(dead, blog, "--notify", hook, "--scheduled")
            assert failed.code == exitcodes.FAILED
        assert [m["title"] for m in received] == ["newsbot: newsdao is failing"]
        runs = len(run_log(blog))

        skipped = crawl(dead, blog, "--notify", hook, "--scheduled")

        assert skipped.code == exitcodes.OK
        assert skipped.stdout.startswith("newsbot: newsdao: backing off after 3 failed runs")
        assert len(skipped.stdout.splitlines()) == 1
        assert len(run_log(blog)) == runs  # nothing crawled, nothing recorded
        failing = status(blog)
        assert failing.code == exitcodes.FAILED
        assert "newsdao: failing: the last 3 runs failed" in failing.stderr
        assert "next scheduled try at" in failing.stderr

        by_hand = crawl(dead, blog, "--notify", hook)  # a run by hand always runs
        assert by_hand.code == exitcodes.FAILED
        assert len(run_log(blog)) == runs + 1

        waiting = crawl(base, blog, "--notify", hook, "--scheduled")  # 4 failures: waits longer
        assert waiting.code == exitcodes.OK and "backing off after 4" in waiting.stdout

        healed = crawl(base, blog, "--notify", hook)  # the outlet is back, tried by hand
        assert healed.code == exitcodes.OK
        assert status(blog).code == exitcodes.OK
        assert [m["title"] for m in received] == [
            "newsbot: newsdao is failing",
            "newsbot: newsdao is healthy again",
        ]


def test_a_degraded_outlet_is_told_by_mail_through_a_real_smtp_server(
    serve_site, samples, tmp_path
):
    articles = long_samples(samples)
    site = OutletSite(articles)
    base = serve_site(site)
    blog = tmp_path / "blog"
    with smtp_server() as (mailto, messages):
        env_free = ("-s", f"NEWSBOT_NOTIFY={mailto}")
        assert crawl(base, blog, *env_free).code == exitcodes.OK
        site.faults.teasers = True
        site.add(extra_article(5400, articles[-1]))
        site.add(extra_article(5401, articles[-1]))

        assert crawl(base, blog, *env_free).code == exitcodes.HELD_BACK

    assert len(messages) == 1
    assert messages[0]["Subject"] == "newsbot: newsdao is degraded"
    assert messages[0]["To"] == "ops@example.com"
    text = messages[0].get_body(("plain",))
    assert text is not None and "body length: 2 of 2 new articles" in text.get_content()


def test_a_notifier_that_fails_never_fails_the_run_and_is_counted(serve_site, samples, tmp_path):
    articles = long_samples(samples)
    site = OutletSite(articles)
    base = serve_site(site)
    blog = tmp_path / "blog"
    dead_hook = f"json://127.0.0.1:{free_port()}/hook"
    assert crawl(base, blog, "--notify", dead_hook).code == exitcodes.OK
    site.faults.teasers = True
    site.add(extra_article(5400, articles[-1]))

    held = crawl(base, blog, "--notify", dead_hook)

    assert held.code == exitcodes.HELD_BACK  # the ledger's code, not the notifier's
    assert "Cannot notify that newsdao is degraded" in held.stderr
    health = json.loads((blog / ".newsbot" / "health.json").read_text(encoding="utf-8"))
    assert health["newsdao"]["notify_failures"] == 1
    assert health["newsdao"].get("state", "healthy") == "healthy"  # told next run, once it works


@pytest.mark.parametrize("short_first", [True, False])
def test_one_short_article_among_normal_ones_is_published(
    serve_site, samples, tmp_path, short_first
):
    articles = long_samples(samples)
    site = OutletSite(articles)
    base = serve_site(site)
    blog = tmp_path / "blog"
    assert crawl(base, blog).code == exitcodes.OK
    paragraphs = re.findall(r"<p[^>]*>.*?</p>", samples[0].body_html, re.S)
    brief_body = "".join(paragraphs[:6])  # about 350 characters: a genuine brief
    brief = replace(extra_article(5400, articles[-1]), body_html=brief_body)
    normal = [extra_article(i, articles[-1]) for i in (5401, 5402)]
    for article in [brief, *normal] if short_first else [*normal, brief]:
        site.add(article)

    run = crawl(base, blog)

    assert run.code == exitcodes.OK, run.stdout + run.stderr[-2000:]
    assert f"{base}/5400" in source_urls(blog), run.stdout
    assert status(blog).code == exitcodes.OK


def test_a_limit_that_stops_the_crawl_with_a_short_article_aside_is_no_hold(
    serve_site, samples, tmp_path
):
    # --limit closes the spider before it goes idle: the short article kept aside must meet
    # the same rule as at idle (one brief among normal articles is written), not exit 7
    articles = long_samples(samples)
    site = OutletSite(articles)
    base = serve_site(site)
    blog = tmp_path / "blog"
    assert crawl(base, blog).code == exitcodes.OK
    paragraphs = re.findall(r"<p[^>]*>.*?</p>", samples[0].body_html, re.S)
    brief = replace(extra_article(5400, articles[-1]), body_html="".join(paragraphs[:6]))
    for article in [brief, *(extra_article(i, articles[-1]) for i in (5401, 5402, 5403, 5404))]:
        site.add(article)

    limited = crawl(base, blog, "--limit", "1")

    assert limited.code == exitcodes.OK, limited.stdout + limited.stderr[-2000:]
    assert "held back" not in limited.stdout
    assert crawl(base, blog).code == exitcodes.OK
    assert f"{base}/5400" in source_urls(blog)
    assert status(blog).code == exitcodes.OK


def test_crawl_all_backs_off_only_the_outlet_that_keeps_failing(serve_site, samples, tmp_path):
    base = serve_site(OutletSite(samples))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "outlets:\n"
        f"- name: alive\n  base_url: {base}\n"
        f"- name: dead\n  base_url: http://127.0.0.1:{free_port()}\n",
        encoding="utf-8",
    )
    blog = tmp_path / "blog"
    args = ("crawl", "--all", "--sources", sources, "--output", blog, "--fast", "--scheduled")
    for _ in range(3):
        assert newsbot(*args).code == exitcodes.FAILED

    fourth = newsbot(*args)

    assert fourth.code == exitcodes.OK, fourth.stderr[-2000:]
    assert "newsbot: dead: backing off after 3 failed runs" in fourth.stdout
    assert "newsbot: alive: 0 new" in fourth.stdout  # the healthy outlet still runs
    assert [r["outlet"] for r in run_log(blog)[-1:]] == ["alive"]
