"""Example `conversations` documents: a request thread, and refused documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

CREATED = datetime(2026, 11, 18, 9, 2, tzinfo=UTC)
LAST = datetime(2026, 11, 19, 15, 58, tzinfo=UTC)

VALID: dict[str, Any] = {
    "conversationType": "request",
    "createdBy": "jonasUid77",
    "participantIds": ["jonasUid77", "aminaUid01", "leaUid12"],
    "participantState": {
        "jonasUid77": {"joinedAt": CREATED, "lastReadAt": LAST, "muted": False, "archived": False},
        "aminaUid01": {
            "joinedAt": CREATED,
            "lastReadAt": datetime(2026, 11, 19, 14, 0, tzinfo=UTC),
            "muted": False,
            "archived": False,
        },
        "leaUid12": {"joinedAt": CREATED, "muted": True, "archived": True},
    },
    "title": "Groceries for my grandmother",
    "context": "requests/req_51",
    "sensitive": False,
    "lastMessage": {
        "messageId": "msg_9f2",
        "senderId": "jonasUid77",
        "messageType": "text",
        "preview": "Thank you so much, she is delighted!",
        "sentAt": LAST,
    },
    "messageCount": 27,
    "unreadCounts": {"aminaUid01": 2, "jonasUid77": 0},
    "moderation": {"status": "approved", "reportCount": 0},
    "createdAt": CREATED,
    "updatedAt": LAST,
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


_DM = _with(
    conversationType="dm",
    participantIds=["jonasUid77", "aminaUid01"],
    participantState={},
    context=None,
    title=None,
)
_DM = {name: value for name, value in _DM.items() if value is not None}

INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(participantIds="jonasUid77"), "participantIds"),
    ("unknown field", _with(encryptionKey="abc"), "encryptionKey"),
    ("oversized string", _with(title="x" * 101), "title"),
    ("bad enum", _with(conversationType="group"), "conversationType"),
    ("missing required field", _without("participantIds"), "participantIds"),
    ("too many participants", _with(participantIds=[f"u{n}" for n in range(51)]), "participantIds"),
    ("repeated participant", _with(participantIds=["jonasUid77", "jonasUid77"]), "participantIds"),
    ("creator not a participant", _with(createdBy="strangerUid"), "createdBy"),
    ("dm with three members", {**_DM, "participantIds": VALID["participantIds"]}, "participantIds"),
    ("dm with a title", {**_DM, "title": "Us"}, "title"),
    ("a sensitive group thread", _with(sensitive=True), "sensitive"),
    ("dm with a context", {**_DM, "context": "requests/req_51"}, "context"),
    ("request thread about an event", _with(context="communityEvents/ev_1"), "context"),
    ("request thread without context", _with(context=None), "context"),
    (
        "state for a non-participant",
        _with(participantState={**VALID["participantState"], "strangerUid": {"joinedAt": CREATED}}),
        "participantState",
    ),
    (
        "preview too long",
        _with(lastMessage={**VALID["lastMessage"], "preview": "x" * 141}),
        "preview",
    ),
    (
        "bad last message type",
        _with(lastMessage={**VALID["lastMessage"], "messageType": "video"}),
        "messageType",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "conversations/{conversationId}/processedEvents/{markerId}": {
        "handler": "chat.message",
        "eventId": "2b9e0c4f6a1d4e7b9c3f5a8d0e2b4c6f",
        "processedAt": datetime(2026, 11, 19, 9, 30, tzinfo=UTC),
        "expiresAt": datetime(2026, 12, 19, 9, 30, tzinfo=UTC),
    },
}
