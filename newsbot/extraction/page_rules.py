"""Which selectors apply to one page: the outlet's own, its platform's, and those of every other
known platform whose signature the page carries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from newsbot.outlets.declaration import ExtractionRules


@dataclass(frozen=True)
class PageRules:
    platforms: tuple[str, ...]  # names of the platforms that apply
    body: tuple[str, ...]
    drop: tuple[str, ...]
    protected: tuple[str, ...]


def page_rules(tree: HtmlElement, rules: ExtractionRules) -> PageRules:
    applied = [
        platform
        for platform in rules.platforms
        if platform.name == rules.platform
        or any(matches(tree, xpath) for xpath in platform.detect_xpaths)
    ]
    return PageRules(
        tuple(p.name for p in applied),
        rules.body_xpaths + tuple(x for p in applied for x in p.body_xpaths),
        rules.drop_xpaths + tuple(x for p in applied for x in p.drop_xpaths),
        rules.protected_xpaths + tuple(x for p in applied for x in p.protected_xpaths),
    )


@lru_cache(maxsize=512)
def compiled(xpath: str) -> etree.XPath:
    """XPath strings travel to the workers (picklable); each worker compiles them once."""
    return etree.XPath(xpath)


def select(tree: HtmlElement, xpath: str) -> list[HtmlElement]:
    found = compiled(xpath)(tree)
    return found if isinstance(found, list) else []


def matches(tree: HtmlElement, xpath: str) -> bool:
    return bool(select(tree, xpath))
