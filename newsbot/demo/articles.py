"""The sample outlet's data: its articles, the faults it can be told to show, and small helpers
shared by its pages (``newsbot.demo.pages``) and discovery files (``newsbot.demo.indexes``).

Nothing depends on the clock or on randomness: every date comes from the articles.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import struct
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from html import escape, unescape
from importlib import resources
from urllib.parse import quote

KST = timezone(timedelta(hours=9), "KST")
DEFAULT_IMAGE = "/res/images/meta/newsdao_breakingnews.jpg"
NAV_SECTIONS = ("정치", "경제", "사회", "국제", "문화", "IT·과학")
RSS_ITEMS = 20

HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

_ARTICLE_PATH = re.compile(r"^/(\d+)/?$")
_MONTH_SITEMAP = re.compile(r"^/sitemaps/(\d{4})-(\d{2})\.xml$")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

_COMMENTS = (
    ("동네주민", "현장 이야기가 잘 정리되어 있네요. 후속 기사도 부탁드립니다."),
    ("직장인A", "신청 기간이 너무 짧은 것 같아요. 홍보를 더 해 주면 좋겠습니다."),
    ("가을하늘", "숫자로 보니 체감이 됩니다. 좋은 기사 감사합니다."),
    ("민원왕", "정작 필요한 사람은 이런 소식을 모르고 지나가는 경우가 많습니다."),
    ("초보엄마", "주변에도 공유했어요. 자세한 안내 고맙습니다."),
    ("익명의독자", "작년에도 비슷한 발표가 있었는데 달라진 점이 뭔지 궁금하네요."),
)


@dataclass
class SampleArticle:
    id: int
    title: str
    body_html: str
    published: datetime  # timezone-aware
    modified: datetime | None = None
    category: str = "뉴스"
    description: str = ""  # when empty, pages use the first 150 chars of body text
    author: str = ""
    tags: list[str] = field(default_factory=list)
    image: str | None = None  # absolute or site-relative; default DEFAULT_IMAGE

    @property
    def summary(self) -> str:
        return self.description or body_text(self.body_html)[:150]


@dataclass
class Faults:
    # Password-protected post pages (200, a password form, no body).
    protected_ids: set[int] = field(default_factory=set)
    # Notice pages: title "[공지] …", short text, still at /<id>.
    notice_ids: set[int] = field(default_factory=set)
    # Served encoded EUC-KR: header "text/html; charset=EUC-KR" and <meta charset="euc-kr">.
    euc_kr_ids: set[int] = field(default_factory=set)
    # id -> how many times to answer 503 before serving it normally (per-id counter).
    flaky_ids: dict[int, int] = field(default_factory=dict)
    # Status 200 but an error page ("페이지를 찾을 수 없습니다").
    soft_error_ids: set[int] = field(default_factory=set)
    # Always 500.
    server_error_ids: set[int] = field(default_factory=set)
    # Listing pages/home also link each article as /<id>?ref=home, /<id>/ and /<id>#comments.
    duplicate_links: bool = False
    # --- faults of a misbehaving server (``newsbot.demo.faults`` names each of them) ---
    # Bytes in CP949 (EUC-KR's superset) but the header says UTF-8; the page's
    # <meta charset="euc-kr"> tells the truth.
    mislabeled_charset_ids: set[int] = field(default_factory=set)
    # The same without any <meta charset>: only detection can tell.
    undeclared_charset_ids: set[int] = field(default_factory=set)
    # id -> statuses answered in turn (a burst of 500/502/503) before the page is served.
    error_bursts: dict[int, list[int]] = field(default_factory=dict)
    # id -> how many times to answer 429 Too Many Requests (with Retry-After) first.
    rate_limited_ids: dict[int, int] = field(default_factory=dict)
    # id -> seconds to wait before answering (slower than the crawler's DOWNLOAD_TIMEOUT).
    slow_ids: dict[int, float] = field(default_factory=dict)
    # id -> how many times the connection is reset (TCP RST) halfway through the body.
    reset_ids: dict[int, int] = field(default_factory=dict)
    # id -> how many times half the body is sent under a Content-Length for all of it.
    truncated_ids: dict[int, int] = field(default_factory=dict)
    # Redirect in a loop: /<id> -> /<id>?loop=1 -> /<id>?loop=2 -> /<id>?loop=1 ...
    redirect_loop_ids: set[int] = field(default_factory=set)
    # id -> another host name (same port) that /<id> redirects to.
    offsite_redirects: dict[int, str] = field(default_factory=dict)
    # Binary bytes served as text/html.
    binary_ids: set[int] = field(default_factory=set)
    # Content-Encoding: gzip, expanding to ``bomb_bytes`` of zeros.
    gzip_bomb_ids: set[int] = field(default_factory=set)
    bomb_bytes: int = 256 * 1024 * 1024
    # The article page padded to ``oversize_bytes`` (Content-Length announced up front).
    oversize_ids: set[int] = field(default_factory=set)
    oversize_bytes: int = 80 * 1024 * 1024
    # /sitemap.xml (and the month sitemaps) and /rss answer malformed XML.
    broken_sitemap: bool = False
    broken_feed: bool = False
    # Every article's body cut to its opening words and a subscribers-only notice (a paywall
    # or a redesign that serves teasers): about 250 characters of text.
    teasers: bool = False
    # Deleted articles answering 410 Gone (a removed article answers 404).
    gone_ids: set[int] = field(default_factory=set)
    # Articles edited after publication: a correction paragraph and a modified date.
    changed_ids: set[int] = field(default_factory=set)


Response = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Delivery:
    """How the server sends a response (faults below HTTP): the default is a normal answer."""

    delay: float = 0.0  # seconds before the status line
    cut_after: int | None = None  # send only this many body bytes, then end the connection
    reset: bool = False  # end it with a TCP reset (RST) instead of a normal close
    padding: int = 0  # filler bytes streamed after the body (counted in Content-Length)


def body_text(body_html: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", body_html))).strip()


def _kst(dt: datetime) -> datetime:
    return dt.astimezone(KST)


def _iso(dt: datetime) -> str:
    return _kst(dt).isoformat()


def _dot(dt: datetime) -> str:
    return _kst(dt).strftime("%Y.%m.%d %H:%M")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _section_href(name: str) -> str:
    return "/section/" + quote(name, safe="")


def _tag_href(tag: str) -> str:
    return "/tag/" + quote(tag, safe="")


def _page_href(base: str, page: int) -> str:
    return base if page == 1 else f"{base}?page={page}"


def _image_bytes(route: str) -> bytes:
    """A small valid PNG, different for every path (so downloads can be told apart)."""
    seed = zlib.crc32(route.encode("utf-8"))
    width, height = 4, 3
    rows = b"".join(
        b"\x00" + bytes(((seed >> (8 * (x % 3))) + y) & 0xFF for x in range(width * 3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _binary_bytes(seed: int) -> bytes:
    """Deterministic bytes that are no text in any charset (an image, say, or a crash dump)."""
    return b"".join(zlib.crc32(seed.to_bytes(4, "big") + n.to_bytes(4, "big")).to_bytes(4, "big")
                    for n in range(4096))  # fmt: skip


@functools.cache
def _gzip_bomb(size: int) -> bytes:
    """A gzip body that expands to ``size`` zero bytes (about a thousandth of it on the wire):
    one gzip member of 1 MiB of zeros, repeated (a valid gzip stream, RFC 1952 2.2)."""
    block = 1024 * 1024
    member = gzip.compress(bytes(block), compresslevel=9, mtime=0)
    rest = gzip.compress(bytes(size % block), compresslevel=9, mtime=0) if size % block else b""
    return member * (size // block) + rest


def _malformed_xml(answer: Response) -> Response:
    """The document cut in the middle of a tag, with a stray ampersand and a NUL byte."""
    status, headers, body = answer
    return status, headers, body[: len(body) // 2] + b" & \x00<url><loc>"


def _changed(article: SampleArticle) -> SampleArticle:
    correction = "<p>[정정] 이 기사는 처음 보도 이후 내용이 고쳐졌습니다.</p>"
    modified = article.published + timedelta(days=1)
    return replace(article, body_html=article.body_html + correction, modified=modified)


def _parse_sample(data: dict[str, object]) -> SampleArticle:
    modified = data.get("modified")
    tags = data.get("tags") or []
    image = data.get("image")
    return SampleArticle(
        id=int(str(data["id"])),
        title=str(data["title"]),
        body_html=str(data["body_html"]),
        published=datetime.fromisoformat(str(data["published"])),
        modified=datetime.fromisoformat(str(modified)) if modified else None,
        category=str(data.get("category") or "뉴스"),
        description=str(data.get("description") or ""),
        author=str(data.get("author") or ""),
        tags=[str(t) for t in tags] if isinstance(tags, list) else [],
        image=str(image) if image else None,
    )


def load_samples() -> list[SampleArticle]:
    """The bundled sample articles (``newsbot/demo/samples/*.json``), newest first."""
    folder = resources.files("newsbot.demo").joinpath("samples")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found.append(_parse_sample(json.loads(entry.read_text(encoding="utf-8"))))
    return sorted(found, key=lambda a: a.id, reverse=True)
