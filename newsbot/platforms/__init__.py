"""Platforms as data: where a publishing platform puts the article body, which blocks it injects
around it, and how its password-protected posts look. One YAML file per platform beside this
module; an outlet names its platform and adds its own rules on top (``outlet_rules``).

Selectors are CSS (translated to XPath once, on load): they read like the platform's own
documentation and need no XPath class-matching idioms.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from cssselect import GenericTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

if TYPE_CHECKING:
    from newsbot.outlets.declaration import ExtractionRules

PLATFORM_DIR = Path(__file__).resolve().parent


class PlatformError(ValueError):
    """A platform file that is missing or invalid; the message names the file and the key."""


class Platform(BaseModel):
    """One platform's declaration (``newsbot/platforms/<name>.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    body: tuple[str, ...] = ()  # containers of the article body, in order of preference
    drop: tuple[str, ...] = ()  # injected furniture, removed before extraction
    protected: tuple[str, ...] = ()  # present only on a password-protected post

    @field_validator("body", "drop", "protected")
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
        known = ", ".join(sorted(p.stem for p in PLATFORM_DIR.glob("*.yaml")))
        raise PlatformError(f"unknown platform {name!r} (known: {known})")
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Platform.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise PlatformError(f"{path.name}: {exc}") from None


def outlet_rules(platform: str | None = None, **overrides: Any) -> ExtractionRules:
    """An outlet's ExtractionRules: its platform's selectors first, then its own.

    ``body_xpaths``, ``drop_xpaths`` and ``protected_xpaths`` given here are added after the
    platform's; every other field is the outlet's own.
    """
    from newsbot.outlets.declaration import ExtractionRules  # outlets import this module

    if platform is None:
        return ExtractionRules(**overrides)
    declared = load_platform(platform)

    def joined(key: str, selectors: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(css_to_xpath(s) for s in selectors) + tuple(overrides.pop(key, ()))

    return ExtractionRules(
        platform=declared.name,
        body_xpaths=joined("body_xpaths", declared.body),
        drop_xpaths=joined("drop_xpaths", declared.drop),
        protected_xpaths=joined("protected_xpaths", declared.protected),
        **overrides,
    )
