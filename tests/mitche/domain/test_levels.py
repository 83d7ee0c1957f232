"""Experience follows the ledger, the level follows experience along the configured curve, and
level-ups report the benefits they unlock."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.levels import (
    LevelProgress,
    benefit_at,
    detect_level_up,
    experience_after,
    experience_delta,
    experience_from_ledger,
    level_for,
    level_progress,
)
from mitche.models.system_settings import LevelCurve, PublicSettings
from mitche.models.users import MAX_LEVEL, HopeAction, HopeCategory, HopeLedgerEntry

CURVE = LevelCurve()
PUBLIC = PublicSettings()
AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

curves = st.builds(
    LevelCurve,
    base_experience=st.integers(min_value=1, max_value=100_000),
    growth_percent=st.integers(min_value=100, max_value=300),
    max_level=st.integers(min_value=1, max_value=MAX_LEVEL),
)


def make_entry(amount: int, *, reverses: str | None = None) -> HopeLedgerEntry:
    if reverses is not None or amount < 0:
        action, base = HopeAction.ADJUSTMENT, 0
    else:
        action, base = HopeAction.OFFERING_MADE, amount
    return HopeLedgerEntry(
        action=action,
        category=HopeCategory.SILENT_HERO,
        event_id="evt",
        base=base,
        amount=amount,
        reverses=reverses,
        created_at=AT,
    )


@pytest.mark.parametrize(
    ("experience", "level"),
    [(0, 1), (99, 1), (100, 2), (282, 3), (283, 3), (2_699, 9), (2_700, 10), (98_504, 100)],
)
def test_default_curve(experience: int, level: int) -> None:
    """With the default curve (100 × (level − 1)^1.5) the thresholds fall where documented."""
    assert level_for(experience, CURVE) == level


@pytest.mark.parametrize(
    ("amount", "reversed_amount", "delta"),
    [(25, None, 25), (0, None, 0), (-10, None, 0), (-25, 25, -25), (-0, 0, 0)],
)
def test_experience_delta(amount: int, reversed_amount: int | None, delta: int) -> None:
    """Credits add experience, reversals take back what they reverse, penalties take none."""
    assert experience_delta(amount, reversed_amount=reversed_amount) == delta


def test_experience_never_goes_below_zero() -> None:
    """A reversal larger than the experience held leaves zero."""
    assert experience_after(10, -25) == 0


def test_experience_from_ledger_ignores_penalties_but_not_reversals() -> None:
    """Rebuilt experience counts credits, removes reversed ones, and ignores penalties."""
    ledger = [
        ("a", make_entry(30)),
        ("b", make_entry(20)),
        ("c", make_entry(-20, reverses="b")),
        ("d", make_entry(-5)),
    ]
    assert experience_from_ledger(ledger) == 30


def test_level_progress_between_levels() -> None:
    """Progress reports the current level's threshold and the next one."""
    progress = level_progress(150, CURVE)
    assert progress == LevelProgress(
        level=2, experience=150, level_threshold=100, next_threshold=282
    )
    assert progress.fraction == pytest.approx(50 / 182)


def test_level_progress_at_the_top() -> None:
    """At the highest level there is no next threshold and the bar is full."""
    progress = level_progress(10_000_000, CURVE)
    assert (progress.level, progress.next_threshold, progress.fraction) == (MAX_LEVEL, None, 1.0)


@pytest.mark.parametrize(
    ("level", "title", "mentorship"),
    [(1, "Seedling", False), (4, "Sprout", False), (19, "Guide", False), (20, "Mentor", True)],
)
def test_benefits_by_level(level: int, title: str, mentorship: bool) -> None:
    """The benefits row is the last one whose minimum level is reached."""
    benefit = benefit_at(level, PUBLIC)
    assert (benefit.title, benefit.mentorship_eligible) == (title, mentorship)


def test_level_up_reports_unlocked_benefits() -> None:
    """Jumping from level 4 to 20 unlocks the Helper, Guide and Mentor rows."""
    level_up = detect_level_up(
        CURVE.experience_for_level(4), CURVE.experience_for_level(20), CURVE, PUBLIC
    )
    assert level_up is not None
    assert (level_up.from_level, level_up.to_level, level_up.levels_gained) == (4, 20, 16)
    assert [row.title for row in level_up.unlocked] == ["Helper", "Guide", "Mentor"]
    assert level_up.became_mentorship_eligible


def test_level_up_within_one_row_unlocks_nothing() -> None:
    """A level-up that stays within a benefits row unlocks no row."""
    level_up = detect_level_up(
        CURVE.experience_for_level(11), CURVE.experience_for_level(12), CURVE, PUBLIC
    )
    assert level_up is not None
    assert level_up.unlocked == ()
    assert not level_up.became_mentorship_eligible


@pytest.mark.parametrize(("before", "after"), [(500, 500), (500, 510), (2_700, 100)])
def test_no_level_up_without_a_rise(before: int, after: int) -> None:
    """Staying on a level or falling back is not a level-up."""
    assert detect_level_up(before, after, CURVE, PUBLIC) is None


@settings(max_examples=200, deadline=None)
@given(curves, st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7))
def test_level_is_monotone_in_experience(curve: LevelCurve, first: int, second: int) -> None:
    """More experience never means a lower level, on any valid curve."""
    low, high = sorted((first, second))
    assert level_for(low, curve) <= level_for(high, curve)


@settings(max_examples=200, deadline=None)
@given(curves, st.integers(min_value=0, max_value=10**7))
def test_level_threshold_is_reached_and_the_next_is_not(curve: LevelCurve, experience: int) -> None:
    """The level is the highest whose threshold the experience reaches."""
    progress = level_progress(experience, curve)
    assert 1 <= progress.level <= curve.max_level
    assert progress.level_threshold <= experience
    assert progress.next_threshold is None or experience < progress.next_threshold


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), max_size=30), st.data())
def test_incremental_experience_equals_the_ledger(amounts: list[int], data: st.DataObject) -> None:
    """Experience kept entry by entry equals experience rebuilt from the ledger."""
    ledger = [(f"e{i}", make_entry(amount)) for i, amount in enumerate(amounts)]
    reversed_ids = data.draw(
        st.sets(st.sampled_from([i for i, _ in ledger])) if ledger else st.just(set())
    )
    experience = 0
    for entry_id, entry in list(ledger):
        experience = experience_after(experience, experience_delta(entry.amount))
        if entry_id in reversed_ids:
            reversal = make_entry(-entry.amount, reverses=entry_id)
            ledger.append((f"r-{entry_id}", reversal))
            delta = experience_delta(reversal.amount, reversed_amount=entry.amount)
            experience = experience_after(experience, delta)
    assert experience == experience_from_ledger(ledger)
