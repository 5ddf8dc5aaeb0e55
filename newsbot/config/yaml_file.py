"""The one way newsbot reads a YAML configuration file, and words what is wrong with it.

Every problem is one line that starts with the file's label: ``LABEL: cannot read: …``,
``LABEL: invalid YAML at line N: …``.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml


def read_text(source: Path | Traversable, label: str, error: type[Exception]) -> str:
    """The file's text; ``error("LABEL: cannot read: why")`` when it cannot be read
    (``FileNotFoundError`` passes through for callers to whom a missing file is no error)."""
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise error(f"{label}: cannot read: {exc.strerror or exc}") from None


def parse_yaml(text: str, label: str, error: type[Exception]) -> Any:
    """The YAML document in ``text``; ``error("LABEL: invalid YAML at line N: problem")``."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not YAML"
        raise error(f"{label}: invalid YAML{line}: {problem}") from None


def load_yaml(source: Path | Traversable, label: str, error: type[Exception]) -> Any:
    """Read and parse a YAML file (a missing file is ``error("LABEL: cannot read: …")``)."""
    try:
        text = read_text(source, label, error)
    except FileNotFoundError as exc:
        raise error(f"{label}: cannot read: {exc.strerror or exc}") from None
    return parse_yaml(text, label, error)
