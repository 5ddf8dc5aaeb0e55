"""The rising numeric ids: walk upward from the highest known id until N misses in a row."""

from __future__ import annotations


class IdWalk:
    """Hands out ids above the highest known one, ``misses`` past the highest hit.

    Every id seen anywhere (published posts, sitemaps, feeds, listings, pages fetched) is a hit;
    the walk ends by itself once ``misses`` ids above the highest hit have all been handed out
    without a new hit coming back.
    """

    def __init__(self, misses: int) -> None:
        self.misses = misses
        self.highest: int | None = None
        self._next: int | None = None

    def hit(self, number: int) -> None:
        if self.highest is None or number > self.highest:
            self.highest = number

    @property
    def started(self) -> bool:
        return self._next is not None

    def take(self) -> list[int]:
        """The ids to request now (each id is handed out once)."""
        if self.highest is None or self.misses <= 0:
            return []
        if self._next is None:
            self._next = self.highest + 1  # the walk starts above the highest id known now
        stop = self.highest + self.misses
        ids = list(range(self._next, stop + 1))
        self._next = max(self._next, stop + 1)
        return ids
