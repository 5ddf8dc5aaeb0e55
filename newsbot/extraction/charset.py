"""Page bytes -> text, by the charset the page itself declares.

libxml2 settles a page's charset at its first non-ASCII byte: a page that declares ``utf-8``
after Korean text (a Tistory head opens with the blog's settings script, titles and og tags
come before the declaration on many skins) is read as Latin-1, titles included. The bytes are
therefore decoded here, before parsing, in the order browsers use (WHATWG "encoding sniffing",
through w3lib, Scrapy's own library for it):

1. a byte order mark,
2. the ``encoding`` hint (the ``Content-Type`` header's charset, when the caller has one),
3. the page's own declaration (``<meta charset>``, ``http-equiv``, the XML declaration),
4. UTF-8.

A charset that does not decode the bytes (EUC-KR pages declared as UTF-8, a common Korean
misconfiguration) gives way to one that does (:func:`recovered_encoding`, which the crawl's
``CharsetRecoveryMiddleware`` applies to every response too): the page's own declaration, UTF-8,
then charset-normalizer's guess. EUC-KR and KS_C_5601-1987 are read as CP949, as browsers do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom, resolve_encoding


def decode_page(raw: bytes, encoding: str | None = None) -> str:
    """The text of ``raw`` (HTML bytes); ``encoding`` is a charset the transport declared."""
    content_type = f"text/html; charset={encoding}" if encoding else None
    used, text = html_to_unicode(content_type, raw, default_encoding=UTF8)
    better = recovered_encoding(raw, used)
    return raw.decode(better) if better else text


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
