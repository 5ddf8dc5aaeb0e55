"""Optional image localisation (``--download-images`` / ``NEWSBOT_DOWNLOAD_IMAGES``).

Scrapy's FilesPipeline downloads the article's cover image (and body images, for outlets that
keep them) into ``OUTPUT/NEWSBOT_IMAGES_DIR/<slug>/``; the item's links are rewritten to the
local copies before WritePostPipeline renders the post. A failed download never blocks the
post: it keeps the remote link, and the failure is counted (``newsbot/images/failed``).
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from typing import Any

from lxml.html import fragment_fromstring, tostring
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.media import MediaPipeline

from newsbot import signals as newsbot_signals
from newsbot.config.run_settings import RunSettings
from newsbot.items import ArticleItem

logger = logging.getLogger(__name__)


class DownloadImagesPipeline(FilesPipeline):
    root: Path
    folder: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DownloadImagesPipeline:
        settings = crawler.settings
        run = RunSettings.from_crawler(crawler)
        if not run.download_images:
            raise NotConfigured("image localisation is off")
        if run.dry_run:
            raise NotConfigured("dry run: no images are downloaded")
        root = run.output
        folder = PurePosixPath(run.images_dir).as_posix().strip("/")
        cls._update_stores(settings)
        pipeline = cls(str(root / folder), crawler=crawler)
        pipeline.root, pipeline.folder = root, folder
        return pipeline

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        urls = dict.fromkeys(image_urls(item))
        # images often live on a CDN: allowed past the offsite filter
        return [Request(url, callback=NO_CALLBACK, meta={"allow_offsite": True}) for url in urls]

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        name = PurePosixPath(super().file_path(request, response, info, item=item)).name
        slug = getattr(item, "slug", "") or "misc"
        return f"{slug}/{name}"

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        stats = self.crawler.stats
        local: dict[str, str] = {}
        for ok, result in results:
            if ok:
                local[result["url"]] = f"/{self.folder}/{result['path']}"
                path = self.root / self.folder / result["path"]
                self.crawler.signals.send_catch_log(newsbot_signals.asset_written, path=path)
                if stats:
                    stats.inc_value("newsbot/images/downloaded")
            else:
                if stats:
                    stats.inc_value("newsbot/images/failed")
                logger.warning("Image download failed for %s: %s", item.url, result.value)
        if isinstance(item, ArticleItem):
            item.image = local.get(item.image or "", item.image)
            item.body_html = rewrite_image_sources(item.body_html, local)
        return item


def image_urls(item: Any) -> list[str]:
    """The cover image and the body's images, absolute http(s) URLs only."""
    found = []
    image = getattr(item, "image", None)
    if image and image.startswith(("http://", "https://")):
        found.append(image)
    body = getattr(item, "body_html", "")
    if body and "<img" in body:
        for img in fragment_fromstring(body, create_parent="div").iter("img"):
            src = img.get("src", "")
            if src.startswith(("http://", "https://")):
                found.append(src)
    return found


def rewrite_image_sources(body_html: str, local: dict[str, str]) -> str:
    if not body_html or "<img" not in body_html or not local:
        return body_html
    root = fragment_fromstring(body_html, create_parent="div")
    for img in root.iter("img"):
        src = img.get("src", "")
        if src in local:
            img.set("src", local[src])
    html: str = tostring(root, encoding="unicode", method="html")
    return html[len("<div>") : -len("</div>")]
