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
from typing import Any, Literal

import jmespath
import yaml
from cssselect import GenericTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsbot.platforms.rules import ElementKind, EmbeddedRules, PlatformRules

# importlib.resources: the platforms are read from a zipped egg too (scrapyd)
PLATFORM_DIR = resources.files(__name__)
_CLASS = re.compile(r"^\.[A-Za-z_][\w-]*$")  # a plain class selector: ".another_category"


class PlatformError(ValueError):
    """A platform file that is missing or invalid; the message names the file and the key."""


def _valid_path(expression: str | None) -> str | None:
    if expression is not None:
        try:
            jmespath.compile(expression)
        except jmespath.exceptions.JMESPathError as exc:
            raise ValueError(f"invalid JMESPath {expression!r}: {exc}") from None
    return expression


class EmbeddedKind(BaseModel):
    """How one kind of body element of embedded JSON becomes HTML. Every value but ``as`` is a
    JMESPath expression (jmespath.org) read from the element."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    render: Literal["paragraph", "heading", "image", "list", "quote", "html"] = Field(alias="as")
    html: str | None = None  # inline HTML (paragraph, heading, quote) or raw HTML ("html")
    text: str | None = None  # plain text, escaped, when the JSON has no HTML
    level: str | None = None  # heading level, 1-6 (default 2)
    src: str | None = None  # image URL
    caption: str | None = None  # image caption
    alt: str | None = None  # image alternative text
    items: str | None = None  # list items / quoted elements, rendered as elements themselves
    ordered: str | None = None  # true for an ordered list, e.g. "list_type == 'ordered'"
    citation: str | None = None  # a quote's source

    @field_validator("html", "text", "level", "src", "caption", "alt", "items", "ordered",
                     "citation")  # fmt: skip
    @classmethod
    def _valid_paths(cls, expression: str | None) -> str | None:
        return _valid_path(expression)


class EmbeddedFields(BaseModel):
    """The article's metadata in the JSON (JMESPath from the article object); used where the
    page's HTML (JSON-LD, meta tags) does not say."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    description: str | None = None
    section: str | None = None
    image: str | None = None

    @field_validator("*")
    @classmethod
    def _valid_paths(cls, expression: str | None) -> str | None:
        return _valid_path(expression)


class Embedded(BaseModel):
    """An article body drawn by script from JSON embedded in the page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str  # CSS: the element whose text holds the JSON (script#__NEXT_DATA__, pre)
    assignment: str | None = None  # JS name assigned the JSON in it: Fusion.globalContent
    article: str | None = None  # JMESPath to the article object; none: the JSON itself
    elements: str = "content_elements"  # JMESPath from the article to its body elements
    kind: str = "type"  # JMESPath from an element to its kind
    kinds: dict[str, EmbeddedKind]  # kind -> how it becomes HTML; other kinds are left out
    fields: EmbeddedFields = EmbeddedFields()

    @field_validator("source")
    @classmethod
    def _valid_source(cls, selector: str) -> str:
        css_to_xpath(selector)
        return selector

    @field_validator("article", "elements", "kind")
    @classmethod
    def _valid_paths(cls, expression: str | None) -> str | None:
        return _valid_path(expression)


class Platform(BaseModel):
    """One platform's declaration (``newsbot/platforms/<name>.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    detect: tuple[str, ...] = ()  # any match: a page is on this platform
    body: tuple[str, ...] = ()  # containers of the article body, in order of preference
    drop: tuple[str, ...] = ()  # injected furniture, removed before extraction
    protected: tuple[str, ...] = ()  # present only on a password-protected post
    embedded: Embedded | None = None  # the body as JSON in the page, when it is drawn by script

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
    return compile_platform(load_platform(name))


def compile_platform(declared: Platform) -> PlatformRules:
    """A declaration's selectors as XPath, for the extraction workers."""
    return PlatformRules(
        name=declared.name,
        detect_xpaths=tuple(css_to_xpath(s) for s in declared.detect),
        body_xpaths=tuple(css_to_xpath(s) for s in declared.body),
        drop_xpaths=tuple(css_to_xpath(s) for s in declared.drop if not _CLASS.match(s)),
        drop_classes=tuple(s[1:] for s in declared.drop if _CLASS.match(s)),
        protected_xpaths=tuple(css_to_xpath(s) for s in declared.protected),
        embedded=embedded_rules(declared.embedded) if declared.embedded else None,
    )


def embedded_rules(declared: Embedded) -> EmbeddedRules:
    return EmbeddedRules(
        source_xpath=css_to_xpath(declared.source),
        assignment=declared.assignment,
        article=declared.article,
        elements=declared.elements,
        kind=declared.kind,
        kinds=tuple(
            (name, ElementKind(**kind.model_dump(by_alias=False)))
            for name, kind in declared.kinds.items()
        ),
        fields=tuple((name, path) for name, path in declared.fields.model_dump().items() if path),
    )


@cache
def known_platforms() -> tuple[PlatformRules, ...]:
    """Every platform declared beside this module, by name."""
    return tuple(platform_rules(name) for name in _declared())


def _declared() -> list[str]:
    """The names of the platform files beside this module."""
    return sorted(p.name.removesuffix(".yaml") for p in PLATFORM_DIR.iterdir()
                  if p.name.endswith(".yaml"))  # fmt: skip
