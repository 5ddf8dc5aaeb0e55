"""What extraction says about a page that is not an article to publish."""

from __future__ import annotations


class NotAnArticle(Exception):
    """The page is not an article to publish. ``reason`` is a short stats key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason
