"""The sources file: every outlet newsbot crawls, as data (``newsbot/sources.yaml`` bundled).

``load_sources(path)`` reads and validates a sources file (pydantic, unknown keys refused) and
returns its outlets by name, as :class:`newsbot.config.outlet.Outlet` declarations. A problem
raises :class:`SourcesError` with one line naming the file, the outlet and the key. Which file a
run uses: ``--sources FILE``, else the ``NEWSBOT_SOURCES`` setting, else the ``NEWSBOT_SOURCES``
environment variable, else the bundled file (:func:`configured_path`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from newsbot.config import errors, validators
from newsbot.config.outlet import Branding, ExtractionRules, Outlet, Politeness
from newsbot.config.yaml_file import load_yaml

# importlib.resources: the bundled file is read from a zipped egg too (scrapyd)
BUNDLED_SOURCES: Traversable = resources.files("newsbot") / "sources.yaml"
SETTING = "NEWSBOT_SOURCES"  # also the environment variable's name
_DEFAULT = Outlet(name="default", base_url="https://example.invalid")


class SourcesError(ValueError):
    """A sources file that cannot be read or validated; one line naming file, outlet and key."""


def configured_path(settings: Mapping[str, Any] | Any = None) -> Path | None:
    """The sources file named by the ``NEWSBOT_SOURCES`` setting or environment variable, or
    None for the bundled file."""
    value = settings.get(SETTING) if settings is not None else None
    value = value or os.environ.get(SETTING)
    return Path(str(value)) if value else None


Regex = Annotated[StrictStr, Field(min_length=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Articles(_Entry):
    pattern: Regex = _DEFAULT.article_pattern  # on "path[?query]", with a named group `id`
    canonical: StrictStr = _DEFAULT.canonical_template  # {base} {id}
    slug: StrictStr = _DEFAULT.slug_template  # {outlet} {id}

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        validators.regex(value)
        if "id" not in re.compile(value).groupindex:
            raise ValueError("must have a named group (?P<id>...) for the article's id")
        return value

    @field_validator("canonical")
    @classmethod
    def _canonical(cls, value: str) -> str:
        return validators.template(value, {"base", "id"}, "id")

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        return validators.template(value, {"outlet", "id"}, "id")


class Discovery(_Entry):
    sitemaps: tuple[StrictStr, ...] = _DEFAULT.sitemaps
    feeds: tuple[StrictStr, ...] = _DEFAULT.feeds
    # None: the entry leaves them out, see ``listings``
    listing_pages: tuple[StrictStr, ...] | None = None
    fallback_listing_pages: tuple[StrictStr, ...] | None = None
    listing_pattern: Regex | None = _DEFAULT.listing_pattern
    id_walk: StrictBool = _DEFAULT.numeric_ids

    def listings(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(listing pages read on every run, fallback listing pages). Left out, the home page
        is a fallback of an outlet whose ids are walked (the next id and a working sitemap or
        feed show every new article it shows) and read on every run otherwise."""
        every, fallback = self.listing_pages, self.fallback_listing_pages
        if every is None and fallback is None:
            home = _DEFAULT.listing_pages
            return ((), home) if self.id_walk else (home, ())
        return every or (), fallback or ()

    @field_validator("sitemaps", "feeds", "listing_pages", "fallback_listing_pages")
    @classmethod
    def _paths(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else validators.each(value, validators.site_path)

    @field_validator("listing_pattern")
    @classmethod
    def _listing_pattern(cls, value: str | None) -> str | None:
        return None if value is None else validators.regex(value)


class Extraction(_Entry):
    """The outlet's own extraction overrides: every ExtractionRules field except those the
    entry sets elsewhere (timezone, language, platform) or derives (site_label)."""

    body_xpaths: tuple[StrictStr, ...] = ()
    drop_xpaths: tuple[StrictStr, ...] = ()
    protected_xpaths: tuple[StrictStr, ...] = ()
    boilerplate_patterns: tuple[StrictStr, ...] = ()
    skip_title_patterns: tuple[StrictStr, ...] = ()
    min_body_chars: StrictInt = Field(default=ExtractionRules.min_body_chars, ge=0)
    body_images: StrictBool = ExtractionRules.body_images

    @field_validator("body_xpaths", "drop_xpaths", "protected_xpaths")
    @classmethod
    def _xpaths(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return validators.each(value, validators.xpath)

    @field_validator("boilerplate_patterns", "skip_title_patterns")
    @classmethod
    def _regexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return validators.each(value, validators.regex)


class BrandingEntry(_Entry):
    label: StrictStr = ""  # default: the outlet's name
    site_url: StrictStr | None = None  # default: the base URL crawled
    cover_image: StrictStr = ""
    cover_alt: StrictStr = ""

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        return None if value is None else validators.http_url(value)

    @field_validator("cover_image")
    @classmethod
    def _cover_image(cls, value: str) -> str:
        return validators.site_path(value) if value else value


class PolitenessEntry(_Entry):
    download_delay: float | None = Field(default=None, ge=0, le=600)
    concurrency: StrictInt | None = Field(default=None, ge=1, le=256)


class OutletEntry(_Entry):
    name: StrictStr = Field(pattern=r"^[a-z0-9_-]+$")
    enabled: StrictBool = True
    base_url: StrictStr
    platform: StrictStr | None = None
    timezone: StrictStr = validators.DEFAULT_TIME_ZONE
    language: StrictStr | None = None
    host_aliases: tuple[StrictStr, ...] = ()
    articles: Articles = Articles()
    discovery: Discovery = Discovery()
    extraction: Extraction = Extraction()
    branding: BrandingEntry = BrandingEntry()
    politeness: PolitenessEntry = PolitenessEntry()
    # Apprise URLs told when this outlet's health changes (besides NEWSBOT_NOTIFY / --notify)
    notify: tuple[StrictStr, ...] = ()

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return validators.http_url(value)

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str | None) -> str | None:
        from newsbot.platforms import known_platforms

        known = sorted(p.name for p in known_platforms())
        if value is not None and value not in known:
            raise ValueError(f"unknown platform {value!r} (known: {', '.join(known)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return validators.time_zone(value)

    @field_validator("notify")
    @classmethod
    def _notify(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            if "://" not in url:
                raise ValueError(f"{url!r} is not an Apprise URL such as mailto://user@example.com")
        return value

    @field_validator("host_aliases")
    @classmethod
    def _hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not re.fullmatch(r"[a-z0-9.-]+(?::\d+)?", host.lower()):
                raise ValueError(f"{host!r} is not a host name such as www.example.com")
        return tuple(host.lower() for host in value)

    def to_outlet(self) -> Outlet:
        a, d, e, b = self.articles, self.discovery, self.extraction, self.branding
        listing_pages, fallback_listing_pages = d.listings()
        return Outlet(
            name=self.name,
            base_url=self.base_url,
            article_pattern=a.pattern,
            canonical_template=a.canonical,
            slug_template=a.slug,
            host_aliases=self.host_aliases,
            sitemaps=d.sitemaps,
            feeds=d.feeds,
            listing_pages=listing_pages,
            fallback_listing_pages=fallback_listing_pages,
            listing_pattern=d.listing_pattern,
            numeric_ids=d.id_walk,
            extraction=ExtractionRules(
                timezone=self.timezone,
                language=self.language,
                platform=self.platform,
                **e.model_dump(),
            ),
            branding=Branding(
                label=b.label or self.name,
                site_url=b.site_url,
                cover_image=b.cover_image,
                cover_alt=b.cover_alt,
            ),
            politeness=Politeness(**self.politeness.model_dump()),
            enabled=self.enabled,
            notify=self.notify,
        )


class SourcesFile(_Entry):
    outlets: list[OutletEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        seen: set[str] = set()
        for entry in self.outlets:
            if entry.name in seen:
                raise ValueError(f"outlet {entry.name}: the name is used by another outlet")
            seen.add(entry.name)
        return self


# ------------------------------------------------------------------ loading


def _problem(err: Any, raw: Any) -> str:
    """One problem as "outlet NAME: 'key.sub' must be ..."."""
    loc = tuple(err["loc"])
    prefix = ""
    if len(loc) >= 2 and loc[0] == "outlets" and isinstance(loc[1], int):
        entries = raw.get("outlets") if isinstance(raw, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        prefix = f"outlet {name if isinstance(name, str) and name else f'#{loc[1] + 1}'}: "
        loc = loc[2:]
    if err["type"] == "string_pattern_mismatch" and loc == ("name",):
        given = err.get("input")
        return f"{prefix}'name' must be lowercase letters, digits, '_' or '-' (got {given!r})"
    return f"{prefix}{errors.problem(err, loc)}"


def load_sources(path: Path | None = None) -> dict[str, Outlet]:
    """The outlets of the sources file at ``path`` (None: the bundled one), by name, in the
    file's order. Raises :class:`SourcesError` (one line) when the file is not valid."""
    source = Path(path) if path is not None else BUNDLED_SOURCES
    label = f"sources {source}"
    raw: Any = load_yaml(source, label, SourcesError)
    if not isinstance(raw, dict):
        raise SourcesError(f"{label}: must be a mapping with the key 'outlets'")
    try:
        sources = SourcesFile.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(err, raw) for err in exc.errors(include_url=False)]
        raise SourcesError(f"{label}: {'; '.join(problems)}") from None
    return {entry.name: entry.to_outlet() for entry in sources.outlets}


def get_outlet(name: str, sources: Path | None = None) -> Outlet:
    """The outlet ``name`` of the sources file ``sources`` (None: the bundled file).

    Raises :class:`SourcesError` for an invalid file, KeyError for an unknown name.
    """
    outlets = load_sources(sources)
    try:
        return outlets[name]
    except KeyError:
        known = ", ".join(sorted(outlets))
        raise KeyError(f"unknown outlet {name!r} (known: {known})") from None


__all__ = [
    "Branding",
    "ExtractionRules",
    "Outlet",
    "Politeness",
    "SourcesError",
    "get_outlet",
    "load_sources",
]
