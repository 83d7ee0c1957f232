"""Hope points, counters and achievements for each source of activity: decode the change,
find the acts it records (`_activities`), apply them once (`_awards`).

Handler names (`gamification.<source>`) name the markers, the cost samples and the logs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, TypeVar

from mitche.handler_names import HandlerName
from mitche.handlers._activities import (
    event_activities,
    message_activities,
    needs_request,
    offering_activities,
    registration_activities,
    report_activities,
    request_activities,
    resource_activities,
    review_activities,
    thread_activities,
)
from mitche.handlers._awards import AwardOutcome, apply_member_activities
from mitche.handlers._context import Deps, DocumentChange, decode, decode_change, parent_path
from mitche.handlers._member import MemberActivity
from mitche.models import (
    CommunityEvent,
    HelpRequest,
    Message,
    MitcheModel,
    Offering,
    Registration,
    Report,
    Resource,
    ResourceReview,
    TapestryThread,
)
from mitche.services import CostSample, record_cost

__all__ = [
    "GAMIFICATION_HANDLERS",
    "award_event",
    "award_message",
    "award_offering",
    "award_registration",
    "award_report",
    "award_request",
    "award_resource",
    "award_review",
    "award_thread",
]

ModelT = TypeVar("ModelT", bound=MitcheModel)


def _award(
    deps: Deps,
    handler: HandlerName,
    change: DocumentChange,
    model: type[ModelT],
    activities: Callable[[ModelT | None, ModelT | None], Sequence[MemberActivity]],
) -> AwardOutcome:
    sides = decode_change(model, change, handler)
    if sides is None:
        return AwardOutcome()
    return apply_member_activities(deps, handler, change, activities(*sides))


def award_offering(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """An offering made, accepted (urgent or not), completed, or rated by the requester."""
    handler = HandlerName.GAMIFICATION_OFFERINGS
    sides = decode_change(Offering, change, handler)
    if sides is None:
        return AwardOutcome()
    before, after = sides
    request = None
    if needs_request(before, after) and after is not None and after.request_path is not None:
        snapshot = deps.client.document(after.request_path).get()
        record_cost(CostSample(handler, 1, 0))
        request = decode(
            HelpRequest,
            snapshot.to_dict() if snapshot.exists else None,
            path=after.request_path,
            handler=handler,
            event_id=change.event_id,
        )
    found = offering_activities(change.path, before, after, request=request, at=change.at)
    return apply_member_activities(deps, handler, change, found)


def award_request(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A request created (requester's counter) or fulfilled (its helpers' awards)."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_REQUESTS,
        change,
        HelpRequest,
        lambda before, after: request_activities(change.path, before, after),
    )


def award_event(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """An approved event completed: its organisers' awards."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_EVENTS,
        change,
        CommunityEvent,
        lambda before, after: event_activities(change.path, before, after),
    )


def award_registration(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A member checked in at an event."""
    event = parent_path(change.path)
    return _award(
        deps,
        HandlerName.GAMIFICATION_REGISTRATIONS,
        change,
        Registration,
        lambda before, after: registration_activities(event, before, after),
    )


def award_thread(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A tapestry story approved."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_TAPESTRY,
        change,
        TapestryThread,
        lambda before, after: thread_activities(change.path, before, after),
    )


def award_report(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A report upheld by a moderator: the reporter's award."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_REPORTS,
        change,
        Report,
        lambda before, after: report_activities(change.path, before, after),
    )


def award_resource(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A resource first published with a verified provider."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_RESOURCES,
        change,
        Resource,
        lambda before, after: resource_activities(change.path, before, after),
    )


def award_review(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A member reviewed a resource."""
    resource = parent_path(change.path)
    return _award(
        deps,
        HandlerName.GAMIFICATION_REVIEWS,
        change,
        ResourceReview,
        lambda before, after: review_activities(resource, before, after),
    )


def award_message(deps: Deps, change: DocumentChange) -> AwardOutcome:
    """A message sent: the sender's counter."""
    return _award(
        deps,
        HandlerName.GAMIFICATION_MESSAGES,
        change,
        Message,
        lambda before, after: message_activities(change.path, before, after),
    )


GAMIFICATION_HANDLERS: Final = {
    HandlerName.GAMIFICATION_OFFERINGS: award_offering,
    HandlerName.GAMIFICATION_REQUESTS: award_request,
    HandlerName.GAMIFICATION_EVENTS: award_event,
    HandlerName.GAMIFICATION_REGISTRATIONS: award_registration,
    HandlerName.GAMIFICATION_TAPESTRY: award_thread,
    HandlerName.GAMIFICATION_REPORTS: award_report,
    HandlerName.GAMIFICATION_RESOURCES: award_resource,
    HandlerName.GAMIFICATION_REVIEWS: award_review,
    HandlerName.GAMIFICATION_MESSAGES: award_message,
}
"""Every gamification handler by name."""
