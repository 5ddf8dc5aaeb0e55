"""Render an ``ArticleItem`` as a post file in a blog profile's house style."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from newsbot.config.outlet import Branding
from newsbot.items import ArticleItem
from newsbot.profiles.model import Profile
from newsbot.render.blocks import first_blocks, html_block_lines
from newsbot.render.blogsafe import (
    escape_markdown_text,
    escape_text,
    html_body_for_markdown_file,
    html_to_markdown,
    neutralise_templates,
    sanitize_html,
    strip_controls,
)
from newsbot.render.front_matter import Folded, SingleQuoted, render_document


class RenderError(ValueError):
    """The article lacks something every post needs (a publication date)."""


@dataclass(frozen=True)
class RenderedPost:
    relpath: str  # e.g. "_posts/2024-06-12-newsdao-4082.md" (posix, relative to the blog root)
    text: str  # the whole file


# --- small text helpers -------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
# URL characters kept as they are; everything else (space, quotes, <>, (), [], {}, \, ^, `, |,
# non-ASCII) is percent-encoded so a URL is inert in HTML attributes and Markdown link targets.
_URL_SAFE = ":/?#@!$&*+,;=%-._~"


def clean_line(text: str | None) -> str:
    """One line of plain text: control characters dropped, whitespace runs collapsed."""
    return _WS.sub(" ", strip_controls(text or "")).strip()


def safe_slug(raw: str, max_length: int = 80, *, seed: str = "") -> str:
    """A file-system safe slug: only ``[a-z0-9-]``, at most `max_length`, never empty.

    A clean slug (already ``[a-z0-9-]``, short enough) is kept as is. Anything else is
    lowercased, reduced to ASCII letters and digits joined by ``-`` and given an 8-hex suffix
    from the original text, so distinct inputs (``뉴스-1`` / ``속보-1``) stay distinct files.
    Path separators and dots never survive, so ``../../etc/passwd`` cannot escape the folder.
    """
    raw = raw or ""
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", raw) and len(raw) <= max_length:
        return raw
    digest = hashlib.sha256((raw or seed).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    base = _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")
    room = max_length - len(digest) - 1
    if len(base) > room:
        cut = base[:room]
        base = cut.rsplit("-", 1)[0] if "-" in cut[room // 2 :] else cut
        base = base.strip("-")
    return f"{base}-{digest}" if base else f"post-{digest}"


def safe_url(url: str | None) -> str:
    """An http(s) URL or a site path, percent-encoded to be inert; anything else gives ``#``."""
    url = clean_line(url)
    if not url:
        return ""
    scheme = urlsplit(url).scheme.lower() if ":" in url.split("/", 1)[0] else ""
    if scheme not in ("http", "https") and not (url.startswith("/") and not url.startswith("//")):
        return "#"
    return quote(url, safe=_URL_SAFE)


def cut_excerpt(text: str, limit: int, *, mode: str = "word", ellipsis: str = "…") -> str:
    """Collapse whitespace; if longer than `limit`, cut (at a word boundary) and add `ellipsis`."""
    text = clean_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if mode == "word":
        space = text.rfind(" ", 0, limit + 1)
        if space >= limit // 3:
            cut = text[:space]
    return cut.rstrip() + ellipsis


def _escape_front_matter(text: str, enabled: bool) -> str:
    """Front-matter text that themes markdownify: no raw HTML, no inline Markdown links."""
    if not enabled:
        return text
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("](", "]&#40;")


# --- post pieces --------------------------------------------------------------------------------


def post_datetime(article: ArticleItem, profile: Profile) -> datetime:
    """article.published (else modified) in the profile's timezone; naive times are local."""
    when = article.published or article.modified
    if when is None:
        raise RenderError(f"article {article.url or article.slug!r} has no publication date")
    if when.tzinfo is None:
        return when.replace(tzinfo=profile.zone)
    return when.astimezone(profile.zone)


def post_slug(article: ArticleItem, profile: Profile) -> str:
    return safe_slug(article.slug, profile.slug_max_length, seed=article.url or article.title)


def post_filename(article: ArticleItem, profile: Profile) -> str:
    """The post's file name, e.g. ``2024-06-12-newsdao-4082.md`` (Jekyll) or ``newsdao-4082.md``."""
    day = post_datetime(article, profile).strftime("%Y-%m-%d")
    return profile.filename.format(date=day, slug=post_slug(article, profile))


def branding_values(profile: Profile, branding: Branding) -> dict[str, str]:
    """The outlet's branding as this profile shows it (plain text, not escaped yet).

    ``source_label``, ``cover_image`` and ``cover_alt`` are the outlet's, unless the profile
    names its own (a template over the outlet's values, e.g. ``/assets/img/{cover_file}``)."""
    site_url = branding.site_url or ""
    outlet = {
        "source_label": branding.label,
        "cover_image": branding.cover_image,
        "cover_file": PurePosixPath(urlsplit(branding.cover_image).path).name,
        "cover_alt": branding.cover_alt,
        "site_url": site_url,
        "site_host": _site_host(site_url) if site_url else "",
    }
    values = dict(outlet)
    for key in ("source_label", "cover_image", "cover_alt"):
        own = getattr(profile, key)
        if own is not None:
            # a template over a value the outlet does not have (no cover image) is empty too
            filled = all(outlet[name] for name in _placeholders(own))
            values[key] = own.format_map(outlet) if filled else ""
    return values


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def post_image(article: ArticleItem, profile: Profile, branding: Branding) -> str:
    """The article's own image (``image_policy: article``) or the outlet's cover; the article's
    image also when the outlet has no cover."""
    cover = branding_values(profile, branding)["cover_image"]
    if profile.image_policy == "article" or not cover:
        own = clean_line(article.image)
        # a remote image, or a local copy in the blog (--download-images)
        if own.startswith(("https://", "http://")) or (
            own.startswith("/") and not own.startswith("//")
        ):
            return own
    return cover


def post_categories(article: ArticleItem, profile: Profile) -> list[str]:
    if profile.category_policy == "article":
        category = clean_line(article.category)
        if category:
            return [category]
    return list(profile.categories)


def post_excerpt(article: ArticleItem, profile: Profile) -> str:
    source = clean_line(article.description) or clean_line(article.body_text)
    return cut_excerpt(
        source, profile.excerpt_chars, mode=profile.excerpt_break, ellipsis=profile.excerpt_ellipsis
    )


def _site_host(site_url: str) -> str:
    return (urlsplit(site_url).hostname or site_url).lower()


def _template_values(article: ArticleItem, profile: Profile, branding: Branding) -> dict[str, str]:
    markdown = profile.body_format == "markdown"
    text = escape_markdown_text if markdown else escape_text

    def url(value: str | None) -> str:
        encoded = safe_url(value)
        return encoded if markdown else neutralise_templates(html_lib.escape(encoded))

    shown = branding_values(profile, branding)
    return {
        "source_url": url(article.url),
        "source_title": text(clean_line(article.source_title or article.title)),
        "source_label": text(shown["source_label"]),
        "site_url": url(shown["site_url"]),
        "site_host": text(shown["site_host"]),
        "cover_image": url(post_image(article, profile, branding)),
        "cover_file": text(shown["cover_file"]),
        "cover_alt": text(shown["cover_alt"]),
        "blog_name": text(profile.blog_name),
    }


def flat_body(article: ArticleItem, profile: Profile) -> str:
    """The body as one piece, as the extraction gave it (an HTML body on one line)."""
    if profile.body_format == "markdown":
        if article.body_html.strip():
            return html_to_markdown(sanitize_html(article.body_html)).strip()
        paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n", article.body_text)]
        return "\n\n".join(escape_markdown_text(p) for p in paragraphs if p)
    if article.body_html.strip():
        return html_body_for_markdown_file(article.body_html).strip()
    paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n", article.body_text)]
    return "\n\n".join(f"<p>{escape_text(p)}</p>" for p in paragraphs if p)


def post_body(article: ArticleItem, profile: Profile) -> str:
    """The body block by block: one block a line (list items and table rows one a line),
    blocks apart (``newsbot.render.blocks``); Markdown is written that way already."""
    body = flat_body(article, profile)
    if profile.body_format == "html" and article.body_html.strip():
        return html_block_lines(body)
    return body


def post_front_matter(article: ArticleItem, profile: Profile, branding: Branding) -> dict[str, Any]:
    """The front-matter mapping, keys in the profile's order (values as put in the YAML)."""
    escape = profile.front_matter_html_escape
    published = post_datetime(article, profile)
    excerpt = _escape_front_matter(post_excerpt(article, profile), escape)
    image = post_image(article, profile, branding)
    shown = branding_values(profile, branding)
    heading = profile.feature_text_heading.format_map(
        {
            **shown,
            "source_url": clean_line(article.url),
            "source_title": clean_line(article.source_title or article.title),
            "cover_image": image,
            "blog_name": profile.blog_name,
        }
    )
    heading = _escape_front_matter(clean_line(heading), escape)
    modified = article.modified or article.published
    # the outlet's last change as a recorded fact: later runs compare a sitemap's or feed's
    # modified time with it to find corrections (newsbot.discovery.frontier), in any clone of
    # the blog
    last_modified = modified.astimezone(profile.zone) if modified and modified.tzinfo else published
    values: dict[str, Any] = {
        "title": _escape_front_matter(clean_line(article.title), escape),
        "date": published,
        "lastmod": last_modified,
        "last_modified_at": last_modified,
        "draft": False,
        "categories": [_escape_front_matter(c, escape) for c in post_categories(article, profile)],
        "tags": [_escape_front_matter(t, escape) for t in map(clean_line, article.tags) if t],
        "author": _escape_front_matter(clean_line(article.author), escape) or None,
        "excerpt": Folded(excerpt + "\n") if excerpt else "",
        "description": excerpt,
        "summary": excerpt,
        "feature_text": Folded("\n".join(p for p in (heading, excerpt) if p) + "\n"),
        "feature_image": SingleQuoted(image),
        "image": SingleQuoted(image),
        "images": [image] if image else [],
        "source_url": clean_line(article.url),
        "source_title": clean_line(article.source_title or article.title),
        "outlet": clean_line(article.outlet),
    }
    front: dict[str, Any] = {}
    for key in profile.front_matter:
        if key == "author" and values[key] is None:
            continue
        front[key] = values[key]
    return front


# The line after an excerpt-only body (``excerpt_only: {blocks: N}``) unless the profile names one.
MORE_HTML = '<p>기사 전문 보기: <a href="{source_url}" rel="dofollow">{source_title}</a></p>'
MORE_MARKDOWN = "기사 전문 보기: [{source_title}]({source_url})"


def _filled(line: str, values: dict[str, str]) -> bool:
    return all(values.get(name) for name in _placeholders(line))


def render_post(article: ArticleItem, profile: Profile, *, branding: Branding) -> RenderedPost:
    """The whole post file for `article` in `profile`'s style, with the outlet's `branding`
    (its ``site_url`` resolved: the outlet's site, ``https://newsdao.kr``, for the closing link).
    Raises :class:`RenderError` when the article has neither a published nor a modified date.
    """
    values = _template_values(article, profile, branding)
    # a line with a placeholder that has no value (an outlet without a cover image) is left out
    header = [line.format_map(values) for line in profile.header_lines if _filled(line, values)]
    footer = [line.format_map(values) for line in profile.footer_lines if _filled(line, values)]
    body = post_body(article, profile)
    excerpt_only = profile.excerpt_only
    if excerpt_only is not None:
        body = first_blocks(body, blocks=excerpt_only.blocks, chars=excerpt_only.chars)
        more = excerpt_only.more or (
            MORE_MARKDOWN if profile.body_format == "markdown" else MORE_HTML
        )
        if _filled(more, values):
            body += "\n\n" + more.format_map(values)
    blocks = [b for b in (*header, body, *footer) if b.strip()]
    text = render_document(
        post_front_matter(article, profile, branding), "\n" + "\n\n".join(blocks) + "\n"
    )
    relpath = f"{profile.posts_dir}/{post_filename(article, profile)}"
    return RenderedPost(relpath=relpath, text=text)
