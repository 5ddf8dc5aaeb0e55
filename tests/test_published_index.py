"""The index of what the blog has: the posts' own front matter, read again only for posts that
changed since the last run (a cache in newsbot's state folder, checked by size and time)."""

from __future__ import annotations

import os
from pathlib import Path

from newsbot.blog.post_index import PublishedIndex


def post(folder: Path, name: str, url: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: t\nsource_url: {url}\n---\n\nbody\n", encoding="utf-8")
    return path


def test_the_cache_gives_the_same_index_and_sees_every_change(tmp_path):
    posts, cache = tmp_path / "_posts", tmp_path / ".newsbot" / "published.json"
    first = post(posts, "2024-06-01-a.md", "https://newsdao.kr/1")
    post(posts, "2024/2024-06-02-b.md", "https://newsdao.kr/2")  # a subfolder counts too
    (posts / "notes.txt").write_text("not a post", encoding="utf-8")

    cold = PublishedIndex.load(posts, cache=cache)
    assert cache.is_file()
    warm = PublishedIndex.load(posts, cache=cache)
    assert (
        {p.source_url for p in cold}
        == {p.source_url for p in warm}
        == {
            "https://newsdao.kr/1",
            "https://newsdao.kr/2",
        }
    )
    assert warm.get("https://newsdao.kr/2").path == posts / "2024" / "2024-06-02-b.md"

    # edited by hand to another article, removed, added: each seen on the next load
    first.write_text(first.read_text().replace("/1", "/9"), encoding="utf-8")
    os.utime(first, ns=(1, 1))  # even with an old time stamp, the size differs
    (posts / "2024" / "2024-06-02-b.md").unlink()
    post(posts, "2024-06-03-c.md", "https://newsdao.kr/3")
    again = PublishedIndex.load(posts, cache=cache)
    assert {p.source_url for p in again} == {"https://newsdao.kr/9", "https://newsdao.kr/3"}


def test_a_missing_or_broken_cache_is_rebuilt_from_the_posts(tmp_path):
    posts, cache = tmp_path / "_posts", tmp_path / ".newsbot" / "published.json"
    post(posts, "2024-06-01-a.md", "https://newsdao.kr/1")
    cache.parent.mkdir()
    cache.write_text("{not json", encoding="utf-8")
    assert "https://newsdao.kr/1" in PublishedIndex.load(posts, cache=cache)
    cache.unlink()
    assert "https://newsdao.kr/1" in PublishedIndex.load(posts, cache=cache)
    assert "https://newsdao.kr/1" in PublishedIndex.load(posts)  # and without one at all


def test_posts_written_as_html_or_markdown_files_are_in_the_index(tmp_path):
    # profiles may name post files .md, .markdown or .html: a blog of .html posts was
    # re-fetched in full on every run while the index read only *.md
    posts, cache = tmp_path / "_posts", tmp_path / ".newsbot" / "published.json"
    post(posts, "2024-06-01-a.html", "https://newsdao.kr/1")
    post(posts, "2024-06-02-b.markdown", "https://newsdao.kr/2")
    post(posts, "2024-06-03-c.md", "https://newsdao.kr/3")
    for index in (PublishedIndex.load(posts, cache=cache), PublishedIndex.load(posts)):
        assert {p.source_url for p in index} == {
            "https://newsdao.kr/1",
            "https://newsdao.kr/2",
            "https://newsdao.kr/3",
        }
