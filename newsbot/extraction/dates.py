"""Parse the date formats news pages use into timezone-aware datetimes."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from newsbot.config.validators import DEFAULT_TIME_ZONE

_KOREAN_STYLE = re.compile(
    r"(?P<y>\d{4})\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})(?:\s*일)?"
    r"(?:[\sT]+(?:(?P<ampm>오전|오후)\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def parse_datetime(value: object, default_tz: str | tzinfo = DEFAULT_TIME_ZONE) -> datetime | None:
    """ISO 8601, RFC 822 or "2024.06.12 14:30" -> aware datetime; naive values get default_tz."""
    tz = ZoneInfo(default_tz) if isinstance(default_tz, str) else default_tz
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = _parse_korean_style(text)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _parse_korean_style(text: str) -> datetime | None:
    match = _KOREAN_STYLE.search(text)
    if not match:
        return None
    hour = int(match["H"] or 0)
    if match["ampm"] == "오후" and hour < 12:
        hour += 12
    try:
        return datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            hour,
            int(match["M"] or 0),
            int(match["S"] or 0),
        )
    except ValueError:
        return None


def parse_day(value: object) -> date | None:
    """A day given as ``YYYY-MM-DD`` (or a date) -> date; None when empty (``NEWSBOT_SINCE``)."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
