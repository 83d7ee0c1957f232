"""Streaks count consecutive active days in the member's time zone and only move forwards."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.streaks import current_streak_days, record_active_day
from mitche.models.users import Streak

PARIS = "Europe/Paris"
KIRITIMATI = "Pacific/Kiritimati"
"""UTC+14."""
NIUE = "Pacific/Niue"
"""UTC-11."""
NOON = dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)
"""Noon in Paris on Monday 23 November 2026."""


def make_streak(current: int, longest: int, last: str | None) -> Streak:
    return Streak(current_days=current, longest_days=longest, last_active_day=last)


@pytest.mark.parametrize(
    ("before", "after", "new_day"),
    [
        (make_streak(0, 0, None), make_streak(1, 1, "2026-11-23"), True),
        (make_streak(4, 9, "2026-11-23"), make_streak(4, 9, "2026-11-23"), False),
        (make_streak(4, 9, "2026-11-22"), make_streak(5, 9, "2026-11-23"), True),
        (make_streak(9, 9, "2026-11-22"), make_streak(10, 10, "2026-11-23"), True),
        (make_streak(4, 9, "2026-11-21"), make_streak(1, 9, "2026-11-23"), True),
        (make_streak(4, 9, "2026-11-24"), make_streak(4, 9, "2026-11-24"), False),
    ],
    ids=["first-day", "same-day", "next-day", "new-longest", "gap-resets", "late-event"],
)
def test_record_active_day(before: Streak, after: Streak, new_day: bool) -> None:
    """Same day: no change; next day: +1; a gap: back to 1; an older day: no change. A day
    that counts records the zone the streak is counted in."""
    update = record_active_day(before, NOON, PARIS)
    if new_day:
        after = after.model_copy(update={"time_zone": PARIS})
    assert (update.streak, update.new_active_day) == (after, new_day)


def test_a_new_time_zone_applies_from_the_next_streak() -> None:
    """A member whose streak is counted in Paris moves to Kiritimati (UTC+14): the running
    streak keeps Paris days; after a missed day the new streak counts Kiritimati days."""
    streak = make_streak(3, 3, "2026-11-23").model_copy(update={"time_zone": PARIS})
    evening = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)
    assert not record_active_day(streak, evening, KIRITIMATI).new_active_day
    later = record_active_day(streak, evening + dt.timedelta(days=2), KIRITIMATI)
    assert (later.current_days, later.streak.time_zone) == (1, KIRITIMATI)
    assert later.streak.last_active_day == "2026-11-26"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30 * 60),
            st.sampled_from([KIRITIMATI, "UTC", PARIS, NIUE, "Pacific/Pago_Pago"]),
        ),
        min_size=2,
        max_size=40,
    )
)
def test_switching_time_zones_never_makes_three_days_within_24_hours(
    steps: list[tuple[int, str]],
) -> None:
    """Whatever zones a member switches between awards, no three active days are counted
    within 24 hours (as in any single zone), so streaks and daysActive cannot be inflated."""
    at, streak = NOON, Streak()
    new_days: list[dt.datetime] = []
    for minutes, time_zone in steps:
        at += dt.timedelta(minutes=minutes)
        update = record_active_day(streak, at, time_zone)
        streak = update.streak
        if update.new_active_day:
            new_days.append(at)
    for first, third in zip(new_days, new_days[2:], strict=False):
        assert third - first >= dt.timedelta(hours=24)


def test_days_are_the_members_days() -> None:
    """00:30 in Paris is already the next day there, though still the previous day in UTC."""
    half_past_midnight = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    update = record_active_day(make_streak(2, 2, "2026-11-23"), half_past_midnight, PARIS)
    assert (update.current_days, update.streak.last_active_day) == (3, "2026-11-24")
    utc = record_active_day(make_streak(2, 2, "2026-11-23"), half_past_midnight, "UTC")
    assert not utc.new_active_day


@pytest.mark.parametrize(
    ("last", "expected"), [("2026-11-23", 4), ("2026-11-22", 4), ("2026-11-21", 0), (None, 0)]
)
def test_current_streak_reads_a_broken_streak_as_zero(last: str | None, expected: int) -> None:
    """A streak is alive while its last day is today or yesterday, zero after a missed day."""
    streak = make_streak(4 if last else 0, 7, last)
    assert current_streak_days(streak, NOON, PARIS) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=3 * 24 * 60), min_size=1, max_size=40),
    st.sampled_from(["UTC", PARIS, "America/Los_Angeles", "Pacific/Kiritimati"]),
)
def test_streak_never_exceeds_the_days_elapsed(gaps: list[int], time_zone: str) -> None:
    """However activity is spread, the streak is at most the days since the first active day
    (inclusive), the longest streak covers it and never shrinks, and a redelivery changes
    nothing."""
    at, streak = NOON, Streak()
    first_day: dt.date | None = None
    for minutes in gaps:
        at += dt.timedelta(minutes=minutes)
        update = record_active_day(streak, at, time_zone)
        assert update.streak.longest_days >= streak.longest_days
        streak = update.streak
        assert streak.last_active_day is not None
        last = dt.date.fromisoformat(streak.last_active_day)
        first_day = first_day or last
        assert 1 <= streak.current_days <= (last - first_day).days + 1
        assert streak.current_days <= streak.longest_days
        assert record_active_day(streak, at, time_zone).streak == streak
