"""Scrapy commands of the newsbot project (``COMMANDS_MODULE``): ``crawl`` and ``list`` replace
Scrapy's."""
