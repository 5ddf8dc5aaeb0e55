"""newsbot's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

# Sent by WritePostPipeline after a post file was created or changed on disk.
# Arguments: path (pathlib.Path, absolute), relpath (str, relative to the output folder),
# url (str, the article's canonical URL), status ("new" or "updated").
post_written = object()

# Sent by DownloadImagesPipeline for each image file stored in the blog folder.
# Arguments: path (pathlib.Path, absolute).
asset_written = object()
