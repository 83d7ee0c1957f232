"""Scheduled functions: the daily analytics roll-up, the lifting of ended suspensions and the
expiry of overdue requests."""

from __future__ import annotations

from typing import Final

from firebase_functions import scheduler_fn

from mitche.handlers import (
    days_to_roll_up,
    default_deps,
    expire_overdue_requests,
    lift_suspensions,
    roll_up_day,
    warn_expiring_requests,
)

__all__ = ["DAILY", "EXPIRY", "HOURLY", "daily_analytics", "expire_requests", "hourly_suspensions"]

DAILY: Final = "15 0 * * *"
"""Every day at 00:15 (UTC unless the deploy sets another time zone)."""
HOURLY: Final = "every 1 hours"
EXPIRY: Final = "every 15 minutes"
"""How often overdue requests are expired: a request leaves the feeds at most this long after
its deadline (the feeds' own `deadline` filters hide it from the 'due soon' tab at once)."""


def daily_analytics(event: scheduler_fn.ScheduledEvent) -> None:
    """Roll up the analytics days that ended last (in the analytics time zone)."""
    deps = default_deps()
    settings = deps.settings.analytics(deps.client)
    for day in days_to_roll_up(event.schedule_time, settings.time_zone):
        roll_up_day(deps, day)


def hourly_suspensions(event: scheduler_fn.ScheduledEvent) -> None:
    """Lift the suspensions that ended since the last run."""
    lift_suspensions(default_deps())


def expire_requests(event: scheduler_fn.ScheduledEvent) -> None:
    """Expire the open and in-progress requests whose deadline has passed, and tell the
    requesters whose deadline is a day away."""
    deps = default_deps()
    now = deps.now()
    expire_overdue_requests(deps, now)
    warn_expiring_requests(deps, now)
