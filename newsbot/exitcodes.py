"""Process exit codes of ``newsbot crawl`` and ``scrapy crawl`` (documented in the README)."""

OK = 0  # the run finished; there may have been nothing new (only already published articles)
FAILED = 1  # articles failed, the outlet could not be reached, every discovery source failed
USAGE = 2  # bad arguments, settings or output folder (argparse uses 2 as well); nothing fetched
LOCKED = 3  # another run holds the output folder's lock
PUBLISH_FAILED = 4  # posts were written and committed, but the push failed (the next run retries)
CHECK_FAILED = 5  # ``newsbot check`` found invalid posts or the blog build failed
NOTHING_PUBLISHED = 6  # no article found at all, or none of the article pages could be published
INTERRUPTED = 130  # stopped by Ctrl-C (SIGINT) or SIGTERM; what was written is kept
