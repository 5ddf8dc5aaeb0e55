"""The name ``newsbot add`` proposes for an outlet, from its host name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsbot.discovery.article_urls import bare_host

# second-level domains under a country code (``example.co.kr``): not the outlet's name
_SECOND_LEVEL = {"co", "com", "or", "ne", "go", "ac", "re", "pe", "org", "net", "gov", "edu"}


def name_from_host(url: str, label: str | None = None) -> str:
    """``https://www.example.co.kr`` -> ``example``; an address without a host name
    (``127.0.0.1:8000``) is named after the site's ``label`` when it has one in ASCII."""
    host = (urlsplit(url).hostname or "").lower()
    if re.fullmatch(r"[\d.]+|\[[\w:]*\]|localhost", host):
        named = re.sub(r"[^a-z0-9]+", "-", (label or "").lower()).strip("-")
        return named or re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "outlet"
    labels = [label for label in bare_host(host).split(".") if label]
    if len(labels) > 1:
        labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    name = re.sub(r"[^a-z0-9_-]+", "-", "-".join(labels)).strip("-")
    return name or "outlet"
