"""Example `offerings` documents: a completed financial offering, and refused documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

CREATED = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
ACCEPTED = datetime(2026, 11, 10, 15, 30, tzinfo=UTC)
DONE = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)

VALID: dict[str, Any] = {
    "helperId": "aminaUid01",
    "offeringType": "financial",
    "requestPath": "requests/req_88",
    "requesterId": "samiraUid05",
    "title": "I can pay this month's electricity bill",
    "description": "I will pay the supplier directly with the bill reference you send me.",
    "category": "financial",
    "tags": ["bills", "energy"],
    "visibility": "private",
    "financial": {
        "amount": {"amountMinor": 8450, "currency": "EUR"},
        "method": "payBill",
    },
    "availability": {
        "availableFrom": CREATED,
        "availableUntil": datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
        "weeklyHours": [
            {"day": "monday", "opensAt": "18:00", "closesAt": "21:00"},
            {"day": "saturday", "opensAt": "09:00", "closesAt": "12:30"},
        ],
        "timeZone": "Europe/Paris",
    },
    "remoteOk": True,
    "status": "completed",
    "respondedAt": ACCEPTED,
    "completedAt": DONE,
    "conversationId": "conv_req_88",
    "requesterFeedback": {
        "rating": 5,
        "comment": "The power stays on. I cannot thank you enough.",
        "authorId": "samiraUid05",
        "createdAt": DONE,
    },
    "helperFeedback": {"rating": 5, "authorId": "aminaUid01", "createdAt": DONE},
    "rewards": {"points": 45, "category": "provider", "awardedAt": DONE},
    "moderation": {"status": "approved", "reportCount": 0},
    "metrics": {"views": 3, "uniqueViewers": 2, "shares": 0, "saves": 0, "responses": 0},
    "createdAt": CREATED,
    "updatedAt": DONE,
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(remoteOk="yes please"), "remoteOk"),
    ("unknown field", _with(paymentCard="4111 1111 1111 1111"), "paymentCard"),
    ("oversized string", _with(description="x" * 3001), "description"),
    ("bad enum", _with(offeringType="service"), "offeringType"),
    ("bad status", _with(status="pending"), "status"),
    ("missing required field", _without("offeringType"), "offeringType"),
    ("financial without amount", _with(financial=None), "financial"),
    (
        "zero amount",
        _with(financial={**VALID["financial"], "amount": {"amountMinor": 0, "currency": "EUR"}}),
        "financial",
    ),
    (
        "currency not ISO 4217",
        _with(financial={**VALID["financial"], "amount": {"amountMinor": 10, "currency": "euro"}}),
        "currency",
    ),
    (
        "resource details on a financial offering",
        _with(resource={"item": "coat", "quantity": 1, "condition": "good", "canDeliver": False}),
        "resource",
    ),
    ("request without requester", _with(requesterId=None), "requesterId"),
    ("offering to oneself", _with(requesterId="aminaUid01"), "requesterId"),
    ("request path elsewhere", _with(requestPath="offerings/off_1"), "requestPath"),
    ("request path malformed", _with(requestPath="requests"), "requestPath"),
    ("completed without time", _with(completedAt=None), "completedAt"),
    (
        "feedback by the wrong member",
        _with(requesterFeedback={**VALID["requesterFeedback"], "authorId": "aminaUid01"}),
        "requesterFeedback",
    ),
    (
        "feedback before completion",
        _with(status="accepted", completedAt=None),
        "feedback",
    ),
    (
        "availability ends before it starts",
        _with(availability={**VALID["availability"], "availableUntil": CREATED}),
        "availableUntil",
    ),
    (
        "window closes before it opens",
        _with(
            availability={
                **VALID["availability"],
                "weeklyHours": [{"day": "monday", "opensAt": "18:00", "closesAt": "09:00"}],
            }
        ),
        "closesAt",
    ),
    (
        "bad local time",
        _with(
            availability={
                **VALID["availability"],
                "weeklyHours": [{"day": "monday", "opensAt": "24:00", "closesAt": "25:00"}],
            }
        ),
        "opensAt",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {}
