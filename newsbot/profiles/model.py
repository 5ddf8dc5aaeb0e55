"""Blog profiles: how a blog wants its posts written (file layout, front matter, furniture).

A profile is data (YAML), validated here. What the article *is* lives in ``ArticleItem``; the
renderer (``newsbot.render``) combines the two.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from newsbot.config import errors, validators
from newsbot.config.yaml_file import load_yaml

# importlib.resources: the profiles are read from a zipped egg too (scrapyd)
PROFILE_DIR = resources.files("newsbot.profiles")
BUNDLED = ("whereispost", "newsdao-sister", "hugo")

# Every front-matter key a profile may ask for, and what fills it (see newsbot.render.post).
FRONT_MATTER_KEYS = (
    "title",  # article.title
    "date",  # article.published, in the profile's timezone, ISO 8601 with offset
    "lastmod",  # article.modified (or published): Hugo's name for it
    "last_modified_at",  # the same: the Jekyll convention (jekyll-seo-tag, themes read it)
    "draft",  # false
    "categories",  # see category_policy
    "tags",  # article.tags
    "author",  # article.author (omitted when unknown)
    "excerpt",  # description (or first sentences of body_text) cut to excerpt_chars
    "description",  # the same cut text
    "summary",  # the same cut text
    "feature_text",  # feature_text_heading + "\n" + excerpt + "\n"
    "feature_image",  # the post image (see image_policy), as an absolute URL
    "image",  # the post image (see image_policy)
    "images",  # [the post image] (Hugo's opengraph templates read this list)
    "source_url",  # article.url: later runs find published posts by it
    "source_title",  # article.title as published by the outlet
    "outlet",  # article.outlet
)
REQUIRED_FRONT_MATTER = ("title", "date", "source_url")

TEMPLATE_FIELDS = frozenset(
    {
        "source_url",
        "source_title",
        "source_label",
        "site_url",
        "site_host",
        "cover_image",
        "cover_file",
        "cover_alt",
        "blog_name",
    }
)
# What the profile's own source_label, cover_image and cover_alt may use: the outlet's branding
# (the sources file), e.g. ``cover_image: /assets/img/{cover_file}`` for a local copy.
BRANDING_FIELDS = frozenset(
    {"source_label", "cover_image", "cover_file", "cover_alt", "site_url", "site_host"}
)
FILENAME_FIELDS = frozenset({"date", "slug"})


class ProfileError(ValueError):
    """A profile could not be found, read or validated. The message names file and keys."""


def _template_fields(template: str) -> set[str]:
    names = set()
    for _, name, spec, conv in string.Formatter().parse(template):
        if name is None:
            continue
        if spec or conv:
            raise ValueError(f"placeholder {{{name}}} must not have a format spec or conversion")
        names.add(name)
    return names


def _check_template(template: str, allowed: frozenset[str]) -> str:
    try:
        names = _template_fields(template)
    except ValueError as exc:
        raise ValueError(f"bad template {template!r}: {exc}") from None
    unknown = sorted(names - allowed)
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)} in {template!r}; "
            f"allowed: {', '.join('{' + n + '}' for n in sorted(allowed))}"
        )
    return template


class ExcerptOnly(BaseModel):
    """Publish the start of the article instead of its full text (a blog that may quote an
    outlet but not republish it): the first ``blocks`` blocks of the body, or as many whole
    blocks as fit in ``chars`` characters of text (at least one), then the ``more`` line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocks: StrictInt | None = Field(default=None, ge=1, le=1000)
    chars: StrictInt | None = Field(default=None, ge=1, le=1_000_000)
    # the line after the excerpt (a template like header_lines); None: a link to the article
    more: StrictStr | None = None

    @field_validator("more")
    @classmethod
    def _more(cls, value: str | None) -> str | None:
        if value is not None:
            _check_template(value, TEMPLATE_FIELDS)
        return value

    @model_validator(mode="after")
    def _one_limit(self) -> ExcerptOnly:
        if (self.blocks is None) == (self.chars is None):
            raise ValueError("give either 'blocks' or 'chars' (not both)")
        return self


class Profile(BaseModel):
    """One blog's house style. Loaded from YAML by :func:`newsbot.profiles.load_profile`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StrictStr = Field(min_length=1)
    generator: Literal["jekyll", "hugo"] = "jekyll"
    posts_dir: StrictStr = "_posts"
    filename: StrictStr = "{date}-{slug}.md"
    timezone: StrictStr = "Asia/Seoul"
    slug_max_length: StrictInt = Field(default=80, ge=8, le=200)

    blog_name: StrictStr = ""
    # The outlet's branding (its sources-file entry) unless the profile names its own: None
    # takes the outlet's; a text may use the outlet's values: "{source_label} 속보".
    source_label: StrictStr | None = None
    cover_image: StrictStr | None = None
    cover_alt: StrictStr | None = None
    image_policy: Literal["profile", "article"] = "profile"
    # "profile": always `categories`; "article": [article.category] when known, else `categories`.
    category_policy: Literal["profile", "article"] = "profile"
    categories: tuple[StrictStr, ...] = ("News",)

    excerpt_chars: StrictInt = Field(default=60, ge=1, le=10_000)
    # "word": cut at the last space within excerpt_chars; "char": exactly excerpt_chars characters.
    excerpt_break: Literal["word", "char"] = "word"
    excerpt_ellipsis: StrictStr = "…"

    front_matter: tuple[StrictStr, ...] = (
        "title",
        "categories",
        "excerpt",
        "feature_text",
        "image",
        "date",
        "source_url",
    )
    feature_text_heading: StrictStr = "## {blog_name} 실시간 뉴스 속보입니다."
    header_lines: tuple[StrictStr, ...] = ()
    footer_lines: tuple[StrictStr, ...] = ()
    body_format: Literal["html", "markdown"] = "html"
    # Only the start of each article and a link to it: {blocks: N} or {chars: N}, optional more.
    excerpt_only: ExcerptOnly | None = None
    # Themes such as Minimal Mistakes run title/excerpt through markdownify: write "<" and ">" in
    # front-matter text as entities there. Hugo escapes front-matter text itself: leave false.
    front_matter_html_escape: StrictBool = True
    # Optional: reword title and excerpt before the post is written (the seed blog's habit).
    # Either a Python entry point "package.module:function" called with a dict (title, excerpt,
    # description, url, outlet) that returns a dict with "title" and/or "excerpt", or a command
    # (argv list) that reads that dict as JSON on stdin and prints the answer as JSON. A hook
    # that fails, answers garbage or takes longer than title_hook_timeout keeps the original.
    title_hook: StrictStr | None = None
    title_command: tuple[StrictStr, ...] | None = Field(default=None, min_length=1)
    title_hook_timeout: float = Field(default=10.0, gt=0, le=600)

    @field_validator("posts_dir")
    @classmethod
    def _posts_dir(cls, value: str) -> str:
        path = PurePosixPath(value)
        if not value or path.is_absolute() or ".." in path.parts or "\\" in value:
            raise ValueError("must be a relative folder inside the blog (no '..', no '/' start)")
        return path.as_posix()

    @field_validator("filename")
    @classmethod
    def _filename(cls, value: str) -> str:
        _check_template(value, FILENAME_FIELDS)
        if "slug" not in _template_fields(value):
            raise ValueError("must contain {slug}")
        if "/" in value or "\\" in value or not value.endswith((".md", ".markdown", ".html")):
            raise ValueError("must be a bare file name ending in .md, .markdown or .html")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return validators.time_zone(value)

    @field_validator("source_label", "cover_image", "cover_alt")
    @classmethod
    def _branding(cls, value: str | None) -> str | None:
        if value is not None:
            _check_template(value, BRANDING_FIELDS)
        return value

    @field_validator("cover_image")
    @classmethod
    def _cover_image(cls, value: str | None) -> str | None:
        if value and not value.startswith(("/", "https://", "http://", "{cover_image}")):
            raise ValueError("must be a site path starting with '/' or an http(s) URL")
        return value

    @field_validator("front_matter")
    @classmethod
    def _front_matter(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in FRONT_MATTER_KEYS]
        if unknown:
            raise ValueError(
                f"unknown front-matter key(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {', '.join(FRONT_MATTER_KEYS)}"
            )
        if len(set(value)) != len(value):
            raise ValueError("lists a key twice")
        missing = [k for k in REQUIRED_FRONT_MATTER if k not in value]
        if missing:
            raise ValueError(f"must include {', '.join(map(repr, missing))}")
        return value

    @field_validator("feature_text_heading", "header_lines", "footer_lines")
    @classmethod
    def _templates(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for template in [value] if isinstance(value, str) else value:
            _check_template(template, TEMPLATE_FIELDS)
        return value

    @field_validator("title_hook")
    @classmethod
    def _title_hook(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w.]+:[\w.]+", value):
            raise ValueError(f"must be 'package.module:function' (got {value!r})")
        return value

    @model_validator(mode="after")
    def _one_title_hook(self) -> Profile:
        if self.title_hook and self.title_command:
            raise ValueError("'title_hook' and 'title_command' cannot both be set: choose one")
        return self

    @model_validator(mode="after")
    def _generator_layout(self) -> Profile:
        fields = _template_fields(self.filename)
        if self.generator == "jekyll" and not self.filename.startswith("{date}-"):
            raise ValueError("'filename' must start with '{date}-' for a Jekyll profile")
        if self.generator == "hugo" and "date" in fields and self.posts_dir == "_posts":
            raise ValueError("'posts_dir' '_posts' is a Jekyll folder; Hugo uses content/...")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _locate(name_or_path: str) -> Path | Traversable:
    if name_or_path in BUNDLED:
        return PROFILE_DIR / f"{name_or_path}.yaml"
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in name_or_path:
        return path
    raise ProfileError(
        f"profile {name_or_path}: no such bundled profile (choose one of {', '.join(BUNDLED)} "
        f"or give the path to a YAML file)"
    )


def format_validation_error(label: str, exc: ValidationError) -> str:
    """One line per problem: "profile X: unknown key 'foo'", "profile X: 'n' must be ..."."""
    return "\n".join(
        f"profile {label}: {errors.problem(err, tuple(err['loc']))}"
        for err in exc.errors(include_url=False)
    )


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a bundled profile by name (``whereispost``, ``newsdao-sister``, ``hugo``) or a file."""
    path = _locate(str(name_or_path))
    label = str(path)
    raw: Any = load_yaml(path, f"profile {label}", ProfileError)
    if not isinstance(raw, dict):
        raise ProfileError(f"profile {label}: must be a mapping of keys to values")
    bad_keys = [k for k in raw if not isinstance(k, str)]
    if bad_keys:
        raise ProfileError(f"profile {label}: keys must be strings, got {bad_keys!r}")
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(format_validation_error(label, exc)) from None
