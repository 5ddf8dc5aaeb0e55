"""Fixtures shared by the integration tests: a fake outlet on 127.0.0.1, the real CLI."""

from __future__ import annotations

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


@pytest.fixture
def serve_site() -> Iterator[Callable[[OutletSite], str]]:
    """serve_site(site) -> base URL; every server is shut down after the test."""
    with ExitStack() as stack:
        yield lambda site: stack.enter_context(serve(site))


@pytest.fixture
def samples() -> list[SampleArticle]:
    return load_samples()


__all__ = ["Faults", "OutletSite", "extra_article"]
