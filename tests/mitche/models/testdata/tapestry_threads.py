"""Example `tapestryThreads` documents: an approved story about another member's act, its
private nomination and a heart, and documents the model refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

SUBMITTED = datetime(2026, 11, 2, 19, 30, tzinfo=UTC)
EDITED = datetime(2026, 11, 2, 19, 41, tzinfo=UTC)
APPROVED = datetime(2026, 11, 4, 10, 5, tzinfo=UTC)

VALID: dict[str, Any] = {
    "nominatorId": "aminaUid01",
    "subject": "member",
    "title": "Soup on the doorstep, every Tuesday",
    "story": (
        "When I came home from hospital I could not cook. A neighbour I only knew by an alias "
        "left soup at my door every Tuesday for two months and never asked for anything."
    ),
    "category": "silentHero",
    "language": "en",
    "tags": ["food", "recovery", "neighbours"],
    "area": {"geohash": "u09wn", "label": "Belleville, Paris"},
    "nominatorCredit": "anonymous",
    "appearance": {"color": "#E8A33D", "pattern": "braid"},
    "photo": {
        "storagePath": "uploads/aminaUid01/stories/thr_1287/doorstep.jpg",
        "ownerId": "aminaUid01",
        "contentType": "image/jpeg",
        "sizeBytes": 184_220,
        "fileName": "doorstep.jpg",
        "altText": "A pot of soup on a doormat",
        "width": 1200,
        "height": 900,
    },
    "createdAt": SUBMITTED,
    "updatedAt": EDITED,
    "status": "approved",
    "review": {
        "reviewerId": "modSamir03",
        "reviewedAt": APPROVED,
        "note": "A beautiful story, thank you for sharing it.",
    },
    "placement": {"threadIndex": 1287, "panel": "2026-11", "wovenAt": APPROVED},
    "credits": {"subjectAlias": "Kind Otter 7"},
    "moderation": {"status": "approved", "reviewedAt": APPROVED, "reportCount": 0},
    "hearts": 143,
    "engagement": {
        "views": 2210,
        "uniqueViewers": 1630,
        "shares": 41,
        "saves": 88,
        "responses": 0,
        "lastEngagedAt": datetime(2026, 11, 20, 8, 12, tzinfo=UTC),
    },
    "impact": {
        "helpers": 1,
        "peopleHelped": 1,
        "relatedActs": 1,
        "hopePointsAwarded": 25,
        "inspiredActs": 6,
        "featuredCount": 1,
    },
}


def _without(*keys: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name not in keys}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", {**VALID, "hearts": "many"}, "hearts"),
    ("unknown field", {**VALID, "subjectName": "Léa"}, "subjectName"),
    ("oversized string", {**VALID, "story": "x" * 3001}, "story"),
    ("bad enum", {**VALID, "status": "published"}, "status"),
    ("missing required field", _without("story"), "story"),
    ("missing nominator", _without("nominatorId"), "nominatorId"),
    ("empty title", {**VALID, "title": ""}, "title"),
    (
        "colour neither palette nor hex",
        {**VALID, "appearance": {"color": "#E8A33", "pattern": "braid"}},
        "color",
    ),
    (
        "unknown pattern",
        {**VALID, "appearance": {"color": "gold", "pattern": "tartan"}},
        "pattern",
    ),
    ("negative hearts", {**VALID, "hearts": -1}, "hearts"),
    (
        "a photo from another member's folder",
        {**VALID, "photo": {**VALID["photo"], "storagePath": "uploads/leaUid12/stories/t/a.jpg"}},
        "photo",
    ),
    (
        "a photo from the nominator's request folder",
        {
            **VALID,
            "photo": {**VALID["photo"], "storagePath": "uploads/aminaUid01/requests/r/a.jpg"},
        },
        "stories",
    ),
    ("approved without review", _without("review"), "review"),
    ("approved without placement", _without("placement"), "placement"),
    (
        "pending with a placement",
        _without("review") | {"status": "pending"},
        "placement",
    ),
    (
        "rejected without a reason",
        _without("placement") | {"status": "rejected"},
        "review.reason",
    ),
    (
        "approved with a rejection reason",
        {**VALID, "review": {**VALID["review"], "reason": "duplicate"}},
        "review.reason",
    ),
    (
        "nominator credited while anonymous",
        {**VALID, "credits": {"nominatorAlias": "Quiet Heron 42"}},
        "credits.nominatorAlias",
    ),
    (
        "subject alias for a story about oneself",
        {**VALID, "subject": "self"},
        "credits.subjectAlias",
    ),
    (
        "updated before created",
        {**VALID, "updatedAt": datetime(2026, 1, 1, tzinfo=UTC)},
        "updatedAt",
    ),
    ("too many tags", {**VALID, "tags": [f"tag-{n}" for n in range(11)]}, "tags"),
    (
        "area too precise",
        {**VALID, "area": {"geohash": "u09wn0", "label": "Belleville"}},
        "geohash",
    ),
    (
        "bad placement panel",
        {**VALID, "placement": {**VALID["placement"], "panel": "2026-13"}},
        "panel",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "tapestryThreads/{threadId}/private/nomination": {
        "nominatorId": "aminaUid01",
        "subjectId": "otterUid07",
        "relatedPath": "requests/req_meals_4410",
        "createdAt": SUBMITTED,
        "subjectConsent": "credit",
        "consentAt": datetime(2026, 11, 3, 7, 55, tzinfo=UTC),
        "subjectNotifiedAt": datetime(2026, 11, 2, 19, 31, tzinfo=UTC),
    },
    "tapestryThreads/{threadId}/hearts/{userId}": {
        "userId": "jonasUid77",
        "createdAt": datetime(2026, 11, 5, 12, 0, tzinfo=UTC),
    },
    "tapestryThreads/{threadId}/processedEvents/{markerId}": {
        "handler": "tapestry.hearts",
        "eventId": "7d1c0e2f4a6b8c0d2e4f6a8b0c2d4e6f",
        "processedAt": datetime(2026, 11, 5, 12, 0, 1, tzinfo=UTC),
        "expiresAt": datetime(2026, 12, 5, 12, 0, 1, tzinfo=UTC),
    },
}
