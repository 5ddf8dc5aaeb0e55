"""Platforms as data: where a publishing platform puts the article body, which blocks it injects
around it, and how its password-protected posts look. One YAML file per platform beside this
module. An outlet names its platform (``ExtractionRules.platform``), whose rules then apply to
all its pages; every other platform's rules apply to the pages that show its ``detect``
signature.

Selectors are CSS (translated to XPath once, on load): they read like the platform's own
documentation and need no XPath class-matching idioms.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from cssselect import GenericTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from newsbot.platforms.rules import PlatformRules

# importlib.resources: the platforms are read from a zipped egg too (scrapyd)
PLATFORM_DIR = resources.files(__name__)
_CLASS = re.compile(r"^\.[A-Za-z_][\w-]*$")  # a plain class selector: ".another_category"


class PlatformError(ValueError):
    """A platform file that is missing or invalid; the message names the file and the key."""


class Platform(BaseModel):
    """One platform's declaration (``newsbot/platforms/<name>.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    detect: tuple[str, ...] = ()  # any match: a page is on this platform
    body: tuple[str, ...] = ()  # containers of the article body, in order of preference
    drop: tuple[str, ...] = ()  # injected furniture, removed before extraction
    protected: tuple[str, ...] = ()  # present only on a password-protected post

    @field_validator("detect", "body", "drop", "protected")
    @classmethod
    def _valid_css(cls, selectors: tuple[str, ...]) -> tuple[str, ...]:
        for selector in selectors:
            css_to_xpath(selector)
        return selectors


def css_to_xpath(selector: str) -> str:
    try:
        return str(GenericTranslator().css_to_xpath(selector))
    except SelectorError as exc:
        raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from None


@cache
def load_platform(name: str) -> Platform:
    path = PLATFORM_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(_declared())
        raise PlatformError(f"unknown platform {name!r} (known: {known})")
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Platform.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise PlatformError(f"{path.name}: {exc}") from None


def platform_rules(name: str) -> PlatformRules:
    declared = load_platform(name)
    return PlatformRules(
        name=declared.name,
        detect_xpaths=tuple(css_to_xpath(s) for s in declared.detect),
        body_xpaths=tuple(css_to_xpath(s) for s in declared.body),
        drop_xpaths=tuple(css_to_xpath(s) for s in declared.drop if not _CLASS.match(s)),
        drop_classes=tuple(s[1:] for s in declared.drop if _CLASS.match(s)),
        protected_xpaths=tuple(css_to_xpath(s) for s in declared.protected),
    )


@cache
def known_platforms() -> tuple[PlatformRules, ...]:
    """Every platform declared beside this module, by name."""
    return tuple(platform_rules(name) for name in _declared())


def _declared() -> list[str]:
    """The names of the platform files beside this module."""
    return sorted(p.name.removesuffix(".yaml") for p in PLATFORM_DIR.iterdir()
                  if p.name.endswith(".yaml"))  # fmt: skip
