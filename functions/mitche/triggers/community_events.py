"""`communityEvents/{eventId}` and its `registrations/{userId}` written: organisers' and
attendees' awards, and daily analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    award_event,
    award_registration,
    count_change,
    screen_content,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "REGISTRATION", "on_event_written", "on_registration_written"]

DOCUMENT = "communityEvents/{eventId}"
REGISTRATION = "communityEvents/{eventId}/registrations/{userId}"


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
            HandlerName.GAMIFICATION_EVENTS: award_event,
            HandlerName.ANALYTICS_EVENTS: _event_analytics,
        },
    )


def on_registration_written(event: WrittenEvent) -> None:
    """A member registered, cancelled, or was checked in."""
    run_handlers(
        event,
        {
            HandlerName.GAMIFICATION_REGISTRATIONS: award_registration,
            HandlerName.ANALYTICS_REGISTRATIONS: _registration_analytics,
        },
    )
