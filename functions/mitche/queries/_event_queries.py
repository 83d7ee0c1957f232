"""Queries the community-event functions make: an event's queue for places, its live
registrations (to cancel them with the event), and the reminder schedule's pages.

Every one is bounded (`limit`) and narrowed to one event or one window of start times, so no
run reads a whole collection.
"""

from __future__ import annotations

from typing import Final

from mitche.models import EventStatus, RegistrationStatus
from mitche.models.common import ApprovalState
from mitche.queries._declarations import DOCUMENT_ID, Caller, CatalogQuery, Order, Param, Where

__all__ = ["EVENT_QUERIES", "MAX_EVENT_PAGE"]

MAX_EVENT_PAGE: Final = 100
"""Largest page any of these queries reads."""

_REGISTRATIONS: Final = "communityEvents/{eventId}/registrations"
_QUEUED: Final = (RegistrationStatus.PENDING.value, RegistrationStatus.WAITLISTED.value)

EVENT_QUERIES: Final = (
    CatalogQuery(
        name="functions.eventQueue",
        purpose="Places at an event: the first pending or waitlisted registrations, in the "
        "order members asked (requestedAt, then id), one page per placement round.",
        caller=Caller.FUNCTIONS,
        collection=_REGISTRATIONS,
        where=(Where("status", "==", Param("status", choices=_QUEUED)),),
        order=(Order("requestedAt"), Order(DOCUMENT_ID)),
        limit=Param("limit", "int", maximum=MAX_EVENT_PAGE),
    ),
    CatalogQuery(
        name="functions.liveRegistrations",
        purpose="An event was cancelled: a page of its registrations still pending, registered "
        "or waitlisted, to cancel them and tell the members.",
        caller=Caller.FUNCTIONS,
        collection=_REGISTRATIONS,
        where=(
            Where(
                "status",
                "in",
                (
                    RegistrationStatus.PENDING.value,
                    RegistrationStatus.REGISTERED.value,
                    RegistrationStatus.WAITLISTED.value,
                ),
            ),
        ),
        limit=Param("limit", "int", maximum=MAX_EVENT_PAGE),
    ),
    CatalogQuery(
        name="functions.eventsStartingBetween",
        purpose="Reminder schedule: approved, scheduled events starting in a window, soonest "
        "first (one page per run; the window is the schedule's interval).",
        caller=Caller.FUNCTIONS,
        collection="communityEvents",
        where=(
            Where("approval.state", "==", ApprovalState.APPROVED.value),
            Where("status", "==", EventStatus.SCHEDULED.value),
            Where("startsAt", ">=", Param("start", "timestamp")),
            Where("startsAt", "<", Param("end", "timestamp")),
        ),
        order=(Order("startsAt"),),
        limit=Param("limit", "int", maximum=MAX_EVENT_PAGE),
        paged=True,
    ),
    CatalogQuery(
        name="functions.registeredAttendees",
        purpose="Reminder schedule: a page of an event's registered members, in id order.",
        caller=Caller.FUNCTIONS,
        collection=_REGISTRATIONS,
        where=(Where("status", "==", RegistrationStatus.REGISTERED.value),),
        order=(Order(DOCUMENT_ID),),
        limit=Param("limit", "int", maximum=MAX_EVENT_PAGE),
        paged=True,
    ),
)
"""The community-event functions' queries."""
