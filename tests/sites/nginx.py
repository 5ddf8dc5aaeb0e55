"""A test site written out as static files and served by the real nginx (Debian's ``nginx``), as
many outlets serve their sitemaps and feeds: ``ETag`` and ``Last-Modified`` from the files, 304
to a matching ``If-None-Match`` / ``If-Modified-Since``; every request in nginx's access log.

``write_site`` renders a site's pages through its own ``respond`` (robots.txt, the sitemap, the
feed, the home page, each article); ``NginxServer`` runs nginx in the foreground on a free port
of 127.0.0.1 and reads back what it was asked and what it answered.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CONFIG = """\
daemon off;
master_process off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type text/html;
    log_format asked '$request_uri $status';
    access_log {root}/access.log asked;
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root}/site;
        location = / {{ try_files /index.html =404; }}
        location = /rss {{ default_type application/xml; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_site(site: Any, root: Path, base: str, paths: Iterable[str]) -> None:
    """Each of ``paths`` as ``site`` answers it, one file each (``/`` as ``index.html``); a path
    that answers no 200 is left out (nginx answers 404 for it). Files that did not change keep
    their time, so nginx keeps their validators."""
    host = base.split("://", 1)[1]
    for path in paths:
        status, _, body = site.respond(path, host)
        target = root / ("index.html" if path == "/" else path.lstrip("/"))
        if status != 200:
            target.unlink(missing_ok=True)
            continue
        if target.exists() and target.read_bytes() == body:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


class NginxServer:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.site = root / "site"

    @property
    def log(self) -> list[tuple[str, int]]:
        """(path asked, status answered) of each request since the last ``reset`` (as
        ``ConditionalSite.log``)."""
        try:
            lines = (self.root / "access.log").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [(path, int(code)) for path, code in (line.rsplit(" ", 1) for line in lines)]

    def counts(self) -> Counter[int]:
        return Counter(status for _, status in self.log)

    def paths(self, status: int | None = None) -> list[str]:
        return [path for path, answered in self.log if status is None or answered == status]

    def reset(self) -> None:
        (self.root / "access.log").write_text("", encoding="utf-8")  # nginx appends (O_APPEND)


@contextmanager
def serve_nginx(root: Path) -> Iterator[NginxServer]:
    """nginx serving ``root/site`` until the block ends."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin") or "nginx"
    port = free_port()
    (root / "site").mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(exist_ok=True)
    config = root / "nginx.conf"
    config.write_text(CONFIG.format(root=root, port=port), encoding="utf-8")
    process = subprocess.Popen(
        [nginx, "-p", str(root), "-c", str(config), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"nginx did not start: {error}") from None
                time.sleep(0.05)
        yield NginxServer(root, port)
    finally:
        process.terminate()
        process.communicate(timeout=10)  # reaps it and closes its stderr pipe
