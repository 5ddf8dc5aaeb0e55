"""Front matter in the house style, written by a PyYAML Dumper (never by string formatting).

Style (see the seed post, ``../shared/seed/whereispost-post.md`` beside the repository)::

    title: 첨단기술 유출 경제안보 위협…총력 대응 시작!
    categories:
      - News
    excerpt: >
      관세청은 ...…
    image: '/assets/img/newsdao_breakingnews.jpg'

Wrap a value in :class:`Folded` to ask for a folded ``>`` block and in :class:`SingleQuoted`
for ``'...'``. A value that cannot be written that way and read back unchanged silently falls
back to the style PyYAML picks itself (plain or quoted), so every dump round-trips through
``yaml.safe_load``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import yaml

# Long Korean lines must never be folded by the emitter.
WIDTH = 1_000_000


class Folded(str):
    """A string to be written as a folded block scalar (``>``)."""


class SingleQuoted(str):
    """A string to be written single-quoted."""


class FrontMatterDumper(yaml.SafeDumper):
    """SafeDumper with indented block sequences and per-value scalar styles."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # PyYAML writes "key:\n- item"; the house style is "key:\n  - item".
        super().increase_indent(flow, False)


# YAML line breaks. A quoted scalar that spans lines puts its continuation lines at column 0 at
# the top level, where "---" or "..." would end the front matter: such strings are written
# double-quoted, where PyYAML escapes every break ("\n", "\N", "\L", "\P").
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _plain_str(dumper: FrontMatterDumper, value: str) -> yaml.ScalarNode:
    text = str(value)
    style = '"' if _LINE_BREAKS.intersection(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _styled(style: str) -> Callable[[FrontMatterDumper, str], yaml.ScalarNode]:
    def represent(dumper: FrontMatterDumper, value: str) -> yaml.ScalarNode:
        text = str(value)
        if _round_trips(text, style):
            return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)
        return _plain_str(dumper, text)

    return represent


def _datetime(dumper: FrontMatterDumper, value: datetime) -> yaml.ScalarNode:
    # ISO 8601 with "T" (PyYAML's default puts a space there); read back as the same instant.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


class _ProbeDumper(yaml.SafeDumper):
    pass


_ProbeDumper.add_representer(
    Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)
_ProbeDumper.add_representer(
    SingleQuoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="'")
)


def _round_trips(text: str, style: str) -> bool:
    """Does PyYAML write `text` in `style` such that it reads back unchanged?"""
    probe = Folded(text) if style == ">" else SingleQuoted(text)
    try:
        out = yaml.dump(
            {"k": probe}, Dumper=_ProbeDumper, allow_unicode=True, width=WIDTH, sort_keys=False
        )
        return bool(yaml.safe_load(out) == {"k": text})
    except yaml.YAMLError:
        return False


FrontMatterDumper.add_representer(str, _plain_str)
FrontMatterDumper.add_representer(Folded, _styled(">"))
FrontMatterDumper.add_representer(SingleQuoted, _styled("'"))
FrontMatterDumper.add_representer(datetime, _datetime)


class _OptimisticDumper(FrontMatterDumper):
    """Writes the asked-for styles without probing each value; the whole dump is then checked
    once (with libyaml when available) and redone with probing when anything differs."""


_OptimisticDumper.add_representer(
    Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)
_OptimisticDumper.add_representer(
    SingleQuoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="'")
)
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def dump_front_matter(data: Mapping[str, Any]) -> str:
    """The YAML between the ``---`` fences (no fences), keys in the given order."""
    for key, value in data.items():
        if not isinstance(key, str):
            raise TypeError(f"front-matter key {key!r} is not a string")
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError(f"front-matter {key!r}: datetime must be timezone-aware")
        if isinstance(value, date) and not isinstance(value, datetime):
            raise ValueError(f"front-matter {key!r}: give a datetime, not a date")
    options: dict[str, Any] = {
        "allow_unicode": True,
        "width": WIDTH,
        "sort_keys": False,
        "default_flow_style": False,
        "explicit_start": False,
        "explicit_end": False,
    }
    try:
        text = yaml.dump(dict(data), Dumper=_OptimisticDumper, **options)
        if yaml.load(text, Loader=_FastLoader) == _plain(dict(data)):
            return str(text)
    except yaml.YAMLError:
        pass
    return str(yaml.dump(dict(data), Dumper=FrontMatterDumper, **options))


def render_document(data: Mapping[str, Any], content: str) -> str:
    """``---\\n<front matter>---\\n`` followed by `content` verbatim."""
    return "---\n" + dump_front_matter(data) + "---\n" + content
