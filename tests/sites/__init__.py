"""The test sites: one interface, one server, one fault layer.

A site is anything with ``respond(path, host) -> (status, headers, body)`` and
``delivery(path) -> Delivery`` (how the bytes leave: a delay, a cut, a TCP reset, padding);
``serve(site)`` (``newsbot.demo.server``, also what ``newsbot demo`` runs) serves any of them on
127.0.0.1, and the ``serve_site`` fixture does it for one test. The sites:

- ``OutletSite`` (``newsbot.demo.outlet``): a Korean news CMS with robots.txt, a sitemap index,
  RSS, listings and ``/<id>`` articles, the bundled demo outlet; its ``Faults`` are the named
  faults of ``newsbot demo --fault`` and of the reliability suite;
- ``TistorySite`` (``tests/sites/tistory.py``): a Tistory blog in five skin layouts;
- ``FeedOnlySite``, ``SitemapOnlySite``, ``ListingsOnlySite`` (``tests/sites/designs.py``): news
  sites that can each be crawled from one discovery source only.

Faults wrap any of them (``tests/sites/faults.py``): ``Faulty(site, Slow(...), Hold(...))``
answers like ``site`` except where a fault's path filter matches.
"""

from __future__ import annotations

from typing import Protocol

from newsbot.demo.outlet import Delivery, OutletSite, Response
from newsbot.demo.server import serve


class Site(Protocol):
    def respond(self, path: str, host: str) -> Response: ...

    def delivery(self, path: str) -> Delivery: ...


__all__ = ["Delivery", "OutletSite", "Response", "Site", "serve"]
