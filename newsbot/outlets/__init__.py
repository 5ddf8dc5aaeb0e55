"""Outlet declarations, read from the sources file (``newsbot.sources``), looked up by name."""

from __future__ import annotations

from pathlib import Path

from newsbot.outlets.declaration import Branding, ExtractionRules, Outlet, Politeness


def get_outlet(name: str, sources: Path | None = None) -> Outlet:
    """The outlet ``name`` of the sources file ``sources`` (None: the bundled file).

    Raises ``newsbot.sources.SourcesError`` for an invalid file, KeyError for an unknown name.
    """
    from newsbot.sources import load_sources

    outlets = load_sources(sources)
    try:
        return outlets[name]
    except KeyError:
        known = ", ".join(sorted(outlets))
        raise KeyError(f"unknown outlet {name!r} (known: {known})") from None


__all__ = ["Branding", "ExtractionRules", "Outlet", "Politeness", "get_outlet"]
