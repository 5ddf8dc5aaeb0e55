"""Scrapy add-ons (the ``ADDONS`` setting): components that set other settings."""
