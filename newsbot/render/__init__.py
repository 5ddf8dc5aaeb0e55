"""Post rendering: ``render_post(article, profile, branding=...) -> RenderedPost``."""

from newsbot.render.front_matter import Folded, SingleQuoted, dump_front_matter, render_document
from newsbot.render.post import (
    RenderedPost,
    RenderError,
    post_filename,
    render_post,
    safe_slug,
)

__all__ = [
    "Folded",
    "RenderError",
    "RenderedPost",
    "SingleQuoted",
    "dump_front_matter",
    "post_filename",
    "render_document",
    "render_post",
    "safe_slug",
]
