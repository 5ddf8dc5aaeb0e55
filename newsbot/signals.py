"""newsbot's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

# Sent by WritePostPipeline after a post file was created or changed on disk.
# Arguments: path (pathlib.Path, absolute), relpath (str, relative to the output folder),
# url (str, the article's canonical URL), status ("new" or "updated").
post_written = object()

# Sent by WritePostPipeline for a post it left alone because someone changed it by hand.
# Arguments: relpath (str, relative to the output folder), reason (str, why it counts as edited).
post_kept = object()

# Sent by DownloadImagesPipeline for each image file stored in the blog folder.
# Arguments: path (pathlib.Path, absolute).
asset_written = object()

# Sent when an article could not be fetched, extracted, rendered or written: the run fails
# (RunSummary lists it) and the next run tries it first (RetryFailed).
# Arguments: url (str, the article's canonical URL), reason (str, one line).
article_failed = object()

# Sent by HoldShortArticlesPipeline for an article held back: far shorter than the outlet's
# usual (a teaser, a paywall). Not written; the next run tries it first (RetryFailed).
# Arguments: url (str), chars (int, characters of article text), extraction (str).
article_held = object()
