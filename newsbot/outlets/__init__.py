"""Outlet declarations, looked up by name."""

from __future__ import annotations

from newsbot.outlets.declaration import ExtractionRules, Outlet
from newsbot.outlets.newsdao import OUTLET as NEWSDAO

OUTLETS: dict[str, Outlet] = {NEWSDAO.name: NEWSDAO}


def get_outlet(name: str) -> Outlet:
    try:
        return OUTLETS[name]
    except KeyError:
        known = ", ".join(sorted(OUTLETS))
        raise KeyError(f"unknown outlet {name!r} (known: {known})") from None


__all__ = ["OUTLETS", "ExtractionRules", "Outlet", "get_outlet"]
