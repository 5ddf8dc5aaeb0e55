"""Article extraction: a pure function from page text + URL + discovery hints to an article.

``extract_article`` touches no spider, settings or network, so it can run in a process pool.
It is imported on first call: trafilatura, lxml's cleaners and the sanitiser load in the
extraction workers only, not in the crawl's own process (start-up time and memory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsbot.extraction.errors import NotAnArticle
from newsbot.extraction.hints import Hints

if TYPE_CHECKING:
    from newsbot.config.outlet import ExtractionRules
    from newsbot.items import ArticleItem

__all__ = ["Hints", "NotAnArticle", "extract_article"]


def extract_article(
    page: str | bytes,
    url: str,
    hints: Hints | None = None,
    rules: ExtractionRules | None = None,
    *,
    encoding: str | None = None,
) -> ArticleItem:
    """See ``newsbot.extraction.article.extract_article``."""
    from newsbot.extraction.article import extract_article as extract

    return extract(page, url, hints, rules, encoding=encoding)
