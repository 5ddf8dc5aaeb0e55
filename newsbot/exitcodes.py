"""Process exit codes of the ``newsbot`` command (documented in the README)."""

OK = 0  # the run finished; there may have been nothing new
FAILED = 1  # articles failed (download, extraction or write errors) or the crawl broke off
USAGE = 2  # bad arguments or configuration (argparse uses 2 as well)
LOCKED = 3  # another run holds the output folder's lock
PUBLISH_FAILED = 4  # posts were written and committed, but the push failed (the next run retries)
CHECK_FAILED = 5  # ``newsbot check`` found invalid posts or the blog build failed
