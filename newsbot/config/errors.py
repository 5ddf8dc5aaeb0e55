"""The one wording of what is wrong in a configuration file (the sources file, a profile):
pydantic's validation errors become ``'key.sub[0]' must be ...`` phrases, which the loaders put
after their file's label ("outlet daily: 'timezone' unknown time zone 'Mars/Olympus'")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a string",
    "string_sub_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "dict_type": "a mapping of keys to values",
}


def key_path(loc: Sequence[int | str]) -> str:
    """``("branding", "cover_image")`` -> ``branding.cover_image``; list positions as ``[i]``."""
    return "".join(
        f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part))
        for i, part in enumerate(loc)
    )


def problem(err: Any, loc: Sequence[int | str]) -> str:
    """One validation error at ``loc`` (the key path inside the entry) as a phrase."""
    key = key_path(loc)
    where = f"'{key}'" if key else ""
    kind, given = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return f"unknown key {where}"
    if kind == "missing":
        return f"missing key {where}"
    if kind in TYPE_WORDS:
        return f"{where} must be {TYPE_WORDS[kind]} (got {given!r})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where} must be one of {expected} (got {given!r})"
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        return f"{where} {message}".strip()
    return f"{where} {err['msg'].lower()} (got {given!r})".strip()
