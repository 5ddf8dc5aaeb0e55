"""Serve an ``OutletSite`` over HTTP with the standard library.

``serve()`` runs a ``ThreadingHTTPServer`` in a daemon thread for tests and ``newsbot demo``;
``python -m newsbot.demo.server --port 8000`` serves the bundled samples for a manual look.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsbot.demo.outlet import OutletSite, load_samples


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: OutletSite) -> None:
        self.site = site
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _OutletServer
    server_version = "NewsdaoDemo/1.0"
    sys_version = ""

    def _answer(self, *, send_body: bool) -> None:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        status, headers, body = self.server.site.respond(self.path, host)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are recorded in ``site.requests_log`` instead."""


@contextmanager
def serve(site: OutletSite, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``site`` in a background thread; yields the base URL, shuts down on exit."""
    server = _OutletServer((host, port), site)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},  # a quick shutdown() keeps test suites fast
        name="newsbot-demo-outlet",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_forever(site: OutletSite, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``site`` in the foreground until interrupted (Ctrl-C)."""
    with _OutletServer((host, port), site) as server:
        print(f"serving {site.site_name} at http://{host}:{server.server_address[1]}/", flush=True)
        with suppress(KeyboardInterrupt):
            server.serve_forever()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsbot.demo.server", description="Serve the bundled sample outlet."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--page-size", type=int, default=10, help="articles per listing page")
    args = parser.parse_args(argv)
    serve_forever(OutletSite(load_samples(), page_size=args.page_size), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
