"""Validate the posts of a blog folder against a profile (``newsbot check`` uses this)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from newsbot.blog.post_index import POST_SUFFIXES
from newsbot.profiles.model import Profile

OPTIONAL_KEYS = frozenset({"author"})  # omitted when the article does not name one
# Front-matter text that themes pass through markdownify (Minimal Mistakes does for title,
# excerpt and feature_text): it must not carry raw HTML or script links.
MARKUP_KEYS = frozenset(
    {"title", "excerpt", "feature_text", "description", "summary", "categories", "tags", "author"}
)

_DATE = r"\d{4}-\d{2}-\d{2}"
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"

# Active content that the sanitiser never lets through: a match means a post was edited by hand
# or written by something else. Checked on the whole body, template furniture included.
_ACTIVE_TAGS = r"<\s*(?:iframe|object|embed|form|meta|base|link|style)\b"
_SCRIPT_URL = r"""(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript|vbscript|data):"""
_UNSAFE_BODY = (
    (re.compile(r"<\s*script\b", re.I), "contains a <script> tag"),
    (re.compile(_ACTIVE_TAGS, re.I), "contains an active tag"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "contains an on...= event handler"),
    (
        re.compile(_SCRIPT_URL, re.I),
        "contains a javascript:/vbscript:/data: URL",
    ),
    (
        re.compile(r"(?<!\\)\]\(\s*<?\s*(?:javascript|vbscript|data):", re.I),
        "contains a javascript:/vbscript:/data: Markdown link",
    ),
    (re.compile(r"\{\{|\{%"), "contains unescaped template syntax ({{ or {%)"),
    (re.compile(r"\{:"), "contains unescaped kramdown syntax ({:)"),
)
_UNSAFE_TEXT = (
    (re.compile(r"<\s*[a-z!/]", re.I), "has raw HTML"),
    (re.compile(r"(?<!\\)\]\(\s*<?\s*(?:javascript|vbscript|data):", re.I), "has a script link"),
)


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the blog root, posix
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def filename_pattern(profile: Profile) -> re.Pattern[str]:
    """The file names the profile writes, e.g. ``\\d{4}-\\d{2}-\\d{2}-<slug>\\.md``."""
    parts = re.split(r"(\{date\}|\{slug\})", profile.filename)
    regex = "".join(
        _DATE if p == "{date}" else _SLUG if p == "{slug}" else re.escape(p) for p in parts
    )
    return re.compile(f"^{regex}$")


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _check_one(
    path: Path, rel: str, profile: Profile, seen: dict[str, str], problems: list[Problem]
) -> None:
    def problem(message: str) -> None:
        problems.append(Problem(rel, message))

    if not filename_pattern(profile).fullmatch(path.name):
        problem(f"file name does not match {profile.filename!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem("not UTF-8")
        return
    except OSError as exc:
        problem(f"cannot read: {exc.strerror or exc}")
        return
    if not text.startswith("---\n"):
        problem("does not start with a '---' front-matter block")
        return
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        problem(f"front matter does not parse: {' '.join(str(exc).split())}")
        return
    meta = post.metadata
    if not meta:
        problem("front matter is empty")
        return
    missing = [k for k in profile.front_matter if k not in meta and k not in OPTIONAL_KEYS]
    if missing:
        problem(f"missing front-matter key(s): {', '.join(missing)}")

    if "date" in meta:
        when = _as_datetime(meta["date"])
        if when is None:
            kind = "a date without a time" if isinstance(meta["date"], date) else "not a date"
            problem(f"'date' is {kind}: {meta['date']!r}")
        elif when.tzinfo is None:
            problem(f"'date' has no UTC offset: {meta['date']!r}")
        elif "{date}" in profile.filename:
            day = when.astimezone(profile.zone).strftime("%Y-%m-%d")
            if not path.name.startswith(day):
                problem(f"file name date differs from 'date' ({day} in {profile.timezone})")

    source_url = meta.get("source_url")
    if "source_url" in meta:
        if not isinstance(source_url, str) or not re.match(r"https?://", source_url):
            problem(f"'source_url' is not an http(s) URL: {source_url!r}")
        elif source_url in seen:
            problem(f"duplicate source_url {source_url} (also in {seen[source_url]})")
        else:
            seen[source_url] = rel

    for pattern, message in _UNSAFE_BODY:
        if pattern.search(post.content):
            problem(f"body {message}")
    if profile.front_matter_html_escape:
        for key, value in meta.items():
            if key not in MARKUP_KEYS:
                continue
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, str):
                    continue
                for pattern, message in _UNSAFE_TEXT:
                    if pattern.search(item):
                        problem(f"front-matter {key!r} {message}")


def post_files(root: Path, profile: Profile) -> list[Path]:
    folder = root / profile.posts_dir
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in POST_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def check_posts(root: Path, profile: Profile) -> list[Problem]:
    """Every problem of every post under ``root/<profile.posts_dir>``, in file order."""
    problems: list[Problem] = []
    folder = root / profile.posts_dir
    if not folder.is_dir():
        return [Problem(profile.posts_dir, "posts folder does not exist")]
    seen: dict[str, str] = {}
    for path in post_files(root, profile):
        _check_one(path, path.relative_to(root).as_posix(), profile, seen, problems)
    return problems
