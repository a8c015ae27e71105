"""One clock for the whole app, so tests and demo data can fix "today".

``TRACKER_TODAY=YYYY-MM-DD`` (or :func:`set_today`) pins the date; otherwise it is the
current date in the organisation's time zone (``TRACKER_TZ``, default Europe/Brussels).
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

_fixed: dt.date | None = None


def zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("TRACKER_TZ", "Europe/Brussels"))


def set_today(day: dt.date | None) -> None:
    """Pin today's date (None releases it)."""
    global _fixed
    _fixed = day


def today() -> dt.date:
    if _fixed is not None:
        return _fixed
    env = os.environ.get("TRACKER_TODAY")
    if env:
        return dt.date.fromisoformat(env)
    return dt.datetime.now(zone()).date()


def now() -> dt.datetime:
    """Current time as a naive UTC timestamp, as stored in the database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local(ts: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) timestamp in the organisation's time zone."""
    return ts.replace(tzinfo=dt.UTC).astimezone(zone())


def format_date(day: dt.date | None) -> str:
    """Dates as users write them: 27 Nov 2026."""
    if day is None:
        return ""
    return f"{day.day} {day.strftime('%b %Y')}"


def format_timestamp(ts: dt.datetime | None) -> str:
    if ts is None:
        return ""
    loc = local(ts)
    return f"{format_date(loc.date())} {loc.strftime('%H:%M')}"
