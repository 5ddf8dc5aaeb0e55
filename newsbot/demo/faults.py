"""Named faults of the test outlet: ``python -m newsbot.demo.server --fault gzip-bomb``.

Each outlet fault breaks one article (or one discovery source) of an ``OutletSite``; the
reliability tests (``tests/test_reliability_faults.py``) apply them by name and check that a
crawl loses nothing, writes nothing broken and says what went wrong. ``disk-full`` and
``read-only-output`` are faults of the blog's disk, made by the tests themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newsbot.demo.outlet import Faults


@dataclass(frozen=True)
class Fault:
    name: str
    what: str
    # breaks article ``id`` (or the whole site) of the given Faults; None: not an outlet fault
    apply: Callable[[Faults, int], None] | None
    # what a crawl does about it while it lasts: "published" (recovered within the run),
    # "failed" (counted failure, exit non-zero, retried by the next run), "kept" (the post
    # already written stays as it was), "updated", "skipped", "held" (held back, not
    # published: far shorter than the outlet's usual; exit 7, published once bodies are back)
    outcome: str


def _set(attribute: str, value: object = True) -> Callable[[Faults, int], None]:
    def apply(faults: Faults, article_id: int) -> None:
        current = getattr(faults, attribute)
        if isinstance(current, set):
            current.add(article_id)
        elif isinstance(current, dict):
            current[article_id] = value
        else:
            setattr(faults, attribute, value)

    return apply


FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in (
        Fault("mislabeled-charset", "CP949 bytes, header says UTF-8, <meta> says euc-kr",
              _set("mislabeled_charset_ids"), "published"),
        Fault("undeclared-charset", "CP949 bytes, header says UTF-8, no <meta charset>",
              _set("undeclared_charset_ids"), "published"),
        Fault("server-errors", "a burst of 500, 502, 503, then the page",
              _set("error_bursts", [500, 502, 503]), "published"),
        Fault("server-errors-long", "500/502/503 six times: more than the retries of one run",
              _set("error_bursts", [500, 502, 503, 500, 502, 503]), "failed"),
        Fault("rate-limited", "429 Too Many Requests with Retry-After: 1, twice",
              _set("rate_limited_ids", 2), "published"),
        Fault("slow", "the answer comes 3 s late (tests set DOWNLOAD_TIMEOUT=2)",
              _set("slow_ids", 3.0), "failed"),
        Fault("connection-reset", "TCP reset after 2 KiB of the body, every time",
              _set("reset_ids", 99), "failed"),
        Fault("connection-reset-once", "TCP reset after 2 KiB of the body, once",
              _set("reset_ids", 1), "published"),
        Fault("truncated", "2 KiB of the body under a Content-Length for all of it, every time",
              _set("truncated_ids", 99), "failed"),
        Fault("redirect-loop", "/<id> -> /<id>?loop=1 -> /<id>?loop=2 -> /<id>?loop=1 ...",
              _set("redirect_loop_ids"), "failed"),
        Fault("offsite-redirect", "/<id> redirects to http://localhost:<port>/<id>, another host",
              _set("offsite_redirects", "localhost"), "failed"),
        Fault("binary-as-html", "16 KiB of binary data served as text/html",
              _set("binary_ids"), "failed"),
        Fault("gzip-bomb", "Content-Encoding: gzip expanding to 256 MiB (260 KiB sent)",
              _set("gzip_bomb_ids"), "failed"),
        Fault("oversize", "an 80 MiB page, above DOWNLOAD_MAXSIZE (64 MiB)",
              _set("oversize_ids"), "failed"),
        Fault("malformed-sitemap", "every sitemap cut mid-tag, with a stray & and a NUL byte",
              _set("broken_sitemap"), "published"),
        Fault("malformed-feed", "the RSS feed cut mid-tag, with a stray & and a NUL byte",
              _set("broken_feed"), "published"),
        Fault("teasers", "every body cut to its opening words and a subscribers-only notice "
              "(~250 characters: held back where articles run over 1,000; tests triple bodies)",
              _set("teasers"), "held"),
        Fault("gone", "a published article answers 410 Gone", _set("gone_ids"), "kept"),
        Fault("changed", "a published article gets a correction and a later modified date",
              _set("changed_ids"), "updated"),
        Fault("disk-full", "the blog's disk is full (ENOSPC) in the middle of a run",
              None, "failed"),
        Fault("read-only-output", "the blog's folder is on a read-only mount", None, "failed"),
    )
}  # fmt: skip


def apply_fault(faults: Faults, name: str, article_id: int) -> None:
    """Break article ``article_id`` (or its site) with the fault called ``name``."""
    fault = FAULTS[name]
    if fault.apply is None:
        raise ValueError(f"{name} is a fault of the blog's disk, not of the outlet")
    fault.apply(faults, article_id)


def outlet_faults() -> list[str]:
    return [name for name, fault in FAULTS.items() if fault.apply is not None]
