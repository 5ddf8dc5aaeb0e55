"""Fixtures shared by the integration tests (a fake outlet on 127.0.0.1), and the test tiers.

A test that starts a process or a service (the ``newsbot``/``scrapy`` commands, git, jekyll, hugo,
redis-server, scrapyd, extraction worker processes) is ``slow``: ``make check`` leaves it out,
``make test`` runs it. Tests marked ``tool`` or ``reliability`` are slow by definition; the others
carry the mark themselves. A test of the fast tier that starts a process fails, naming the mark.
"""

from __future__ import annotations

import _posixsubprocess
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import timedelta

import pytest

from newsbot.demo.outlet import Faults, OutletSite, SampleArticle, load_samples
from newsbot.demo.server import serve


def extra_article(article_id: int, template: SampleArticle | None = None) -> SampleArticle:
    """A new article made from a bundled sample (another id, title and date)."""
    base = template or load_samples()[-1]
    return replace(
        base,
        id=article_id,
        title=f"{base.title} ({article_id}호)",
        published=base.published + timedelta(days=article_id - base.id),
        modified=None,
    )


SLOW_BY_DEFINITION = ("tool", "reliability")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_BY_DEFINITION):
            item.add_marker(pytest.mark.slow)


class ProcessInFastTest(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _fast_tests_start_no_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The fast tier stays fast and in-process: starting a process there is an error."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    started: list[str] = []

    def refuse(name: str) -> Callable[..., object]:
        def start(*args: object, **kwargs: object) -> object:
            started.append(f"{name}{args[:1]!r}")
            raise ProcessInFastTest(
                f"{request.node.nodeid} starts a process ({name}): mark it @pytest.mark.slow"
            )

        return start

    monkeypatch.setattr(subprocess, "_fork_exec", refuse("subprocess"))
    monkeypatch.setattr(_posixsubprocess, "fork_exec", refuse("fork_exec"))
    for name in ("fork", "posix_spawn", "posix_spawnp"):
        monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    yield
    if started:  # even when the test caught the error
        pytest.fail(f"a fast test started a process ({started[0]}): mark it @pytest.mark.slow")


@pytest.fixture
def serve_site() -> Iterator[Callable[[OutletSite], str]]:
    """serve_site(site) -> base URL; every server is shut down after the test."""
    with ExitStack() as stack:
        yield lambda site: stack.enter_context(serve(site))


@pytest.fixture
def samples() -> list[SampleArticle]:
    return load_samples()


__all__ = ["Faults", "OutletSite", "extra_article"]
