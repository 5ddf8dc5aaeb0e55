"""Reword each post's title and excerpt with the profile's hook, before the post is written.

Off unless the blog profile names a hook (``title_hook: "package.module:function"`` or
``title_command: [argv, ...]``). The hook gets ``{"title", "excerpt", "description", "url",
"outlet"}`` -- the function as a dict, the command as JSON on stdin -- and answers with
``{"title": ..., "excerpt": ...}`` (either may be left out: that one is kept). The excerpt
answered becomes the article's summary, which the profile cuts to ``excerpt_chars`` as usual;
the outlet's own title stays the post's ``{source_title}`` (the source link).

A hook that raises, exits non-zero, answers something that is not such a JSON object, or takes
longer than ``title_hook_timeout`` seconds leaves the post as it was. It is counted
(``newsbot/title_hook/failed``), logged with the article's URL, and reported with the run's
errors; the post is still written, so the run does not fail for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
from collections.abc import Callable
from importlib.metadata import EntryPoint
from typing import Any

from itemadapter import ItemAdapter
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot.config.run_settings import RunSettings
from newsbot.items import ArticleItem
from newsbot.profiles import Profile, load_profile
from newsbot.render.post import post_excerpt

logger = logging.getLogger(__name__)
Hook = Callable[[dict[str, Any]], Any]


class HookFailed(Exception):
    """The hook gave no usable answer; the message says why."""


class HookAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: StrictStr | None = Field(default=None, min_length=1)
    excerpt: StrictStr | None = Field(default=None, min_length=1)


def resolve_hook(spec: str) -> Hook:
    """The function named by ``package.module:function``; ValueError (one line) otherwise."""
    try:
        hook = EntryPoint(name="title_hook", value=spec, group="newsbot").load()
    except (ImportError, AttributeError, ValueError) as exc:
        raise ValueError(f"title_hook {spec!r} cannot be loaded: {exc}") from None
    if not callable(hook):
        raise ValueError(f"title_hook {spec!r} is not a function")
    return hook


def _answer(raw: Any) -> HookAnswer:
    if not isinstance(raw, dict):
        raise HookFailed(f"answered {type(raw).__name__}, not an object with title/excerpt")
    try:
        return HookAnswer.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in err["loc"])
        raise HookFailed(f"bad {key!r} in the answer: {err['msg']}") from None


class RewriteTitlePipeline:
    def __init__(self, crawler: Crawler, profile: Profile) -> None:
        self.crawler = crawler
        self.profile = profile
        self.timeout = profile.title_hook_timeout
        self.function: Hook | None = None
        if profile.title_hook:
            self.function = resolve_hook(profile.title_hook)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RewriteTitlePipeline:
        profile = load_profile(RunSettings.from_crawler(crawler).profile)
        if not (profile.title_hook or profile.title_command):
            raise NotConfigured("the profile has no title hook")
        return cls(crawler, profile)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        stats = self.crawler.stats
        assert stats is not None
        article = ItemAdapter(item).item
        request = {
            "title": article.title,
            "excerpt": post_excerpt(article, self.profile),
            "description": article.description or "",
            "url": article.url,
            "outlet": article.outlet,
        }
        try:
            answer = await self._ask(request)
        except HookFailed as exc:
            why = str(exc)
            stats.inc_value("newsbot/title_hook/failed")
            stats.set_value("newsbot/title_hook/last_error", f"{article.url}: {why}")
            logger.warning("Title hook failed for %s (original kept): %s", article.url, why)
            return item
        if answer.title and answer.title != article.title:
            article.source_title, article.title = article.title, answer.title
            stats.inc_value("newsbot/title_hook/rewritten_titles")
        if answer.excerpt and answer.excerpt != request["excerpt"]:
            article.description = answer.excerpt
            stats.inc_value("newsbot/title_hook/rewritten_excerpts")
        return item

    async def _ask(self, request: dict[str, Any]) -> HookAnswer:
        if self.function is not None:
            try:
                call = asyncio.to_thread(self.function, dict(request))
                raw = await asyncio.wait_for(call, self.timeout)
            except TimeoutError:  # the thread runs on; its answer is ignored
                raise HookFailed(f"no answer within {self.timeout:g}s") from None
            except Exception as exc:
                raise HookFailed(f"raised {exc!r}") from None
            return _answer(raw)
        return _answer(await asyncio.to_thread(self._run_command, request))

    def _run_command(self, request: dict[str, Any]) -> Any:
        argv = list(self.profile.title_command or ())
        try:
            done = subprocess.run(
                argv,
                input=json.dumps(request, ensure_ascii=False),
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise HookFailed(f"{argv[0]}: no answer within {self.timeout:g}s") from None
        except OSError as exc:
            raise HookFailed(f"{argv[0]}: cannot run: {exc.strerror or exc}") from None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            raise HookFailed(
                f"{argv[0]} exited with {done.returncode}{f': {last}' if last else ''}"
            )
        try:
            return json.loads(done.stdout)
        except ValueError:
            raise HookFailed(f"{argv[0]} printed no JSON: {done.stdout.strip()[:80]!r}") from None
