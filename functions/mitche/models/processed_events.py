"""Idempotency markers of Cloud Functions: `.../processedEvents/{markerId}`, server-only.

Firestore triggers are delivered at least once, sometimes twice, out of order or concurrently.
A handler whose effect is not naturally idempotent creates a marker in the same transaction or
batch as its effect; the marker's id derives from the handler's name and the event id, and it is
written with `create`, so a second delivery of the same event fails atomically and changes
nothing. Markers live next to the data they protect (`users/{userId}/processedEvents/...` for a
member's points and stats, `analytics/{day}/processedEvents/...` for a day's counters) and expire
through the `expiresAt` TTL field (a Firestore TTL policy on the `processedEvents` collection
group deletes them), long after any redelivery could arrive.

Nobody but Cloud Functions reads or writes them; the rules deny every client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.handler_names import HandlerName
from mitche.models._base import SERVER, MitcheModel, Timestamp

__all__ = [
    "MARKER_RETENTION",
    "PROCESSED_EVENTS",
    "ProcessedEvent",
    "processed_event_id",
]

PROCESSED_EVENTS: Final = "processedEvents"
"""Collection id of the markers, below the document whose data they protect."""

MARKER_RETENTION: Final = dt.timedelta(days=30)
"""How long a marker is kept: redeliveries arrive within minutes or hours, never weeks."""

_REGISTERED: Final = frozenset(name.value for name in HandlerName)

_Handler = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-zA-Z][a-zA-Z0-9.]*$")]


def processed_event_id(handler: HandlerName, event_id: str) -> str:
    """The marker document id of `handler` having processed event `event_id`: a hash, so any
    event id (they may contain '/') makes a valid, bounded document id. Only a registered
    handler name (`HandlerName`) makes a marker, so no typo can start a second key space."""
    if handler not in _REGISTERED:
        raise ValueError(f"{handler!r} is not a registered handler name (mitche.handler_names)")
    if not event_id:
        raise ValueError("a marker needs an event id")
    digest = hashlib.sha256(f"{handler}\x00{event_id}".encode()).hexdigest()[:40]
    return f"{handler}-{digest}"


class ProcessedEvent(MitcheModel):
    """A handler's record that it applied the effect of one event."""

    handler: Annotated[_Handler, SERVER]
    """The handler that processed the event ("gamification.offering")."""
    event_id: Annotated[Annotated[str, Field(min_length=1, max_length=200)], SERVER]
    """Id of the trigger event."""
    processed_at: Annotated[Timestamp, SERVER]
    """When the effect was committed."""
    expires_at: Annotated[Timestamp, SERVER]
    """TTL field: Firestore deletes the marker after this time."""

    @model_validator(mode="after")
    def _expires_after_processing(self) -> Self:
        if self.expires_at <= self.processed_at:
            raise ValueError("expiresAt must be later than processedAt")
        return self

    @classmethod
    def of(cls, handler: HandlerName, event_id: str, at: dt.datetime) -> ProcessedEvent:
        """The marker written at `at`, expiring after `MARKER_RETENTION`."""
        return cls(
            handler=handler, event_id=event_id, processed_at=at, expires_at=at + MARKER_RETENTION
        )
