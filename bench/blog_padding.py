"""Blogs of a given size for the no-op runs: the crawled posts plus filler posts of another site.

``filler_template(folder, count)`` writes ``count`` posts with valid front matter (title, date,
``source_url`` on ``https://blog.example/old/N``, as an older blog imported into the same Jekyll
site would have) once; ``padded_blog(crawled, template, target)`` copies a crawled blog and the
template's posts into a new folder, without the published-posts cache, so that the first run
there builds it. ``posts_snapshot`` tells whether a run wrote or changed any post.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

POSTS_DIR = "_posts"
CACHE_FILE = Path(".newsbot") / "published.json"
FILLER_SITE = "https://blog.example/old"
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when available
_KST = timezone(timedelta(hours=9))
_FIRST_DATE = datetime(2012, 1, 1, 9, 0, tzinfo=_KST)
_BODY = (
    "이 글은 예전 블로그에서 옮겨 온 글입니다. 본문은 그대로 두었고, 사진과 링크는 "
    "옮기는 과정에서 일부 빠졌을 수 있습니다.\n\n"
) * 4


def filler_post(number: int) -> tuple[str, str]:
    """(file name, text) of filler post ``number``: one post every seven hours from 2012 on."""
    published = _FIRST_DATE + timedelta(hours=7 * number)
    front = {
        "title": f"지난 소식 모음 {number}호",
        "categories": ["Archive"],
        "date": published,
        "source_url": f"{FILLER_SITE}/{number}",
    }
    header = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return f"{published:%Y-%m-%d}-filler-{number}.md", f"---\n{header}---\n\n{_BODY}"


def filler_template(folder: Path, count: int) -> Path:
    """A folder of ``count`` filler posts (written once; reused when it is already there)."""
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for number in range(1, count + 1):
            name, text = filler_post(number)
            (folder / name).write_text(text, encoding="utf-8")
        done.touch()
    return folder


def padded_blog(crawled: Path, template: Path | None, target: Path) -> Path:
    """``target``: a copy of the blog ``crawled`` plus the filler posts of ``template``, with
    no published-posts cache."""
    shutil.copytree(crawled, target)
    (target / CACHE_FILE).unlink(missing_ok=True)
    if template is not None:
        shutil.copytree(
            template,
            target / POSTS_DIR,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".complete"),
        )
    return target


def posts_snapshot(blog: Path) -> dict[str, tuple[int, int]]:
    """name -> (mtime_ns, size) of every post: two snapshots differ when a run wrote a post."""
    folder = blog / POSTS_DIR
    if not folder.is_dir():
        return {}
    with os.scandir(folder) as entries:
        return {
            e.name: (e.stat().st_mtime_ns, e.stat().st_size)
            for e in entries
            if e.name.endswith(".md")
        }


def changed_posts(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> int:
    """Posts added or rewritten between two snapshots."""
    return sum(1 for name, stat in after.items() if before.get(name) != stat)
