"""Schedulers: the shared redis frontier that several workers crawl together."""
