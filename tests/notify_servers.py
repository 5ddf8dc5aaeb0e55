"""Real receivers on 127.0.0.1 for Apprise's notifications: an HTTP endpoint for ``json://``
and an SMTP server (aiosmtpd) for ``mailto://``."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


class _JsonHandler(BaseHTTPRequestHandler):
    server: _JsonServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _JsonServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _JsonHandler)
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()


@contextmanager
def json_endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """``(apprise_url, received)``: every JSON body Apprise posts lands in ``received``."""
    server = _JsonServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_address[1]}/hook", server.received
    finally:
        server.shutdown()
        server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[str, list[EmailMessage]]]:
    """``(apprise_mailto_url, messages)``: a real SMTP server (aiosmtpd) on 127.0.0.1."""
    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        url = f"mailto://127.0.0.1:{port}?mode=insecure&from=newsbot@example.com&to=ops@example.com"
        yield url, mailbox.messages
    finally:
        controller.stop()
