"""Days and ISO weeks, the windows the rules of the game count in.

Two clocks, on purpose:
* anti-abuse windows (hope point caps, the weekly leaderboard, analytics days unless configured)
  count in a time zone no client can change, UTC by default: if caps followed the member's own
  time zone, which the member writes, switching it back and forth would open a fresh window
  each time;
* member-facing days (the activity streak) count in the member's time zone, because "I helped
  every day this week" means the member's days.
Keys are strings (`2026-11-24`, `2026-W48`) so they can be stored next to the counters they
label and compared with equality only.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from mitche.models.common import time_zone

__all__ = [
    "UTC",
    "day_key",
    "day_of",
    "iso_week_key",
    "iso_week_start",
    "parse_day_key",
    "require_aware",
    "stored_moment",
    "week_of",
    "zone",
]

UTC: Final = dt.UTC


def stored_moment(value: object) -> dt.datetime | None:
    """A timestamp read from a document as an aware datetime (a naive one is UTC, as Firestore
    stores it); None when the value is no timestamp."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return None


def zone(name: str) -> dt.tzinfo:
    """The IANA time zone `name` ("Europe/Paris"); UTC when the time zone database does not
    know it (the models accept any well-formed name, see `TimeZoneName`)."""
    return time_zone(name)


def require_aware(at: dt.datetime) -> dt.datetime:
    """`at` itself, once checked to carry a time zone (a naive time has no day to count in)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no time zone; pass an aware datetime")
    return at


def day_of(at: dt.datetime, time_zone: str = "UTC") -> dt.date:
    """The calendar day `at` falls on in `time_zone`."""
    return require_aware(at).astimezone(zone(time_zone)).date()


def day_key(day: dt.date) -> str:
    """The stored form of a day, `YYYY-MM-DD`."""
    return day.isoformat()


def parse_day_key(key: str) -> dt.date:
    """The day a `YYYY-MM-DD` key names; ValueError for anything else."""
    day = dt.date.fromisoformat(key)
    if day.isoformat() != key:
        raise ValueError(f"{key!r} is not a day written YYYY-MM-DD")
    return day


def iso_week_key(day: dt.date) -> str:
    """The ISO week of `day`, `YYYY-Www` with the ISO year (2027-01-01 is in 2026-W53)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_of(at: dt.datetime, time_zone: str = "UTC") -> str:
    """The ISO week key of the day `at` falls on in `time_zone`."""
    return iso_week_key(day_of(at, time_zone))


def iso_week_start(key: str) -> dt.date:
    """The Monday that starts the ISO week `YYYY-Www`; ValueError for anything else."""
    year_text, sep, week_text = key.partition("-W")
    try:
        monday = dt.date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError:
        monday = None
    if not sep or monday is None or iso_week_key(monday) != key:
        raise ValueError(f"{key!r} is not an ISO week written YYYY-Www")
    return monday
