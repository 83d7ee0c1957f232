"""Users: hope point categories, stats keys, the ledger's arithmetic and the reveal consent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitche.models.users import (
    HopeCategory,
    HopeLedgerEntry,
    HopePoints,
    RevealConsent,
    UserStat,
    UserStats,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_every_category_has_a_points_field() -> None:
    """HopePoints has one counter per HopeCategory, named by the category's wire value."""
    aliases = {info.alias for info in HopePoints.model_fields.values()} - {"total"}
    assert aliases == {category.value for category in HopeCategory}


@given(st.dictionaries(st.sampled_from(list(HopeCategory)), st.integers(0, 10_000)))
def test_total_is_the_sum_of_categories(points: dict[HopeCategory, int]) -> None:
    """HopePoints accepts exactly the total that equals the sum of its categories."""
    wire: dict[str, Any] = {category.value: amount for category, amount in points.items()}
    total = sum(points.values())
    hope = HopePoints.model_validate({**wire, "total": total})
    assert [hope.category(c) for c in points] == list(points.values())
    with pytest.raises(ValidationError, match="total"):
        HopePoints.model_validate({**wire, "total": total + 1})


def test_stat_keys_are_the_stats_counters() -> None:
    """Every UserStat key names an integer counter of UserStats, and every counter has a key."""
    counters = {
        info.alias for name, info in UserStats.model_fields.items() if info.annotation is int
    }
    assert counters == {stat.value for stat in UserStat}
    stats = UserStats(messages_sent=3)
    assert stats.value(UserStat.MESSAGES_SENT) == 3


def make_entry(**changes: Any) -> dict[str, Any]:
    return {
        "action": "offeringAccepted",
        "category": "silentHero",
        "eventId": "evt-1",
        "base": 20,
        "multiplier": 1.5,
        "bonus": 5,
        "amount": 35,
        "createdAt": NOW,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({}, True),
        ({"amount": 10, "capped": True}, True),
        ({"amount": 0, "capped": True}, True),
        ({"amount": 10}, False),
        ({"amount": 35, "capped": True}, False),
        ({"amount": 36}, False),
        ({"amount": -5}, False),
        ({"reverses": "entry-1"}, False),
        ({"action": "adjustment", "amount": -35, "reverses": "entry-1"}, True),
    ],
)
def test_ledger_amount_rules(changes: dict[str, Any], accepted: bool) -> None:
    """An award credits base × multiplier + bonus, less only when `capped`; only adjustments
    may be negative or reverse another entry."""
    if accepted:
        HopeLedgerEntry.model_validate(make_entry(**changes))
    else:
        with pytest.raises(ValidationError):
            HopeLedgerEntry.model_validate(make_entry(**changes))


def test_completed_reveal_cannot_be_withdrawn() -> None:
    """A consent whose reveal completed stays `consented`."""
    with pytest.raises(ValidationError, match="completedAt"):
        RevealConsent.model_validate(
            {
                "counterpartId": "u2",
                "context": "conversations/c1",
                "status": "withdrawn",
                "completedAt": NOW,
                "createdAt": NOW,
                "updatedAt": NOW,
            }
        )
