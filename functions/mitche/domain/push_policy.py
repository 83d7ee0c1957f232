"""Whether, and when, a notification is pushed to a member's devices: plain rules over the
member's settings, their time zone and the push rate window.

In order: the push channel off, or the kind's topic off, means no push (the in-app entry is
always written); no device means no push; inside the member's quiet hours (in their time zone,
possibly spanning midnight) the push is deferred to the window's end; over the rate limit
(`RATE_LIMIT` pushes per `RATE_WINDOW`) it is deferred to the window's end; otherwise it is
sent now. Deferred pushes of one member that fall due together go out as one digest.
Moderation and reveal notices have no topic: only the push channel silences them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mitche.models import (
    NotificationKind,
    NotificationSettings,
    PushStatus,
    QuietHours,
)

__all__ = [
    "RATE_LIMIT",
    "RATE_WINDOW",
    "TOPIC_OF",
    "PushDecision",
    "RateWindow",
    "decide_push",
    "quiet_until",
]

RATE_LIMIT: Final = 5
"""Pushes a member receives at most per window; the rest wait for a digest."""
RATE_WINDOW: Final = dt.timedelta(minutes=15)

TOPIC_OF: Final[Mapping[NotificationKind, str | None]] = {
    NotificationKind.OFFERING_RECEIVED: "request_updates",
    NotificationKind.REQUEST_EXPIRING: "request_updates",
    NotificationKind.URGENT_REQUEST: "nearby_requests",
    NotificationKind.OFFERING_ACCEPTED: "offering_updates",
    NotificationKind.OFFERING_DECLINED: "offering_updates",
    NotificationKind.NEW_MESSAGE: "new_messages",
    NotificationKind.REVEAL_REQUESTED: None,
    NotificationKind.REVEAL_COMPLETED: None,
    NotificationKind.EVENT_REGISTRATION_CONFIRMED: "event_reminders",
    NotificationKind.EVENT_REGISTRATION_WAITLISTED: "event_reminders",
    NotificationKind.EVENT_REGISTRATION_PROMOTED: "event_reminders",
    NotificationKind.EVENT_REGISTRATION_CANCELLED: "event_reminders",
    NotificationKind.EVENT_REMINDER: "event_reminders",
    NotificationKind.STORY_NOMINATED: "community_news",
    NotificationKind.STORY_APPROVED: "community_news",
    NotificationKind.ACHIEVEMENT_EARNED: "achievements",
    NotificationKind.LEVEL_UP: "achievements",
    NotificationKind.REPORT_RESOLVED: None,
    NotificationKind.CONTENT_MODERATED: None,
    NotificationKind.DATA_EXPORT_READY: None,
}
"""The `NotificationTopics` field (snake_case attribute) that silences each kind's push."""


@dataclass(frozen=True, slots=True)
class RateWindow:
    """The member's push window as stored in their inbox summary."""

    started_at: dt.datetime | None = None
    pushes: int = 0

    def current(self, now: dt.datetime) -> RateWindow:
        """The window that holds `now` (a fresh one once the stored window ended)."""
        if self.started_at is None or now >= self.started_at + RATE_WINDOW:
            return RateWindow(now, 0)
        return self

    def counted(self, now: dt.datetime) -> RateWindow:
        """The window after one more push at `now`."""
        window = self.current(now)
        return RateWindow(window.started_at, window.pushes + 1)


@dataclass(frozen=True, slots=True)
class PushDecision:
    """What to do with one notification's push."""

    status: PushStatus
    """SENT (send now), DEFERRED (until `due_at`) or SKIPPED."""
    reason: str | None = None
    due_at: dt.datetime | None = None


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _minutes(local_time: str) -> int:
    hours, minutes = local_time.split(":")
    return int(hours) * 60 + int(minutes)


def quiet_until(
    now: dt.datetime, quiet_hours: QuietHours | None, time_zone: str
) -> dt.datetime | None:
    """The end of the quiet window holding `now` (in the member's zone), as an aware time;
    None outside quiet hours. A window may span midnight (22:00 to 07:00)."""
    if quiet_hours is None:
        return None
    local = now.astimezone(_zone(time_zone))
    start, end = _minutes(quiet_hours.starts_at), _minutes(quiet_hours.ends_at)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    day = local.date() if minute < end else local.date() + dt.timedelta(days=1)
    naive = dt.datetime.combine(day, dt.time(end // 60, end % 60))
    return naive.replace(tzinfo=local.tzinfo).astimezone(dt.UTC)


def decide_push(
    kind: NotificationKind,
    settings: NotificationSettings,
    time_zone: str,
    *,
    devices: int,
    window: RateWindow,
    now: dt.datetime,
) -> PushDecision:
    """The push decision for one notification (see the module for the order)."""
    if not settings.channels.push:
        return PushDecision(PushStatus.SKIPPED, "pushOff")
    topic = TOPIC_OF[kind]
    if topic is not None and not getattr(settings.topics, topic):
        return PushDecision(PushStatus.SKIPPED, "topicOff")
    if devices == 0:
        return PushDecision(PushStatus.SKIPPED, "noDevice")
    quiet_end = quiet_until(now, settings.quiet_hours, time_zone)
    if quiet_end is not None:
        return PushDecision(PushStatus.DEFERRED, "quietHours", quiet_end)
    current = window.current(now)
    if current.pushes >= RATE_LIMIT:
        assert current.started_at is not None
        return PushDecision(PushStatus.DEFERRED, "rateLimit", current.started_at + RATE_WINDOW)
    return PushDecision(PushStatus.SENT)
