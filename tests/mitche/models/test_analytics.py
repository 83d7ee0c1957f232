"""Daily analytics: day ids, shards, breakdowns that add up, and when a day may be written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitche.models.analytics import (
    MAX_SHARDS,
    AnalyticsDay,
    CounterShard,
    HopePointMetrics,
    day_id,
    parse_day_id,
    shard_id,
)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_day_id_round_trips(day: dt.date) -> None:
    """The id of a day names that day again."""
    assert parse_day_id(day_id(day)) == day


@pytest.mark.parametrize(
    "value", ["2026-2-01", "2026-02-30", "20260201", "2026-02-01 ", "2026-W05", ""]
)
def test_malformed_day_ids_are_refused(value: str) -> None:
    """Only real calendar days written `YYYY-MM-DD` are day ids."""
    with pytest.raises(ValueError, match="calendar day"):
        parse_day_id(value)


def test_shard_ids_are_indexes_below_the_maximum() -> None:
    """Shard ids are "0" to "99"; any other index is an error."""
    assert [shard_id(0), shard_id(MAX_SHARDS - 1)] == ["0", "99"]
    for index in (-1, MAX_SHARDS):
        with pytest.raises(ValueError, match="shard index"):
            shard_id(index)


def _day(**changes: Any) -> dict[str, Any]:
    return {
        "day": "2026-11-19",
        "computedAt": dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC),
        **changes,
    }


@pytest.mark.parametrize(
    ("time_zone", "computed_at", "accepted"),
    [
        ("UTC", dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC), True),
        ("UTC", dt.datetime(2026, 11, 19, 23, 59, tzinfo=dt.UTC), False),
        ("Europe/Paris", dt.datetime(2026, 11, 19, 23, 0, tzinfo=dt.UTC), True),
        ("Europe/Paris", dt.datetime(2026, 11, 19, 22, 59, tzinfo=dt.UTC), False),
        ("America/New_York", dt.datetime(2026, 11, 20, 4, 59, tzinfo=dt.UTC), False),
        ("America/New_York", dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.UTC), True),
    ],
)
def test_a_day_is_computed_only_after_it_ended_in_its_time_zone(
    time_zone: str, computed_at: dt.datetime, accepted: bool
) -> None:
    """The roll-up of a day is written after midnight ends that day in the analytics zone."""
    document = _day(timeZone=time_zone, computedAt=computed_at)
    if accepted:
        AnalyticsDay.model_validate(document)
    else:
        with pytest.raises(ValidationError, match="computedAt"):
            AnalyticsDay.model_validate(document)


def test_an_empty_day_is_valid() -> None:
    """A day with no activity is all zeros, with no breakdowns and no cells."""
    day = AnalyticsDay.model_validate(_day())
    assert day.requests.created == 0
    assert day.geography == {}


@given(
    parts=st.dictionaries(
        st.sampled_from(["silentHero", "guardian", "mentor", "connector"]),
        st.integers(0, 10_000),
        min_size=1,
    ),
    off_by=st.integers(-5, 5),
)
def test_hope_point_breakdown_must_add_up(parts: dict[str, int], off_by: int) -> None:
    """Points by category always add up to the points awarded."""
    total = sum(parts.values()) + off_by
    assume(total >= 0)
    document = {"awarded": total, "byCategory": parts}
    if off_by == 0:
        HopePointMetrics.model_validate(document)
    else:
        with pytest.raises(ValidationError, match="byCategory"):
            HopePointMetrics.model_validate(document)


def test_shard_index_is_bounded() -> None:
    """A shard's index is below the maximum shard count."""
    shard = {"day": "2026-11-19", "updatedAt": dt.datetime(2026, 11, 19, tzinfo=dt.UTC)}
    CounterShard.model_validate({**shard, "shard": MAX_SHARDS - 1})
    with pytest.raises(ValidationError, match="shard"):
        CounterShard.model_validate({**shard, "shard": MAX_SHARDS})
