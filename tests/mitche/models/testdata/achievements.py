"""Example `achievements` documents: a seasonal, progressive achievement and documents the
model refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

CREATED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

VALID: dict[str, Any] = {
    "name": "Winter Warmth",
    "description": "Help neighbours through the cold: fulfil requests during Winter Kindness Week.",
    "icon": "snowflake-heart",
    "category": "seasonal",
    "rarity": "rare",
    "criterion": {"stat": "requestsFulfilled", "comparison": "atLeast", "scope": "season"},
    "tiers": [
        {"tier": 1, "threshold": 1, "hopePointsReward": 10, "title": "Warm Hands"},
        {"tier": 2, "threshold": 3, "hopePointsReward": 25, "title": "Hearth Keeper"},
        {"tier": 3, "threshold": 7, "hopePointsReward": 60, "title": "Winter Sun"},
    ],
    "rewardCategory": "silentHero",
    "hidden": False,
    "season": {
        "name": "Winter Kindness Week 2026",
        "startsAt": datetime(2026, 12, 14, 0, 0, tzinfo=UTC),
        "endsAt": datetime(2026, 12, 21, 0, 0, tzinfo=UTC),
    },
    "active": True,
    "sortOrder": 40,
    "version": 2,
    "createdAt": CREATED,
    "updatedAt": datetime(2026, 11, 15, 16, 20, tzinfo=UTC),
}


def _without(*keys: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name not in keys}


def _tiers(*thresholds: int) -> list[dict[str, Any]]:
    return [
        {"tier": index, "threshold": threshold, "title": f"Tier {index}"}
        for index, threshold in enumerate(thresholds, start=1)
    ]


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", {**VALID, "hidden": "sometimes"}, "hidden"),
    ("unknown field", {**VALID, "points": 50}, "points"),
    ("oversized string", {**VALID, "name": "x" * 81}, "name"),
    ("bad enum", {**VALID, "rarity": "mythic"}, "rarity"),
    ("missing required field", _without("criterion"), "criterion"),
    (
        "unknown stat",
        {**VALID, "criterion": {"stat": "messagesDeleted", "scope": "season"}},
        "stat",
    ),
    (
        "unknown comparison",
        {**VALID, "criterion": {**VALID["criterion"], "comparison": "below"}},
        "comparison",
    ),
    (
        "category on a stat that is not hope points",
        {**VALID, "criterion": {**VALID["criterion"], "category": "guardian"}},
        "criterion.category",
    ),
    ("no tiers", {**VALID, "tiers": []}, "tiers"),
    ("thresholds not increasing", {**VALID, "tiers": _tiers(5, 5)}, "tiers"),
    (
        "tiers not numbered from 1",
        {**VALID, "tiers": [{"tier": 2, "threshold": 1, "title": "Second"}]},
        "tiers",
    ),
    ("too many tiers", {**VALID, "tiers": _tiers(*range(1, 12))}, "tiers"),
    ("zero threshold", {**VALID, "tiers": _tiers(0)}, "threshold"),
    ("seasonal without a season", _without("season"), "season"),
    (
        "season ending before it starts",
        {
            **VALID,
            "season": {**VALID["season"], "endsAt": datetime(2026, 12, 1, tzinfo=UTC)},
        },
        "endsAt",
    ),
    (
        "hidden with season-scoped progress",
        {**VALID, "hidden": True},
        "criterion.scope",
    ),
    ("icon not a name", {**VALID, "icon": "Snowflake Heart"}, "icon"),
    (
        "updated before created",
        {**VALID, "updatedAt": datetime(2026, 1, 1, tzinfo=UTC)},
        "updatedAt",
    ),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {}
