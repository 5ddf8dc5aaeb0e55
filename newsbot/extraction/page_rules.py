"""Which selectors apply to one page: the outlet's own, its platform's, and those of every other
known platform whose signature the page carries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from newsbot.config.outlet import ExtractionRules
from newsbot.platforms.rules import EmbeddedRules


@dataclass(frozen=True)
class PageRules:
    platforms: tuple[str, ...]  # names of the platforms that apply
    body: tuple[str, ...]
    drop: tuple[str, ...]
    protected: tuple[str, ...]
    drop_classes: frozenset[str] = frozenset()
    embedded: tuple[EmbeddedRules, ...] = ()  # where the platforms put the article as JSON


def page_rules(tree: HtmlElement, rules: ExtractionRules) -> PageRules:
    applied = [
        platform
        for platform in rules.platforms
        if platform.name == rules.platform or matches_any(tree, platform.detect_xpaths)
    ]
    return PageRules(
        tuple(p.name for p in applied),
        rules.body_xpaths + tuple(x for p in applied for x in p.body_xpaths),
        rules.drop_xpaths + tuple(x for p in applied for x in p.drop_xpaths),
        rules.protected_xpaths + tuple(x for p in applied for x in p.protected_xpaths),
        frozenset(c for p in applied for c in p.drop_classes),
        tuple(p.embedded for p in applied if p.embedded is not None),
    )


def dropped(tree: HtmlElement, selectors: PageRules) -> list[HtmlElement]:
    """The elements that the drop rules name: class names in one pass, the rest by XPath."""
    found: list[HtmlElement] = []
    if selectors.drop_classes:
        classes = selectors.drop_classes
        found.extend(
            node for node in _WITH_CLASS(tree) if not classes.isdisjoint(node.get("class").split())
        )
    found.extend(select_any(tree, selectors.drop))
    return found


_WITH_CLASS = etree.XPath("//*[@class]")


@lru_cache(maxsize=512)
def compiled(xpath: str) -> etree.XPath:
    """XPath strings travel to the workers (picklable); each worker compiles them once."""
    return etree.XPath(xpath)


def select(tree: HtmlElement, xpath: str) -> list[HtmlElement]:
    found = compiled(xpath)(tree)
    return found if isinstance(found, list) else []


def matches(tree: HtmlElement, xpath: str) -> bool:
    return bool(select(tree, xpath))


@lru_cache(maxsize=128)
def _union(xpaths: tuple[str, ...]) -> etree.XPath | None:
    """Several location paths as one XPath union: one walk of the page instead of one each."""
    return etree.XPath(" | ".join(f"({x})" for x in xpaths)) if xpaths else None


def select_any(tree: HtmlElement, xpaths: tuple[str, ...]) -> list[HtmlElement]:
    """The elements any of ``xpaths`` selects, once each, in document order."""
    union = _union(xpaths)
    found = union(tree) if union is not None else []
    return found if isinstance(found, list) else []


def matches_any(tree: HtmlElement, xpaths: tuple[str, ...]) -> bool:
    return bool(select_any(tree, xpaths))
