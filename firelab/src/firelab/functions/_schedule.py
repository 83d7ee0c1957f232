"""When scheduled functions run: unix-cron (`0 3 * * *`) and App Engine syntax (`every 5 minutes`),
the two forms Cloud Scheduler accepts for `scheduler_fn.on_schedule`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from firelab._errors import FirelabError

__all__ = ["Schedule", "ScheduleError", "parse_schedule"]

_EVERY = re.compile(r"^every\s+(\d+)\s+(minute|minutes|mins|hour|hours|day|days)$")
_UNITS = {"minute": 60, "minutes": 60, "mins": 60, "hour": 3600, "hours": 3600}
_UNITS |= {"day": 86_400, "days": 86_400}
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 6))


class ScheduleError(FirelabError, ValueError):
    """A schedule Cloud Scheduler would not accept, or one that never fires; the message
    quotes the schedule and names the bad part."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """A parsed schedule; `next_after` gives the next run strictly after a moment."""

    text: str
    every_seconds: int | None
    allowed: tuple[frozenset[int], ...]
    zone: ZoneInfo

    def next_after(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.zone)
        if self.every_seconds is not None:
            return local + timedelta(seconds=self.every_seconds)
        candidate = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        minutes, hours, days, months, weekdays = self.allowed
        for _ in range(366 * 24 * 60):
            if (
                candidate.minute in minutes
                and candidate.hour in hours
                and candidate.day in days
                and candidate.month in months
                and (candidate.isoweekday() % 7) in weekdays
            ):
                return candidate
            candidate += timedelta(minutes=1)
        raise ScheduleError(f"schedule {self.text!r} never fires")


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            start_text, end_text = body.split("-", 1)
            start, end = int(start_text), int(end_text)
        else:
            start = int(body)
            end = high if step_text else start
        if name == "weekday" and end == 7:
            values.add(0)
            end = 6
        if not (low <= start <= end <= high) or step < 1:
            raise ValueError(f"cron field {name} {part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def parse_schedule(text: str, time_zone: str | None = None) -> Schedule:
    """Parse a Cloud Scheduler schedule; raises ScheduleError naming the bad part."""
    zone = ZoneInfo(time_zone or "UTC")
    stripped = text.strip()
    every = _EVERY.match(stripped)
    if every:
        seconds = int(every.group(1)) * _UNITS[every.group(2)]
        if seconds <= 0:
            raise ScheduleError(f"schedule {text!r} must repeat after a positive interval")
        return Schedule(stripped, seconds, (), zone)
    parts = stripped.split()
    if len(parts) != len(_FIELDS):
        raise ScheduleError(
            f"schedule {text!r} is neither 'every N minutes|hours|days' nor a 5-field cron line"
        )
    try:
        allowed = tuple(
            _field(part, name, low, high)
            for part, (name, low, high) in zip(parts, _FIELDS, strict=True)
        )
    except ValueError as error:
        raise ScheduleError(f"schedule {text!r}: {error}") from error
    return Schedule(stripped, None, allowed, zone)
