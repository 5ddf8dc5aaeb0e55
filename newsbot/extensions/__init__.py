"""Scrapy extensions, one per file."""
