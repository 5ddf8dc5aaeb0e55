"""A bundled fake Korean news outlet ("뉴스다오") served over local HTTP.

``newsbot.demo.outlet`` models the site and renders its pages; ``newsbot.demo.server`` serves
it on 127.0.0.1 for ``newsbot demo`` and for the integration tests. Everything it serves is
derived from the sample articles, so every response is deterministic.
"""
