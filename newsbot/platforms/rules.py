"""A platform's selectors compiled to XPath: what extraction workers receive (picklable)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformRules:
    """A publishing platform's selectors as XPath (declared as CSS in ``newsbot/platforms``)."""

    name: str
    detect_xpaths: tuple[str, ...] = ()  # any match: the page is on this platform
    body_xpaths: tuple[str, ...] = ()  # the article's own container, first match wins
    drop_xpaths: tuple[str, ...] = ()  # injected furniture, removed before extraction
    # the plain ``.class`` selectors of ``drop``, matched in one pass over the page's classes
    drop_classes: tuple[str, ...] = ()
    protected_xpaths: tuple[str, ...] = ()  # present only on a password-protected post
