"""Configuration as models: the sources file (outlets), the crawl's settings, checked once."""
