"""Decode HTML by the charset its bytes are really in, when the declared one does not fit.

Scrapy decodes a page by the charset of its ``Content-Type`` header first. A server that says
``charset=UTF-8`` for an EUC-KR (CP949) page, a common misconfiguration of Korean sites, turns
the article into replacement characters, and extraction then refuses it as garbled. When the
declared charset does not decode the bytes cleanly, this middleware tries, in order:

1. the page's own declaration (``<meta charset>``, ``http-equiv``, the XML declaration),
2. UTF-8,
3. detection (charset-normalizer, a dependency of Scrapy itself),

and keeps the first that decodes every byte (or, failing that, the one with the fewest
errors). It also catches the opposite mistake, a header saying ISO-8859-1 or windows-1252
(what some servers send by default) for a page that is valid UTF-8, which would otherwise
decode into mojibake without a single error. A byte order mark is always believed.

A page that no charset turns into text (binary data served as ``text/html``) is not passed
on as garbage: the request fails with ``IgnoreRequest``, so an article page is counted as a
failure and tried again by the next run instead of being skipped for good.

Counted in the stats as ``newsbot/charset/recovered`` (and ``.../<declared>-><used>``) and
``newsbot/charset/undecodable``. Off with ``NEWSBOT_CHARSET_RECOVERY = False``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import charset_normalizer
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from scrapy.statscollectors import StatsCollector
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from newsbot.config.run_settings import RunSettings

logger = logging.getLogger(__name__)

UTF8 = "utf-8"
# Replacement characters and control characters (tab, newlines and form feed are text).
_UNREADABLE = re.compile(r"[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def recovered_encoding(body: bytes, declared: str) -> str | None:
    """The charset ``body`` should be decoded with instead of ``declared``, or None to keep
    ``declared`` (it fits, or nothing fits better)."""
    if read_bom(body)[0] is not None:
        return None  # a byte order mark is certain
    declared = _canonical(declared) or declared
    if _decodes(body, declared):
        if declared != UTF8 and not body.isascii() and _decodes(body, UTF8):
            return UTF8  # valid UTF-8 beyond ASCII is almost never a legacy charset's text
        return None
    fewest, best = _errors(body, declared), None
    for candidate in _candidates(body):
        if candidate == declared:
            continue
        if _decodes(body, candidate):
            return candidate
        errors = _errors(body, candidate)
        if errors < fewest:
            fewest, best = errors, candidate
    return best


def is_unreadable(text: str) -> bool:
    """Binary data, or text in a charset nothing could identify: more than 2% of it (and
    more than 3 characters) replacement or control characters."""
    return len(_UNREADABLE.findall(text)) > max(3, len(text) // 50)


def _candidates(body: bytes) -> Iterator[str]:
    declared_in_page = html_body_declared_encoding(body)
    if declared_in_page and (name := _canonical(declared_in_page)):
        yield name
    yield UTF8
    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None and (name := _canonical(guess.encoding)):
        yield name


def _canonical(name: str) -> str | None:
    """A Python codec name (w3lib's translation: EUC-KR reads as its superset CP949)."""
    resolved = resolve_encoding(name)
    if resolved is None:
        return None
    return UTF8 if resolved.replace("_", "-") in ("utf-8", "utf8") else resolved


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _errors(body: bytes, encoding: str) -> int:
    """How many undecodable byte sequences ``body`` has in ``encoding``."""
    try:
        return body.decode(encoding, errors="replace").count("\ufffd")
    except LookupError:
        return len(body)


class CharsetRecoveryMiddleware:
    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRecoveryMiddleware:
        if not RunSettings.from_crawler(crawler).charset_recovery:
            raise NotConfigured("NEWSBOT_CHARSET_RECOVERY is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        declared = response.encoding
        better = recovered_encoding(response.body, declared)
        if better is not None:
            logger.info("Decoding %s as %s, not %s", response.url, better, declared)
            self._count("recovered")
            self._count(f"{declared}->{better}")
            response = response.replace(encoding=better)
        if is_unreadable(response.text):
            self._count("undecodable")
            raise IgnoreRequest(
                f"undecodable page: binary data or text in no known charset ({declared} declared)"
            )
        return response

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newsbot/charset/{key}")
