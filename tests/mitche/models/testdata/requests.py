"""Example `requests` documents: a fulfilled grocery request, and documents the model refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.cloud.firestore_v1 import GeoPoint

CREATED = datetime(2026, 11, 18, 7, 45, tzinfo=UTC)
NOW = datetime(2026, 11, 19, 16, 10, tzinfo=UTC)

VALID: dict[str, Any] = {
    "requesterId": "jonasUid77",
    "title": "Groceries for my grandmother this week",
    "description": (
        "My grandmother (84) broke her wrist and cannot carry bags. She needs a weekly shop "
        "from the market: vegetables, bread, milk. She pays back in cash on delivery."
    ),
    "category": "food",
    "tags": ["groceries", "elderly", "weekly"],
    "urgency": "high",
    "deadline": datetime(2026, 11, 21, 18, 0, tzinfo=UTC),
    "visibility": "community",
    "location": {
        "area": {"geohash": "u09wn", "label": "Belleville, Paris"},
        "geohash": "u09wn0",
        "point": GeoPoint(48.86993408203125, 2.3785400390625),
    },
    "remoteOk": False,
    "attachments": [
        {
            "storagePath": "uploads/jonasUid77/requests/req_51/list.jpg",
            "ownerId": "jonasUid77",
            "contentType": "image/jpeg",
            "sizeBytes": 381_224,
            "altText": "Handwritten shopping list",
            "width": 1600,
            "height": 1200,
        },
        {
            "storagePath": "uploads/jonasUid77/requests/req_51/prescription.pdf",
            "ownerId": "jonasUid77",
            "contentType": "application/pdf",
            "sizeBytes": 92_001,
            "fileName": "pharmacy-list.pdf",
        },
    ],
    "status": "fulfilled",
    "acceptedHelperIds": ["aminaUid01"],
    "completion": {
        "completedAt": NOW,
        "fulfilledBy": ["aminaUid01"],
        "note": "Amina did the shop and stayed for tea. Thank you!",
    },
    "moderation": {
        "status": "approved",
        "reviewedAt": datetime(2026, 11, 18, 7, 45, 3, tzinfo=UTC),
        "reportCount": 0,
    },
    "verification": {"status": "unverified"},
    "metrics": {
        "views": 57,
        "uniqueViewers": 41,
        "shares": 2,
        "saves": 3,
        "responses": 2,
        "lastEngagedAt": datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
    },
    "createdAt": CREATED,
    "updatedAt": NOW,
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


_OPEN = _with(status="open", acceptedHelperIds=[], completion=None)
_OPEN = {name: value for name, value in _OPEN.items() if value is not None}

INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(title=["Groceries"]), "title"),
    ("unknown field", _with(exactAddress="12 rue de Belleville"), "exactAddress"),
    ("oversized string", _with(title="x" * 121), "title"),
    ("title too short", _with(title="Help"), "title"),
    ("bad enum", _with(urgency="extreme"), "urgency"),
    ("bad category", _with(category="groceries"), "category"),
    ("missing required field", _without("requesterId"), "requesterId"),
    ("requester id with a slash", _with(requesterId="users/jonasUid77"), "requesterId"),
    ("too many attachments", _with(attachments=VALID["attachments"] * 4), "attachments"),
    (
        "attachment type not allowed",
        _with(attachments=[{**VALID["attachments"][0], "contentType": "image/svg+xml"}]),
        "contentType",
    ),
    (
        "attachment too large",
        _with(attachments=[{**VALID["attachments"][0], "sizeBytes": 50 * 1024 * 1024}]),
        "sizeBytes",
    ),
    (
        "attachment of someone else",
        _with(
            attachments=[
                {
                    **VALID["attachments"][0],
                    "storagePath": "uploads/aminaUid01/x.jpg",
                    "ownerId": "aminaUid01",
                }
            ]
        ),
        "attachments",
    ),
    (
        "public point not the cell centre",
        _with(location={**VALID["location"], "point": GeoPoint(48.8718, 2.377)}),
        "point",
    ),
    (
        "public geohash too precise",
        _with(location={**VALID["location"], "geohash": "u09wn0ffu"}),
        "geohash",
    ),
    ("no place and not remote", _with(location=None), "location"),
    ("deadline before creation", _with(deadline=datetime(2026, 11, 1, tzinfo=UTC)), "deadline"),
    ("fulfilled without completion", _with(completion=None), "completion"),
    ("open with completion", _with(status="open"), "completion"),
    ("in progress without helper", {**_OPEN, "status": "inProgress"}, "acceptedHelperIds"),
    (
        "fulfilled by someone not accepted",
        _with(completion={**VALID["completion"], "fulfilledBy": ["strangerUid"]}),
        "fulfilledBy",
    ),
    ("requester accepts themselves", _with(acceptedHelperIds=["jonasUid77"]), "acceptedHelperIds"),
    (
        "feedback on the completion (it lives on the offering; migration 0003)",
        _with(
            completion={
                **VALID["completion"],
                "feedback": {"rating": 5, "authorId": "jonasUid77", "createdAt": NOW},
            }
        ),
        "feedback",
    ),
    ("negative metric", _with(metrics={**VALID["metrics"], "views": -3}), "views"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "requests/{requestId}/private/location": {
        "exact": {
            "point": GeoPoint(48.8718, 2.377),
            "geohash": "u09wn0ffu",
            "address": "12 rue de Belleville, 75020 Paris",
        },
        "instructions": "Building B, 3rd floor, code 4521. Ring twice.",
        "updatedAt": CREATED,
    },
}
