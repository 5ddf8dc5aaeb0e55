"""The rising numeric ids: walk upward from the highest known id until N misses in a row."""

from __future__ import annotations


class IdWalk:
    """Hands out ids above the highest known one, ``misses`` past the highest hit.

    Every id seen anywhere (published posts, sitemaps, feeds, listings, pages fetched) is a hit;
    the walk ends by itself once ``misses`` ids above the highest hit have all been handed out
    without a new hit coming back.

    With a ``probe`` smaller than ``misses`` the walk first hands out only ``probe`` ids: a run
    with nothing new then costs the outlet one request (one 404), not ``misses``. A hit above the
    id the walk started from (the probe found a page, or a sitemap, feed or listing shows a newer
    id, leaving a gap to walk) widens it to ``misses`` past the highest hit.
    """

    def __init__(self, misses: int, probe: int | None = None) -> None:
        self.misses = misses
        self.probe = misses if probe is None else max(1, min(probe, misses))
        self.highest: int | None = None
        self._next: int | None = None
        self._wide = self.probe >= misses

    def hit(self, number: int) -> None:
        if self.highest is None or number > self.highest:
            if self._next is not None:  # a new id above the walk's start: walk further
                self._wide = True
            self.highest = number

    def widen(self) -> None:
        """Walk ``misses`` past the highest hit after all (a probed id that could not be
        fetched may exist); the highest hit stays, so the walk stays bounded."""
        self._wide = True

    @property
    def started(self) -> bool:
        return self._next is not None

    def take(self) -> list[int]:
        """The ids to request now (each id is handed out once)."""
        if self.highest is None or self.misses <= 0:
            return []
        if self._next is None:
            self._next = self.highest + 1  # the walk starts above the highest id known now
        stop = self.highest + (self.misses if self._wide else self.probe)
        ids = list(range(self._next, stop + 1))
        self._next = max(self._next, stop + 1)
        return ids
