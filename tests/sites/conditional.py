"""Any test outlet (``OutletSite``, ``TistorySite``) answering like nginx serving files: every
200 carries an ``ETag`` and a ``Last-Modified``, a request whose ``If-None-Match`` (else
``If-Modified-Since``) matches is answered ``304 Not Modified`` without a body, and every request
is counted by path and status.

``ConditionalSite(site)`` wraps the site; ``serve_conditional(wrapped)`` serves it on 127.0.0.1
(``newsbot.demo.server``'s handler, told the request's headers). A page keeps its validators while
its bytes stay the same; ``Last-Modified`` is ``since`` (a month ago) for the pages the site
serves first, and the moment a page's bytes changed afterwards.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from newsbot.demo.server import _Handler, serve

_request = threading.local()  # the headers of the request this server thread answers


class ConditionalSite:
    def __init__(self, site: Any, since: datetime | None = None) -> None:
        self.site = site
        self.since = since or datetime.now(UTC) - timedelta(days=30)
        self.log: list[tuple[str, int]] = []  # (path, status), in order
        self._versions: dict[str, tuple[str, datetime]] = {}  # path -> (etag, last modified)
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # delivery(), get(), faults, ... of the site
        return getattr(self.site, name)

    def respond(self, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = self.site.respond(path, host)
        if status == 200:
            etag, modified = self._version(path, body)
            headers = {**headers, "ETag": etag, "Last-Modified": format_datetime(modified, True)}
            if self._unchanged(getattr(_request, "headers", None), etag, modified):
                status, body = 304, b""
                headers = {k: v for k, v in headers.items() if k != "Content-Type"}
        with self._lock:
            self.log.append((path, status))
        return status, headers, body

    def _version(self, path: str, body: bytes) -> tuple[str, datetime]:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        with self._lock:
            known = self._versions.get(path)
            if known is None or known[0] != etag:
                when = self.since if known is None else datetime.now(UTC)
                known = self._versions[path] = (etag, when.replace(microsecond=0))
        return known

    @staticmethod
    def _unchanged(headers: Any, etag: str, modified: datetime) -> bool:
        if headers is None:
            return False
        if match := headers.get("If-None-Match"):
            return etag in [tag.strip() for tag in match.split(",")]
        if since := headers.get("If-Modified-Since"):
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    # ------------------------------------------------------------------ what the crawler did
    def counts(self) -> Counter[int]:
        """Requests by status since the last :meth:`reset`."""
        return Counter(status for _, status in self.log)

    def paths(self, status: int | None = None) -> list[str]:
        return [path for path, answered in self.log if status is None or answered == status]

    def reset(self) -> None:
        with self._lock:
            self.log.clear()


class _ConditionalHandler(_Handler):
    def _answer(self, *, send_body: bool) -> None:
        _request.headers = self.headers
        try:
            super()._answer(send_body=send_body)
        finally:
            _request.headers = None

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword == "Content-Length" and getattr(self, "_status", 200) == 304:
            return  # nginx: a 304 has no body and says nothing of its length
        super().send_header(keyword, value)


@contextmanager
def serve_conditional(site: ConditionalSite, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``site`` in a background thread, answering as nginx does; yields the base URL."""
    with serve(site, host, handler=_ConditionalHandler) as base:  # type: ignore[arg-type]
        yield base
