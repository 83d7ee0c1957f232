"""`users/{userId}/notifications/{notificationId}` written: the unread count after a read, and
the push; `userAchievements/{id}` written: an earned achievement's queued notification; and the
schedule that sends deferred pushes once due."""

from __future__ import annotations

from typing import Final

from firebase_functions import scheduler_fn

from mitche.handler_names import HandlerName
from mitche.handlers import (
    achievement_notices,
    count_read,
    default_deps,
    deliver_push,
    send_due_pushes,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "ACHIEVEMENT",
    "DEFERRED_PUSHES",
    "DOCUMENT",
    "on_notification_written",
    "on_user_achievement_written",
    "send_deferred_pushes",
]

DOCUMENT: Final = "users/{userId}/notifications/{notificationId}"
ACHIEVEMENT: Final = "userAchievements/{userAchievementId}"
DEFERRED_PUSHES: Final = "every 5 minutes"
"""How often deferred pushes are looked for: one arrives at most this long after quiet hours
or its rate window end."""


def on_notification_written(event: WrittenEvent) -> None:
    """A notification was written by `notify`, read by its member, or deleted by its TTL."""
    run_handlers(
        event,
        {
            HandlerName.NOTIFICATIONS_READ: count_read,
            HandlerName.NOTIFICATIONS_PUSH: deliver_push,
        },
    )


def on_user_achievement_written(event: WrittenEvent) -> None:
    """A member's achievement progress was written; an earned tier queues a notification."""
    run_handlers(event, {HandlerName.NOTIFY_ACHIEVEMENTS: achievement_notices})


def send_deferred_pushes(event: scheduler_fn.ScheduledEvent) -> None:
    """Send the deferred pushes now due, one push (or digest) per member."""
    deps = default_deps()
    send_due_pushes(deps, deps.now())
