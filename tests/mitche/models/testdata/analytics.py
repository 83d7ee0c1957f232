"""Example `analytics` documents: one day's metrics, one counter shard, and documents the model
refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

VALID: dict[str, Any] = {
    "day": "2026-11-19",
    "users": {"newUsers": 37, "activeUsers": 1204, "deactivatedUsers": 2, "suspendedUsers": 1},
    "requests": {
        "created": 58,
        "fulfilled": 41,
        "byCategory": {
            "food": 19,
            "transport": 9,
            "emotionalSupport": 8,
            "housing": 6,
            "household": 10,
            "other": 6,
        },
        "byUrgency": {"low": 14, "medium": 27, "high": 13, "critical": 4},
        "byStatus": {"open": 58, "inProgress": 44, "fulfilled": 41, "closed": 5, "expired": 3},
    },
    "offerings": {
        "created": 96,
        "byType": {"help": 71, "resource": 21, "financial": 4},
        "accepted": 52,
        "completed": 45,
    },
    "events": {
        "created": 3,
        "byCategory": {"mealShare": 2, "supportCircle": 1},
        "held": 2,
        "registrations": 64,
        "cancellations": 5,
        "attendances": 49,
    },
    "messages": {"sent": 5230, "conversationsStarted": 118},
    "screening": {"approved": 40, "flagged": 3, "held": 1, "unprocessable": 0},
    "reports": {
        "created": 6,
        "byReason": {"spam": 3, "scam": 2, "harassment": 1},
        "bySeverity": {"low": 3, "medium": 1, "high": 2},
        "autoHidden": 2,
        "resolved": 3,
        "dismissed": 2,
    },
    "hopePoints": {
        "awarded": 3120,
        "byCategory": {
            "silentHero": 1400,
            "voiceOfCompassion": 520,
            "communityBuilder": 610,
            "guardian": 40,
            "provider": 300,
            "mentor": 120,
            "connector": 40,
            "firstResponder": 90,
        },
        "byAction": {
            "requestFulfilled": 1025,
            "offeringAccepted": 375,
            "eventAttended": 610,
            "supportGiven": 520,
            "reportUpheld": 40,
            "resourcePublished": 300,
            "mentorshipSession": 120,
            "resourceReviewed": 40,
            "urgentResponse": 90,
        },
        "entries": 402,
        "cappedEntries": 7,
    },
    "geohashPrecision": 4,
    "geography": {
        "u09w": {"requests": 31, "offerings": 55, "events": 2, "activeUsers": 610},
        "u09t": {"requests": 27, "offerings": 41, "events": 0, "activeUsers": 594},
    },
    "timeZone": "Europe/Paris",
    "source": "counters",
    "shardsMerged": 10,
    "computedAt": datetime(2026, 11, 20, 0, 15, tzinfo=UTC),
}


def _without(*keys: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name not in keys}


def _requests(**changes: Any) -> dict[str, Any]:
    return {**VALID, "requests": {**VALID["requests"], **changes}}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", {**VALID, "shardsMerged": "ten"}, "shardsMerged"),
    ("unknown field", {**VALID, "revenue": 0}, "revenue"),
    ("oversized string", {**VALID, "day": "2026-11-19T00:00"}, "day"),
    ("bad enum", {**VALID, "source": "guess"}, "source"),
    ("missing required field", _without("computedAt"), "computedAt"),
    ("missing day", _without("day"), "day"),
    ("day that does not exist", {**VALID, "day": "2026-02-30"}, "day"),
    ("day written differently", {**VALID, "day": "19/11/2026"}, "day"),
    ("unknown request category", _requests(byCategory={"pets": 58}), "pets"),
    ("categories not adding up", _requests(created=59), "requests byCategory"),
    ("negative counter", {**VALID, "messages": {"sent": -4}}, "sent"),
    (
        "geography cell of the wrong precision",
        {**VALID, "geography": {"u09wn": {"requests": 1}}},
        "geography",
    ),
    ("geography cell not a geohash", {**VALID, "geography": {"u0aw": {}}}, "geography"),
    (
        "computed before the day ended",
        {**VALID, "computedAt": datetime(2026, 11, 19, 22, 0, tzinfo=UTC)},
        "computedAt",
    ),
    ("backfill that merged shards", {**VALID, "source": "backfill"}, "shardsMerged"),
    ("malformed time zone", {**VALID, "timeZone": "Mars/Olympus/Mons/X"}, "timeZone"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "analytics/{day}/shards/{shardId}": {
        "day": "2026-11-19",
        "users": {"newUsers": 4, "activeUsers": 117, "deactivatedUsers": 0, "suspendedUsers": 0},
        "requests": {
            "created": 6,
            "fulfilled": 4,
            "byCategory": {"food": 3, "household": 3},
            "byUrgency": {"medium": 5, "critical": 1},
            "byStatus": {"open": 6, "fulfilled": 4},
        },
        "offerings": {"created": 9, "byType": {"help": 9}, "accepted": 5, "completed": 4},
        "events": {
            "created": 0,
            "byCategory": {},
            "held": 0,
            "registrations": 7,
            "cancellations": 0,
            "attendances": 5,
        },
        "messages": {"sent": 522, "conversationsStarted": 12},
        "screening": {"approved": 8, "flagged": 1, "held": 0, "unprocessable": 1},
        "reports": {
            "created": 1,
            "byReason": {"spam": 1},
            "bySeverity": {"low": 1},
            "autoHidden": 0,
            "resolved": 0,
            "dismissed": 1,
        },
        "hopePoints": {
            "awarded": 310,
            "byCategory": {"silentHero": 250, "communityBuilder": 60},
            "byAction": {"requestFulfilled": 190, "offeringAccepted": 60, "eventAttended": 60},
            "entries": 38,
            "cappedEntries": 0,
        },
        "geohashPrecision": 4,
        "geography": {"u09w": {"requests": 6, "offerings": 9, "events": 0, "activeUsers": 117}},
        "shard": 3,
        "updatedAt": datetime(2026, 11, 19, 22, 58, 41, tzinfo=UTC),
    },
    "analytics/{day}/processedEvents/{markerId}": {
        "handler": "analytics.requests",
        "eventId": "6f0c2b1de4a94c3f8b1a0e77d2c5a910",
        "processedAt": datetime(2026, 11, 19, 9, 30, tzinfo=UTC),
        "expiresAt": datetime(2026, 12, 19, 9, 30, tzinfo=UTC),
    },
}
