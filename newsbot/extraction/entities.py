"""HTML entities left in metadata text (titles, descriptions, authors, sections), decoded once.

An HTML parser decodes the entities of attributes and element text, but not of script text:
a JSON-LD ``headline`` reads ``&quot;밤 깎게 칼 좀 주세요&quot;`` as the CMS escaped it, and
many CMSs escape inside JSON-LD anyway. Meta tags escaped twice (``&amp;quot;``) keep one level
after parsing. What the reader would see is what the page renders: its ``<title>`` and ``<h1>``.

So a value with entities is compared with the page's rendered statements: the value as it
stands, decoded once, decoded twice, the first that a rendered statement contains wins (a
headline that really reads ``&lt;b&gt;`` because the page shows it so stays as it is; a JSON-LD
``&amp;quot;`` that the ``<h1>`` shows as ``"`` is decoded twice). Without such a witness the
value is decoded exactly once (``html.unescape``, the standard library's HTML5 decoder).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});?")
_SPACES = re.compile(r"\s+")


class EntityDecoder:
    """Decodes metadata values against the page's rendered text (``<title>``, ``<h1>``)."""

    def __init__(self, rendered: Iterable[str | None]) -> None:
        self._rendered = tuple(_squash(text) for text in rendered if text and text.strip())

    def text(self, value: str | None) -> str | None:
        """``value`` with its HTML entities decoded once (see the module's docstring)."""
        if not value or not _ENTITY.search(value):
            return value
        once = html.unescape(value)
        for candidate in (value, once, html.unescape(once)):
            wanted = _squash(candidate)
            if wanted and any(wanted in rendered for rendered in self._rendered):
                return candidate
        return once


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
