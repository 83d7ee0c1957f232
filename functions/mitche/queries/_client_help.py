"""Client queries of the help screens: requests, offerings, community events and resources.

Rules are not filters: a member may list only what the query's own filters prove readable, so
feeds of other members' content carry the audience filters firestore.rules demand
(`visibility`, `moderation.status`, `approval.state`, `status`) and own-content screens filter
on the member's uid. Those filters are each query's `guard`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from mitche.models import (
    ApprovalState,
    EligibleGroup,
    EventCategory,
    EventStatus,
    HelpCategory,
    ModerationState,
    OfferingStatus,
    RegistrationStatus,
    RequestStatus,
    ResourceCategory,
    ResourceStatus,
    UrgencyLevel,
    Visibility,
)
from mitche.queries._declarations import UID, Caller, CatalogQuery, Order, Param, Where

__all__ = ["HELP_QUERIES", "SHOWN_STATES", "SIGNED_IN_AUDIENCE"]

SHOWN_STATES: Final = tuple(
    state.value
    for state in (ModerationState.PENDING, ModerationState.APPROVED, ModerationState.FLAGGED)
)
"""Moderation states whose content stays visible to its audience (hidden and removed do not)."""
SIGNED_IN_AUDIENCE: Final = (Visibility.PUBLIC.value, Visibility.COMMUNITY.value)
"""Visibilities a signed-in member may read."""

_SHOWN: Final = Where("moderation.status", "in", SHOWN_STATES)
_AUDIENCE: Final = Where("visibility", "in", SIGNED_IN_AUDIENCE)
_PUBLIC: Final = Where("visibility", "==", Visibility.PUBLIC.value)
_FEED_LIMIT: Final = Param("limit", "int", maximum=100)
_NOW: Final = Param("now", "timestamp")
_OPEN: Final = Where("status", "==", RequestStatus.OPEN.value)
_PUBLISHED_EVENT: Final = (
    Where("approval.state", "==", ApprovalState.APPROVED.value),
    Where("status", "==", EventStatus.SCHEDULED.value),
)
_ACTIVE_RESOURCE: Final = Where("status", "==", ResourceStatus.ACTIVE.value)


def _choices(values: type[StrEnum]) -> tuple[str, ...]:
    return tuple(item.value for item in values)


_REQUESTS: Final = (
    CatalogQuery(
        name="requests.openByUrgency",
        purpose="Home feed: open requests of one urgency level, newest first (one section per "
        "level, most urgent section first).",
        caller=Caller.MEMBER,
        collection="requests",
        where=(
            _OPEN,
            _AUDIENCE,
            _SHOWN,
            Where("urgency", "==", Param("urgency", choices=_choices(UrgencyLevel))),
        ),
        order=(Order("createdAt", "desc"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="requests.openByDeadline",
        purpose="Home feed, 'due soon' tab: open requests whose deadline is still ahead, "
        "soonest first.",
        caller=Caller.MEMBER,
        collection="requests",
        where=(_OPEN, _AUDIENCE, _SHOWN, Where("deadline", ">", _NOW)),
        order=(Order("deadline"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="requests.byCategory",
        purpose="Browse: requests of one category in one status (open, in progress), newest first.",
        caller=Caller.MEMBER,
        collection="requests",
        where=(
            Where("category", "==", Param("category", choices=_choices(HelpCategory))),
            Where("status", "==", Param("status", choices=_choices(RequestStatus))),
            _AUDIENCE,
            _SHOWN,
        ),
        order=(Order("createdAt", "desc"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="requests.publicOpen",
        purpose="Landing page for visitors: open public requests, newest first.",
        caller=Caller.VISITOR,
        collection="requests",
        where=(_OPEN, _PUBLIC, _SHOWN),
        order=(Order("createdAt", "desc"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="requests.mine",
        purpose="My requests: everything the member asked for, newest first.",
        caller=Caller.MEMBER,
        collection="requests",
        where=(Where("requesterId", "==", UID),),
        order=(Order("createdAt", "desc"),),
        guard=("requesterId",),
    ),
    CatalogQuery(
        name="requests.helping",
        purpose="Requests I help with: those whose requester accepted the member, latest "
        "change first.",
        caller=Caller.MEMBER,
        collection="requests",
        where=(Where("acceptedHelperIds", "array_contains", UID),),
        order=(Order("updatedAt", "desc"),),
        guard=("acceptedHelperIds",),
    ),
)

_OFFERINGS: Final = (
    CatalogQuery(
        name="offerings.mine",
        purpose="My offerings: every offer the member made, newest first.",
        caller=Caller.MEMBER,
        collection="offerings",
        where=(Where("helperId", "==", UID),),
        order=(Order("createdAt", "desc"),),
        guard=("helperId",),
    ),
    CatalogQuery(
        name="offerings.onRequest",
        purpose="A request's answers, as its requester sees them, oldest first.",
        caller=Caller.MEMBER,
        collection="offerings",
        where=(
            Where("requestPath", "==", Param("requestPath", "reference")),
            Where("requesterId", "==", UID),
        ),
        order=(Order("createdAt"),),
        guard=("requesterId",),
    ),
    CatalogQuery(
        name="offerings.awaitingAnswer",
        purpose="Offers waiting for the member's answer across all their requests, oldest first.",
        caller=Caller.MEMBER,
        collection="offerings",
        where=(
            Where("requesterId", "==", UID),
            Where("status", "==", OfferingStatus.OFFERED.value),
        ),
        order=(Order("createdAt"),),
        guard=("requesterId",),
    ),
    CatalogQuery(
        name="offerings.standingByCategory",
        purpose="Standing offers (not tied to a request) of one category that are still "
        "available, newest first.",
        caller=Caller.MEMBER,
        collection="offerings",
        where=(
            Where("requestPath", "==", None),
            Where("category", "==", Param("category", choices=_choices(HelpCategory))),
            Where("status", "==", OfferingStatus.OFFERED.value),
            _AUDIENCE,
            _SHOWN,
        ),
        order=(Order("createdAt", "desc"),),
        limit=_FEED_LIMIT,
        guard=("requestPath", "visibility", "moderation.status"),
    ),
)

_EVENTS: Final = (
    CatalogQuery(
        name="events.upcoming",
        purpose="Events: published events that have not started yet, soonest first.",
        caller=Caller.MEMBER,
        collection="communityEvents",
        where=(*_PUBLISHED_EVENT, _AUDIENCE, _SHOWN, Where("startsAt", ">=", _NOW)),
        order=(Order("startsAt"),),
        limit=_FEED_LIMIT,
        guard=("approval.state", "visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="events.upcomingByCategory",
        purpose="Events filtered by category: published upcoming events of one kind, soonest "
        "first.",
        caller=Caller.MEMBER,
        collection="communityEvents",
        where=(
            *_PUBLISHED_EVENT,
            _AUDIENCE,
            _SHOWN,
            Where("category", "==", Param("category", choices=_choices(EventCategory))),
            Where("startsAt", ">=", _NOW),
        ),
        order=(Order("startsAt"),),
        limit=_FEED_LIMIT,
        guard=("approval.state", "visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="events.organizing",
        purpose="Events I organise, latest start first.",
        caller=Caller.MEMBER,
        collection="communityEvents",
        where=(Where("organizerId", "==", UID),),
        order=(Order("startsAt", "desc"),),
        guard=("organizerId",),
    ),
    CatalogQuery(
        name="events.coOrganizing",
        purpose="Events I co-organise, latest start first.",
        caller=Caller.MEMBER,
        collection="communityEvents",
        where=(Where("coOrganizerIds", "array_contains", UID),),
        order=(Order("startsAt", "desc"),),
        guard=("coOrganizerIds",),
    ),
    CatalogQuery(
        name="events.myRegistrations",
        purpose="Events I registered for: my registrations across every event (a "
        "collection-group query), newest first.",
        caller=Caller.MEMBER,
        collection="registrations",
        group=True,
        where=(
            Where("userId", "==", UID),
            Where("status", "==", RegistrationStatus.REGISTERED.value),
        ),
        order=(Order("createdAt", "desc"),),
        guard=("userId",),
    ),
    CatalogQuery(
        name="events.attendees",
        purpose="An organiser's attendee list: the event's registrations in one status, in "
        "order of registration.",
        caller=Caller.MEMBER,
        collection="communityEvents/{eventId}/registrations",
        where=(Where("status", "==", Param("status", choices=_choices(RegistrationStatus))),),
        order=(Order("createdAt"),),
    ),
)

_RESOURCES: Final = (
    CatalogQuery(
        name="resources.byCategory",
        purpose="Resource hub: active services of one category, by name.",
        caller=Caller.MEMBER,
        collection="resources",
        where=(
            _ACTIVE_RESOURCE,
            _AUDIENCE,
            _SHOWN,
            Where("category", "==", Param("category", choices=_choices(ResourceCategory))),
        ),
        order=(Order("name"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="resources.byLanguage",
        purpose="Resource hub: active services delivered in one language, by name.",
        caller=Caller.MEMBER,
        collection="resources",
        where=(
            _ACTIVE_RESOURCE,
            _AUDIENCE,
            _SHOWN,
            Where("languages", "array_contains", Param("language")),
        ),
        order=(Order("name"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="resources.byEligibility",
        purpose="Resource hub: active services open to one group (seniors, families, ...), by "
        "name.",
        caller=Caller.MEMBER,
        collection="resources",
        where=(
            _ACTIVE_RESOURCE,
            _AUDIENCE,
            _SHOWN,
            Where(
                "eligibility.groups",
                "array_contains",
                Param("group", choices=tuple(group.value for group in EligibleGroup)),
            ),
        ),
        order=(Order("name"),),
        limit=_FEED_LIMIT,
        guard=("visibility", "moderation.status"),
    ),
    CatalogQuery(
        name="resources.mine",
        purpose="Services I listed, drafts included, latest change first.",
        caller=Caller.MEMBER,
        collection="resources",
        where=(Where("submittedBy", "==", UID),),
        order=(Order("updatedAt", "desc"),),
        guard=("submittedBy",),
    ),
    CatalogQuery(
        name="resources.reviews",
        purpose="A service's reviews that moderation has not hidden, newest first.",
        caller=Caller.MEMBER,
        collection="resources/{resourceId}/reviews",
        where=(_SHOWN,),
        order=(Order("createdAt", "desc"),),
        limit=_FEED_LIMIT,
        guard=("moderation.status",),
    ),
)

HELP_QUERIES: Final = (*_REQUESTS, *_OFFERINGS, *_EVENTS, *_RESOURCES)
"""The help screens' queries."""
