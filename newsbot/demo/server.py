"""Serve an ``OutletSite`` over HTTP with the standard library.

``serve()`` runs a ``ThreadingHTTPServer`` in a daemon thread for tests and ``newsbot demo``;
``python -m newsbot.demo.server --port 8000`` serves the bundled samples for a manual look.
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsbot.demo.faults import apply_fault, outlet_faults
from newsbot.demo.outlet import Faults, OutletSite, load_samples

_PADDING = b" " * 65536


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        site: OutletSite,
        handler: type[BaseHTTPRequestHandler] | None = None,
    ) -> None:
        self.site = site
        super().__init__(address, handler or _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _OutletServer
    server_version = "NewsdaoDemo/1.0"
    sys_version = ""
    # Keep-alive, like any real web server: clients reuse one connection for many requests.
    protocol_version = "HTTP/1.1"
    # ... and like one, headers and body leave together: without TCP_NODELAY the body waits
    # for the client's (delayed) ACK of the headers, 40 ms per response on a kept-alive
    # connection, which a client fetching one page at a time pays in full.
    disable_nagle_algorithm = True

    def _answer(self, *, send_body: bool) -> None:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        site = self.server.site
        delivery = site.delivery(self.path)
        status, headers, body = site.respond(self.path, host)
        if delivery.delay:
            time.sleep(delivery.delay)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) + delivery.padding))
            self.end_headers()
            if not send_body:
                return
            self.wfile.write(body[: delivery.cut_after])
            if delivery.cut_after is not None:
                self._hang_up(reset=delivery.reset)
                return
            left = delivery.padding
            while left > 0:
                left -= self.wfile.write(_PADDING[:left])
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
            self.close_connection = True

    def _hang_up(self, *, reset: bool) -> None:
        """End the connection mid-body: a TCP reset, or a close before Content-Length."""
        self.close_connection = True
        if reset:  # SO_LINGER 0: close() sends RST and drops unsent data
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are recorded in ``site.requests_log`` instead."""


@contextmanager
def serve(
    site: OutletSite,
    host: str = "127.0.0.1",
    port: int = 0,
    handler: type[BaseHTTPRequestHandler] | None = None,
) -> Iterator[str]:
    """Serve ``site`` in a background thread; yields the base URL, shuts down on exit.
    ``handler``: a subclass of the server's request handler (tests that answer differently)."""
    server = _OutletServer((host, port), site, handler)
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
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME[=ID]",
        help="break article ID (default: the newest) with a named fault: "
        + ", ".join(outlet_faults()),
    )
    args = parser.parse_args(argv)
    samples = load_samples()
    faults = Faults()
    for spec in args.fault:
        name, _, article_id = spec.partition("=")
        if name not in outlet_faults():
            parser.error(f"unknown fault {name!r}; known: {', '.join(outlet_faults())}")
        apply_fault(faults, name, int(article_id) if article_id else samples[0].id)
    site = OutletSite(samples, page_size=args.page_size, faults=faults)
    serve_forever(site, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
