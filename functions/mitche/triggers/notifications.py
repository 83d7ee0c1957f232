"""`users/{userId}/notifications/{notificationId}` written: the unread count after a read, and
the push; and the schedule that sends deferred pushes once due."""

from __future__ import annotations

from typing import Final

from firebase_functions import scheduler_fn

from mitche.handler_names import HandlerName
from mitche.handlers import count_read, default_deps, deliver_push, send_due_pushes
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DEFERRED_PUSHES", "DOCUMENT", "on_notification_written", "send_deferred_pushes"]

DOCUMENT: Final = "users/{userId}/notifications/{notificationId}"
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


def send_deferred_pushes(event: scheduler_fn.ScheduledEvent) -> None:
    """Send the deferred pushes now due, one push (or digest) per member."""
    deps = default_deps()
    send_due_pushes(deps, deps.now())
