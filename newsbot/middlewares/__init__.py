"""newsbot's Scrapy downloader middlewares."""
