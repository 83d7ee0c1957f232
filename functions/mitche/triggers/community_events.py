"""`communityEvents/{eventId}` and its `registrations/{userId}` written: approval, places and
counts, cancellation, organisers' and attendees' awards, and daily analytics; the reminder
schedule."""

from __future__ import annotations

from typing import Final

from firebase_functions import scheduler_fn

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    award_event,
    award_registration,
    count_change,
    default_deps,
    on_event_change,
    remind_upcoming_events,
    screen_content,
    settle_registration,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "DOCUMENT",
    "REGISTRATION",
    "REMINDERS",
    "on_event_written",
    "on_registration_written",
    "remind_attendees",
]

DOCUMENT = "communityEvents/{eventId}"
REGISTRATION = "communityEvents/{eventId}/registrations/{userId}"
REMINDERS: Final = "every 30 minutes"
"""How often the reminder schedule runs (its window is `REMINDER_INTERVAL`, the same)."""


def _event_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_EVENTS, change)


def _registration_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_REGISTRATIONS, change)


def on_event_written(event: WrittenEvent) -> None:
    """An event was created, approved, completed or cancelled."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.EVENTS_APPROVAL: on_event_change,
            HandlerName.GAMIFICATION_EVENTS: award_event,
            HandlerName.ANALYTICS_EVENTS: _event_analytics,
        },
    )


def on_registration_written(event: WrittenEvent) -> None:
    """A member registered, cancelled, or was checked in."""
    run_handlers(
        event,
        {
            HandlerName.EVENTS_PLACES: settle_registration,
            HandlerName.GAMIFICATION_REGISTRATIONS: award_registration,
            HandlerName.ANALYTICS_REGISTRATIONS: _registration_analytics,
        },
    )


def remind_attendees(event: scheduler_fn.ScheduledEvent) -> None:
    """Remind registered members of the events starting a day after this run."""
    deps = default_deps()
    remind_upcoming_events(deps, event.schedule_time or deps.now())
