"""Check a crawl's settings, base URL and output folder before anything is fetched.

``newsbot crawl``, ``scrapy crawl`` (newsbot's own ``crawl`` command) and the spider itself call
:func:`check_crawl_settings`; ``newsbot cron-line`` calls it for the line it prints. A problem
raises :class:`ConfigError` with one line naming it; the commands print that line and exit 2.
"""

from __future__ import annotations

import difflib
import errno
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.settings import default_settings as scrapy_defaults

from newsbot import settings as newsbot_defaults
from newsbot.config.outlet import Outlet
from newsbot.discovery.article_urls import ArticleUrls
from newsbot.state.folder import StateFolder


class ConfigError(ValueError):
    """A setting, argument or output folder that a crawl cannot run with (one line)."""


def known_settings() -> dict[str, Any]:
    """Every ``NEWSBOT_*`` setting with its default (``newsbot/settings.py``)."""
    return {
        k: getattr(newsbot_defaults, k) for k in dir(newsbot_defaults) if k.startswith("NEWSBOT_")
    }


# ------------------------------------------------------------------ values


def _fail(name: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(f"setting {name}: expected {expected}, got {value!r}")


def _number(name: str, settings: BaseSettings, kind: type, minimum: float, strict: bool) -> None:
    value = settings.get(name)
    what = "a whole number" if kind is int else "a number"
    what += f", above {minimum:g}" if strict else f", {minimum:g} or more"
    try:
        number = settings.getint(name) if kind is int else settings.getfloat(name)
        if kind is int and isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
            raise ValueError(value)
    except (TypeError, ValueError):
        raise _fail(name, what, value) from None
    if number < minimum or (strict and number == minimum):
        raise _fail(name, what, value)


def _whole(minimum: int = 0) -> Callable[[str, BaseSettings], None]:
    return lambda name, settings: _number(name, settings, int, minimum, strict=False)


def _seconds(strict: bool = False) -> Callable[[str, BaseSettings], None]:
    return lambda name, settings: _number(name, settings, float, 0, strict=strict)


def _boolean(name: str, settings: BaseSettings) -> None:
    try:
        settings.getbool(name)
    except (TypeError, ValueError):
        raise _fail(name, "true or false (1 or 0)", settings.get(name)) from None


def _optional(check: Callable[[str, BaseSettings], None]) -> Callable[[str, BaseSettings], None]:
    def run(name: str, settings: BaseSettings) -> None:
        if settings.get(name) not in (None, ""):
            check(name, settings)

    return run


def _iso_date(name: str, settings: BaseSettings) -> None:
    value = settings.get(name)
    if isinstance(value, date):
        return
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise _fail(name, "a date (YYYY-MM-DD)", value) from None


def _relative_folder(name: str, settings: BaseSettings) -> None:
    value = settings.get(name)
    path = Path(str(value or ""))
    if not value or path.is_absolute() or ".." in path.parts:
        raise _fail(name, "a folder name inside the output folder", value)


def _text(name: str, settings: BaseSettings) -> None:
    value = settings.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(name, "a non-empty text", value)


def _author(name: str, settings: BaseSettings) -> None:
    from newsbot.blog.git_command import parse_author

    try:
        parse_author(str(settings.get(name)))
    except ValueError:
        raise _fail(name, "'Name <email>'", settings.get(name)) from None


def _mapping(name: str, settings: BaseSettings) -> None:
    try:
        settings.getdict(name)
    except (TypeError, ValueError):
        raise _fail(name, "a mapping of setting names to values", settings.get(name)) from None


def _redis_url(name: str, settings: BaseSettings) -> None:
    value = settings.get(name)
    parts = urlsplit(str(value))
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.netloc or parts.path):
        raise _fail(name, "a redis URL such as redis://127.0.0.1:6379/0", value)


def _anything(name: str, settings: BaseSettings) -> None:
    return None


# The checks of the settings whose default alone does not say enough.
_CHECKS: dict[str, Callable[[str, BaseSettings], None]] = {
    "NEWSBOT_SINCE": _optional(_iso_date),
    "NEWSBOT_MIN_BODY_CHARS": _optional(_whole(0)),
    "NEWSBOT_PROGRESS": _optional(_boolean),
    "NEWSBOT_PROGRESS_INTERVAL": _seconds(strict=True),
    "NEWSBOT_WORKER_TIMEOUT": _seconds(),
    "NEWSBOT_GIT_PUSH_BACKOFF": _seconds(),
    "NEWSBOT_STATE_DIR": _relative_folder,
    "NEWSBOT_IMAGES_DIR": _relative_folder,
    "NEWSBOT_OUTPUT_DIR": _text,
    "NEWSBOT_PROFILE": _text,
    "NEWSBOT_GIT_REMOTE": _text,
    "NEWSBOT_GIT_AUTHOR": _optional(_author),
    "NEWSBOT_FAST_SETTINGS": _mapping,
    "NEWSBOT_REDIS_URL": _optional(_redis_url),
    "NEWSBOT_REDIS_KEY": _text,
    "NEWSBOT_REDIS_WORKER_TTL": _seconds(strict=True),
    "NEWSBOT_BASE_URL": _anything,  # checked with the outlet, below
    "NEWSBOT_SOURCES": _anything,  # read (and checked) by the spider loader
    "NEWSBOT_GIT_BRANCH": _anything,
    "NEWSBOT_STATS_FILE": _anything,
    "NEWSBOT_CONTACT_URL": _anything,
}


def _check_for_default(default: Any) -> Callable[[str, BaseSettings], None]:
    if isinstance(default, bool):
        return _boolean
    if isinstance(default, int):
        return _whole(0)
    if isinstance(default, float):
        return _seconds()
    if isinstance(default, dict):
        return _mapping
    return _anything


def check_setting_names(settings: BaseSettings) -> None:
    known = known_settings()
    for name in sorted(settings):
        if isinstance(name, str) and name.startswith("NEWSBOT_") and name not in known:
            suffixes = [k.removeprefix("NEWSBOT_") for k in known]
            close = difflib.get_close_matches(name.removeprefix("NEWSBOT_"), suffixes, n=1)
            hint = f" (did you mean NEWSBOT_{close[0]}?)" if close else " (see newsbot/settings.py)"
            raise ConfigError(f"unknown setting {name}{hint}")


def check_setting_values(settings: BaseSettings) -> None:
    for name, default in sorted(known_settings().items()):
        (_CHECKS.get(name) or _check_for_default(default))(name, settings)
    # Scrapy's own numbers and switches, when given on the command line.
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    for name in sorted(settings):
        if not isinstance(name, str) or name.startswith("NEWSBOT_"):
            continue
        default = getattr(scrapy_defaults, name, None)
        if default is None or (settings.getpriority(name) or 0) < cmdline:
            continue
        if isinstance(default, bool):
            _boolean(name, settings)
        elif isinstance(default, int | float):  # some int defaults take fractions (delays)
            try:
                settings.getfloat(name)
            except (TypeError, ValueError):
                raise _fail(name, "a number", settings.get(name)) from None


# ------------------------------------------------------------------ base URL, folders, git


def check_base_url(url: str, outlet: Outlet) -> None:
    """``url`` is an http(s) URL at which the outlet's article URLs can be recognised."""
    parts = urlsplit(url.strip())
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or above 65535
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise ConfigError(
            f"the base URL {url!r} (--base-url) is not an http(s) URL like {outlet.base_url}"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"the base URL {url!r} (--base-url) must not have a query or fragment")
    urls = ArticleUrls(outlet, url)
    sample = urls.for_id("1000")
    if urls.match(sample.url) != sample:
        raise ConfigError(
            f"the base URL {url!r} (--base-url) has a path ({parts.path}) that the "
            f"{outlet.name} outlet does not support: its articles are at "
            f"{outlet.base_url}/<id>, so give the host only, like "
            f"{parts.scheme}://{parts.netloc}"
        )


def check_output_folder(folder: Path) -> None:
    """The output folder is a folder (or can be made one) that this user can write to."""
    folder = Path(folder).absolute()
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == folder and not folder.is_dir():
        raise ConfigError(f"the output folder {folder} is a file, not a folder")
    if not existing.is_dir():
        raise ConfigError(f"the output folder {folder} cannot be made: {existing} is a file")
    state = StateFolder.of_output(folder, newsbot_defaults.NEWSBOT_STATE_DIR).root
    for path in (existing, state) if state.is_dir() else (existing,):
        if not os.access(path, os.W_OK | os.X_OK):
            read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
            why = os.strerror(errno.EROFS if read_only else errno.EACCES)
            raise ConfigError(f"cannot write to the output folder: {path} is not writable ({why})")


def check_git(folder: Path, *, push: bool, remote: str) -> None:
    from newsbot.blog.git_repo import GitRepo

    option = "--push" if push else "--commit"
    if shutil.which("git") is None:
        raise ConfigError(f"{option}: git is not installed (or not on PATH)")
    repo = GitRepo(Path(folder).absolute())
    if not repo.is_repo():
        raise ConfigError(
            f"{option}: {Path(folder).absolute()} is not the top folder of a git repository; "
            f"clone the blog there or run `git init` in it"
        )
    if push and not repo._has_remote(remote):
        raise ConfigError(
            f"--push: the repository {Path(folder).absolute()} has no remote {remote!r} "
            f"(add it with `git remote add`, or choose one with --remote)"
        )


def check_title_hook(profile: Any) -> None:
    """The profile's title hook can be loaded, or its command found."""
    if profile.title_hook:
        from newsbot.pipelines.rewrite_title import resolve_hook

        try:
            resolve_hook(profile.title_hook)
        except ValueError as exc:
            raise ConfigError(f"profile {profile.name}: {exc}") from None
    if profile.title_command and shutil.which(profile.title_command[0]) is None:
        raise ConfigError(
            f"profile {profile.name}: title_command {profile.title_command[0]!r} is not a "
            "program on PATH"
        )


def check_scale_out(settings: BaseSettings) -> None:
    """Workers sharing a frontier each take a part of the articles: each must publish its
    part (push), and a dry run would take articles from the workers that publish."""
    if not settings.get("NEWSBOT_REDIS_URL"):
        return
    if settings.getbool("NEWSBOT_DRY_RUN"):
        raise ConfigError(
            "setting NEWSBOT_REDIS_URL: a dry run cannot share a frontier (it would take "
            "articles from the workers that publish them); unset it for --dry-run"
        )
    if not settings.getbool("NEWSBOT_GIT_PUSH"):
        raise ConfigError(
            "setting NEWSBOT_REDIS_URL: workers that share a frontier must push what they "
            "write (--push, NEWSBOT_GIT_PUSH), each from its own clone of the blog"
        )


def check_crawl_settings(
    settings: BaseSettings, outlet: Outlet, base_url: str | None = None
) -> None:
    """Raise :class:`ConfigError` for the first problem found, else return."""
    from newsbot.profiles import ProfileError, load_profile

    check_setting_names(settings)
    check_setting_values(settings)
    url = base_url or settings.get("NEWSBOT_BASE_URL")
    if url:
        check_base_url(str(url), outlet)
    output = Path(settings.get("NEWSBOT_OUTPUT_DIR"))
    check_output_folder(output)
    try:
        profile = load_profile(settings.get("NEWSBOT_PROFILE"))
    except ProfileError as exc:
        raise ConfigError(str(exc)) from None
    check_title_hook(profile)
    check_scale_out(settings)
    committing = settings.getbool("NEWSBOT_GIT_COMMIT") or settings.getbool("NEWSBOT_GIT_PUSH")
    if committing and not settings.getbool("NEWSBOT_DRY_RUN"):
        check_git(
            output,
            push=settings.getbool("NEWSBOT_GIT_PUSH"),
            remote=settings.get("NEWSBOT_GIT_REMOTE"),
        )
