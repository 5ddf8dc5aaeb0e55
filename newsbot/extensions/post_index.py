"""What the blog already has, read once per crawl and shared by the crawl's components.

The spider's frontier asks it which articles are published, WritePostPipeline finds each
article's post in it (and adds the posts it writes), GitPublish reads it to find posts an
interrupted run left uncommitted. They get it with ``crawler.get_extension(PublishedPosts)``.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot.blog.post_index import PublishedIndex
from newsbot.config.run_settings import RunSettings
from newsbot.profiles import load_profile


class PublishedPosts:
    def __init__(self, index: PublishedIndex) -> None:
        self.index = index

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublishedPosts:
        return cls(cls.load(crawler.settings))

    @staticmethod
    def load(settings: BaseSettings) -> PublishedIndex:
        """The posts of the profile's posts folder under ``NEWSBOT_OUTPUT_DIR``, through the
        index cache in the state folder (not on a dry run, which writes nothing)."""
        run = RunSettings.from_settings(settings)
        return PublishedIndex.load(
            run.output / load_profile(run.profile).posts_dir,
            cache=None if run.dry_run else run.state.index_cache,
        )
