"""One registry of spiders: one ``OutletSpider`` subclass per outlet of the sources file.

``SPIDER_LOADER_CLASS`` (``newsbot/settings.py``), so ``scrapy list``, ``scrapy crawl NAME``
and ``newsbot crawl NAME`` see the same set. The sources file is the ``NEWSBOT_SOURCES``
setting, else the environment variable of that name, else the bundled ``newsbot/sources.yaml``.
It is read on first use: an invalid file raises ``SourcesError`` (one line) from ``list()`` or
``load()``, where newsbot's commands report it, not while Scrapy starts up.
"""

from __future__ import annotations

import builtins
from functools import cached_property
from pathlib import Path
from typing import Self

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from newsbot.config.outlet import Outlet
from newsbot.config.sources import configured_path, load_sources
from newsbot.discovery.article_urls import ArticleUrls
from newsbot.spiders.outlet import OutletSpider


def spider_class(outlet: Outlet) -> type[OutletSpider]:
    """``OutletSpider`` for ``outlet``: its name, its declaration and its politeness."""
    class_name = "".join(part.capitalize() for part in outlet.name.replace("-", "_").split("_"))
    attributes = {
        "name": outlet.name,
        "outlet": outlet,
        # spider priority: above the project's settings, below the command line's -s
        "custom_settings": outlet.politeness.settings(),
        "__module__": __name__,
        "__doc__": f"The {outlet.name} outlet ({outlet.base_url}), from the sources file.",
    }
    return type(f"{class_name}Spider", (OutletSpider,), attributes)


class OutletSpiderLoader:
    """Scrapy's spider loader interface (``from_settings``, ``load``, ``list``,
    ``find_by_request``) over the outlets of a sources file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: the bundled sources file

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(configured_path(settings))

    @cached_property
    def _spiders(self) -> dict[str, type[OutletSpider]]:
        return {name: spider_class(outlet) for name, outlet in load_sources(self.path).items()}

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            known = ", ".join(sorted(self._spiders))
            where = self.path or "the bundled sources file"
            raise KeyError(f"no outlet {spider_name!r} in {where} (known: {known})") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return [
            name
            for name, spider in self._spiders.items()
            if ArticleUrls(spider.outlet).is_own_host(request.url)
        ]
