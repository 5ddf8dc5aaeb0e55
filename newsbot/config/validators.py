"""The one set of validators of newsbot's configuration (the sources file, ``newsbot add``):
each takes a value and returns it (normalised) or raises ``ValueError`` with the words that
follow the key's name in the one-line error ("'base_url' must be an http(s) URL ...")."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree


def each(values: tuple[str, ...], check: Callable[[str], str]) -> tuple[str, ...]:
    """Every value ``check``ed, the faulty one named: "'/x[' is not a valid XPath ..."."""
    for value in values:
        try:
            check(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} {exc}") from None
    return values


def regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"is not a valid regular expression ({exc})") from None
    return value


def xpath(value: str) -> str:
    try:
        etree.XPath(value)
    except etree.XPathSyntaxError as exc:
        raise ValueError(f"is not a valid XPath expression ({exc})") from None
    return value


def template(value: str, allowed: set[str], required: str) -> str:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"is not a valid template ({exc})") from None
    unknown = sorted(fields - allowed)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        known = ", ".join("{" + n + "}" for n in sorted(allowed))
        raise ValueError(f"has unknown placeholder(s) {names} (allowed: {known})")
    if required not in fields:
        raise ValueError(f"must contain {{{required}}}")
    return value


def http_url(value: str) -> str:
    """An http(s) URL of a site (no query, no fragment), without a trailing slash."""
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise ValueError("must be an http(s) URL such as https://example.com")
    if parts.query or parts.fragment:
        raise ValueError("must not have a query or fragment")
    return value.rstrip("/")


def site_path(value: str) -> str:
    if value.startswith("/") and not value.startswith("//"):
        return value
    if urlsplit(value).scheme in ("http", "https"):
        return value
    raise ValueError("must be a path starting with '/' or an http(s) URL")


#: The time zone of an outlet's dates given without an offset, when its entry names none: one
#: default for the sources file, the extraction rules and the date parser.
DEFAULT_TIME_ZONE = "UTC"


def time_zone(value: str) -> str:
    """An IANA time zone name (``Asia/Seoul``)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Seoul)") from None
    return value
