"""``NEWSBOT_FAST`` (``--fast``): the spider applies ``NEWSBOT_FAST_SETTINGS`` over the project's
throttling, for local outlets, tests and benchmarks."""

from __future__ import annotations

from scrapy.settings import BaseSettings


class FastSettings:
    """Mixed into newsbot's spiders, before ``scrapy.Spider``."""

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)  # type: ignore[misc]
        if settings.getbool("NEWSBOT_FAST"):
            for key, value in settings.getdict("NEWSBOT_FAST_SETTINGS").items():
                settings.set(key, value, priority="spider")
