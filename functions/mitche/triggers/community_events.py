"""`communityEvents/{eventId}` and its `registrations/{userId}` written: organisers' and
attendees' awards, and daily analytics."""

from __future__ import annotations

from mitche.handlers import Deps, DocumentChange, award_event, award_registration, count_change
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "REGISTRATION", "on_event_written", "on_registration_written"]

DOCUMENT = "communityEvents/{eventId}"
REGISTRATION = "communityEvents/{eventId}/registrations/{userId}"


def _event_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, "analytics.events", change)


def _registration_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, "analytics.registrations", change)


def on_event_written(event: WrittenEvent) -> None:
    """An event was created, approved, completed or cancelled."""
    run_handlers(event, {"gamification.events": award_event, "analytics.events": _event_analytics})


def on_registration_written(event: WrittenEvent) -> None:
    """A member registered, cancelled, or was checked in."""
    run_handlers(
        event,
        {
            "gamification.registrations": award_registration,
            "analytics.registrations": _registration_analytics,
        },
    )
