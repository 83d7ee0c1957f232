"""Scheduled functions: the daily analytics roll-up and the lifting of ended suspensions."""

from __future__ import annotations

from typing import Final

from firebase_functions import scheduler_fn

from mitche.handlers import days_to_roll_up, default_deps, lift_suspensions, roll_up_day

__all__ = ["DAILY", "HOURLY", "daily_analytics", "hourly_suspensions"]

DAILY: Final = "15 0 * * *"
"""Every day at 00:15 (UTC unless the deploy sets another time zone)."""
HOURLY: Final = "every 1 hours"


def daily_analytics(event: scheduler_fn.ScheduledEvent) -> None:
    """Roll up the analytics days that ended last (in the analytics time zone)."""
    deps = default_deps()
    settings = deps.settings.analytics(deps.client)
    for day in days_to_roll_up(event.schedule_time, settings.time_zone):
        roll_up_day(deps, day)


def hourly_suspensions(event: scheduler_fn.ScheduledEvent) -> None:
    """Lift the suspensions that ended since the last run."""
    lift_suspensions(default_deps())
