"""Page bytes -> text, by the charset the page itself declares.

libxml2 settles a page's charset at its first non-ASCII byte: a page that declares ``utf-8``
after Korean text (a Tistory head opens with the blog's settings script, titles and og tags
come before the declaration on many skins) is read as Latin-1, titles included. The bytes are
therefore decoded here, before parsing, in the order browsers use (WHATWG "encoding sniffing",
through w3lib, Scrapy's own library for it):

1. a byte order mark,
2. the ``encoding`` hint (the ``Content-Type`` header's charset, when the caller has one),
3. the page's own declaration (``<meta charset>``, ``http-equiv``, the XML declaration),
4. UTF-8 if the bytes are valid UTF-8, else CP949 (EUC-KR's superset) if they are valid CP949.

A declared charset that does not decode the bytes (EUC-KR pages declared as UTF-8, a common
Korean misconfiguration) gives way to the first of UTF-8 and CP949 that does. EUC-KR and
KS_C_5601-1987 are read as CP949, as browsers do.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, resolve_encoding

UTF8 = "utf-8"
FALLBACKS = (UTF8, "cp949")


def decode_page(raw: bytes, encoding: str | None = None) -> str:
    """The text of ``raw`` (HTML bytes); ``encoding`` is a charset the transport declared."""
    content_type = f"text/html; charset={encoding}" if encoding else None
    used, text = html_to_unicode(content_type, raw, auto_detect_fun=_first_that_decodes)
    if "\ufffd" in text and not _decodes(raw, used):
        fallback = _first_that_decodes(raw)
        if fallback is not None:
            return raw.decode(fallback)
    return text


def _first_that_decodes(raw: bytes) -> str | None:
    return next((name for name in FALLBACKS if _decodes(raw, name)), None)


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(resolve_encoding(encoding) or encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
