"""In-body boilerplate of (Korean) news pages: bylines, copyright notices, related boxes, ads."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from newsbot.extraction.html_blocks import remove_node

# Bullets and brackets that lead related-article lines ("▶ 관련기사", "[관련기사]", "※ 함께 보면").
_BULLET = r"\s*[▶▷►▸■□●○◆◇※☞→>\-\*·\[\(<【]*\s*"
# The label of a "read more" line or box in the languages of the world's news pages, with its
# colon ("Read more: <headline>", "Related: <headline>", "Leggi anche:", "Veja também:").
_READ_MORE = (
    r"^\s*(?:related(?:\s+(?:articles?|stories|news|content|coverage|reading))?"
    r"|(?:read|see|watch)\s+(?:more|also)|also\s+(?:read|see)|more|don'?t\s+miss"
    r"|recommended(?:\s+(?:articles?|stories|reading))?"
    r"|leggi\s+anche|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|(?:voir|lire)\s+aussi"
    r"|(?:leia|veja)\s+tamb[ée]m|(?:lee|ver)\s+tambi[ée]n)\s*[:：]"
)
# The heading of a box of other stories, alone in its block ("You may also like...").
_MORE_STORIES = (
    r"^\W*(?:more\s+(?:[\w']+\s+){0,3}(?:stories|articles|news|reads?|coverage|videos)"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|recommended(?:\s+for\s+you)?"
    r"|most\s+(?:popular|read|viewed|shared)|top\s+stories|trending(?:\s+now)?"
    r"|related\s+(?:stories|articles|posts|content|coverage|news|links|videos))\W*$"
)
# Calls to subscribe or follow: a newsletter or channel sign-up, "Follow us on Twitter".
_FOLLOW_US = (
    r"\b(?:subscrib\w*|sign(?:ing)?\s+up)\b.*\b(?:newsletters?|inbox|youtube)\b"
    r"|\b(?:newsletters?|inbox)\b.*\b(?:subscrib\w*|sign(?:ing)?\s+up)\b"
    r"|\bfollow\s+us\b|^\s*follow\s+[\w .'’-]{2,40}\s+on\s+(?:twitter|facebook|instagram)\b"
)
# A dateline alone in its block ("Published 18 November 2019", "Nov. 19, 2019 / 12:21 AM /
# Updated 14 hours ago"): the article's date, which is metadata, not text.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?"
_DATELINE = (
    r"^\W*(?:(?:published|updated|posted|last\s+updated)\W*(?:on\s+)?)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
    rf"(?:\s*(?:at|,|-|/|\|)?\s*{_TIME})?"
    r"(?:\s*[/|-]?\s*updated\s+\d+\s+(?:minutes?|hours?|days?)\s+ago)?\W*$"
)
# Blocks of at most MAX_BLOCK_CHARS whose text matches one of these are not article text.
MAX_BLOCK_CHARS = 220
PATTERNS: tuple[str, ...] = (
    r"무단\s*전재",
    r"재\s*배포\s*금지",
    r"저작권자\s*[©ⓒ(]",
    r"^\s*(?:copyright|©|ⓒ)",
    r"all rights reserved",
    r"^\s*\[?[^\[\]\n]{0,30}(?:기자|특파원|통신원)\s*\]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
    r"^\s*\[[^\]\n]{0,30}(?:기자|특파원)\s*\]\s*$",
    r"^\s*[가-힣]{2,4}\s*(?:기자|특파원)\s*$",
    r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
    rf"^{_BULLET}(?:관련\s*기사|관련\s*뉴스|함께\s*보면\s*좋은|추천\s*기사|많이\s*본\s*뉴스"
    r"|이\s*시각\s*주요\s*뉴스|기사\s*더\s*보기|다른\s*기사\s*보기)",
    r"^\s*(?:\[?광고\]?|AD|advertisement|sponsored)\s*$",
    # the label of a comment section, tag or category box, alone on its line
    r"^\s*(?:\d+\s+)?(?:comments?|tags?|categor(?:y|ies|ias|ie)|leave\s+a\s+(?:comment|reply)"
    r"|tell\s+us\s+what\s+you\s+think)\W*$",
    r"^\s*기사\s*제보",
    _READ_MORE,
    _MORE_STORIES,
    _FOLLOW_US,
    _DATELINE,
)

# Elements whose class/id words mark them as page furniture; dropped before extraction when
# they hold little text, so a mis-named article container is never dropped.
FURNITURE_WORDS = frozenset(
    {
        "related",
        "relation",
        "recommend",
        "recommended",
        "byline",
        "reporter",
        "copyright",
        "share",
        "sharing",
        "sns",
        "social",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "banner",
        "sponsor",
        "sponsored",
        "popular",
        "newsletter",
        "subscribe",
        "breadcrumb",
        # promotions and calls to action, "latest" and "trending" lists
        "promo",
        "cta",
        "latest",
        "trending",
        # hover cards: what a link shows on mouse-over (a person's bio, their other stories)
        "rollover",
        "tooltip",
        "popover",
        "hovercard",
    }
)
FURNITURE_MAX_CHARS = 600
_WORD_SPLIT = re.compile(r"[\s_\-]+")


RELATED = re.compile(
    rf"^{_BULLET}(?:관련\s*기사|관련\s*뉴스|함께\s*보면\s*좋은|추천\s*기사|related)|{_READ_MORE}|{_MORE_STORIES}",
    re.I,
)


def compile_patterns(extra: Iterable[str] = ()) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in (*PATTERNS, *extra)), re.IGNORECASE | re.M)


def is_boilerplate(text: str, pattern: re.Pattern[str]) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= MAX_BLOCK_CHARS and bool(pattern.search(text))


def is_furniture_name(class_and_id: str) -> bool:
    words = _WORD_SPLIT.split(class_and_id.lower())
    return any(word in FURNITURE_WORDS for word in words)


@dataclass(frozen=True)
class Vocabulary:
    """Tag names of one tree dialect: trafilatura's XML or plain HTML."""

    blocks: tuple[str, ...]  # elements whose whole text may be boilerplate
    headings: tuple[str, ...]  # a "관련기사" line of these may head a list of links
    lists: tuple[str, ...]
    link: str


TRAFILATURA_XML = Vocabulary(
    ("p", "head", "item", "quote", "row", "list"), ("head", "p"), ("list",), "ref"
)
HTML = Vocabulary(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "ul", "ol"),
    ("p", "h1", "h2", "h3", "h4", "h5", "h6"),
    ("ul", "ol"),
    "a",
)


def drop_boilerplate(body: etree._Element, pattern: re.Pattern[str], tags: Vocabulary) -> None:
    """Remove the blocks of ``body`` that are boilerplate (``is_boilerplate``), and the list of
    links that a related-articles line heads."""
    for node in list(body.iter(*tags.blocks)):
        if node.getparent() is None:
            continue
        text = " ".join("".join(node.itertext()).split())
        if is_boilerplate(text, pattern):
            following = node.getnext()
            remove_node(node)
            if (
                following is not None
                and node.tag in tags.headings
                and RELATED.search(text)
                and _is_link_block(following, tags)
            ):
                remove_node(following)


def _is_link_block(node: etree._Element, tags: Vocabulary) -> bool:
    """A list of links, or a paragraph that is nothing but a link (a related-articles box)."""
    refs = list(node.iter(tags.link))
    if not refs:
        return False
    if node.tag in tags.lists:
        return True
    linked = "".join("".join(ref.itertext()) for ref in refs)
    return node.tag == "p" and " ".join(linked.split()) == " ".join(
        "".join(node.itertext()).split()
    )
