"""Scrapy downloader middlewares of newsbot (one per module)."""
