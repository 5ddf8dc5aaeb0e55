"""All of newsbot's defaults, Scrapy's and its own (``NEWSBOT_*``), in one place."""

import os

from scrapy.settings import default_settings as _scrapy

from newsbot import __version__

BOT_NAME = "newsbot"
# One spider per outlet of the sources file (NEWSBOT_SOURCES below): `scrapy list` shows them.
SPIDER_LOADER_CLASS = "newsbot.spiders.loader.OutletSpiderLoader"
# newsbot's `scrapy crawl`: checks settings first, and exits with newsbot's exit codes
COMMANDS_MODULE = "newsbot.scrapy_commands"

# --- Politeness (``NEWSBOT_FAST`` turns throttling off for local outlets and benchmarks) ---
NEWSBOT_CONTACT_URL = "https://github.com/newsbot/newsbot"
USER_AGENT = f"newsbot/{__version__} (+{NEWSBOT_CONTACT_URL})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
# Every cron run starts AutoThrottle afresh, so a short run keeps its start delay throughout (a
# 304 never lowers it): the declared DOWNLOAD_DELAY. AutoThrottle still slows down for a slow
# outlet, and never goes below DOWNLOAD_DELAY.
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio workers for the output of every callback; article pages yield
# one item, so the default 100 only costs reactor time (measured: a third of a crawl's CPU).
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A request given up is reported once, in newsbot's own errors and summary line.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

NEWSBOT_FAST = False
# Settings that NEWSBOT_FAST applies (spider priority) when it is on.
NEWSBOT_FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "RETRY_TIMES": 3,
}

# --- Components ---
ITEM_PIPELINES = {
    # holds back articles far shorter than the outlet's usual (teasers), just before writing
    "newsbot.pipelines.hold_short.HoldShortArticlesPipeline": 490,
    "newsbot.pipelines.finish_article.FinishArticlePipeline": 300,
    "newsbot.pipelines.download_images.DownloadImagesPipeline": 400,
    "newsbot.pipelines.rewrite_title.RewriteTitlePipeline": 450,  # only with a profile's hook
    "newsbot.pipelines.write_post.WritePostPipeline": 500,
}
# ScaleOut switches to the shared redis frontier when NEWSBOT_REDIS_URL is set, else does nothing.
ADDONS = {"newsbot.addons.scale_out.ScaleOut": 0}
# Scrapy components newsbot never turns on are left out of the base lists themselves: Scrapy
# imports every component a list names (None too) to read its settings, and these bring aiohttp
# (remote control), Twisted's conch (telnet) and tldextract with requests (cookies), a fifth of
# a second of every run's start-up.
_unused = {
    "scrapy.extensions.telnet.TelnetConsole",  # TELNETCONSOLE_ENABLED = False
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # COOKIES_ENABLED = False
}
EXTENSIONS_BASE = {k: v for k, v in _scrapy.EXTENSIONS_BASE.items() if k not in _unused}
DOWNLOADER_MIDDLEWARES_BASE = {
    k: v for k, v in _scrapy.DOWNLOADER_MIDDLEWARES_BASE.items() if k not in _unused
}
EXTENSIONS = {
    # the blog's posts, read once: the spider's frontier, WritePostPipeline and GitPublish share it
    "newsbot.extensions.post_index.PublishedPosts": 100,
    "newsbot.extensions.retry_failed.RetryFailed": 490,
    "newsbot.extensions.run_summary.RunSummary": 500,
    "newsbot.extensions.progress.Progress": 510,
    "newsbot.extensions.git_publish.GitPublish": 520,
    # the lock, then at the end (in its own order: ledger, publish, exit code, run log)
    "newsbot.run.record.RunRecord": 530,
}
# --- What to crawl ---
# The sources file: the outlets, one spider each. None: the NEWSBOT_SOURCES environment
# variable, else the bundled newsbot/sources.yaml.
NEWSBOT_SOURCES = None
NEWSBOT_BASE_URL = None  # overrides the outlet's base_url (a mirror, a test outlet)
NEWSBOT_SINCE = None  # ISO date: ignore sitemap/feed entries older than this
NEWSBOT_LIMIT = 0  # stop after this many posts written (0: no limit)
NEWSBOT_BACKFILL = 0  # also walk this many ids below the newest known one
NEWSBOT_ID_WALK_MISSES = 10  # consecutive missing ids that end the upward id walk
NEWSBOT_MAX_LISTING_PAGES = 20  # pagination depth per listing page
NEWSBOT_REFRESH = False  # re-fetch already published articles to pick up edits
# Revalidate robots.txt, sitemaps, feeds and listing pages from an HTTP cache in the state folder
# (If-None-Match / If-Modified-Since; a 304 reads as "unchanged"); robots.txt is reused 24 h.
NEWSBOT_DISCOVERY_CACHE = True
# Entries of that cache no run read or wrote for this many days are pruned (at most once a day;
# 0: never): listing pages no longer walked, dropped monthly sitemaps, outlets removed. A month
# outlives any pause of an outlet worth keeping validators for; a wrong prune costs one download.
NEWSBOT_DISCOVERY_CACHE_DAYS = 30
# Remember in the state folder the usual discovery paths that answered 404/410 (not asked again
# for a day) and the pages that are not articles (protected, notices: re-checked weekly).
NEWSBOT_DISCOVERY_MEMORY = True
NEWSBOT_OVERWRITE_EDITED = False  # replace posts changed by hand since newsbot wrote them

# --- Extraction ---
NEWSBOT_EXTRACT_PROCESSES = 2  # worker processes for extraction; 0 runs it in a thread
NEWSBOT_WORKER_TIMEOUT = 120  # seconds one page's extraction may take before it counts as failed
NEWSBOT_MIN_BODY_CHARS = None  # overrides the outlet's min_body_chars

# --- Output ---
NEWSBOT_OUTPUT_DIR = "output"  # the blog repository's root
NEWSBOT_PROFILE = "whereispost"  # a bundled profile name or a path to a profile file
NEWSBOT_DRY_RUN = False  # extract and render, but write nothing
NEWSBOT_DOWNLOAD_IMAGES = False  # store cover/body images in the blog and link the copies
NEWSBOT_IMAGES_DIR = "assets/img/newsbot"  # inside the output folder
NEWSBOT_STATE_DIR = ".newsbot"  # inside the output folder: retry list, run log, lock
# lines of the run log kept per outlet when it is compacted (older ones go to a gzip archive):
# two weeks of runs every 10 minutes (README "Health checks")
NEWSBOT_RUN_LOG_KEEP = 2000
NEWSBOT_PROGRESS = None  # live progress line; None: only when stderr is a terminal
NEWSBOT_PROGRESS_INTERVAL = 5.0
NEWSBOT_STATS_FILE = None  # write the crawl's final Scrapy stats here as JSON (monitoring, tests)

# --- Publishing to the blog's git repository ---
NEWSBOT_GIT_COMMIT = False  # commit the posts this run wrote (only those)
NEWSBOT_GIT_PUSH = False  # then pull --rebase and push; implies NEWSBOT_GIT_COMMIT
NEWSBOT_GIT_REMOTE = "origin"
NEWSBOT_GIT_BRANCH = None  # default: the checked-out branch
NEWSBOT_GIT_AUTHOR = None  # "Name <email>"; default: newsbot <newsbot@users.noreply.invalid>
NEWSBOT_GIT_PUSH_RETRIES = 3
NEWSBOT_GIT_PUSH_BACKOFF = 2.0  # seconds, doubled after each failed push
# Collect the posts written and leave the commit and the run log line to the command:
# `newsbot crawl --all` sets it to make one commit for every outlet of the run.
NEWSBOT_GIT_DEFER = False

# --- Reliability: bounded downloads, pages decoded by the charset they are really in ---
# The sitemap protocol allows 50 MB per sitemap; no article page comes near it. A response
# (or a gzip/brotli body once decompressed: a "gzip bomb") above this is dropped and counted.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOADER_MIDDLEWARES = {
    # robots.txt once per run: the spider's own request for its Sitemap: lines is the one obeyed
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsbot.downloadermiddlewares.robots.SpiderRobotsTxt": 100,
    # discovery documents revalidated from the state folder's HTTP cache (NEWSBOT_DISCOVERY_CACHE)
    "newsbot.downloadermiddlewares.discovery_cache.DiscoveryCacheMiddleware": 900,
    # sees a redirect before Scrapy's RedirectMiddleware (600) follows it
    "newsbot.downloadermiddlewares.redirect_guard.RedirectGuardMiddleware": 610,
    # after decompression (590), before retries (550) and the spider see the response
    "newsbot.downloadermiddlewares.charset.CharsetRecoveryMiddleware": 580,
    # waits out a 429/503's Retry-After before RetryMiddleware (550) retries
    "newsbot.downloadermiddlewares.retry_after.RetryAfterMiddleware": 560,
    # after RetryMiddleware (550): an outlet that cannot be reached at all ends the run
    "newsbot.downloadermiddlewares.reachability.OutletReachability": 540,
}
NEWSBOT_CHARSET_RECOVERY = True  # header charset wrong for the bytes: page's own, then detection
NEWSBOT_REDIRECT_GUARD = True  # a redirect loop or a redirect off the outlet fails the request
NEWSBOT_RETRY_AFTER_MAX = 30.0  # longest Retry-After (seconds) waited for; 0: never wait

# --- Scale-out: several workers share one frontier in redis (scrapy-redis) ---
# redis://host:6379/0 (or the NEWSBOT_REDIS_URL environment variable). Each worker needs its
# own clone of the blog and NEWSBOT_GIT_PUSH; see "Scaling out" in the README.
NEWSBOT_REDIS_URL = os.environ.get("NEWSBOT_REDIS_URL") or None
NEWSBOT_REDIS_KEY = "newsbot"  # key prefix: one per blog when several blogs share a redis
NEWSBOT_REDIS_WORKER_TTL = 60.0  # seconds a worker that stopped renewing counts as live

# --- Health over time: each run judged against the outlet's own run log (README "Health checks")
NEWSBOT_HOLD_SHORT = True  # hold back articles far shorter than the outlet's usual (teasers)
NEWSBOT_HEALTH_SHORT_RATIO = 0.25  # "far shorter": under this share of the usual body length
NEWSBOT_HEALTH_MIN_CHARS = 300  # the absolute floor while the outlet has too little history
NEWSBOT_HEALTH_HISTORY = 50  # the usual body length: median of this many recent articles
NEWSBOT_HEALTH_MIN_HISTORY = 5  # articles of history needed before the usual replaces the floor
NEWSBOT_HEALTH_FAILING_RUNS = 3  # failed runs (or pushes) in a row that make an outlet failing

# --- Notifications on changes of state (README "Notifications"): Apprise URLs, comma-separated
# (mailto://, tgram://, slack://, ntfy://, json://...), or the NEWSBOT_NOTIFY environment variable
NEWSBOT_NOTIFY = os.environ.get("NEWSBOT_NOTIFY") or None

# --- Backoff across runs (README "Backoff"): scheduled runs of a failing outlet wait
NEWSBOT_SCHEDULED = False  # set by `newsbot crawl --scheduled` (the cron line): may back off
NEWSBOT_BACKOFF_AFTER = 3  # failed runs in a row before scheduled runs back off
NEWSBOT_BACKOFF_BASE = 1200.0  # seconds of the first wait, doubled after each further failure
NEWSBOT_BACKOFF_MAX = 21600.0  # the longest wait (6 hours)
