"""Example `communityEvents` documents: a completed hybrid meal share, and refused documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.cloud.firestore_v1 import GeoPoint

CREATED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 11, 15, 11, 0, tzinfo=UTC)
ENDS = datetime(2026, 11, 15, 15, 0, tzinfo=UTC)
REPORTED = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)

VALID: dict[str, Any] = {
    "organizerId": "aminaUid01",
    "coOrganizerIds": ["jonasUid77", "leaUid12"],
    "coOrganizerInvites": ["noorUid03"],
    "title": "Sunday soup & stories",
    "description": (
        "A shared lunch at the community centre: bring a dish if you can, come anyway if you "
        "can't. Afterwards, a circle where anyone may tell a story of help given or received."
    ),
    "category": "mealShare",
    "tags": ["lunch", "stories", "all-ages"],
    "coverImage": {
        "storagePath": "uploads/aminaUid01/events/soup/cover.png",
        "ownerId": "aminaUid01",
        "contentType": "image/png",
        "sizeBytes": 640_512,
        "altText": "Bowls of soup on a long table",
        "width": 1920,
        "height": 1080,
    },
    "startsAt": STARTS,
    "endsAt": ENDS,
    "timeZone": "Europe/Paris",
    "format": "hybrid",
    "location": {
        "area": {"geohash": "u09wn", "label": "Buttes-Chaumont, Paris"},
        "geohash": "u09wn5",
        "point": GeoPoint(48.88641357421875, 2.3785400390625),
    },
    "virtualPlatform": "jitsi",
    "visibility": "public",
    "requirements": {
        "minAge": 0,
        "itemsToBring": ["a dish to share", "your own cup"],
        "skills": ["cooking"],
        "accessibility": "Step-free entrance; quiet room available.",
        "registrationRequired": True,
    },
    "capacity": 40,
    "waitlistEnabled": True,
    "registrationDeadline": datetime(2026, 11, 14, 20, 0, tzinfo=UTC),
    "status": "completed",
    "approval": {
        "state": "approved",
        "submittedAt": datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
        "decidedAt": datetime(2026, 10, 2, 14, 0, tzinfo=UTC),
        "note": "Lovely idea, approved.",
    },
    "impact": {
        "attendees": 37,
        "volunteerHours": 42.5,
        "peopleHelped": 12,
        "itemsCollected": 60,
        "summary": "37 neighbours, 60 meals shared, 9 stories told, 3 new helpers signed up.",
        "photos": [
            {
                "storagePath": "uploads/aminaUid01/events/soup/table.jpg",
                "ownerId": "aminaUid01",
                "contentType": "image/jpeg",
                "sizeBytes": 1_204_332,
                "altText": "The long table after lunch",
            }
        ],
        "reportedAt": REPORTED,
    },
    "registrations": {"registered": 38, "waitlisted": 0, "cancelled": 4, "attended": 35},
    "moderation": {"status": "approved", "reportCount": 0},
    "metrics": {"views": 512, "uniqueViewers": 301, "shares": 27, "saves": 44, "responses": 42},
    "createdAt": CREATED,
    "updatedAt": REPORTED,
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(capacity="forty"), "capacity"),
    ("unknown field", _with(ticketPrice=10), "ticketPrice"),
    ("oversized string", _with(description="x" * 5001), "description"),
    ("bad enum", _with(format="online"), "format"),
    ("bad category", _with(category="party"), "category"),
    ("missing required field", _without("startsAt"), "startsAt"),
    ("zero capacity", _with(capacity=0), "capacity"),
    ("ends before it starts", _with(endsAt=STARTS), "endsAt"),
    (
        "registration closes after start",
        _with(registrationDeadline=datetime(2026, 11, 15, 12, 0, tzinfo=UTC)),
        "registrationDeadline",
    ),
    ("hybrid without place", _with(location=None), "location"),
    ("in person with platform", _with(format="inPerson"), "virtualPlatform"),
    (
        "organizer listed as co-organizer",
        _with(coOrganizerIds=["aminaUid01"]),
        "coOrganizerIds",
    ),
    (
        "too many co-organizers",
        _with(coOrganizerIds=[f"u{n}" for n in range(11)]),
        "coOrganizerIds",
    ),
    ("impact before completion", _with(status="scheduled"), "impact"),
    (
        "approved without decision time",
        _with(approval={**VALID["approval"], "decidedAt": None}),
        "decidedAt",
    ),
    ("server approval state unknown", _with(approval={"state": "published"}), "state"),
    (
        "cover is a document",
        _with(
            coverImage={
                **VALID["coverImage"],
                "contentType": "application/pdf",
                "width": None,
                "height": None,
            }
        ),
        "coverImage",
    ),
    (
        "too many items to bring",
        _with(requirements={**VALID["requirements"], "itemsToBring": ["cup"] * 11}),
        "itemsToBring",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "communityEvents/{eventId}/private/access": {
        "venue": {
            "point": GeoPoint(48.8841, 2.3803),
            "geohash": "u09wn5j69",
            "address": "Centre social, 7 rue Bolivar, 75019 Paris",
        },
        "joinUrl": "https://meet.jit.si/mitche-soup-and-stories",
        "instructions": "Ring at the blue door; the hall is on the ground floor.",
        "updatedAt": CREATED,
    },
    "communityEvents/{eventId}/registrations/{userId}": {
        "userId": "samiraUid05",
        "status": "registered",
        "requestedAt": datetime(2026, 11, 3, 19, 0, tzinfo=UTC),
        "guests": 2,
        "note": "One of my kids is allergic to peanuts.",
        "attendance": "attended",
        "checkedInAt": datetime(2026, 11, 15, 11, 5, tzinfo=UTC),
        "feedback": {
            "rating": 5,
            "comment": "We felt welcome.",
            "authorId": "samiraUid05",
            "createdAt": REPORTED,
        },
        "placedAt": datetime(2026, 11, 3, 19, 0, 2, tzinfo=UTC),
        "counted": {"status": "registered", "seats": 3, "attended": True},
        "checkInFailures": 0,
        "createdAt": datetime(2026, 11, 3, 19, 0, tzinfo=UTC),
        "updatedAt": REPORTED,
    },
    "communityEvents/{eventId}/private/checkIn": {"code": "K7P2QX", "createdAt": CREATED},
}
