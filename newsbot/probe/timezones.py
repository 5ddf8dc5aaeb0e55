"""Which IANA timezone an outlet writes its dates in, from the UTC offsets of the dates it gives.

An offset alone names no zone (+09:00 is Seoul and Tokyo), but offsets across the year do
(-05:00 in January and -04:00 in May is New York, not Chicago), and the page language settles
the rest (+09:00 on a Korean page is Seoul). Only the zones of a list of major news markets are
considered first, then every IANA zone; a zone is proposed only when one fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from newsbot.extraction.dates import parse_datetime

# The zones of the main news markets, in the order a tie is reported.
PREFERRED_ZONES = (
    "UTC", "Asia/Seoul", "Asia/Tokyo", "Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong",
    "Asia/Singapore", "Asia/Manila", "Asia/Jakarta", "Asia/Bangkok", "Asia/Ho_Chi_Minh",
    "Asia/Kolkata", "Asia/Dubai", "Asia/Jerusalem", "Europe/London", "Europe/Dublin",
    "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
    "Europe/Amsterdam", "Europe/Warsaw", "Europe/Athens", "Europe/Kyiv", "Europe/Istanbul",
    "Europe/Moscow", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Halifax",
    "America/Mexico_City", "America/Bogota", "America/Lima", "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires", "America/Santiago", "Australia/Sydney",
    "Australia/Brisbane", "Australia/Perth", "Pacific/Auckland",
)  # fmt: skip
# Zones where a page language is the main one: breaks a tie between zones of the same offsets.
LANGUAGE_ZONES = {
    "ko": ("Asia/Seoul",),
    "ja": ("Asia/Tokyo",),
    "zh": ("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore"),
    "de": ("Europe/Berlin",),
    "fr": ("Europe/Paris",),
    "it": ("Europe/Rome",),
    "nl": ("Europe/Amsterdam",),
    "pl": ("Europe/Warsaw",),
    "pt": ("Europe/Lisbon", "America/Sao_Paulo"),
    "es": ("Europe/Madrid", "America/Mexico_City", "America/Bogota", "America/Lima",
           "America/Argentina/Buenos_Aires", "America/Santiago"),
    "en": ("Europe/London", "Europe/Dublin", "America/New_York", "America/Chicago",
           "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
           "Pacific/Honolulu", "America/Halifax", "Australia/Sydney", "Australia/Brisbane",
           "Australia/Perth", "Pacific/Auckland", "Asia/Singapore", "Asia/Manila",
           "Asia/Kolkata", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi"),
}  # fmt: skip
DEFAULT_ZONE = "UTC"


@dataclass(frozen=True)
class TimezoneGuess:
    name: str  # an IANA name
    source: str  # "offsets", "option" or "default"
    reason: str  # one line for the operator


class _NoOffset(tzinfo):
    """Marks a date parsed without an offset of its own."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "no offset"


_NO_OFFSET = _NoOffset()


def dates_with_offsets(values: Iterable[object]) -> list[datetime]:
    """The dates among ``values`` (strings as pages, feeds and sitemaps write them) that carry
    their own UTC offset; dates without one say nothing about the zone."""
    found = []
    for value in values:
        parsed = parse_datetime(value, _NO_OFFSET)
        if parsed is not None and parsed.tzinfo is not _NO_OFFSET:
            found.append(parsed)
    return found


def zones_fitting(dates: Sequence[datetime], zones: Iterable[str]) -> list[str]:
    """The zones whose offset at each date's local time is the offset the date was written with."""
    return [name for name in zones if all(_fits(_zone(name), d) for d in dates)]


def infer_timezone(
    dates: Sequence[datetime], language: str | None = None, given: str | None = None
) -> TimezoneGuess:
    """The outlet's zone: the one zone its offsets fit, else ``given`` (``--timezone``), else UTC.

    ``given`` is taken as well when it fits the offsets (+09:00 on an English page: the
    operator says Tokyo); when it does not fit them, the zone they show wins and the reason
    says so.
    """
    if not dates:
        if given:
            return TimezoneGuess(given, "option", "given with --timezone (no date on the site "
                                 "carries an offset)")  # fmt: skip
        return TimezoneGuess(DEFAULT_ZONE, "default", "no date on the site carries an offset; "
                             "pass --timezone if its times are local")  # fmt: skip
    offsets = _describe(dates)
    if given and zones_fitting(dates, [given]):
        return TimezoneGuess(given, "option", f"given with --timezone; fits the site's {offsets}")
    candidates = zones_fitting(dates, PREFERRED_ZONES) or _one_per_rule(
        zones_fitting(dates, sorted(available_timezones()))
    )
    chosen = _choose(candidates, dates, language)
    if chosen:
        reason = f"from the {offsets}"
        if given:
            reason += f" (--timezone {given} does not fit them)"
        return TimezoneGuess(chosen, "offsets", reason)
    fits = ", ".join(candidates[:6]) + (", …" if len(candidates) > 6 else "")
    why = f"the {offsets} fit {fits or 'no known zone'}"
    if given:
        return TimezoneGuess(given, "option", f"given with --timezone; {why}")
    return TimezoneGuess(DEFAULT_ZONE, "default", f"{why}: pass --timezone to choose")


def _choose(candidates: list[str], dates: Sequence[datetime], language: str | None) -> str | None:
    if len(candidates) == 1:
        return candidates[0]
    if "UTC" in candidates and all(d.utcoffset() == timedelta(0) for d in dates):
        return "UTC"  # dates written in UTC: the site's own zone does not show
    primary = (language or "").split("-")[0].split("_")[0].lower()
    local = [z for z in candidates if z in LANGUAGE_ZONES.get(primary, ())]
    return local[0] if len(local) == 1 else None


def _describe(dates: Sequence[datetime]) -> str:
    offsets = sorted({_offset_text(d) for d in dates})
    noun = "date" if len(dates) == 1 else "dates"
    return f"offsets of {len(dates)} {noun} ({', '.join(offsets)})"


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _one_per_rule(zones: list[str]) -> list[str]:
    """Zones that keep the same time today (an alias, a neighbour) once: the first by name."""
    seen: dict[tuple[timedelta | None, ...], str] = {}
    for name in zones:
        seen.setdefault(_rule(name), name)
    return list(seen.values())


@cache
def _rule(name: str) -> tuple[timedelta | None, ...]:
    """A zone's offsets on the 1st and 15th of every month of two recent years."""
    zone = _zone(name)
    return tuple(
        zone.utcoffset(datetime(year, month, day, 12))
        for year in (2024, 2025)
        for month in range(1, 13)
        for day in (1, 15)
    )


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _fits(zone: ZoneInfo, moment: datetime) -> bool:
    local = moment.replace(tzinfo=None)
    return zone.utcoffset(local) == moment.utcoffset()
