"""Scrapy commands of the newsbot project (``COMMANDS_MODULE``): ``crawl`` replaces Scrapy's."""
