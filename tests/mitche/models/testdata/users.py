"""Example `users` documents: one realistic member, and documents the model must refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

JOINED = datetime(2026, 3, 2, 18, 4, 11, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

VALID: dict[str, Any] = {
    "profile": {
        "displayName": "Amina",
        "anonymousAlias": "Quiet Heron 42",
        "avatar": {
            "storagePath": "uploads/aminaUid01/avatar/heron.webp",
            "ownerId": "aminaUid01",
            "contentType": "image/webp",
            "sizeBytes": 48213,
            "altText": "A drawing of a heron",
            "width": 512,
            "height": 512,
        },
        "bio": "Retired nurse. Happy to listen, drive, or help with forms.",
        "pronouns": "she/her",
        "languages": ["fr", "ar", "en-GB"],
        "skills": ["first-aid", "driving", "paperwork"],
        "interests": ["elder-care", "food-banks"],
        "homeArea": {"geohash": "u09wn", "label": "Belleville, Paris"},
    },
    "privacy": {
        "profileVisibility": "community",
        "leaderboardOptIn": True,
        "analyticsOptIn": True,
        "showLevel": True,
        "showAchievements": False,
        "revealRequests": "counterparts",
    },
    "notifications": {
        "channels": {"push": True, "email": True, "inApp": True},
        "topics": {
            "newMessages": True,
            "requestUpdates": True,
            "offeringUpdates": True,
            "eventReminders": True,
            "achievements": False,
            "nearbyRequests": True,
            "communityNews": False,
        },
        "digest": "daily",
        "quietHours": {"startsAt": "22:00", "endsAt": "07:30"},
        "nearbyRadiusKm": 3,
    },
    "preferences": {
        "locale": "fr",
        "timeZone": "Europe/Paris",
        "distanceUnit": "km",
        "largeText": True,
        "reduceMotion": False,
    },
    "gamification": {
        "hopePoints": {
            "total": 1240,
            "silentHero": 400,
            "voiceOfCompassion": 310,
            "communityBuilder": 120,
            "guardian": 20,
            "provider": 90,
            "mentor": 150,
            "connector": 50,
            "firstResponder": 100,
        },
        "experience": 1310,
        "level": 7,
        "streak": {
            "currentDays": 12,
            "longestDays": 31,
            "lastActiveDay": "2026-11-19",
            "timeZone": "Europe/Paris",
        },
        "weeklyPoints": 85,
        "week": "2026-W47",
        "achievementsEarned": 9,
        "capUsage": {
            "day": "2026-11-19",
            "week": "2026-W47",
            "daily": {"silentHero": 35, "mentor": 15},
            "weekly": {"silentHero": 85, "mentor": 15},
        },
        "selfRewards": {"day": "2026-11-19", "acts": 2, "points": 10},
    },
    "stats": {
        "requestsCreated": 2,
        "requestsFulfilled": 14,
        "offeringsMade": 21,
        "offeringsAccepted": 16,
        "offeringsCompleted": 14,
        "financialOfferings": 0,
        "urgentResponses": 4,
        "eventsOrganized": 1,
        "eventsAttended": 6,
        "resourcesPublished": 0,
        "reviewsWritten": 3,
        "storiesApproved": 2,
        "nominationsReceived": 5,
        "messagesSent": 312,
        "reportsUpheld": 1,
        "positiveFeedback": 13,
        "daysActive": 88,
        "rating": {"count": 14, "average": 4.79},
        "ratingsByCategory": {
            "food": {"count": 10, "average": 4.9},
            "transport": {"count": 4, "average": 4.5},
        },
    },
    "security": {
        "role": "user",
        "accountStatus": "active",
        "strikes": 0,
        "identityVerification": {
            "status": "verified",
            "verifiedAt": datetime(2026, 4, 1, 10, 0, tzinfo=UTC),
            "note": "ID checked in person at the community centre",
        },
        "verifiedProvider": False,
    },
    "reveal": {
        "pendingIncoming": 1,
        "completed": 2,
        "lastCompletedAt": datetime(2026, 10, 2, 20, 15, tzinfo=UTC),
    },
    "lastRequestAt": datetime(2026, 9, 12, 8, 0, tzinfo=UTC),
    "lastOfferingAt": datetime(2026, 11, 19, 17, 45, tzinfo=UTC),
    "lastMessageAt": datetime(2026, 11, 20, 9, 29, 58, tzinfo=UTC),
    "lastActiveAt": datetime(2026, 11, 20, 9, 29, 58, tzinfo=UTC),
    "createdAt": JOINED,
    "updatedAt": NOW,
}


def _profile(**changes: Any) -> dict[str, Any]:
    return {**VALID, "profile": {**VALID["profile"], **changes}}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


def _security(**changes: Any) -> dict[str, Any]:
    return {**VALID, "security": {**VALID["security"], **changes}}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _profile(displayName=42), "displayName"),
    ("unknown field", {**VALID, "isAdmin": True}, "isAdmin"),
    ("unknown nested field", _profile(realName="Amina B."), "realName"),
    ("oversized string", _profile(bio="x" * 501), "bio"),
    (
        "bad enum",
        {**VALID, "privacy": {**VALID["privacy"], "profileVisibility": "friends"}},
        "profileVisibility",
    ),
    ("missing required field", _without("createdAt"), "createdAt"),
    ("missing profile", _without("profile"), "profile"),
    ("too many skills", _profile(skills=[f"skill-{n}" for n in range(31)]), "skills"),
    ("skill not a tag", _profile(skills=["First Aid"]), "skills"),
    ("language not BCP-47", _profile(languages=["french"]), "languages"),
    (
        "avatar not an image",
        _profile(
            avatar={
                **VALID["profile"]["avatar"],
                "contentType": "application/pdf",
                "width": None,
                "height": None,
            }
        ),
        "avatar",
    ),
    (
        "avatar outside owner prefix",
        _profile(avatar={**VALID["profile"]["avatar"], "storagePath": "uploads/other/a.webp"}),
        "storagePath",
    ),
    (
        "public area too precise",
        _profile(homeArea={"geohash": "u09wn0f", "label": "Home"}),
        "geohash",
    ),
    (
        "hope point total not the sum",
        {
            **VALID,
            "gamification": {
                **VALID["gamification"],
                "hopePoints": {**VALID["gamification"]["hopePoints"], "total": 9999},
            },
        },
        "total",
    ),
    (
        "level out of range",
        {**VALID, "gamification": {**VALID["gamification"], "level": 0}},
        "level",
    ),
    (
        "negative counter",
        {**VALID, "stats": {**VALID["stats"], "messagesSent": -1}},
        "messagesSent",
    ),
    ("suspension without end", _security(accountStatus="suspended"), "suspendedUntil"),
    (
        "bad time zone",
        {**VALID, "preferences": {**VALID["preferences"], "timeZone": "Paris, France"}},
        "timeZone",
    ),
    ("naive timestamp", {**VALID, "createdAt": datetime(2026, 3, 2, 18, 4)}, "createdAt"),
    (
        "updated before created",
        {**VALID, "updatedAt": datetime(2025, 1, 1, tzinfo=UTC)},
        "updatedAt",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "users/{userId}/private/account": {
        "security": VALID["security"],
        "lastRequestAt": NOW,
        "lastMessageAt": NOW,
    },
    "users/{userId}/private/identity": {
        "legalName": "sealed:v1:Yq3ZkVb1uW0sXoTq8h2mHcQ1o4bJm7rA6vN0fE5tL9dK2pS8w",
        "phone": "sealed:v1:m2Q9xTb7Lr1VcZ0oKp5sW8dHy3fN6jA4uE1gR7tM0bX2vC9q",
        "home": "sealed:v1:Jx8Vn2Qm5Tz1Kc7Rb0Wd4Ys9Pf3Hg6Ln2Mq8Vt1Zx5Cb7Nk0Rs4Dw",
        "updatedAt": NOW,
    },
    "users/{userId}/private/dataKey": {
        "wrappedKey": "c2VhbGVkOnYxOmtleS13cmFwcGVkLWJ5LXRoZS1rZWstaW4ta21z",
        "kekVersion": "projects/mitche/locations/europe-west1/keyRings/pii/cryptoKeys/kek/"
        "cryptoKeyVersions/3",
        "createdAt": NOW,
    },
    "users/{userId}/publicKeys/{keyId}": {
        "algorithm": "X25519",
        "publicKey": "q1Vt8Zb0Xc4Nm7Lk2Pj5Hg9Fd3Sa6Qw1Er8Ty0Ui3Op",
        "label": "phone",
        "createdAt": NOW,
    },
    "users/{userId}/private/consents": {
        "termsVersion": "2026-11",
        "termsAcceptedAt": JOINED,
        "analytics": {"granted": True, "version": "1", "answeredAt": JOINED},
        "leaderboards": {"granted": False, "version": "1", "answeredAt": NOW},
        "updatedAt": NOW,
    },
    "users/{userId}/private/export": {
        "exportId": "3f2a9c1e",
        "status": "ready",
        "source": 17,
        "page": 0,
        "documents": 42,
        "archivePath": "exports/u1/3f2a9c1e/mitche-export.zip",
        "sizeBytes": 18211,
        "requestedAt": NOW,
        "updatedAt": NOW,
        "readyAt": NOW,
        "expiresAt": NOW + timedelta(days=7),
    },
    "users/{userId}/hopeLedger/{entryId}": {
        "action": "offeringAccepted",
        "category": "silentHero",
        "source": "offerings/off_7Hq2",
        "eventId": "projects/demo-mitche/events/8c1f3a",
        "base": 20,
        "multiplier": 1.5,
        "bonus": 5,
        "amount": 35,
        "capped": False,
        "createdAt": NOW,
    },
    "users/{userId}/revealConsents/{counterpartId}": {
        "counterpartId": "jonasUid77",
        "context": "conversations/conv_req_51",
        "status": "consented",
        "completedAt": datetime(2026, 10, 2, 20, 15, tzinfo=UTC),
        "createdAt": datetime(2026, 10, 1, 19, 0, tzinfo=UTC),
        "updatedAt": datetime(2026, 10, 1, 19, 0, tzinfo=UTC),
    },
    "users/{userId}/blocks/{memberId}": {
        "memberId": "jonasUid77",
        "createdAt": datetime(2026, 10, 3, 8, 30, tzinfo=UTC),
    },
    "users/{userId}/revealGrants/{counterpartId}": {
        "counterpartId": "jonasUid77",
        "context": "conversations/conv_req_51",
        "completedAt": datetime(2026, 10, 2, 20, 15, tzinfo=UTC),
    },
    "users/{userId}/rewardFacts/{factId}": {
        "fact": "offeringAccepted",
        "subject": "requests/req_51",
        "eventId": "1b9e0c4f7a2d4e6c9f3a8b5d2e7c0a14",
        "recordedAt": NOW,
    },
    "users/{userId}/uploadReviews/{reviewId}": {
        "storagePath": "uploads/u_8f3kq2/requests/req_51/photo.jpg",
        "generation": "1764892800123456",
        "status": "accepted",
        "contentType": "image/jpeg",
        "sizeBytes": 48213,
        "thumbnailPath": "uploads/u_8f3kq2/requests/req_51/thumb-photo.jpg",
        "linkedTo": "requests/req_51",
        "reviewedAt": NOW,
    },
    "users/{userId}/processedEvents/{markerId}": {
        "handler": "gamification.offerings",
        "eventId": "1b9e0c4f7a2d4e6c9f3a8b5d2e7c0a14",
        "processedAt": NOW,
        "expiresAt": NOW + timedelta(days=30),
    },
    "users/{userId}/notifications/{notificationId}": {
        "kind": "offeringReceived",
        "params": {"requestTitle": "Groceries for Saturday"},
        "locale": "en",
        "title": "New offer of help",
        "body": "Someone offered to help with “Groceries for Saturday”.",
        "target": "requests/req_51",
        "count": 1,
        "lastKey": "1b9e0c4f7a2d4e6c9f3a8b5d2e7c0a14:aminaUid01",
        "push": {"status": "sent", "sentAt": NOW},
        "createdAt": NOW,
        "updatedAt": NOW,
        "readAt": None,
        "expiresAt": NOW + timedelta(days=90),
    },
    "users/{userId}/notificationInbox/{summaryId}": {
        "unread": 1,
        "pushWindowStartedAt": NOW,
        "pushesInWindow": 1,
        "updatedAt": NOW,
    },
    "users/{userId}/devices/{deviceId}": {
        "token": "fcm-registration-token-of-aminas-phone",
        "platform": "android",
        "createdAt": JOINED,
        "lastSeenAt": NOW,
    },
}
