"""The discovery cache's storage: Scrapy's ``FilesystemCacheStorage`` made safe for months of cron
runs that can be killed at any moment.

Scrapy writes an entry's seven files in place, one after the other, and rewrites them all (body
included) on every 304. A run killed mid-write leaves a mix: new validators over an old or empty
body is a page revalidated with 304s, and served empty, for as long as the outlet does not change
it. Here an entry folder (``HTTPCACHE_DIR/SPIDER/xx/FINGERPRINT/``, as Scrapy's) holds:

- ``body-<sha256>``: the response body, named by its digest, written once (a 304 keeps the same
  body: nothing is written but the entry);
- ``entry``: everything else (status, URL, headers, Scrapy's metadata, the body's name and size),
  one pickle, the commit point: written to a temporary file, synced, renamed over the old one.

A reader sees the old entry or the new one; a body is removed only after an entry naming another
one was committed. An entry that cannot be read whole (truncated, bad gzip, missing body, a body
of the wrong size or digest) is a cache miss: logged, counted
(``newsbot/discovery/cache_unreadable``) and removed, so the request goes out without validators.
An entry of Scrapy's own layout (a cache written before this storage) is still read, and replaced
by the next store.

Reading an entry touches it; :meth:`DiscoveryCacheStorage.prune` (at open, at most once a day)
removes the entries no run used for ``max_unused_days`` (listing pages no longer walked, a past
month's sitemap the index dropped, an outlet gone from the sources file) and temporary files a
killed run left.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from time import time

from scrapy import Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.response import response_from_dict
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

from newsbot.state.atomic_write import TEMP_PREFIX

logger = logging.getLogger(__name__)

ENTRY = "entry"
BODY_PREFIX = "body-"
#: Scrapy's metadata file: an entry written before this storage (read, then replaced).
SCRAPY_META = "pickled_meta"
#: In the cache folder: its mtime is the last prune.
PRUNE_STAMP = ".pruned"
DAY = 24 * 3600.0
PRUNE_EVERY = DAY
#: A temporary file older than this was left by a killed run (a write takes milliseconds).
STALE_TEMPORARY = 3600.0
DEFAULT_MAX_UNUSED_DAYS = 30.0
FORMAT = 1


class UnreadableEntry(Exception):
    """An entry that is there but cannot be read whole."""


class DiscoveryCacheStorage(FilesystemCacheStorage):
    """Atomic entries, unreadable entries as misses, unused entries pruned."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        #: Entries no run read or wrote for this many days are pruned (0: never).
        self.max_unused_days = DEFAULT_MAX_UNUSED_DAYS
        self.stats: StatsCollector | None = None

    def open_spider(self, spider: Spider) -> None:
        super().open_spider(spider)
        self.stats = spider.crawler.stats
        self.prune()  # at open: the run's stats (written at close) count what it pruned

    # ------------------------------------------------------------------ reading
    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        folder = Path(self._get_request_path(spider, request))
        try:
            if (folder / ENTRY).exists():
                response = self._read(folder, request)
            elif (folder / SCRAPY_META).exists():
                response = super().retrieve_response(spider, request)
            else:
                return None  # not cached
        except Exception as exc:  # whatever a damaged pickle or gzip raises
            self._unreadable(folder, request, exc)
            return None
        if response is not None:
            self._touch(folder)
        return response

    def _read(self, folder: Path, request: Request) -> Response | None:
        with self._open(folder / ENTRY, "rb") as handle:
            entry = pickle.load(handle)  # our own file, in the state folder
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            raise UnreadableEntry(f"unknown entry format in {folder / ENTRY}")
        if 0 < self.expiration_secs < time() - entry["timestamp"]:
            return None  # expired (the discovery cache's policy leaves expiry to HTTP)
        with self._open(folder / entry["body"], "rb") as handle:
            body = handle.read()
        if len(body) != entry["body_size"] or _body_name(body) != entry["body"]:
            raise UnreadableEntry(f"{folder / entry['body']} is not the body the entry names")
        data = {
            **entry["data"],
            "flags": list(entry["flags"]),
            "url": entry["response_url"],
            "status": entry["status"],
            "headers": headers_raw_to_dict(entry["headers"]),
            "body": body,
        }
        request.meta["cache_timestamp"] = entry["timestamp"]
        return response_from_dict(data)

    def _unreadable(self, folder: Path, request: Request, exc: Exception) -> None:
        logger.info(
            "Discovery cache entry for %s is unreadable (%s: %s): removed, asking again",
            request.url,
            type(exc).__name__,
            exc,
        )
        if self.stats is not None:
            self.stats.inc_value("newsbot/discovery/cache_unreadable")
        shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _touch(folder: Path) -> None:
        """A use: the entry is not pruned (a robots.txt or a settled sitemap is used from the
        cache without a request, so without a store)."""
        for name in (ENTRY, SCRAPY_META):
            with contextlib.suppress(OSError):
                os.utime(folder / name)
                return

    # ------------------------------------------------------------------ writing
    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        folder = Path(self._get_request_path(spider, request))
        body = response.body
        name = _body_name(body)
        entry = {
            "format": FORMAT,
            "url": request.url,
            "method": request.method,
            "status": response.status,
            "response_url": response.url,
            "timestamp": time(),
            "headers": headers_dict_to_raw(response.headers),
            "data": {
                key: value
                for key, value in response.to_dict().items()
                if key not in {"url", "status", "headers", "body", "flags"}
            },
            # the middleware flags a response read from here "cached": a 304 stores that very
            # response back, and Scrapy's storage kept one more "cached" on every revalidation
            "flags": [flag for flag in response.flags if flag != "cached"],
            "body": name,
            "body_size": len(body),
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / name).exists():  # a 304: the same body, already there
                self._write(folder, name, body)
            self._write(folder, ENTRY, pickle.dumps(entry, protocol=4))  # the commit
        except OSError as exc:  # a full disk: the crawl goes on without a cached copy
            logger.warning("Could not store %s in the discovery cache: %s", request.url, exc)
            if self.stats is not None:
                self.stats.inc_value("newsbot/discovery/cache_store_error")
            return
        with contextlib.suppress(OSError):
            for path in folder.iterdir():  # the previous body, Scrapy's files, temporaries
                if path.name not in (ENTRY, name):
                    with contextlib.suppress(OSError):
                        path.unlink()

    def _write(self, folder: Path, name: str, data: bytes) -> None:
        """``data`` under ``folder/name`` whole or not at all: a temporary file, synced (a crash
        must not leave the name on unwritten blocks), renamed over the name."""
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as raw:
                if self.use_gzip:
                    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
                        packed.write(data)
                else:
                    raw.write(data)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(temp, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    # ------------------------------------------------------------------ pruning
    def prune(self, now: float | None = None) -> int:
        """Remove the entries unused for ``max_unused_days`` (every outlet's: one that left the
        sources file never runs again) and stale temporary files; at most once a day. Returns
        how many entries were removed."""
        if self.max_unused_days <= 0:
            return 0
        now = time() if now is None else now
        root = Path(self.cachedir)
        stamp = root / PRUNE_STAMP
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY:
                return 0
        except FileNotFoundError:
            if not root.is_dir():
                return 0
        stamp.touch()
        os.utime(stamp, (now, now))
        oldest_use = now - self.max_unused_days * DAY
        removed = 0
        for outlet in _folders(root):
            for prefix in _folders(outlet):
                for folder in _folders(prefix):
                    if _last_use(folder) < oldest_use:
                        shutil.rmtree(folder, ignore_errors=True)
                        removed += 1
                    else:
                        _remove_stale_temporaries(folder, now)
                with contextlib.suppress(OSError):
                    prefix.rmdir()  # only if empty
            with contextlib.suppress(OSError):
                outlet.rmdir()
        if removed:
            logger.info(
                "Pruned %d discovery cache entries unused for %g days",
                removed,
                self.max_unused_days,
            )
            if self.stats is not None:
                self.stats.inc_value("newsbot/discovery/cache_pruned", removed)
        return removed


def _body_name(body: bytes) -> str:
    return BODY_PREFIX + hashlib.sha256(body).hexdigest()


def _folders(folder: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        return [path for path in folder.iterdir() if path.is_dir() and not path.is_symlink()]
    return []


def _last_use(folder: Path) -> float:
    """When a run last read or wrote the entry: its commit file's time (touched on read); for
    what has none (a damaged or foreign folder), its newest file's."""
    for name in (ENTRY, SCRAPY_META):
        with contextlib.suppress(OSError):
            return (folder / name).stat().st_mtime
    times = [0.0]
    with contextlib.suppress(OSError):
        times.append(folder.stat().st_mtime)
        times += [path.stat().st_mtime for path in folder.iterdir()]
    return max(times)


def _remove_stale_temporaries(folder: Path, now: float) -> None:
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{TEMP_PREFIX}*"):
            if now - path.stat().st_mtime > STALE_TEMPORARY:
                path.unlink()
