"""Which URLs of a site are its articles: infer the article URL pattern from a few URLs.

Article URLs of one outlet share a shape: the same number of path segments, the same constant
words (``/articles/``, ``/news/``) and one distinguishing part (a number, a dated slug, a query
id). Listing, tag, category and page URLs have another shape or carry listing words. URLs are
grouped by shape, each group is ranked (how many URLs, where they were found, whether its
distinguishing part looks like an article id) and gets a pattern in the sources file's terms: a
regex on ``path[?query]`` with a named group ``id``, the canonical URL template, and whether the
ids are rising numbers that an id walk can follow. Pure functions: no network.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from urllib.parse import parse_qsl, unquote, urlsplit

# Path words of pages that are not articles (a listing, a tag, the site's own pages).
LISTING_WORDS = frozenset(
    {
        "about", "archive", "archives", "assets", "atom", "author", "authors", "categories",
        "category", "contact", "css", "feed", "feeds", "guestbook", "images", "img", "js",
        "label", "list", "login", "member", "members", "page", "pages", "privacy", "register",
        "rss", "search", "section", "sections", "series", "signup", "sitemap", "static",
        "subscribe", "tag", "tags", "terms", "topic", "topics", "user", "users", "wp-admin",
        "wp-content", "wp-includes", "wp-json",
    }
)  # fmt: skip
# Query keys of listings and searches (``?p=123`` is WordPress's article id: not one of them).
LISTING_QUERY_KEYS = frozenset(
    {"page", "paged", "pg", "pageno", "page_no", "cat", "category", "tag", "s", "q", "search",
     "sort", "section", "sca", "offset", "start"}
)  # fmt: skip
TRACKING_KEYS = frozenset({"ref", "from", "fbclid", "gclid", "src", "share", "amp"})
SOURCE_WEIGHTS = {"feed": 3.0, "sitemap": 2.0, "listing": 1.0}
ID_WALK_MAX_GAP = 10  # NEWSBOT_ID_WALK_MISSES: a walk gives up after this many missing ids

_DIGITS = re.compile(r"^\d+$")
_DIGITS_EXT = re.compile(r"^\d+(\.[A-Za-z0-9]{2,5})$")
_SLUG = re.compile(r"[^\W_][-_][^\W_]")
_EXT = re.compile(r"\.[A-Za-z0-9]{2,5}$")


@dataclass(frozen=True)
class ArticlePattern:
    """An article URL pattern in the sources file's terms."""

    pattern: str  # regex on "path[?query]" with a named group ``id``
    canonical: str  # canonical URL template: ``{base}`` and ``{id}``
    numeric: bool  # the ids are numbers
    id_walk: bool  # ...that rise closely enough for the upward id walk

    def match(self, url: str) -> str | None:
        """The id of ``url`` (any host) if it is an article URL, else None."""
        parts = urlsplit(url)
        target = parts.path or "/"
        found = re.search(self.pattern, target)
        if not found and parts.query:
            found = re.search(self.pattern, f"{target}?{parts.query}")
        return found.group("id") if found else None


@dataclass(frozen=True)
class UrlGroup:
    """URLs of one shape and the pattern that describes them."""

    urls: tuple[str, ...]
    pattern: ArticlePattern
    score: float
    listing_words: tuple[str, ...]  # listing words in its constant parts (why it ranks low)


@dataclass(frozen=True)
class _Parsed:
    url: str
    segments: tuple[str, ...]
    query: tuple[tuple[str, str], ...]
    trailing_slash: bool

    @property
    def shape(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(_kind(s) for s in self.segments), tuple(sorted({k for k, _ in self.query}))


def _parse(url: str) -> _Parsed:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = tuple(s for s in path.split("/") if s)
    query = tuple(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_KEYS and not k.lower().startswith("utm_")
    )
    return _Parsed(url, segments, query, path.endswith("/") and bool(segments))


def _kind(segment: str) -> str:
    if _DIGITS.match(segment):
        return "num"
    ext = _DIGITS_EXT.match(segment)
    if ext:
        return "num" + ext.group(1).lower()
    if _SLUG.search(unquote(_EXT.sub("", segment))):
        return "slug"
    return "word"


def rank_groups(
    sources: Mapping[str, Iterable[str]], not_articles: Iterable[str] = ()
) -> list[UrlGroup]:
    """Article pattern candidates, best first.

    ``sources`` maps where URLs were found (``feed``, ``sitemap``, ``listing``) to the URLs of
    the site found there (one host; other hosts are the caller's to drop). ``not_articles`` are
    URLs known not to be articles (the listing pages themselves, pagination links): a pattern
    matching one of them ranks last.
    """
    weights: dict[str, float] = {}
    for source, urls in sources.items():
        for url in urls:
            key = url.split("#", 1)[0]
            weights[key] = max(weights.get(key, 0.0), SOURCE_WEIGHTS.get(source, 1.0))
    negatives = {u.split("#", 1)[0] for u in not_articles} - set(weights)
    by_shape: dict[object, list[_Parsed]] = defaultdict(list)
    for url in weights:
        parsed = _parse(url)
        if parsed.segments or parsed.query:  # the home page is never an article
            by_shape[parsed.shape].append(parsed)
    groups = []
    for members in by_shape.values():
        group = _group(members, weights)
        if group is None:
            continue
        if any(group.pattern.match(url) is not None for url in negatives):
            group = UrlGroup(group.urls, group.pattern, group.score * 0.01, group.listing_words)
        groups.append(group)
    return sorted(groups, key=lambda g: (-g.score, g.pattern.pattern))


def infer_pattern(
    sources: Mapping[str, Iterable[str]], not_articles: Iterable[str] = ()
) -> ArticlePattern | None:
    """The best-ranked article pattern, or None when no two URLs share an article-like shape."""
    groups = rank_groups(sources, not_articles)
    return groups[0].pattern if groups else None


def _group(members: list[_Parsed], weights: Mapping[str, float]) -> UrlGroup | None:
    if len(members) < 2:
        return None  # one URL shows no distinguishing part
    pattern = _path_pattern(members) or _query_pattern(members)
    if pattern is None:
        return None
    words = tuple(
        sorted({s.lower() for m in members for s in m.segments if s.lower() in LISTING_WORDS})
    )
    worded = sum(any(s.lower() in LISTING_WORDS for s in m.segments) for m in members)
    score = sum(weights[m.url] for m in members)
    if worded * 2 > len(members):
        score *= 0.1
    if any(k.lower() in LISTING_QUERY_KEYS for k, _ in members[0].query):
        score *= 0.1
    last_kind = _last_variable_kind(members)
    if last_kind == "word":
        score *= 0.3  # single words: sections and categories more often than articles
    urls = tuple(sorted(m.url for m in members))
    return UrlGroup(urls, pattern, score, words)


def _last_variable_kind(members: list[_Parsed]) -> str:
    """The kind of the last part that differs between the URLs (a query id counts as num)."""
    kinds = members[0].shape[0]
    for i in range(len(kinds) - 1, -1, -1):
        if len({m.segments[i] for m in members}) > 1:
            return kinds[i]
    return "num"


def _path_pattern(members: list[_Parsed]) -> ArticlePattern | None:
    count = len(members[0].segments)
    columns = [[m.segments[i] for m in members] for i in range(count)]
    # A number in a path is data even when the URLs at hand share it (a year, a month).
    variable = [
        i
        for i, values in enumerate(columns)
        if len(set(values)) > 1 or all(_DIGITS.match(v) for v in values)
    ]
    if not variable:
        return None
    first, last = variable[0], variable[-1]
    prefix = columns[:first]
    suffix = columns[last + 1 :]
    span = [
        _segment_regex(values) if i in variable else re.escape(values[0])
        for i, values in enumerate(columns)
        if first <= i <= last
    ]
    head = "".join(re.escape(values[0]) + "/" for values in prefix)
    tail = "".join("/" + re.escape(values[0]) for values in suffix)
    pattern = f"^/{head}(?P<id>{'/'.join(span)}){tail}/?$"
    slash = "/" if sum(m.trailing_slash for m in members) * 2 > len(members) else ""
    canonical = (
        "{base}/"
        + "".join(_template_text(values[0]) + "/" for values in prefix)
        + "{id}"
        + "".join("/" + _template_text(values[0]) for values in suffix)
        + slash
    )
    numeric = first == last and all(_DIGITS.match(v) for v in columns[first])
    ids = [int(v) for v in columns[first]] if numeric else []
    return ArticlePattern(pattern, canonical, numeric, numeric and _dense(ids))


def _query_pattern(members: list[_Parsed]) -> ArticlePattern | None:
    """A constant path with an id in the query string: ``/story.php?id=123``, ``/?p=42``."""
    keys = members[0].shape[1]
    best: tuple[str, list[str]] | None = None
    for key in keys:
        values = [dict(m.query).get(key, "") for m in members]
        distinct = len(set(values)) == len(values) and all(values)
        if distinct and (best is None or all(_DIGITS.match(v) for v in values)):
            best = (key, values)
    if best is None:
        return None
    key, values = best
    path = "/" + "/".join(members[0].segments) + ("/" if members[0].trailing_slash else "")
    numeric = all(_DIGITS.match(v) for v in values)
    id_regex = r"\d+" if numeric else r"[^&#]+"
    pattern = rf"^{re.escape(path)}\?(?:[^#]*&)?{re.escape(key)}=(?P<id>{id_regex})(?:&|$)"
    canonical = "{base}" + _template_text(path) + "?" + _template_text(key) + "={id}"
    ids = [int(v) for v in values] if numeric else []
    return ArticlePattern(pattern, canonical, numeric, numeric and _dense(ids))


def _segment_regex(values: list[str]) -> str:
    kinds = {_kind(v) for v in values}
    if kinds == {"num"}:
        if all(len(v) == 4 and 1900 <= int(v) <= 2199 for v in values):
            return r"\d{4}"  # a year
        if all(len(v) == 2 and 1 <= int(v) <= 31 for v in values):
            return r"\d{2}"  # a month or a day
        return r"\d+"
    if len(kinds) == 1 and next(iter(kinds)).startswith("num."):
        return r"\d+" + re.escape(next(iter(kinds))[3:])
    exts = {found.group(0) if (found := _EXT.search(v)) else "" for v in values}
    ext = exts.pop() if len(exts) == 1 else ""
    if kinds == {"slug"}:
        return r"[^/]*[-_][^/]*" + re.escape(ext)
    return r"[^/]+" + re.escape(ext) if ext else r"[^/]+"


def _template_text(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _dense(ids: list[int]) -> bool:
    """Ids close enough that walking upward past the highest one finds the next articles."""
    ordered = sorted(set(ids))
    if len(ordered) < 2:
        return True
    return median(b - a for a, b in pairwise(ordered)) <= ID_WALK_MAX_GAP
