"""Example `systemSettings` documents: `public` as VALID, the admin-only documents as
SUBCOLLECTION_VALID (fixed-id paths), and documents the model refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

CHANGED = datetime(2026, 11, 10, 14, 0, tzinfo=UTC)

_BENEFITS: list[dict[str, Any]] = [
    {
        "minLevel": 1,
        "title": "Seedling",
        "dailyCapBonusPercent": 0,
        "maxOpenRequests": 3,
        "canOrganizeEvents": False,
        "mentorshipEligible": False,
    },
    {
        "minLevel": 4,
        "title": "Helper",
        "dailyCapBonusPercent": 10,
        "maxOpenRequests": 5,
        "canOrganizeEvents": True,
        "mentorshipEligible": False,
    },
    {
        "minLevel": 20,
        "title": "Mentor",
        "dailyCapBonusPercent": 30,
        "maxOpenRequests": 8,
        "canOrganizeEvents": True,
        "mentorshipEligible": True,
    },
]

VALID: dict[str, Any] = {
    "featureFlags": {
        "chat": True,
        "advancedSearch": True,
        "ratings": True,
        "geolocation": True,
        "events": True,
        "resourceHub": True,
        "tapestry": True,
        "achievements": True,
        "leaderboards": True,
        "revealProtocol": True,
        "mentorship": False,
        "aiMatching": False,
        "payments": False,
        "voiceInterface": False,
        "communityGroups": False,
    },
    "levelBenefits": _BENEFITS,
    "config": {
        "serviceStatus": "degraded",
        "statusMessage": "Photos may take a few minutes to appear today.",
        "minClientVersion": "1.4.0",
        "supportedLanguages": ["en", "fr", "ar", "pt-BR"],
        "defaultSearchRadiusKm": 8,
        "requestExpiryDays": 21,
        "leaderboardSize": 50,
        "rateLimits": {
            "requestSeconds": 120,
            "offeringSeconds": 10,
            "messageSeconds": 1,
            "reportSeconds": 30,
            "conversationSeconds": 10,
            "eventSeconds": 600,
            "registrationSeconds": 5,
            "storySeconds": 300,
            "reviewSeconds": 60,
            "revealConsentSeconds": 30,
            "heartSeconds": 1,
        },
        "termsVersion": "2026-11",
        "supportUrl": "https://help.mitche.example/support",
        "maxAttachmentBytes": 5 * 1024 * 1024,
    },
    "updatedAt": CHANGED,
    "updatedBy": "adminLina01",
}


def _config(**changes: Any) -> dict[str, Any]:
    return {**VALID, "config": {**VALID["config"], **changes}}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    (
        "wrong type",
        {**VALID, "featureFlags": {**VALID["featureFlags"], "chat": "sometimes"}},
        "chat",
    ),
    ("unknown field", {**VALID, "awardTable": {}}, "awardTable"),
    ("unknown flag", {**VALID, "featureFlags": {"darkMode": True}}, "darkMode"),
    ("oversized string", _config(statusMessage="x" * 501), "statusMessage"),
    ("bad enum", _config(serviceStatus="down"), "serviceStatus"),
    ("config not a map", {**VALID, "config": 7}, "config"),
    ("missing required field", {**VALID, "levelBenefits": [{"minLevel": 1}]}, "title"),
    ("empty level benefits", {**VALID, "levelBenefits": []}, "levelBenefits"),
    (
        "level benefits not starting at level 1",
        {**VALID, "levelBenefits": _BENEFITS[1:]},
        "levelBenefits",
    ),
    (
        "level benefits out of order",
        {**VALID, "levelBenefits": [_BENEFITS[0], _BENEFITS[2], _BENEFITS[1]]},
        "levelBenefits",
    ),
    (
        "level above the maximum",
        {**VALID, "levelBenefits": [_BENEFITS[0], {**_BENEFITS[2], "minLevel": 101}]},
        "minLevel",
    ),
    ("version not semantic", _config(minClientVersion="1.4"), "minClientVersion"),
    ("support URL not https", _config(supportUrl="http://help.example"), "supportUrl"),
    ("no languages", _config(supportedLanguages=[]), "supportedLanguages"),
    (
        "negative rate limit",
        _config(rateLimits={**VALID["config"]["rateLimits"], "messageSeconds": -1}),
        "messageSeconds",
    ),
    ("admin id with a slash", {**VALID, "updatedBy": "admin/1"}, "updatedBy"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "systemSettings/gamification": {
        "awards": {
            "offeringMade": {"category": "silentHero", "basePoints": 5, "enabled": True},
            "offeringAccepted": {"category": "silentHero", "basePoints": 10, "enabled": True},
            "requestFulfilled": {"category": "silentHero", "basePoints": 30, "enabled": True},
            "eventAttended": {"category": "communityBuilder", "basePoints": 10, "enabled": True},
            "storyApproved": {"category": "voiceOfCompassion", "basePoints": 15, "enabled": True},
            "reportUpheld": {"category": "guardian", "basePoints": 10, "enabled": False},
        },
        "dailyCaps": {"silentHero": 120, "guardian": 40},
        "weeklyCaps": {"silentHero": 480, "guardian": 160},
        "levelMultipliers": [
            {"minLevel": 1, "multiplier": 1.0},
            {"minLevel": 10, "multiplier": 1.25},
            {"minLevel": 30, "multiplier": 1.5},
        ],
        "streakBonuses": [
            {"minDays": 3, "bonusPercent": 5},
            {"minDays": 7, "bonusPercent": 10},
            {"minDays": 30, "bonusPercent": 25},
        ],
        "levelCurve": {"baseExperience": 120, "growthPercent": 140, "maxLevel": 100},
        "selfTriggeredActsPerDay": 3,
        "updatedAt": CHANGED,
        "updatedBy": "adminLina01",
    },
    "systemSettings/moderation": {
        "keywords": {
            "critical": ["kill myself", "end my life"],
            "high": ["gift card code", "wire transfer"],
            "medium": ["idiot"],
            "low": ["promo code"],
        },
        "reasonSeverity": {"spam": "low", "scam": "high", "selfHarm": "critical"},
        "autoHideSeverity": "high",
        "autoHideReportCount": 3,
        "autoHideMinAccountAgeDays": 7,
        "reporterSeverityCap": "high",
        "screenNewContent": True,
        "suspension": {
            "defaultDays": 7,
            "strikesToSuspend": 3,
            "strikesToBan": 6,
            "strikeExpiryDays": 180,
        },
        "updatedAt": CHANGED,
        "updatedBy": "adminLina01",
    },
    "systemSettings/analytics": {
        "shardCount": 10,
        "geohashPrecision": 4,
        "timeZone": "Europe/Paris",
        "updatedAt": CHANGED,
        "updatedBy": "adminLina01",
    },
    "systemSettings/moderators": {
        "moderatorIds": ["modKenji03", "modSara11"],
        "nextAssignment": 17,
        "updatedAt": CHANGED,
    },
    "systemSettings/leaderboards": {
        "entryKey": "5f1d3c9a" * 8,
        "createdAt": CHANGED,
    },
    "systemSettings/migrations/applied/{migrationId}": {
        "version": 1,
        "name": "private_account",
        "checksum": "84a3efd598c1f9aa1622cdce8d09b4a88314b0b4fabfaa09de5696ed285099d7",
        "state": "applied",
        "visited": 1200,
        "changed": 1187,
        "startedAt": CHANGED,
        "startedBy": "ops@deploy-host",
        "appliedAt": CHANGED,
        "appliedBy": "ops@deploy-host",
        "valid": True,
        "history": [
            {
                "direction": "up",
                "by": "ops@deploy-host",
                "startedAt": CHANGED,
                "finishedAt": CHANGED,
                "visited": 1200,
                "changed": 1187,
            }
        ],
    },
    "systemSettings/aliases/claims/{aliasKey}": {"ownerId": "alice", "claimedAt": CHANGED},
    "systemSettings/nearMe/nearbyRequests/{entryId}": {
        "key": "b2026-12-09T12:00:00.000000Z",
        "cell": "u05kq6",
        "area": "u05kq",
        "category": "food",
        "updatedAt": CHANGED,
    },
    "systemSettings/nearMe/nearbyEvents/{entryId}": {
        "key": "2026-12-20T18:00:00.000000Z",
        "cell": "u05kq4",
        "area": "u05kq",
        "updatedAt": CHANGED,
    },
    "systemSettings/nearMe/nearbyResources/{entryId}": {
        "key": "~",
        "cell": "u05kmx",
        "area": "u05km",
        "category": "food",
        "updatedAt": CHANGED,
    },
    "systemSettings/nearMe/nearbyOfferings/{entryId}": {
        "key": "~",
        "cell": "u05kqd",
        "area": "u05kq",
        "category": "transport",
        "updatedAt": CHANGED,
    },
    "systemSettings/matching": {
        "similarityWeight": 0.5,
        "distanceWeight": 0.2,
        "availabilityWeight": 0.1,
        "ratingWeight": 0.1,
        "loadWeight": 0.1,
        "maxOpenCommitments": 4,
        "availabilityHorizonHours": 48,
        "candidates": 150,
        "suggestions": 8,
        "updatedAt": CHANGED,
    },
    "systemSettings/matching/requestCards/{requestId}": {
        "requesterId": "alice",
        "category": "transport",
        "cell": "u05kq6",
        "remoteOk": False,
        "urgency": "high",
        "deadline": datetime(2026, 12, 9, 12, 0, tzinfo=UTC),
        "languages": ["fr", "en"],
        "embedding": [0.6, 0.0, 0.8],
        "textHash": "ab" * 32,
        "model": "use-multilingual-v3",
        "updatedAt": CHANGED,
    },
    "systemSettings/matching/helperCards/{uid}": {
        "alias": "Quiet Heron 42",
        "active": True,
        "categories": ["transport", "health"],
        "area": "u05kq",
        "travelKm": 6.0,
        "remoteOk": True,
        "languages": ["fr"],
        "windows": [{"weekday": 1, "start": 540, "end": 720}],
        "ratingAverage": 4.8,
        "ratingCount": 9,
        "openCommitments": 1,
        "embedding": [0.0, 1.0, 0.0],
        "textHash": "cd" * 32,
        "model": "use-multilingual-v3",
        "updatedAt": CHANGED,
    },
    "systemSettings/leaderboards/boards/{boardId}/entries/{entryId}": {
        "alias": "Quiet Heron 42",
        "points": 85,
        "level": 7,
        "week": "2026-W47",
        "expiresAt": datetime(2026, 12, 21, tzinfo=UTC),
        "updatedAt": CHANGED,
    },
}
