"""Hope point awards are priced from the settings, never exceed the caps, and add up to the
ledger."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from mitche.domain.hope_points import (
    Award,
    CapUsage,
    HopeTotals,
    LedgerInconsistentError,
    MemberStanding,
    UnpricedActionError,
    adjustment,
    effective_cap,
    ledger_entry_id,
    price_achievement_reward,
    price_award,
    reversal_of,
    totals_from_ledger,
    usage_from_ledger,
    weekly_points_from_ledger,
)
from mitche.errors import InvalidArgumentError
from mitche.models._base import DocumentId
from mitche.models.system_settings import (
    COMPUTED_ACTIONS,
    AwardRule,
    GamificationSettings,
    PublicSettings,
)
from mitche.models.users import (
    Gamification,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    Preferences,
    Profile,
    Streak,
    User,
)

DEFAULTS = GamificationSettings()
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
"""A Monday, first day of ISO week 2026-W48."""
PRICED_ACTIONS = sorted(set(HopeAction) - COMPUTED_ACTIONS)
TIGHT = GamificationSettings(
    daily_caps=dict.fromkeys(HopeCategory, 30),
    weekly_caps=dict.fromkeys(HopeCategory, 100),
)
"""Small caps, so that short sequences of awards run into them."""


def make_standing(level: int = 1, streak: int = 0, cap_bonus: int = 0) -> MemberStanding:
    return MemberStanding(level=level, streak_days=streak, cap_bonus_percent=cap_bonus)


def make_entry(award: Award, at: dt.datetime = MONDAY) -> HopeLedgerEntry:
    return award.to_ledger_entry(event_id="evt-1", created_at=at, source="offerings/o1")


@pytest.mark.parametrize(
    ("action", "level", "streak", "category", "base", "multiplier", "bonus", "amount"),
    [
        (HopeAction.OFFERING_MADE, 1, 0, HopeCategory.SILENT_HERO, 5, 1.0, 0, 5),
        (HopeAction.OFFERING_ACCEPTED, 4, 2, HopeCategory.SILENT_HERO, 10, 1.0, 0, 10),
        (HopeAction.REQUEST_FULFILLED, 10, 7, HopeCategory.SILENT_HERO, 25, 1.2, 2, 32),
        (HopeAction.URGENT_RESPONSE, 5, 3, HopeCategory.FIRST_RESPONDER, 15, 1.1, 0, 16),
        (HopeAction.EVENT_ORGANIZED, 50, 30, HopeCategory.COMMUNITY_BUILDER, 30, 1.75, 7, 59),
        (HopeAction.STORY_APPROVED, 20, 14, HopeCategory.VOICE_OF_COMPASSION, 15, 1.3, 2, 21),
        (HopeAction.REPORT_UPHELD, 35, 0, HopeCategory.GUARDIAN, 10, 1.5, 0, 15),
        (HopeAction.RESOURCE_PUBLISHED, 1, 100, HopeCategory.PROVIDER, 20, 1.0, 10, 30),
        (HopeAction.RESOURCE_REVIEWED, 75, 100, HopeCategory.CONNECTOR, 3, 2.0, 1, 7),
        (HopeAction.MENTORSHIP_SESSION, 9, 6, HopeCategory.MENTOR, 15, 1.1, 0, 16),
    ],
)
def test_default_award_table(
    action: HopeAction,
    level: int,
    streak: int,
    category: HopeCategory,
    base: int,
    multiplier: float,
    bonus: int,
    amount: int,
) -> None:
    """With the code defaults, an award is base × level multiplier (rounded down) plus the
    streak bonus percent of the base."""
    award = price_award(action, DEFAULTS, make_standing(level, streak), CapUsage(), MONDAY)
    assert award == Award(action, category, base, multiplier, bonus, amount, capped=False)


@pytest.mark.parametrize("action", sorted(COMPUTED_ACTIONS))
def test_computed_actions_are_not_priced_by_the_table(action: HopeAction) -> None:
    """Streak bonuses, achievement rewards and adjustments are refused by the table pricer."""
    with pytest.raises(UnpricedActionError):
        price_award(action, DEFAULTS, make_standing(), CapUsage(), MONDAY)


def test_disabled_action_pays_nothing() -> None:
    """An action an admin disabled yields no award, so no ledger entry is written."""
    tuned = GamificationSettings(
        awards={
            HopeAction.OFFERING_MADE: AwardRule(
                category=HopeCategory.SILENT_HERO, base_points=5, enabled=False
            )
        }
    )
    assert price_award(HopeAction.OFFERING_MADE, tuned, make_standing(), CapUsage(), MONDAY) is None


def test_zero_base_pays_nothing() -> None:
    """An action priced at zero points yields no award."""
    tuned = GamificationSettings(
        awards={HopeAction.REFERRAL_MADE: AwardRule(category=HopeCategory.CONNECTOR, base_points=0)}
    )
    assert price_award(HopeAction.REFERRAL_MADE, tuned, make_standing(), CapUsage(), MONDAY) is None


def test_settings_override_the_defaults() -> None:
    """The award table in systemSettings replaces the default category and points."""
    tuned = GamificationSettings(
        awards={HopeAction.OFFERING_MADE: AwardRule(category=HopeCategory.MENTOR, base_points=8)}
    )
    award = price_award(HopeAction.OFFERING_MADE, tuned, make_standing(), CapUsage(), MONDAY)
    assert award is not None
    assert (award.category, award.amount) == (HopeCategory.MENTOR, 8)


def test_award_is_cut_to_the_room_left_under_the_daily_cap() -> None:
    """An award larger than what the daily cap leaves pays only the rest, marked capped."""
    usage = CapUsage(day="2026-11-23", week="2026-W48", daily={HopeCategory.SILENT_HERO: 90})
    award = price_award(HopeAction.REQUEST_FULFILLED, DEFAULTS, make_standing(), usage, MONDAY)
    assert award is not None
    assert (award.amount, award.capped, award.uncapped) == (10, True, 25)


def test_award_is_cut_by_the_weekly_cap() -> None:
    """The weekly cap limits the award even when the day has room."""
    usage = CapUsage(
        day="2026-11-23", week="2026-W48", weekly={HopeCategory.SILENT_HERO: 395}, daily={}
    )
    award = price_award(HopeAction.REQUEST_FULFILLED, DEFAULTS, make_standing(), usage, MONDAY)
    assert award is not None
    assert (award.amount, award.capped) == (5, True)


def test_exhausted_cap_yields_a_zero_capped_award() -> None:
    """When the cap is used up the award is still returned, at zero and capped, so the ledger
    records why nothing was credited."""
    usage = CapUsage(day="2026-11-23", week="2026-W48", daily={HopeCategory.SILENT_HERO: 100})
    award = price_award(HopeAction.OFFERING_MADE, DEFAULTS, make_standing(), usage, MONDAY)
    assert award is not None
    assert (award.amount, award.capped) == (0, True)
    assert make_entry(award).amount == 0


def test_level_benefit_raises_the_caps() -> None:
    """A level benefit's cap bonus percent adds room on both caps."""
    usage = CapUsage(day="2026-11-23", week="2026-W48", daily={HopeCategory.SILENT_HERO: 100})
    award = price_award(
        HopeAction.OFFERING_MADE, DEFAULTS, make_standing(cap_bonus=20), usage, MONDAY
    )
    assert award is not None
    assert (award.amount, award.capped) == (5, False)
    assert effective_cap(100, 20) == 120


def test_daily_window_rolls_over_at_utc_midnight_but_the_week_does_not() -> None:
    """The next UTC day starts a fresh daily window; the ISO week keeps counting."""
    usage = CapUsage(
        day="2026-11-23",
        week="2026-W48",
        daily={HopeCategory.SILENT_HERO: 100},
        weekly={HopeCategory.SILENT_HERO: 100},
    )
    rolled = usage.rolled_to(dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC))
    assert rolled == CapUsage(
        day="2026-11-24", week="2026-W48", weekly={HopeCategory.SILENT_HERO: 100}
    )


def test_new_iso_week_resets_the_weekly_window() -> None:
    """Monday of the next ISO week (UTC) starts a fresh weekly window."""
    usage = CapUsage(day="2026-11-29", week="2026-W48", weekly={HopeCategory.GUARDIAN: 160})
    rolled = usage.rolled_to(dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC))
    assert (rolled.week, rolled.weekly) == ("2026-W49", {})


def test_windows_follow_utc_not_the_local_clock() -> None:
    """An award at 23:30 in Los Angeles on Monday is charged to Tuesday, the UTC day."""
    late_monday = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert CapUsage().rolled_to(late_monday).day == "2026-11-24"


def test_window_never_moves_back() -> None:
    """An award timestamped before the stored window is charged to the stored window."""
    usage = CapUsage(day="2026-11-24", week="2026-W48", daily={HopeCategory.MENTOR: 20})
    assert usage.rolled_to(MONDAY) == usage


def test_charging_counts_only_positive_amounts() -> None:
    """A reversal does not give room back under the caps."""
    usage = CapUsage(day="2026-11-23", week="2026-W48", daily={HopeCategory.MENTOR: 20})
    taken_back = adjustment(HopeCategory.MENTOR, -15)
    assert usage.charged(taken_back, MONDAY) == usage


def test_achievement_reward_gets_the_multiplier_but_no_streak_bonus() -> None:
    """Achievement rewards are multiplied by the level multiplier, without a streak bonus."""
    award = price_achievement_reward(
        50, HopeCategory.PROVIDER, DEFAULTS, make_standing(10, 30), CapUsage(), MONDAY
    )
    assert award == Award(
        HopeAction.ACHIEVEMENT_REWARD, HopeCategory.PROVIDER, 50, 1.2, 0, 60, capped=False
    )


def test_zero_achievement_reward_pays_nothing() -> None:
    """A tier without a reward yields no award."""
    award = price_achievement_reward(
        0, HopeCategory.GUARDIAN, DEFAULTS, make_standing(), CapUsage(), MONDAY
    )
    assert award is None


def test_reversal_takes_back_the_entry() -> None:
    """A reversal credits minus the reversed amount and names the entry it reverses."""
    award = price_award(HopeAction.OFFERING_MADE, DEFAULTS, make_standing(), CapUsage(), MONDAY)
    assert award is not None
    original = make_entry(award)
    reversal = reversal_of("entry-1", original)
    entry = make_entry(reversal)
    assert (entry.action, entry.amount, entry.reverses) == (HopeAction.ADJUSTMENT, -5, "entry-1")
    assert totals_from_ledger([original, entry]).total == 0


def test_a_reversal_is_never_reversed() -> None:
    """Reversing a reversal is refused; an admin adjusts instead."""
    reversal = make_entry(adjustment(HopeCategory.MENTOR, -3))
    with pytest.raises(InvalidArgumentError, match="is itself a reversal"):
        reversal_of("r1", reversal.model_copy(update={"reverses": "e1"}))


def test_ledger_entry_ids_are_deterministic_and_valid() -> None:
    """The same event and action give the same id, a valid Firestore document id."""
    first = ledger_entry_id("projects/p/databases/(default)/evt/1", HopeAction.OFFERING_MADE)
    again = ledger_entry_id("projects/p/databases/(default)/evt/1", HopeAction.OFFERING_MADE)
    other = ledger_entry_id("projects/p/databases/(default)/evt/1", HopeAction.ANONYMOUS_HELP)
    tier2 = ledger_entry_id("evt", HopeAction.ACHIEVEMENT_REWARD, "silent-hero:2")
    tier3 = ledger_entry_id("evt", HopeAction.ACHIEVEMENT_REWARD, "silent-hero:3")
    assert first == again
    assert len({first, other}) == 2
    assert tier2 != tier3
    assert TypeAdapter(DocumentId).validate_python(first) == first


def test_totals_to_model_refuses_a_negative_category() -> None:
    """A ledger that leaves a category below zero is reported, not stored."""
    totals = HopeTotals({HopeCategory.CONNECTOR: -1, HopeCategory.MENTOR: 5})
    with pytest.raises(LedgerInconsistentError, match="connector"):
        totals.to_model()


def test_totals_round_trip_through_the_user_model() -> None:
    """Totals become the `hopePoints` map and back, the total being the sum."""
    totals = HopeTotals({HopeCategory.GUARDIAN: 12, HopeCategory.MENTOR: 30})
    model = totals.to_model()
    assert (model.total, model.guardian, model.mentor) == (42, 12, 30)
    assert HopeTotals.of(model) == totals


def test_weekly_points_count_positive_credits_of_the_week() -> None:
    """The weekly leaderboard's points are the week's positive credits."""
    monday = make_entry(adjustment(HopeCategory.MENTOR, 10), MONDAY)
    penalty = make_entry(adjustment(HopeCategory.MENTOR, -4), MONDAY)
    last_week = make_entry(adjustment(HopeCategory.MENTOR, 7), MONDAY - dt.timedelta(days=1))
    assert weekly_points_from_ledger([monday, penalty, last_week], "2026-W48") == 10


# --- invariants -----------------------------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from([*PRICED_ACTIONS, HopeAction.ACHIEVEMENT_REWARD]),
        st.integers(min_value=0, max_value=36 * 60),
        st.integers(min_value=1, max_value=100),
        st.integers(min_value=0, max_value=120),
    ),
    max_size=60,
)


def _run(
    sequence: list[tuple[HopeAction, int, int, int]], gamification: GamificationSettings
) -> tuple[list[HopeLedgerEntry], CapUsage, HopeTotals, dt.datetime]:
    """Award a sequence of actions, minutes apart, the way the trigger does."""
    at, usage, totals = MONDAY, CapUsage(), HopeTotals()
    ledger: list[HopeLedgerEntry] = []
    for action, minutes, level, streak in sequence:
        at += dt.timedelta(minutes=minutes)
        standing = make_standing(level, streak, cap_bonus=level // 5)
        if action is HopeAction.ACHIEVEMENT_REWARD:
            award = price_achievement_reward(
                75, HopeCategory.SILENT_HERO, gamification, standing, usage, at
            )
        else:
            award = price_award(action, gamification, standing, usage, at)
        if award is None:
            continue
        ledger.append(make_entry(award, at))
        usage = usage.charged(award, at)
        totals = totals.plus(award.category, award.amount)
    return ledger, usage, totals, at


@settings(max_examples=150, deadline=None)
@given(steps, st.sampled_from([DEFAULTS, TIGHT]))
def test_caps_are_never_exceeded(
    sequence: list[tuple[HopeAction, int, int, int]], gamification: GamificationSettings
) -> None:
    """For any sequence of awards, no category earns more than its (level-raised) cap in a
    UTC day or an ISO week."""
    ledger, *_ = _run(sequence, gamification)
    top_bonus = max((level // 5 for _, _, level, _ in sequence), default=0)
    daily: Counter[tuple[dt.date, HopeCategory]] = Counter()
    weekly: Counter[tuple[tuple[int, int], HopeCategory]] = Counter()
    for entry in ledger:
        day = entry.created_at.date()
        daily[day, entry.category] += entry.amount
        weekly[day.isocalendar()[:2], entry.category] += entry.amount
    for (_, category), points in daily.items():
        assert points <= effective_cap(gamification.daily_cap(category), top_bonus)
    for (_, category), points in weekly.items():
        assert points <= effective_cap(gamification.weekly_cap(category), top_bonus)


@settings(max_examples=150, deadline=None)
@given(steps, st.sampled_from([DEFAULTS, TIGHT]))
def test_totals_always_equal_the_ledger(
    sequence: list[tuple[HopeAction, int, int, int]], gamification: GamificationSettings
) -> None:
    """The totals kept award by award equal the sum of the ledger, and so does the usage."""
    ledger, usage, totals, at = _run(sequence, gamification)
    assert totals_from_ledger(ledger) == totals
    assert totals.to_model().total == sum(entry.amount for entry in ledger)
    assert usage_from_ledger(ledger, at) == usage.rolled_to(at)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(PRICED_ACTIONS),
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=200),
)
def test_every_award_is_a_valid_ledger_entry(
    action: HopeAction, level: int, streak: int, used: int, bonus: int
) -> None:
    """Whatever the member's standing and usage, the priced award satisfies the ledger
    entry's own consistency check (amount, capped flag)."""
    usage = CapUsage(
        day="2026-11-23",
        week="2026-W48",
        daily=dict.fromkeys(HopeCategory, used // 4),
        weekly=dict.fromkeys(HopeCategory, used),
    )
    award = price_award(action, DEFAULTS, make_standing(level, streak, bonus), usage, MONDAY)
    assert award is not None
    entry = make_entry(award)
    assert entry.capped == (entry.amount < award.uncapped)


def test_standing_of_a_member() -> None:
    """The standing reads the level, the live streak in the member's time zone and the cap
    bonus of the member's level benefit."""
    user = User(
        profile=Profile(display_name="Amina", anonymous_alias="Quiet Heron 42"),
        preferences=Preferences(time_zone="Europe/Paris"),
        gamification=Gamification(
            level=12,
            streak=Streak(current_days=6, longest_days=6, last_active_day="2026-11-22"),
        ),
        created_at=MONDAY,
        updated_at=MONDAY,
    )
    assert MemberStanding.of(user, PublicSettings(), MONDAY) == make_standing(12, 6, 20)
    next_week = MONDAY + dt.timedelta(days=7)
    assert MemberStanding.of(user, PublicSettings(), next_week).streak_days == 0
