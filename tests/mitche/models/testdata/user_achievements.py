"""Example `userAchievements` documents: a member two tiers into a three-tier achievement, and
documents the model refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

FIRST = datetime(2026, 12, 14, 18, 2, tzinfo=UTC)
SECOND = datetime(2026, 12, 17, 11, 40, tzinfo=UTC)

VALID: dict[str, Any] = {
    "userId": "aminaUid01",
    "achievementId": "winter-warmth-2026",
    "hidden": False,
    "display": {
        "name": "Winter Warmth",
        "description": "Help neighbours through the cold: fulfil requests during Winter "
        "Kindness Week.",
        "icon": "snowflake-heart",
        "category": "seasonal",
        "rarity": "rare",
        "tierCount": 3,
    },
    "progress": {"value": 4, "tier": 2, "nextThreshold": 7, "updatedAt": SECOND},
    "tiersEarned": [
        {
            "tier": 1,
            "title": "Warm Hands",
            "earnedAt": FIRST,
            "hopePointsAwarded": 11,
            "context": {
                "stat": "requestsFulfilled",
                "statValue": 1,
                "sourcePath": "requests/req_coat_881",
                "eventId": "projects/demo-mitche/events/a11f0c",
                "achievementVersion": 2,
            },
        },
        {
            "tier": 2,
            "title": "Hearth Keeper",
            "earnedAt": SECOND,
            "hopePointsAwarded": 27,
            "context": {
                "stat": "requestsFulfilled",
                "statValue": 3,
                "sourcePath": "requests/req_heater_902",
                "eventId": "projects/demo-mitche/events/b7720d",
                "achievementVersion": 2,
            },
        },
    ],
    "notification": {"tier": 2, "queuedAt": SECOND, "sentAt": SECOND},
    "seenAt": datetime(2026, 12, 17, 12, 5, tzinfo=UTC),
    "createdAt": FIRST,
    "updatedAt": SECOND,
}


def _without(*keys: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name not in keys}


def _progress(**changes: Any) -> dict[str, Any]:
    return {**VALID, "progress": {**VALID["progress"], **changes}}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", {**VALID, "hidden": [True]}, "hidden"),
    ("unknown field", {**VALID, "visible": True}, "visible"),
    (
        "oversized string",
        {**VALID, "display": {**VALID["display"], "name": "x" * 81}},
        "name",
    ),
    (
        "bad enum",
        {**VALID, "display": {**VALID["display"], "rarity": "mythic"}},
        "rarity",
    ),
    ("missing required field", _without("progress"), "progress"),
    ("missing user", _without("userId"), "userId"),
    ("tier count disagrees with tiers earned", _progress(tier=1), "progress.tier"),
    (
        "tiers earned out of order",
        {**VALID, "tiersEarned": list(reversed(VALID["tiersEarned"]))},
        "tiersEarned",
    ),
    ("value already past next threshold", _progress(value=7), "nextThreshold"),
    (
        "completed before the last tier",
        {**VALID, "completedAt": SECOND},
        "completedAt",
    ),
    (
        "no next threshold while tiers remain",
        _progress(nextThreshold=None),
        "nextThreshold",
    ),
    (
        "hidden achievement before any tier",
        {
            **VALID,
            "hidden": True,
            "tiersEarned": [],
            "progress": {"value": 0, "tier": 0, "nextThreshold": 1, "updatedAt": FIRST},
            "notification": None,
        },
        "hidden",
    ),
    (
        "notification about a tier not earned",
        {**VALID, "notification": {"tier": 3, "queuedAt": SECOND}},
        "notification.tier",
    ),
    (
        "notification sent before it was queued",
        {**VALID, "notification": {"tier": 2, "queuedAt": SECOND, "sentAt": FIRST}},
        "sentAt",
    ),
    (
        "unknown stat in context",
        {
            **VALID,
            "tiersEarned": [
                {
                    **VALID["tiersEarned"][0],
                    "context": {**VALID["tiersEarned"][0]["context"], "stat": "likes"},
                },
                VALID["tiersEarned"][1],
            ],
        },
        "stat",
    ),
    ("achievement id with a slash", {**VALID, "achievementId": "a/b"}, "achievementId"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {}
