"""Whether a sitemap or feed was cut short: its root element never closed (a truncated download,
a generator that died mid-write), so the entries read from it may be a part only.

Other faults of real XML (a stray ``&``, an undeclared ``&nbsp;`` or namespace prefix) are
recovered by the parsers without losing an entry, and are not damage: an outlet whose feed
always carries one must not be treated as broken on every run.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from lxml import etree

#: libxml2's "Premature end of data in tag X": the document ended inside an open element
_UNFINISHED = etree.ErrorTypes.ERR_TAG_NOT_FINISHED


def in_error_log(errors: Iterable[Any]) -> bool:
    """Whether a recovering parse's error log (``iterparse(..., recover=True).error_log``)
    says the document ended before its root element closed."""
    return any(error.type == _UNFINISHED for error in errors)


def cut_short(body: bytes) -> bool:
    """Whether ``body`` (XML) ends before its root element closes."""
    events = etree.iterparse(
        BytesIO(body), events=("end",), recover=True, resolve_entities=False, no_network=True
    )
    try:
        for _, element in events:
            element.clear()
    except etree.LxmlError:  # not XML at all: nothing to be cut from
        return False
    return in_error_log(events.error_log)
