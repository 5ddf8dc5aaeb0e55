"""Process exit codes of ``newsbot crawl`` and ``scrapy crawl`` (documented in the README)."""

OK = 0  # the run finished; there may have been nothing new (only already published articles)
FAILED = 1  # articles failed, the outlet could not be reached, every discovery source failed
# (``newsbot status``: an outlet is degraded, failing or cannot push; with --stale: stale)
USAGE = 2  # bad arguments, settings or output folder (argparse uses 2 as well); nothing fetched
LOCKED = 3  # another run holds the output folder's lock
PUBLISH_FAILED = 4  # posts were written and committed, but the push failed (the next run retries)
CHECK_FAILED = 5  # ``newsbot check`` found invalid posts or the blog build failed
NOTHING_PUBLISHED = 6  # no article found at all, or none of the article pages could be published
# articles far shorter than the outlet's usual (teasers, a paywall, a redesign) were held back,
# not published; the next run tries them again (``newsbot status`` names the symptom)
HELD_BACK = 7
INTERRUPTED = 130  # stopped by Ctrl-C (SIGINT) or SIGTERM; what was written is kept

# From the least to the most serious, for a run of several outlets (``newsbot crawl --all``).
SEVERITY = (OK, PUBLISH_FAILED, HELD_BACK, NOTHING_PUBLISHED, FAILED, INTERRUPTED)


def worst(codes: list[int]) -> int:
    """The exit code of several outlets' runs: the most serious of theirs (OK when none)."""
    return max(codes, key=lambda code: SEVERITY.index(code) if code in SEVERITY else -1, default=OK)
