"""Helpers for the operator-facing tests: `scrapy crawl` as a subprocess, plain web servers,
and the processes a crawl leaves behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.newsbot_runner import REPO, Run


def scrapy_crawl(*args: str | Path, cwd: Path = REPO, timeout: float = 300) -> Run:
    """``scrapy crawl newsdao ARGS`` from the project root (newsbot's crawl command)."""
    argv = [sys.executable, "-m", "scrapy.cmdline", "crawl", "newsdao", *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(result.returncode, result.stdout, result.stderr, {})


def run_log(output: Path) -> list[dict[str, Any]]:
    path = output / ".newsbot" / "runs.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


class _NotFound(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b"<html><body><h1>404 Not Found</h1></body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def plain_web_server() -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """A plain web server on 127.0.0.1 that answers 404 to everything."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    server.hits = 0  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def descendants_of(pid: int) -> set[int]:
    """Live processes below ``pid``: children, their children, and so on."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        below = set().union(*(children_of(p) for p in frontier)) - found
        found |= below
        frontier = below
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
