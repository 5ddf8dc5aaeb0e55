"""Append an outlet entry to a sources file, keeping the file's own text and comments.

A sources file that does not exist yet starts as a copy of newsbot's bundled one (its outlets,
comments and all): an operator's ``crawl --all`` keeps crawling them once the file is made.

The new entry is written as the YAML text of one more list item at the end of ``outlets:``
(never a re-dump of the whole file), checked to read back as exactly the old outlets plus the new
one, validated by the sources loader, and written atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

import newsbot
from newsbot.config.sources import SourcesError, load_sources
from newsbot.config.yaml_file import parse_yaml, read_text
from newsbot.discovery.article_urls import bare_host
from newsbot.state.atomic_write import write_atomic

ENVIRONMENT = "NEWSBOT_SOURCES"
BUNDLED = Path(newsbot.__file__).resolve().parent / "sources.yaml"
STARTED_FROM_BUNDLED = "# Started by `newsbot add` from newsbot's bundled outlets; edit freely.\n"
DEFAULT_FILE = Path("sources.yaml")
_EMPTY_LIST = re.compile(r"(?m)^outlets:([ \t]*)\[[ \t]*\]")
_OUTLETS_KEY = re.compile(r"(?m)^outlets:")
_ITEM = re.compile(r"(?m)^([ \t]*)- ")


class SourcesFileError(ValueError):
    """A sources file that cannot take the new entry; one line naming the file and why."""


def sources_path(given: Path | None) -> Path:
    """``--sources FILE``, else ``$NEWSBOT_SOURCES``, else ``./sources.yaml``; never a file
    inside newsbot's own package (an upgrade would replace it)."""
    path = given or (Path(os.environ[ENVIRONMENT]) if os.environ.get(ENVIRONMENT) else None)
    path = path or DEFAULT_FILE
    package = Path(newsbot.__file__).resolve().parent
    if path.resolve().is_relative_to(package):
        raise SourcesFileError(
            f"{path}: will not write into newsbot's own package; give --sources FILE "
            "(or NEWSBOT_SOURCES) outside it"
        )
    return path


class _EntryDumper(yaml.SafeDumper):
    """Block mappings, lists of plain values on one line (``[/rss, /feed]``), nested lists
    indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_EntryDumper.add_representer(list, _represent_list)


def entry_yaml(entry: dict[str, Any], indent: str = "  ") -> str:
    """The entry as one list item of ``outlets:``, each line indented by ``indent``."""
    text = yaml.dump(
        [entry],
        Dumper=_EntryDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return "".join(indent + line if line.strip() else line for line in text.splitlines(True))


def read_outlets(path: Path) -> tuple[str | None, list[Any]]:
    """The file's text (None when it does not exist) and its outlet entries as plain data."""
    try:
        text = read_text(path, str(path), SourcesFileError)
    except FileNotFoundError:
        return None, []
    data = parse_yaml(text, str(path), SourcesFileError)
    if data is None:
        return text, []
    if not isinstance(data, dict) or not isinstance(data.get("outlets") or [], list):
        raise SourcesFileError(f"{path}: must be a mapping with the key 'outlets' (a list)")
    return text, list(data.get("outlets") or [])


def starting_point(path: Path) -> tuple[str | None, list[Any], bool]:
    """The file's text and outlets; for a file that does not exist yet, the bundled file's
    (the third value says so)."""
    text, outlets = read_outlets(path)
    if text is not None:
        return text, outlets, False
    text, outlets = read_outlets(BUNDLED)
    return (STARTED_FROM_BUNDLED + text if text is not None else None), outlets, True


def check_new(path: Path, outlets: list[Any], name: str, base_url: str) -> None:
    """Refuse a name or a site that the file already has."""
    host = bare_host(urlsplit(base_url).netloc)
    for outlet in outlets:
        if not isinstance(outlet, dict):
            continue
        if outlet.get("name") == name:
            raise SourcesFileError(
                f"{path}: an outlet named {name!r} is already there (choose another with --name)"
            )
        hosts = {bare_host(urlsplit(str(outlet.get("base_url") or "")).netloc)}
        hosts |= {bare_host(str(alias)) for alias in outlet.get("host_aliases") or []}
        if host in hosts:
            raise SourcesFileError(
                f"{path}: outlet {outlet.get('name')!r} already crawls {base_url}"
            )


def appended_text(text: str | None, entry: dict[str, Any]) -> str:
    """The file's text with the entry added as the last item of ``outlets:``."""
    if text is None or not text.strip():
        return (text or "") + "outlets:\n" + entry_yaml(entry)
    if not text.endswith("\n"):
        text += "\n"
    text = _EMPTY_LIST.sub(r"outlets:\1", text, count=1)
    key = _OUTLETS_KEY.search(text)
    if key is None:
        return text + "outlets:\n" + entry_yaml(entry)
    item = _ITEM.search(text, key.end())
    return text + entry_yaml(entry, item.group(1) if item else "  ")


def append_entry(path: Path, entry: dict[str, Any]) -> bool:
    """Add ``entry`` to the sources file at ``path``, or raise ``SourcesFileError`` and leave
    the file as it was. A file that does not exist is created from the bundled outlets (True
    is returned then)."""
    text, outlets, started = starting_point(path)
    check_new(path, outlets, str(entry["name"]), str(entry["base_url"]))
    new_text = appended_text(text, entry)
    try:
        data = yaml.safe_load(new_text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict) or data.get("outlets") != [*outlets, entry]:
        raise SourcesFileError(
            f"{path}: cannot append to it: the outlets list does not end the file; "
            "add the proposed entry by hand"
        )
    validate_text(new_text, path)
    write_atomic(path, new_text)
    return started


def validate_text(text: str, path: Path) -> None:
    """Load ``text`` as the sources file ``path`` would be loaded; ``SourcesFileError``."""
    with tempfile.TemporaryDirectory(prefix="newsbot-sources-") as folder:
        trial = Path(folder) / path.name
        trial.write_text(text, encoding="utf-8")
        try:
            load_sources(trial)
        except SourcesError as exc:
            raise SourcesFileError(str(exc).replace(str(trial), str(path))) from None
