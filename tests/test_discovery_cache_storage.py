"""The discovery cache survives months of unattended runs: an entry a killed run left half
written is a cache miss (asked again unconditionally), never a crash or a stale page kept
forever; an entry not used for a while is pruned, an entry in use never.

The real ``newsbot`` command against a Tistory blog served like nginx serves files
(``tests/sites/conditional.py``), and the storage on its own for the interrupted writes.
"""

from __future__ import annotations

import contextlib
import gzip
import os
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path
from time import time
from typing import Any

import pytest
from scrapy import Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Request, Response
from scrapy.utils.request import RequestFingerprinter
from scrapy.utils.test import get_crawler

from newsbot import exitcodes
from newsbot.demo.outlet import load_samples
from newsbot.downloadermiddlewares.discovery_cache_storage import (
    PRUNE_STAMP,
    DiscoveryCacheStorage,
)
from tests.in_process import crawl
from tests.sites.conditional import ConditionalSite, serve_conditional
from tests.sites.shown_in import ShownIn
from tests.test_polite_steady_state import PROTECTED, first_run

DAY = 24 * 3600.0


@pytest.fixture
def outlet() -> Iterator[tuple[ConditionalSite, str]]:
    served = ConditionalSite(ShownIn(load_samples(), [PROTECTED]))
    with serve_conditional(served) as base:
        yield served, base


def entry_folder(output: Path, url: str, outlet: str = "newsdao") -> Path:
    """The cache folder of ``url`` (Scrapy's layout: spider / 2 hex digits / fingerprint)."""
    key = RequestFingerprinter().fingerprint(Request(url)).hex()
    return output / ".newsbot" / "httpcache" / outlet / key[:2] / key


def truncate_every_file(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty_the_body(folder: Path) -> None:
    """A run killed right after opening the body for writing (``open(..., "wb")``)."""
    max(folder.iterdir(), key=lambda path: path.stat().st_size).write_bytes(b"")


def remove_the_body(folder: Path) -> None:
    bodies = [path for path in folder.iterdir() if "body" in path.name]
    max(bodies, key=lambda path: path.stat().st_size).unlink()


@pytest.mark.parametrize("damage", [truncate_every_file, empty_the_body, remove_the_body])
def test_a_damaged_cache_entry_is_asked_again_unconditionally_then_revalidated_again(
    outlet, tmp_path, damage
):
    served, base = outlet
    first_run(served, base, tmp_path)
    folder = entry_folder(tmp_path, f"{base}/sitemap.xml")
    assert folder.is_dir()
    damage(folder)

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert run.stat("newsbot/discovery/cache_unreadable") == 1
    assert ("/sitemap.xml", 200) in served.log, served.log  # asked without validators
    assert sorted(served.paths(304)) == ["/rss"]
    served.reset()

    run = crawl(base, tmp_path)  # back to the steady state

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert not run.stat("newsbot/discovery/cache_unreadable")
    assert sorted(served.paths(304)) == ["/rss", "/sitemap.xml"]
    assert sum(served.counts().values()) <= 3, served.log


def test_entries_unused_for_a_month_are_pruned_and_entries_in_use_are_kept(outlet, tmp_path):
    served, base = outlet
    first_run(served, base, tmp_path)
    cache = tmp_path / ".newsbot" / "httpcache"
    robots = entry_folder(tmp_path, f"{base}/robots.txt")
    assert robots.is_dir()
    # every entry looks last used 40 days ago; the next run (no prune due) asks its documents
    # again, but for robots.txt, fresh by its Date: used from the cache without a request
    month_ago = time() - 40 * DAY
    for path in cache.rglob("*"):
        os.utime(path, (month_ago, month_ago))
    (cache / PRUNE_STAMP).touch()
    assert crawl(base, tmp_path).code == exitcodes.OK
    assert "/robots.txt" not in served.paths()
    # a listing page no longer walked, and an outlet dropped from the sources file
    unused = [
        entry_folder(tmp_path, f"{base}/category?page=9"),
        entry_folder(tmp_path, "https://gone.example/sitemap.xml", outlet="gone"),
    ]
    for folder in unused:
        _copy_entry(robots, folder, month_ago)
    # the home page, a fallback listing read by the first run only
    unused.append(entry_folder(tmp_path, f"{base}/"))
    assert unused[-1].is_dir()
    yesterday = time() - DAY - 60
    os.utime(cache / PRUNE_STAMP, (yesterday, yesterday))
    served.reset()

    run = crawl(base, tmp_path)

    assert run.code == exitcodes.OK, run.stderr[-2000:]
    assert run.stat("newsbot/discovery/cache_pruned") == len(unused)
    assert not any(folder.exists() for folder in unused)
    assert not (cache / "gone").exists()
    assert robots.is_dir()  # read by the run before: touched
    # nothing in use was lost: the steady state
    assert "/robots.txt" not in served.paths()
    assert sorted(served.paths(304)) == ["/rss", "/sitemap.xml"]
    assert sum(served.counts().values()) <= 3, served.log
    served.reset()

    run = crawl(base, tmp_path)  # once a day at most

    assert not run.stat("newsbot/discovery/cache_pruned")
    assert os.path.getmtime(cache / PRUNE_STAMP) > yesterday + 60


def _copy_entry(source: Path, target: Path, when: float) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
        os.utime(target / path.name, (when, when))


# ---------------------------------------------------------------------- the storage on its own
URL = "https://example.com/sitemap.xml"
OLD = (b'"v1"', b"<urlset>" + b"<url>one</url>" * 200 + b"</urlset>")
NEW = (b'"v2"', b"<urlset>" + b"<url>two</url>" * 300 + b"</urlset>")


def open_storage(folder: Path) -> tuple[DiscoveryCacheStorage, Spider]:
    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(folder), "HTTPCACHE_GZIP": True})
    spider = Spider.from_crawler(crawler, name="outlet")
    storage = DiscoveryCacheStorage(crawler.settings)
    storage.open_spider(spider)
    return storage, spider


def store(storage: DiscoveryCacheStorage, spider: Spider, version: tuple[bytes, bytes]) -> None:
    etag, body = version
    response = Response(URL, status=200, headers={"ETag": etag}, body=body)
    storage.store_response(spider, Request(URL), response)


def retrieve(storage: DiscoveryCacheStorage, spider: Spider) -> tuple[bytes, bytes] | None:
    response = storage.retrieve_response(spider, Request(URL))
    return None if response is None else (response.headers[b"ETag"], response.body)


def test_a_write_killed_at_any_point_leaves_the_old_entry_or_the_new_one_never_a_mix(
    tmp_path, monkeypatch
):
    write = gzip.GzipFile.write
    for kill_at in range(1, 9):  # every file write of a store, and past them
        storage, spider = open_storage(tmp_path / str(kill_at))
        store(storage, spider, OLD)
        calls = 0

        def killed(self: gzip.GzipFile, data: Any, kill_at: int = kill_at) -> int:
            nonlocal calls
            calls += 1
            if calls == kill_at:
                write(self, bytes(data)[: len(data) // 2])
                self.flush()
                raise KeyboardInterrupt  # the run is stopped there
            return write(self, data)

        monkeypatch.setattr(gzip.GzipFile, "write", killed)
        with contextlib.suppress(KeyboardInterrupt):
            store(storage, spider, NEW)
        monkeypatch.setattr(gzip.GzipFile, "write", write)

        assert retrieve(storage, spider) in (OLD, NEW), kill_at
        assert retrieve(open_storage(tmp_path / str(kill_at))[0], spider) in (OLD, NEW)


def test_a_304_rewrites_the_entry_but_not_the_body(tmp_path, monkeypatch):
    storage, spider = open_storage(tmp_path)
    store(storage, spider, OLD)
    folder = Path(storage._get_request_path(spider, Request(URL)))
    (body,) = folder.glob("body-*")
    before = body.stat()
    written: list[int] = []
    write = gzip.GzipFile.write
    monkeypatch.setattr(
        gzip.GzipFile, "write", lambda self, data: written.append(len(data)) or write(self, data)
    )

    store(storage, spider, (b'"v1-revalidated"', OLD[1]))  # the freshened cached response

    assert len(written) == 1  # the entry alone
    assert body.stat().st_ino == before.st_ino and body.stat().st_mtime_ns == before.st_mtime_ns
    assert retrieve(storage, spider) == (b'"v1-revalidated"', OLD[1])
    assert sorted(path.name for path in folder.iterdir()) == sorted(["entry", body.name])


def test_a_revalidated_entry_does_not_gain_a_cached_flag_per_run(tmp_path):
    """Scrapy's storage keeps the flags of the response it stores; the middleware adds "cached"
    to a response read from the cache and a 304 stores that response: one more flag a run."""
    storage, spider = open_storage(tmp_path)
    store(storage, spider, OLD)
    for _ in range(3):  # three runs answered 304
        response = storage.retrieve_response(spider, Request(URL))
        assert response is not None
        assert response.flags == []
        response.flags.append("cached")  # as HttpCacheMiddleware does
        storage.store_response(spider, Request(URL), response)


def test_an_entry_of_scrapys_own_layout_is_read_then_replaced(tmp_path):
    settings = get_crawler(
        Spider, {"HTTPCACHE_DIR": str(tmp_path), "HTTPCACHE_GZIP": True}
    ).settings
    storage, spider = open_storage(tmp_path)
    scrapy_storage = FilesystemCacheStorage(settings)
    scrapy_storage.open_spider(spider)
    etag, body = OLD
    scrapy_storage.store_response(
        spider, Request(URL), Response(URL, headers={"ETag": etag}, body=body)
    )

    assert retrieve(storage, spider) == OLD
    store(storage, spider, NEW)
    folder = Path(storage._get_request_path(spider, Request(URL)))
    assert {path.name for path in folder.iterdir()} == {
        "entry",
        f"body-{sha256(NEW[1]).hexdigest()}",
    }
    assert retrieve(storage, spider) == NEW


def test_a_prune_spares_entries_read_recently_and_runs_once_a_day(tmp_path):
    storage, spider = open_storage(tmp_path)
    store(storage, spider, OLD)
    folder = Path(storage._get_request_path(spider, Request(URL)))
    old = time() - 31 * DAY
    for path in folder.iterdir():
        os.utime(path, (old, old))
    (folder / ".newsbot-tmp-killed.part").write_bytes(b"half")
    os.utime(folder / ".newsbot-tmp-killed.part", (old, old))

    assert retrieve(storage, spider) == OLD  # a use: touched
    now = time() + DAY + 1  # the prune of open_spider was less than a day ago
    assert storage.prune(now) == 0
    assert folder.is_dir() and not (folder / ".newsbot-tmp-killed.part").exists()

    for path in folder.iterdir():
        os.utime(path, (old, old))
    assert storage.prune(now + 3600) == 0  # pruned less than a day ago
    assert storage.prune(now + DAY + 1) == 1
    assert not (tmp_path / "outlet").exists()
    storage.max_unused_days = 0
    assert storage.prune(now + 3 * DAY) == 0  # off
