"""newsbot's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

# Sent by WritePostPipeline after a post file was created or changed on disk.
# Arguments: path (pathlib.Path, absolute), relpath (str, relative to the output folder),
# url (str, the article's canonical URL), status ("new" or "updated").
post_written = object()
