"""Daily activity streaks, counted in the member's own days.

An active day is a day on which the member earned points (the hope point trigger calls
`record_active_day` before pricing, so today's award already carries today's streak bonus).
Rules:
* the same day again changes nothing;
* the day after the last active day extends the streak by one;
* any later day starts a new streak of one;
* the longest streak is the maximum ever reached.

Design choices, and why:
* Days are counted in the member's time zone (`preferences.timeZone`), because a streak is a
  promise made to the member ("seven days in a row") and their days are the ones they live.
  Caps, which guard against abuse, use UTC instead (see hope_points).
* A streak is counted in one time zone from its first day to its last (`Streak.timeZone`,
  the member's zone when it started); a change of `preferences.timeZone` applies from the
  next streak. Were each day counted in the zone of the moment, switching zones between
  awards would make three "days" of two minutes (Pacific/Kiritimati, UTC, Pacific/Niue) and
  keep a streak alive across a missed day. With one zone per streak, no three active days
  fall within 24 hours, as in any fixed zone.
* An activity dated before the last active day (an event delivered late) changes nothing: a
  streak only moves forwards, which keeps it independent of delivery order once the last day
  is reached and makes a redelivery harmless.
* A stored streak whose last day is older than yesterday is broken, but nothing rewrites the
  document at midnight: readers use `current_streak_days`, which reads it as zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mitche.domain._calendar import day_key, day_of, parse_day_key
from mitche.models.users import Streak

__all__ = [
    "StreakUpdate",
    "current_streak_days",
    "record_active_day",
]

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StreakUpdate:
    """The streak after an activity, and what the activity meant."""

    streak: Streak
    new_active_day: bool
    """Whether this is the member's first activity of the day (days-active counters, the
    daily analytics' active users)."""

    @property
    def current_days(self) -> int:
        """Length of the streak after the activity."""
        return self.streak.current_days


def record_active_day(streak: Streak, at: dt.datetime, time_zone: str) -> StreakUpdate:
    """The streak once the member was active at `at`: counted in the streak's own zone, and
    from a new streak on in `time_zone` (the member's zone now)."""
    zone = time_zone
    today = day_of(at, time_zone)
    if streak.last_active_day is None:
        current = 1
    else:
        last = parse_day_key(streak.last_active_day)
        pinned = streak.time_zone or time_zone
        in_streak_zone = day_of(at, pinned)
        if in_streak_zone <= last:
            return StreakUpdate(streak, new_active_day=False)
        if in_streak_zone - last == _ONE_DAY:
            current, zone, today = streak.current_days + 1, pinned, in_streak_zone
        else:
            current = 1
    updated = Streak(
        current_days=current,
        longest_days=max(streak.longest_days, current),
        last_active_day=day_key(today),
        time_zone=zone,
    )
    return StreakUpdate(updated, new_active_day=True)


def current_streak_days(streak: Streak, now: dt.datetime, time_zone: str) -> int:
    """The streak as of `now`: the stored length while it is alive (last active today or
    yesterday, in the streak's zone), zero once a day was missed."""
    if streak.last_active_day is None:
        return 0
    last = parse_day_key(streak.last_active_day)
    today = day_of(now, streak.time_zone or time_zone)
    return streak.current_days if today - last <= _ONE_DAY else 0
