"""One fault layer for every test site: ``Faulty(site, *faults)``.

Each fault picks the requests it breaks with a path filter (``article_pages``, ``paths``,
``everything_but``) and changes the answer or the way it is delivered; the rest of the requests
reach the site unchanged. Faults are checked in order and each sees the answer of the ones after
it (like WSGI middleware), so ``Faulty(site, Hold(pages), Slow(pages, 0.2))`` holds a page, then
lets it take 0.2 s. Attributes the wrapper does not have (``requests_log``, ``add``, ``get``,
``articles``...) are the site's.

The demo outlet's own named faults (``OutletSite(faults=Faults(...))``, ``newsbot demo --fault``)
stay as they are: they are part of the demo command.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urlsplit

from . import Delivery, Response, Site

PathFilter = Callable[[str], bool]

_ARTICLE = re.compile(r"/(\d+)/?")


def article_pages(ids: Iterable[int] | None = None, *, of: Any = None) -> PathFilter:
    """``/<id>`` pages (any query string): of the given ids, of the articles site ``of`` has
    at the time of the request (``of.get(id)``: not an id walk's misses), or of every id."""
    wanted = None if ids is None else set(ids)

    def matches(path: str) -> bool:
        found = _ARTICLE.fullmatch(unquote(urlsplit(path).path))
        if not found:
            return False
        article_id = int(found.group(1))
        if of is not None and of.get(article_id) is None:
            return False
        return wanted is None or article_id in wanted

    return matches


def paths(*patterns: str) -> PathFilter:
    """Paths (without the query string) matching one of the regular expressions in full."""
    compiled = [re.compile(p) for p in patterns]
    return lambda path: any(c.fullmatch(unquote(urlsplit(path).path)) for c in compiled)


def everything_but(keep: PathFilter) -> PathFilter:
    return lambda path: not keep(path)


class Fault:
    """Passes everything through; a fault overrides ``answer`` and/or ``deliver``."""

    def __init__(self, where: PathFilter) -> None:
        self.where = where

    def answer(self, path: str, host: str, site: Site) -> Response:
        return site.respond(path, host)

    def deliver(self, path: str, delivery: Delivery) -> Delivery:
        return delivery


class Faulty:
    """``site`` with ``faults`` applied to the requests their path filters match."""

    def __init__(self, site: Any, *faults: Fault) -> None:
        self.site = site
        self.fault_list = list(faults)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.site, name)

    def respond(self, path: str, host: str) -> Response:
        return _Chain(self.site, [f for f in self.fault_list if f.where(path)]).respond(path, host)

    def delivery(self, path: str) -> Delivery:
        delivery = self.site.delivery(path)
        for fault in reversed(self.fault_list):
            if fault.where(path):
                delivery = fault.deliver(path, delivery)
        return delivery


class _Chain:
    def __init__(self, site: Site, faults: list[Fault]) -> None:
        self.site, self.faults = site, faults

    def respond(self, path: str, host: str) -> Response:
        if not self.faults:
            return self.site.respond(path, host)
        first, rest = self.faults[0], _Chain(self.site, self.faults[1:])
        return first.answer(path, host, rest)

    def delivery(self, path: str) -> Delivery:  # pragma: no cover - never asked
        return self.site.delivery(path)


# -- answers -------------------------------------------------------------------------------------


class Answer(Fault):
    """A fixed answer instead of the page: ``Answer(where, 500)``, an empty 200, binary bytes."""

    def __init__(
        self,
        where: PathFilter,
        status: int = 200,
        body: bytes = b"",
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        super().__init__(where)
        self.status, self.body, self.content_type = status, body, content_type
        self.active = True  # False: the site answers again (the server recovered)

    def answer(self, path: str, host: str, site: Site) -> Response:
        if not self.active:
            return site.respond(path, host)
        return self.status, {"Content-Type": self.content_type}, self.body


class ServerErrors(Fault):
    """Each matching path answers ``statuses`` in turn, then the page (a burst of errors)."""

    def __init__(self, where: PathFilter, statuses: Iterable[int] = (503,)) -> None:
        super().__init__(where)
        self.statuses = list(statuses)
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()

    def answer(self, path: str, host: str, site: Site) -> Response:
        key = urlsplit(path).path.rstrip("/")
        with self._lock:
            count = self._seen[key] = self._seen.get(key, 0) + 1
        if count <= len(self.statuses):
            status = self.statuses[count - 1]
            return status, {"Content-Type": "text/html"}, f"<h1>{status}</h1>".encode()
        return site.respond(path, host)


class NotFound(Answer):
    """404 gaps: the matching pages are missing."""

    def __init__(self, where: PathFilter) -> None:
        super().__init__(where, 404, b"<html><body><h1>404 Not Found</h1></body></html>")


class Charset(Fault):
    """The page's UTF-8 text sent in ``encoding`` (EUC-KR by default) under ``declared``
    (the Content-Type charset the server claims; None: no charset in the header)."""

    def __init__(
        self, where: PathFilter, encoding: str = "euc-kr", declared: str | None = "euc-kr"
    ) -> None:
        super().__init__(where)
        self.encoding, self.declared = encoding, declared

    def answer(self, path: str, host: str, site: Site) -> Response:
        status, headers, body = site.respond(path, host)
        text = body.decode("utf-8").replace('charset="utf-8"', f'charset="{self.encoding}"')
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        headers["Content-Type"] = "text/html" + (
            f"; charset={self.declared}" if self.declared else ""
        )
        return status, headers, text.encode(self.encoding, errors="xmlcharrefreplace")


# -- timing and delivery -------------------------------------------------------------------------


class Slow(Fault):
    """Matching pages take ``delay`` seconds (change it at any time); ``one_at_a_time`` serves
    them one after another, so a crawl's posts appear one by one."""

    def __init__(self, where: PathFilter, delay: float, *, one_at_a_time: bool = False) -> None:
        super().__init__(where)
        self.delay = delay
        self._serial: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if one_at_a_time else contextlib.nullcontext()
        )

    def answer(self, path: str, host: str, site: Site) -> Response:
        with self._serial:
            time.sleep(self.delay)
        return site.respond(path, host)


class Hold(Fault):
    """Matching pages wait until ``release()`` (at most ``timeout`` s), except the first
    ``first_free``; ``requested`` is set by the first held one, ``answered`` counts the held
    pages answered since. ``held=False``: pages pass until ``hold()``."""

    def __init__(
        self, where: PathFilter, *, first_free: int = 0, timeout: float = 25, held: bool = True
    ) -> None:
        super().__init__(where)
        self.timeout = timeout  # below the crawler's DOWNLOAD_TIMEOUT (30 s)
        self.requested = threading.Event()
        self.answered = 0
        self._open = threading.Event()
        self._lock = threading.Lock()
        self.hold(first_free)
        if not held:  # open until hold()
            self.release()

    def hold(self, first_free: int = 0) -> None:
        """From now on, hold every matching page after the next ``first_free``."""
        with self._lock:
            self._free, self._count = first_free, 0
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def answer(self, path: str, host: str, site: Site) -> Response:
        with self._lock:
            self._count += 1
            held = self._count > self._free and not self._open.is_set()
        if held:
            self.requested.set()
            self._open.wait(self.timeout)
            with self._lock:
                self.answered += 1
        return site.respond(path, host)


class Truncated(Fault):
    """Only ``keep`` bytes of the body under a Content-Length for all of it, then the
    connection ends (with a TCP reset when ``reset``); ``times`` per path, None: always."""

    def __init__(
        self, where: PathFilter, keep: int = 2048, *, reset: bool = False, times: int | None = None
    ) -> None:
        super().__init__(where)
        self.keep, self.reset, self.times = keep, reset, times
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()

    def deliver(self, path: str, delivery: Delivery) -> Delivery:
        key = urlsplit(path).path.rstrip("/")
        with self._lock:
            count = self._seen[key] = self._seen.get(key, 0) + 1
        if self.times is not None and count > self.times:
            return delivery
        return replace(delivery, cut_after=self.keep, reset=self.reset)


__all__ = [
    "Answer",
    "Charset",
    "Fault",
    "Faulty",
    "Hold",
    "NotFound",
    "ServerErrors",
    "Slow",
    "Truncated",
    "article_pages",
    "everything_but",
    "paths",
]


class Redirect(Fault):
    """A redirect instead of the page: ``Redirect(paths("/robots.txt"), "/")``; ``to`` may be
    a callable of the request's ``Host`` header (another host of the same server), which
    returns None where the page is served as it is (the redirect's target)."""

    def __init__(
        self, where: PathFilter, to: str | Callable[[str], str | None], status: int = 302
    ) -> None:
        super().__init__(where)
        self.to, self.status = to, status

    def answer(self, path: str, host: str, site: Site) -> Response:
        location = self.to(host) if callable(self.to) else self.to
        if location is None:
            return site.respond(path, host)
        return self.status, {"Location": location, "Content-Length": "0"}, b""
