"""Furniture that frames a news body, on any outlet: screen-reader labels, reporter boxes,
copyright and tip-off lines (issue 19).

Two passes, both generic (no outlet names them):

- ``drop_hidden_labels``, on the page before extraction: elements that only screen readers see
  (the ``blind`` / ``sr-only`` / ``screen_out`` / ``visually-hidden`` classes of Korean and
  Western CSS frameworks, ``aria-hidden`` icons) holding a short label (``기사 본문 영역``,
  ``상세페이지``). A sighted reader never sees them, so they are never article text.
- ``trim_edges``, on the body fragment: blocks at its start or end that are a label, a reporter's
  box or line, a copyright notice or a tip-off line (``기자 정보``, ``홍길동 기자 구독``,
  ``ⓒ … 무단 전재 및 재배포 금지``, ``제보는 카카오톡 …``), removed one by one from each end until
  a block of text stands there. The same words inside the body (a sentence that quotes a
  reporter, a paragraph about copyright) stay: only the edges are trimmed.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newsbot.extraction.html_blocks import remove_node

# Class names that hide an element from sight but not from screen readers (or from everyone).
HIDDEN_CLASSES = frozenset(
    {
        "blind",  # Naver, Daum, most Korean press CSS
        "screen_out",  # Kakao / Daum
        "screen-out",
        "sr-only",  # Bootstrap 3-4
        "sr_only",
        "visually-hidden",  # Bootstrap 5
        "visuallyhidden",  # HTML5 Boilerplate
        "screen-reader-text",  # WordPress
        "show-for-sr",  # Foundation (ND소프트's news CMS)
        "screen-reader-only",
        "element-invisible",  # Drupal
        "a11y",
        "a11y-hidden",
        "hidden",
        "hide",
        "skip",
        "skip-link",
        "skipnav",
        "skip-nav",
        "offscreen",
        "ir",  # image replacement
    }
)
# A hidden element holding more than this is a folded part of the page, not a label.
LABEL_MAX_CHARS = 80
# Blocks longer than this are text, whatever they start with.
EDGE_MAX_CHARS = 220

_NAME = r"[가-힣]{2,4}"
_ROLE = r"(?:기자|특파원|앵커|논설위원|객원기자|선임기자|인턴기자|수습기자|PD|통신원)"
EDGE_PATTERNS: tuple[str, ...] = (
    # screen-reader and layout labels, alone in their block
    r"^\W*(?:기사\s*)?본문(?:\s*(?:영역|시작|내용|끝))?\W*$",
    r"^\W*(?:상세\s*페이지|기사\s*상세|본문\s*바로\s*가기|skip\s+to\s+(?:main\s+)?content)\W*$",
    r"^\W*(?:기사\s*)?(?:듣기|공유하기|글자\s*크기(?:\s*설정)?|인쇄하기|스크랩)\W*$",
    # reporter boxes and lines: the label, "홍길동 기자 (구독) (e-mail)", "기자의 다른 기사"
    r"^\W*(?:기자|작성자)\s*(?:정보|프로필|소개)",
    rf"^\W*{_NAME}\s*{_ROLE}(?![가-힣])[^.。=\n]{{0,60}}$",
    rf"^\W*(?:이\s*)?{_ROLE}의?\s*(?:다른\s*기사|기사\s*더\s*보기|구독|페이지|프로필)",
    r"^\W*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\W*$",
    # the press's copyright and AI-training notices
    r"^\W*(?:copyright|ⓒ|©|\(c\))",
    r"저작권자|무단\s*(?:전재|복제|배포|전송)|재\s*배포\s*금지|all\s+rights\s+reserved",
    r"AI\s*(?:학습|활용)\s*(?:및\s*)?(?:이용|활용)?\s*금지",
    # tip-off and subscription lines
    r"제보(?:는|하기|\s*안내)?\s*[:：]?\s*(?:카카오톡|카톡|이메일|e-?mail|전화|홈페이지|문자)",
    r"^\W*(?:카카오톡|카톡|전화|이메일|e-?mail|홈페이지|문자|팩스|유튜브|홈피)\s*[:：]",
    r"^\W*(?:뉴스\s*)?제보(?:\s*(?:하기|안내|전화))?\W*$",
    r"구독(?:해\s*주세요|하세요|하기)|(?:네이버|카카오|유튜브)에서도?\s*\S+\s*구독",
)
_EDGE = re.compile("|".join(f"(?:{p})" for p in EDGE_PATTERNS), re.IGNORECASE)


# The class and aria-hidden attributes of the page, in document order: their values are judged
# as strings, and only the element of a hiding value is looked at (most elements have a class).
_HIDING_ATTRIBUTES = etree.XPath("//@class | //@aria-hidden")


def drop_hidden_labels(tree: HtmlElement) -> None:
    """Remove the short texts that only screen readers see (see the module's docstring)."""
    for value in _HIDING_ATTRIBUTES(tree):
        if value.attrname == "aria-hidden":
            hidden = value.strip().lower() == "true"
        else:
            hidden = not HIDDEN_CLASSES.isdisjoint(value.split())
        if not hidden:
            continue
        node = value.getparent()  # judged twice when both attributes hide it: the same answer
        if node.getparent() is None or node.tag in ("html", "body"):
            continue
        if len(" ".join(node.text_content().split())) <= LABEL_MAX_CHARS:
            remove_node(node)


def is_edge_furniture(text: str) -> bool:
    """A block's text (whitespace squashed) that is furniture when it opens or closes a body."""
    return bool(text) and len(text) <= EDGE_MAX_CHARS and bool(_EDGE.search(text))


def trim_edges(root: HtmlElement) -> None:
    """Remove furniture blocks from the start and the end of ``root``'s children."""
    for from_end in (False, True):
        while True:
            if not from_end and (root.text or "").strip():
                break  # loose text opens the body
            children = [child for child in root if isinstance(child.tag, str)]
            if not children:
                break
            edge = children[-1] if from_end else children[0]
            if from_end and (edge.tail or "").strip():
                break  # loose text closes the body
            text = " ".join(edge.text_content().split())
            if text and not is_edge_furniture(text):
                break
            if not text and next(edge.iter("img"), None) is not None:
                break  # an image, not furniture
            remove_node(edge)
