"""Example `resources` documents: a food bank listed after HSDS, and refused documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.cloud.firestore_v1 import GeoPoint

CREATED = datetime(2026, 6, 4, 14, 0, tzinfo=UTC)
UPDATED = datetime(2026, 11, 2, 9, 15, tzinfo=UTC)

VALID: dict[str, Any] = {
    "submittedBy": "leaUid12",
    "name": "Épicerie solidaire du 20e",
    "alternateName": "L'Épi 20",
    "description": (
        "A social grocery: fresh produce and staples at 10-30% of shop prices, plus a free "
        "emergency parcel once a month. Volunteers help with budgeting on Wednesdays."
    ),
    "category": "food",
    "tags": ["groceries", "emergency-food", "budgeting"],
    "status": "active",
    "visibility": "public",
    "alert": "Closed 24-26 December.",
    "provider": {
        "name": "Association Pain Partagé",
        "kind": "nonprofit",
        "description": "Neighbourhood association fighting food insecurity since 1998.",
        "contact": {
            "email": "contact@painpartage.example.org",
            "phone": "+33140000000",
            "website": "https://painpartage.example.org",
        },
        "logo": {
            "storagePath": "uploads/leaUid12/resources/epi20/logo.png",
            "ownerId": "leaUid12",
            "contentType": "image/png",
            "sizeBytes": 22_140,
            "width": 256,
            "height": 256,
        },
    },
    "contact": {"phone": "+33140000001"},
    "location": {
        "point": GeoPoint(48.865, 2.3985),
        "geohash": "u09tyxde3",
        "address": "41 rue des Amandiers, 75020 Paris",
    },
    "serviceArea": {
        "description": "Residents of Paris 19e and 20e",
        "geohashPrefixes": ["u09tv", "u09ty", "u09wn", "u09wp"],
        "remote": False,
    },
    "schedule": {
        "timeZone": "Europe/Paris",
        "hours": [
            {"day": "tuesday", "opensAt": "14:00", "closesAt": "18:30"},
            {"day": "wednesday", "opensAt": "10:00", "closesAt": "12:00"},
            {"day": "wednesday", "opensAt": "14:00", "closesAt": "18:30"},
            {"day": "saturday", "opensAt": "09:30", "closesAt": "13:00"},
        ],
        "byAppointment": False,
        "validFrom": datetime(2026, 9, 1, tzinfo=UTC),
        "validTo": datetime(2027, 6, 30, tzinfo=UTC),
        "notes": "Shorter hours during school holidays.",
    },
    "eligibility": {
        "description": "Households whose remaining income after rent is below €12 per day.",
        "groups": ["lowIncome", "families", "students"],
        "minimumAge": 18,
        "requirements": ["referral from a social worker or a Mitché helper"],
        "documentsNeeded": ["proof of address", "latest tax notice"],
    },
    "applicationProcess": "Come on a Wednesday morning with your documents; answer in a week.",
    "languages": ["fr", "ar", "en"],
    "fees": {
        "free": False,
        "amount": {"amountMinor": 200, "currency": "EUR"},
        "description": "€2 yearly membership; prices at 10-30% of shop prices.",
    },
    "providerVerification": {
        "status": "verified",
        "verifiedAt": datetime(2026, 6, 10, 11, 0, tzinfo=UTC),
        "note": "Visited by an admin; registered association.",
    },
    "rating": {"count": 23, "average": 4.6},
    "usage": {"referrals": 17, "contactClicks": 140, "directionRequests": 96},
    "metrics": {"views": 2300, "uniqueViewers": 1210, "shares": 58, "saves": 201, "responses": 0},
    "moderation": {
        "status": "approved",
        "reviewedAt": datetime(2026, 6, 10, 11, 0, tzinfo=UTC),
        "reportCount": 0,
    },
    "createdAt": CREATED,
    "updatedAt": UPDATED,
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(languages="fr"), "languages"),
    ("unknown field", _with(openingHours="Tue-Sat"), "openingHours"),
    ("oversized string", _with(name="x" * 151), "name"),
    ("bad enum", _with(status="open"), "status"),
    (
        "bad eligible group",
        _with(eligibility={**VALID["eligibility"], "groups": ["poor"]}),
        "groups",
    ),
    ("missing required field", _without("provider"), "provider"),
    ("no language", _with(languages=[]), "languages"),
    ("language not BCP-47", _with(languages=["Arabic"]), "languages"),
    ("repeated language", _with(languages=["fr", "fr"]), "languages"),
    (
        "age range inverted",
        _with(eligibility={**VALID["eligibility"], "maximumAge": 12}),
        "maximumAge",
    ),
    ("free with a fee", _with(fees={**VALID["fees"], "free": True}), "amount"),
    (
        "bad time zone",
        _with(schedule={**VALID["schedule"], "timeZone": "CET 1"}),
        "timeZone",
    ),
    (
        "bad weekday",
        _with(
            schedule={
                **VALID["schedule"],
                "hours": [{"day": "mon", "opensAt": "09:00", "closesAt": "10:00"}],
            }
        ),
        "day",
    ),
    (
        "schedule validity inverted",
        _with(schedule={**VALID["schedule"], "validTo": datetime(2026, 1, 1, tzinfo=UTC)}),
        "validTo",
    ),
    (
        "website not https",
        _with(contact={"website": "http://painpartage.example.org"}),
        "website",
    ),
    ("phone not E.164", _with(contact={"phone": "01 40 00 00 01"}), "phone"),
    (
        "provider email malformed",
        _with(provider={**VALID["provider"], "contact": {"email": "contact at example"}}),
        "email",
    ),
    ("no place and not remote", _with(location=None), "location"),
    (
        "geohash does not encode the point",
        _with(location={**VALID["location"], "geohash": "u09wn0ffu"}),
        "geohash",
    ),
    (
        "geohash alphabet",
        _with(serviceArea={**VALID["serviceArea"], "geohashPrefixes": ["u09ia"]}),
        "geohashPrefixes",
    ),
    (
        "verified without date",
        _with(providerVerification={"status": "verified"}),
        "verifiedAt",
    ),
    ("rating average without ratings", _with(rating={"count": 0, "average": 4.0}), "average"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "resources/{resourceId}/reviews/{userId}": {
        "authorId": "samiraUid05",
        "rating": 4,
        "comment": "Friendly volunteers; the Wednesday budgeting session really helped.",
        "usedService": True,
        "visitedAt": datetime(2026, 10, 21, 9, 0, tzinfo=UTC),
        "helpfulCount": 6,
        "moderation": {"status": "approved", "reportCount": 0},
        "createdAt": datetime(2026, 10, 22, 18, 0, tzinfo=UTC),
        "updatedAt": datetime(2026, 10, 22, 18, 0, tzinfo=UTC),
    },
    "resources/{resourceId}/private/providerApplication": {
        "applicantId": "leaUid12",
        "roleInOrganization": "volunteer coordinator",
        "evidence": "Registered association W751234567; I am listed on painpartage.example.org.",
        "appliedAt": datetime(2026, 6, 4, 14, 5, tzinfo=UTC),
        "updatedAt": datetime(2026, 6, 4, 14, 5, tzinfo=UTC),
        "status": "verified",
        "decidedBy": "modSara11",
        "decidedAt": datetime(2026, 6, 10, 11, 0, tzinfo=UTC),
        "decisionNote": "Registry number checked.",
    },
    "resources/{resourceId}/usageShards/{shardId}": {
        "views": 41,
        "referrals": 3,
        "contactClicks": 7,
        "directionRequests": 2,
    },
    "resources/{resourceId}/reviews/{userId}/helpful/{voterId}": {
        "userId": "jonasUid77",
        "createdAt": datetime(2026, 10, 23, 8, 0, tzinfo=UTC),
    },
    "resources/{resourceId}/reviews/{userId}/processedEvents/{markerId}": {
        "handler": "resources.helpful",
        "eventId": "3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b",
        "processedAt": datetime(2026, 10, 23, 8, 0, 1, tzinfo=UTC),
        "expiresAt": datetime(2026, 11, 22, 8, 0, 1, tzinfo=UTC),
    },
}
