"""A platform's selectors compiled to XPath: what extraction workers receive (picklable)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ElementKind:
    """How one kind of embedded-JSON body element becomes HTML (JMESPath expressions, relative
    to the element; see ``newsbot.platforms.EmbeddedKind``)."""

    render: str  # paragraph, heading, image, list, quote, html
    html: str | None = None  # inline HTML of a paragraph/heading/quote, raw HTML of "html"
    text: str | None = None  # plain text (escaped) when there is no HTML
    level: str | None = None  # a heading's level (1-6)
    src: str | None = None  # an image's URL
    caption: str | None = None
    alt: str | None = None
    items: str | None = None  # the elements inside a list or a quote
    ordered: str | None = None  # a list is ordered when this is true (``list_type == 'ordered'``)
    citation: str | None = None  # who a quote is from


@dataclass(frozen=True)
class EmbeddedRules:
    """Where a platform's article sits in JSON embedded in the page, and how it becomes HTML."""

    source_xpath: str  # the element whose text holds the JSON
    assignment: str | None = None  # the JavaScript name assigned the JSON in that text
    article: str | None = None  # JMESPath to the article object (None: the JSON itself)
    elements: str = "content_elements"  # JMESPath (from the article) to the body's elements
    kind: str = "type"  # JMESPath (from an element) to its kind
    kinds: tuple[tuple[str, ElementKind], ...] = ()  # kind -> how it becomes HTML
    # article fields (JMESPath from the article): title, published, modified, author,
    # description, section, image
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """What the operator is told the body came from."""
        return self.assignment or self.source_xpath


@dataclass(frozen=True)
class PlatformRules:
    """A publishing platform's selectors as XPath (declared as CSS in ``newsbot/platforms``)."""

    name: str
    detect_xpaths: tuple[str, ...] = ()  # any match: the page is on this platform
    body_xpaths: tuple[str, ...] = ()  # the article's own container, first match wins
    drop_xpaths: tuple[str, ...] = ()  # injected furniture, removed before extraction
    # the plain ``.class`` selectors of ``drop``, matched in one pass over the page's classes
    drop_classes: tuple[str, ...] = ()
    protected_xpaths: tuple[str, ...] = ()  # present only on a password-protected post
    # the article as JSON embedded in the page (Arc XP's Fusion.globalContent, __NEXT_DATA__)
    embedded: EmbeddedRules | None = None
