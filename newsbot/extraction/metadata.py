"""Page metadata from JSON-LD (NewsArticle & co.), OpenGraph/article:* and plain <meta> tags."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "report",
    "webpage",
    "socialmediaposting",
}


@dataclass
class PageMetadata:
    """Raw values as the page states them, per source; precedence is decided in article.py."""

    jsonld: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)  # property/name (lower) -> contents
    canonical: str | None = None
    lang: str | None = None
    title_tag: str | None = None

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None

    def all(self, key: str) -> list[str]:
        return [v.strip() for v in self.meta.get(key, ()) if v.strip()]


def read_metadata(tree: HtmlElement) -> PageMetadata:
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = node.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    title_nodes = tree.xpath("//title")
    title_tag = title_nodes[0].text_content().strip() if title_nodes else None
    lang = tree.get("lang") or tree.get("xml:lang")
    return PageMetadata(
        jsonld=_article_jsonld(tree), meta=meta, canonical=canonical, lang=lang, title_tag=title_tag
    )


def _article_jsonld(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object whose @type is an article type (searching @graph and lists)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except ValueError:
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names):
                return obj
    return {}


def _walk(data: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found


def jsonld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings, {"name": …}, {"url": …} or the first of a list."""
    if isinstance(value, list):
        for entry in value:
            text = jsonld_text(entry)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return jsonld_text(value.get("name") or value.get("url") or value.get("@id"))
    if isinstance(value, str | int | float) and str(value).strip():
        return str(value).strip()
    return None


def jsonld_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [text for entry in value if (text := jsonld_text(entry))]
    return []
