"""The article body: page furniture pruned, trafilatura's main text, in-body boilerplate dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring, tostring
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document, use_config
from trafilatura.xpaths import BODY_XPATH

from newsbot.config.outlet import ExtractionRules
from newsbot.extraction.boilerplate import (
    FURNITURE_MAX_CHARS,
    TRAFILATURA_XML,
    compile_patterns,
    drop_boilerplate,
    is_furniture_name,
)
from newsbot.extraction.container import container_fragment
from newsbot.extraction.contents import unlink_table_of_contents
from newsbot.extraction.embedded import EmbeddedArticle
from newsbot.extraction.furniture import drop_hidden_labels, trim_edges
from newsbot.extraction.html_blocks import remove_node, unwrap_unknown_elements, wrap_loose_text
from newsbot.extraction.page_rules import PageRules, dropped, page_rules, select
from newsbot.render.blogsafe import sanitize_html

# trafilatura's settings in one place: main text only, formatting/links/tables/images kept.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_formatting": True,
    "include_links": True,
    "include_tables": True,
    "include_images": False,  # per outlet: ExtractionRules.body_images
    "with_metadata": False,  # newsbot reads metadata itself; trafilatura's only as a fallback
    "deduplicate": False,
    "favor_precision": False,
    "favor_recall": True,  # keeps bare text after tables (Korean editors emit it)
    # Keep trafilatura's readability/jusText second opinion: without it ("fast") AEB F1 is
    # the same (0.959 vs 0.957) and 40% faster, but some articles lose half their text
    # (corpus ids 4479, 4416: token F1 0.58 and 0.65 instead of 1.0).
    "fast": False,
}
# Below this many characters trafilatura distrusts its own result and falls back to
# whole-page heuristics, which turn a short news flash into menus, bylines and tags.
MIN_EXTRACTED_SIZE = 100  # trafilatura: 250; 100 is also better on AEB (F1 0.960 vs 0.957)
TRAFILATURA_CONFIG = use_config()
TRAFILATURA_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
_TEXT_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "div",
    "figure",
    "figcaption",
    "hr",
    "br",
    "dd",
    "dt",
}
# A link with more text than this is a linked sentence or paragraph (affiliate and deal posts
# link whole paragraphs), not a menu entry or a headline: its text does not count as navigation.
NAV_LINK_CHARS = 150
# A paragraph that is only a link to another article of the site, at most this long, is a
# teaser for that article (a headline, "Read the latest on ..."), not text.
TEASER_MAX_CHARS = 150
CHUNK_LEVELS = 4
# An article with nested <article>s keeps at least this much text of its own when they go.
NESTED_ARTICLE_MIN_OWN_CHARS = 200
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_WORD = re.compile(r"\w+")


@dataclass
class Body:
    html: str
    text: str
    link_chars: int = 0  # characters of link text that reads as navigation (see NAV_LINK_CHARS)
    from_container: bool = False  # taken from the platform's article container
    from_embedded: bool = False  # drawn from the article's embedded JSON (no container)


def extract_body(
    tree: HtmlElement,
    url: str,
    rules: ExtractionRules,
    selectors: PageRules | None = None,
    *,
    titles: Iterable[str | None] = (),
    embedded: EmbeddedArticle | None = None,
) -> Body:
    """Extract from ``tree`` (modified in place). Returns an empty body when nothing is found.

    The body comes from the platform's container, else from the article's embedded JSON
    (``embedded``, rendered as HTML by ``newsbot.extraction.embedded``), else from trafilatura.

    ``titles`` are the page's own statements of its headline (JSON-LD, og:title, <title>): a
    guessed body that opens with the headline has it dropped (it is the title, not the text).
    """
    selectors = selectors or page_rules(tree, rules)
    unwrap_unknown_elements(tree)
    for node in dropped(tree, selectors):
        remove_node(node)
    drop_hidden_labels(tree)
    unlink_table_of_contents(tree)
    container = _body_container(tree, selectors.body)
    pattern = compile_patterns(rules.boilerplate_patterns)
    _prune_furniture_names(tree if container is None else container)
    declared = container
    if declared is None and embedded is not None and embedded.html.strip():
        declared = fragment_fromstring(embedded.html, create_parent="div")
        # a story's own "You may also like" paragraphs: links to other stories of the site
        _drop_teasers(declared, url, ("p", "li"), ("a", "href"), ("ul", "ol"))
    if declared is not None:
        fragment = container_fragment(declared, url, pattern, images=rules.body_images)
    else:
        wrap_loose_text(tree)
        fragment = _trafilatura_fragment(tree, url, rules, pattern, titles)
    html = sanitize_html(_trimmed(fragment)).strip()
    text, link_chars = _text_and_link_chars(html)
    if not text:
        return Body("", "")
    return Body(html, text, link_chars, container is not None, declared is not container)


def _trafilatura_fragment(
    tree: HtmlElement,
    url: str,
    rules: ExtractionRules,
    pattern: re.Pattern[str],
    titles: Iterable[str | None] = (),
) -> str:
    options = {
        **TRAFILATURA_OPTIONS,
        "include_images": rules.body_images,
        "config": TRAFILATURA_CONFIG,
    }
    _join_body_chunks(tree)
    _drop_nested_articles(tree, url)
    document = bare_extraction(tree, url=url, **options)
    if not isinstance(document, Document) or document.body is None:
        return ""
    drop_boilerplate(document.body, pattern, TRAFILATURA_XML)
    _drop_leading_title(document.body, titles)
    _drop_teasers(document.body, url)
    return _to_html_fragment(document.body, url)


def _drop_teasers(
    body: etree._Element,
    url: str,
    blocks: tuple[str, ...] = ("p", "item"),
    link: tuple[str, str] = ("ref", "target"),
    lists: tuple[str, ...] = ("list",),
) -> None:
    """Paragraphs and list items that are nothing but a link to another page of the same site
    are teasers for other articles ("Read the latest on ...", "You may also like" lists), not
    text. What stays: a linked sentence (it ends with a full stop), a reference (``[1] ...``),
    a link to another site (a source, a product, a tweet) and a link back to the article itself
    (the "source: this post" line a blog puts under its text)."""
    page = _link_key(url, url)
    link_tag, href = link
    for node in list(body.iter(*blocks)):
        text = " ".join("".join(node.itertext()).split())
        if not text or len(text) > TEASER_MAX_CHARS or text.endswith((".", "。")) or text[0] == "[":
            continue
        refs = list(node.iter(link_tag))
        linked = " ".join("".join(piece for ref in refs for piece in ref.itertext()).split())
        if linked != text:
            continue
        targets = {_link_key(ref.get(href) or "", url) for ref in refs}
        if {host for host, _ in targets} == {page[0]} and page not in targets:
            parent = node.getparent()
            remove_node(node)
            if parent is not None and parent.tag in lists and not _has_text(parent):
                remove_node(parent)  # a list of teasers leaves nothing behind


def _link_key(href: str, base: str) -> tuple[str, str]:
    """(host without www., path and query) of a link, resolved against the page's URL."""
    parts = urlsplit(urljoin(base, href))
    path = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return (parts.hostname or "").removeprefix("www."), path


def _join_body_chunks(tree: HtmlElement) -> None:
    """An article body that the CMS split into chunks (``article__body`` blocks with ads
    between them) becomes one block: trafilatura reads only the first element that its body
    XPaths find, and the rest of the article would be lost. A chunk is an element of the same
    tag, class and id as the first, near it (a common ancestor at most ``CHUNK_LEVELS`` up) and in
    the same ``<article>``: the next article of an endless-scroll page stays out."""
    for expr in BODY_XPATH:
        found = [node for node in expr(tree) if isinstance(node, HtmlElement)]
        if not found:
            continue
        first = found[0]
        key = (first.tag, first.get("class"), first.get("id"))
        article = next(first.iterancestors("article"), None)
        near = set(list(first.iterancestors())[:CHUNK_LEVELS])
        for other in found[1:]:
            ancestors = list(other.iterancestors())
            if (
                (other.tag, other.get("class"), other.get("id")) == key
                and first not in ancestors
                and next(other.iterancestors("article"), None) is article
                and near.intersection(ancestors)
            ):
                first.extend(list(other))
        return


def _drop_nested_articles(tree: HtmlElement, url: str) -> None:
    """``<article>`` elements nested in the page's article are other posts' cards when there
    are several, most of them link to another page of the site, and the outer article has text
    of its own. Nested articles without such links are the writer's own sections (some editors
    wrap paragraphs in ``<article>``), and a single one may be the article itself."""
    page = _link_key(url, url)
    for outer in tree.xpath("//article[not(ancestor::article)]"):
        inner = outer.xpath(".//article[count(ancestor::article) = 1]")
        cards = [node for node in inner if _links_elsewhere_on_site(node, url, page)]
        if len(inner) < 2 or len(cards) * 2 <= len(inner):
            continue
        own_chars = len(outer.text_content()) - sum(len(node.text_content()) for node in inner)
        if own_chars >= NESTED_ARTICLE_MIN_OWN_CHARS:
            for node in inner:
                remove_node(node)


def _links_elsewhere_on_site(node: HtmlElement, url: str, page: tuple[str, str]) -> bool:
    for link in node.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        key = _link_key(href, url)
        if key[0] == page[0] and key != page:
            return True
    return False


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


_TITLE_SCAN = 4  # blocks at the top of a body where the page's headline may sit
_LABEL_CHARS = 40  # a category label or date line above it


def _drop_leading_title(body: etree._Element, titles: Iterable[str | None]) -> None:
    """The page's headline (an ``<h1>`` saying what the title says) at the top of a guessed
    body goes, with the short labels above it (category, date): the article has it as its
    title. It matches a title when its words are the title's words, or the start of a title
    that goes on with the site's name (``Headline | Site``). Lower headings stay: a blog post
    may open by repeating its title as a section heading."""
    wanted = [words for title in titles if (words := _words(title or ""))]
    if not wanted or (body.text or "").strip():
        return
    leading: list[etree._Element] = []
    for block in list(body)[:_TITLE_SCAN]:
        text = "".join(block.itertext())
        if block.tag == "head" and block.get("rend") == "h1":
            heading = _words(text)
            if len(heading.split()) >= 2 and any(
                title == heading or title.startswith(heading + " ") for title in wanted
            ):
                for node in (*leading, block):
                    remove_node(node)
            return
        if len(" ".join(text.split())) > _LABEL_CHARS:
            return
        leading.append(block)


def _has_text(node: etree._Element) -> bool:
    return bool("".join(node.itertext()).strip())


def _prune_furniture_names(root: HtmlElement) -> None:
    """Elements named like furniture (share, related, ads, ...) holding little text, inside
    ``root`` (the article container when there is one: never it or what holds it)."""
    for node in root.xpath(".//*[@class or @id]"):
        if node.tag in ("html", "body", "article", "main") or node.getparent() is None:
            continue
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if is_furniture_name(names) and len(node.text_content()) <= FURNITURE_MAX_CHARS:
            remove_node(node)


def _body_container(tree: HtmlElement, body: tuple[str, ...]) -> HtmlElement | None:
    """The platform's body wrapper, when the page has one with text in it."""
    for xpath in body:
        for found in select(tree, xpath):
            if isinstance(found, HtmlElement) and found.text_content().strip():
                return found
    return None


def _to_html_fragment(body: etree._Element, url: str) -> str:
    for graphic in body.iter("graphic"):
        # trafilatura sometimes leaves the text that follows an image inside <graphic>
        if graphic.text:
            graphic.tail = graphic.text + (graphic.tail or "")
            graphic.text = None
    converted = convert_to_html(body)
    inner = converted.find("body") if converted.tag == "html" else converted
    container = inner if inner is not None else converted
    parts = [container.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in container)
    fragment = fragment_fromstring("".join(parts), create_parent="div")
    fragment.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
    for div in list(fragment.iter("div", "section", "span")):
        if div is not fragment:
            div.drop_tag()  # layout wrappers carry nothing once attributes are sanitised away
    for paragraph in list(fragment.iter("p")):
        if not paragraph.text_content().strip() and not len(paragraph):
            paragraph.drop_tag()  # editor spacers (<p>&nbsp;</p>)
    html: str = tostring(fragment, encoding="unicode", method="html")
    return html[len("<div>") : -len("</div>")] if html.startswith("<div>") else html


def _trimmed(fragment: str) -> str:
    """The fragment without the labels, reporter boxes and notices at its edges."""
    if not fragment.strip():
        return fragment
    root = fragment_fromstring(fragment, create_parent="div")
    trim_edges(root)
    html: str = tostring(root, encoding="unicode", method="html")
    return html[len("<div>") : -len("</div>")] if html.startswith("<div>") else html


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block."""
    return _text_and_link_chars(fragment)[0]


def _text_and_link_chars(fragment: str) -> tuple[str, int]:
    """The fragment's text (one line per block) and how much of it sits inside navigation-like
    links (at most ``NAV_LINK_CHARS`` long: a whole linked paragraph is prose)."""
    if not fragment.strip():
        return "", 0
    root = fragment_fromstring(fragment, create_parent="div")
    link_texts = (" ".join(a.text_content().split()) for a in root.iter("a"))
    link_chars = sum(len(text) for text in link_texts if len(text) <= NAV_LINK_CHARS)
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _TEXT_BLOCKS:
            # a line break before and after each block: bare text next to a block stays apart
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + "\n"
            else:
                parent = node.getparent()
                if parent is not None:
                    parent.text = (parent.text or "") + "\n"
            node.tail = "\n" + (node.tail or "")
        elif node.tag in ("td", "th"):
            node.tail = " " + (node.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line), link_chars
