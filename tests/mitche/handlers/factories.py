"""Factories of valid documents for the handler, trigger and end-to-end tests (`make_*`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitche.domain.moderation import report_document_id
from mitche.models import (
    AttendanceState,
    CommunityEvent,
    Conversation,
    HelpRequest,
    Message,
    Offering,
    Registration,
    Report,
    Resource,
    ResourceReview,
    TapestryThread,
    User,
)

T0 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
"""A Tuesday (ISO week 2026-W48), the tests' "now"."""


def make_user(uid: str = "amina", **changes: Any) -> User:
    """A member who opted in to the leaderboards, level 1, no points yet."""
    data: dict[str, Any] = {
        "profile": {
            "displayName": uid.title(),
            "anonymousAlias": f"Quiet {uid.title()} 42",
            "homeArea": {"geohash": "u09wn", "label": "Belleville, Paris"},
        },
        "privacy": {"leaderboardOptIn": True},
        "createdAt": T0 - dt.timedelta(days=30),
        "updatedAt": T0 - dt.timedelta(days=30),
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return User.model_validate(data)


def make_request(
    requester: str = "samira", request_id: str = "req1", **changes: Any
) -> tuple[str, HelpRequest]:
    """An open, remote request (path, model)."""
    data: dict[str, Any] = {
        "requesterId": requester,
        "title": "Groceries for this week",
        "description": "I cannot leave home this week; could someone bring groceries?",
        "category": "food",
        "urgency": "medium",
        "remoteOk": True,
        "createdAt": T0 - dt.timedelta(hours=5),
        "updatedAt": T0 - dt.timedelta(hours=5),
        **changes,
    }
    return f"requests/{request_id}", HelpRequest.model_validate(data)


def fulfilled(request: HelpRequest, helpers: list[str]) -> HelpRequest:
    """The request marked fulfilled by `helpers` (feedback goes on their offerings)."""
    completion: dict[str, Any] = {"completedAt": T0, "fulfilledBy": helpers}
    data = request.model_dump(by_alias=True, exclude_none=True)
    data.update(status="fulfilled", acceptedHelperIds=helpers, completion=completion, updatedAt=T0)
    return HelpRequest.model_validate(data)


def make_offering(
    helper: str = "amina",
    offering_id: str = "off1",
    *,
    requester: str = "samira",
    request_id: str = "req1",
    **changes: Any,
) -> tuple[str, Offering]:
    """A help offering answering `requests/{request_id}` (path, model)."""
    data: dict[str, Any] = {
        "helperId": helper,
        "offeringType": "help",
        "requestPath": f"requests/{request_id}",
        "requesterId": requester,
        "title": "I can bring groceries",
        "category": "food",
        "createdAt": T0 - dt.timedelta(hours=2),
        "updatedAt": T0 - dt.timedelta(hours=2),
        **changes,
    }
    return f"offerings/{offering_id}", Offering.model_validate(data)


def accepted(offering: Offering, at: dt.datetime = T0) -> Offering:
    """The offering accepted by its requester at `at`."""
    return offering.model_copy(
        update={"status": offering.status.ACCEPTED, "responded_at": at, "updated_at": at}
    )


def make_event(
    organizer: str = "lina", event_id: str = "ev1", **changes: Any
) -> tuple[str, CommunityEvent]:
    """An approved, scheduled virtual event that took place yesterday (path, model)."""
    data: dict[str, Any] = {
        "organizerId": organizer,
        "title": "Soup evening",
        "description": "We cook together and share.",
        "category": "mealShare",
        "startsAt": T0 - dt.timedelta(days=1),
        "endsAt": T0 - dt.timedelta(days=1) + dt.timedelta(hours=3),
        "timeZone": "Europe/Paris",
        "format": "virtual",
        "virtualPlatform": "jitsi",
        "status": "scheduled",
        "approval": {
            "state": "approved",
            "submittedAt": T0 - dt.timedelta(days=5),
            "decidedAt": T0 - dt.timedelta(days=4),
        },
        "createdAt": T0 - dt.timedelta(days=6),
        "updatedAt": T0 - dt.timedelta(days=4),
        **changes,
    }
    return f"communityEvents/{event_id}", CommunityEvent.model_validate(data)


def make_registration(
    user: str = "amina", event_id: str = "ev1", **changes: Any
) -> tuple[str, Registration]:
    """A registration for `communityEvents/{event_id}` (path, model)."""
    data: dict[str, Any] = {
        "userId": user,
        "createdAt": T0 - dt.timedelta(days=3),
        "updatedAt": T0 - dt.timedelta(days=3),
        **changes,
    }
    return f"communityEvents/{event_id}/registrations/{user}", Registration.model_validate(data)


def checked_in(registration: Registration, at: dt.datetime = T0) -> Registration:
    """The registration with the member checked in at `at`."""
    return registration.model_copy(
        update={"attendance": AttendanceState.ATTENDED, "checked_in_at": at, "updated_at": at}
    )


def make_thread(
    nominator: str = "amina", thread_id: str = "th1", **changes: Any
) -> tuple[str, TapestryThread]:
    """A pending tapestry story (path, model)."""
    data: dict[str, Any] = {
        "nominatorId": nominator,
        "subject": "self",
        "title": "The night bus",
        "story": "I rode with an old man who was lost until he found his way home.",
        "category": "voiceOfCompassion",
        "createdAt": T0 - dt.timedelta(days=2),
        "updatedAt": T0 - dt.timedelta(days=2),
        **changes,
    }
    return f"tapestryThreads/{thread_id}", TapestryThread.model_validate(data)


def approved(thread: TapestryThread, at: dt.datetime = T0) -> TapestryThread:
    """The story approved by a moderator at `at`."""
    data = thread.model_dump(by_alias=True, exclude_none=True)
    data.update(
        status="approved",
        review={"reviewerId": "modkenji", "reviewedAt": at},
        placement={"threadIndex": 0, "panel": f"{at:%Y-%m}", "wovenAt": at},
    )
    return TapestryThread.model_validate(data)


def make_report(
    reporter: str = "samira",
    target_path: str = "offerings/off1",
    *,
    reason: str = "spam",
    details: str | None = None,
    report_id: str | None = None,
    **changes: Any,
) -> tuple[str, Report]:
    """A report filed under its deterministic id (path, model)."""
    kind = {
        "offerings": "offering",
        "requests": "request",
        "messages": "message",
        "users": "user",
        "tapestryThreads": "tapestryThread",
    }[target_path.split("/")[0]]
    data: dict[str, Any] = {
        "reporterId": reporter,
        "targetType": kind,
        "targetPath": target_path,
        "reason": reason,
        "createdAt": T0,
        **changes,
    }
    if details is not None:
        data["details"] = details
    identifier = report_id or report_document_id(target_path, reporter)
    return f"reports/{identifier}", Report.model_validate(data)


def make_resource(
    submitter: str = "amina", resource_id: str = "res1", **changes: Any
) -> tuple[str, Resource]:
    """A draft resource (path, model)."""
    data: dict[str, Any] = {
        "submittedBy": submitter,
        "name": "Belleville food bank",
        "description": "Free groceries every Tuesday.",
        "category": "food",
        "provider": {"name": "Restos du Coeur"},
        "serviceArea": {"remote": True},
        "languages": ["fr"],
        "createdAt": T0 - dt.timedelta(days=1),
        "updatedAt": T0 - dt.timedelta(days=1),
        **changes,
    }
    return f"resources/{resource_id}", Resource.model_validate(data)


def published(resource: Resource, at: dt.datetime = T0) -> Resource:
    """The resource active with a verified provider."""
    return resource.model_validate(
        {
            **resource.model_dump(by_alias=True, exclude_none=True),
            "status": "active",
            "providerVerification": {"status": "verified", "verifiedAt": at},
            "updatedAt": at,
        }
    )


def make_review(
    author: str = "samira", resource_id: str = "res1", **changes: Any
) -> tuple[str, ResourceReview]:
    """A review of `resources/{resource_id}` (path, model)."""
    data: dict[str, Any] = {
        "authorId": author,
        "rating": 5,
        "createdAt": T0,
        "updatedAt": T0,
        **changes,
    }
    return f"resources/{resource_id}/reviews/{author}", ResourceReview.model_validate(data)


def make_conversation(
    conversation_id: str = "conv1", members: tuple[str, str] = ("amina", "samira")
) -> tuple[str, Conversation]:
    """A direct conversation (path, model)."""
    data = {
        "conversationType": "dm",
        "createdBy": members[0],
        "participantIds": list(members),
        "createdAt": T0,
        "updatedAt": T0,
    }
    return f"conversations/{conversation_id}", Conversation.model_validate(data)


def make_message(
    sender: str = "amina",
    message_id: str = "m1",
    conversation_id: str = "conv1",
    text: str = "Hello!",
) -> tuple[str, Message]:
    """A text message (path, model)."""
    others = "samira" if sender != "samira" else "amina"
    data = {
        "conversationId": conversation_id,
        "participantIds": [sender, others],
        "senderId": sender,
        "messageType": "text",
        "text": text,
        "createdAt": T0,
    }
    return f"messages/{message_id}", Message.model_validate(data)
