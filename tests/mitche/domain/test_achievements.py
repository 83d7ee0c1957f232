"""Achievements are earned tier by tier from the member's stats, seasonal ones only inside their
window, and hidden ones stay invisible until earned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.achievements import (
    StatsSnapshot,
    client_view,
    evaluate,
    evaluate_catalog,
    progress_document,
    stat_value,
)
from mitche.models.achievements import (
    Achievement,
    AchievementCategory,
    AchievementCriterion,
    AchievementRarity,
    AchievementStat,
    AchievementTier,
    CriterionScope,
    GamificationStat,
    SeasonWindow,
)
from mitche.models.user_achievements import AchievementProgress, UserAchievement
from mitche.models.users import (
    Gamification,
    HopeCategory,
    HopePoints,
    Streak,
    UserStat,
    UserStats,
)

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
WINTER = SeasonWindow(
    name="Winter Kindness Week 2026",
    starts_at=dt.datetime(2026, 12, 14, tzinfo=dt.UTC),
    ends_at=dt.datetime(2026, 12, 21, tzinfo=dt.UTC),
)


def make_achievement(
    thresholds: tuple[int, ...] = (1, 5, 25),
    *,
    stat: AchievementStat = UserStat.OFFERINGS_MADE,
    hidden: bool = False,
    season: SeasonWindow | None = None,
    scope: CriterionScope = CriterionScope.LIFETIME,
    active: bool = True,
    sort_order: int = 0,
    rewards: tuple[int, ...] | None = None,
    category: HopeCategory | None = None,
) -> Achievement:
    rewards = rewards or tuple(10 * (i + 1) for i in range(len(thresholds)))
    return Achievement(
        name=f"Badge {thresholds}",
        description="Awarded for steady kindness.",
        icon="heart-hands",
        category=AchievementCategory.SEASONAL if season else AchievementCategory.HELPING,
        rarity=AchievementRarity.RARE,
        criterion=AchievementCriterion(stat=stat, scope=scope, category=category),
        tiers=[
            AchievementTier(tier=i + 1, threshold=t, hope_points_reward=r, title=f"Tier {i + 1}")
            for i, (t, r) in enumerate(zip(thresholds, rewards, strict=True))
        ],
        reward_category=HopeCategory.SILENT_HERO,
        hidden=hidden,
        season=season,
        active=active,
        sort_order=sort_order,
        created_at=CREATED,
        updated_at=CREATED,
    )


def make_snapshot(offerings: int = 0, **gamification: Any) -> StatsSnapshot:
    return StatsSnapshot(UserStats(offerings_made=offerings), Gamification(**gamification))


def make_progress(value: int, tier: int, next_threshold: int | None) -> AchievementProgress:
    return AchievementProgress(value=value, tier=tier, next_threshold=next_threshold, updated_at=AT)


@pytest.mark.parametrize(
    ("stat", "category", "expected"),
    [
        (UserStat.OFFERINGS_MADE, None, 7),
        (GamificationStat.HOPE_POINTS, None, 45),
        (GamificationStat.HOPE_POINTS, HopeCategory.GUARDIAN, 15),
        (GamificationStat.EXPERIENCE, None, 400),
        (GamificationStat.LEVEL, None, 4),
        (GamificationStat.LONGEST_STREAK_DAYS, None, 9),
        (GamificationStat.ACHIEVEMENTS_EARNED, None, 2),
    ],
)
def test_stat_values(stat: AchievementStat, category: HopeCategory | None, expected: int) -> None:
    """A criterion reads its stat from the activity counters or the gamification map."""
    snapshot = make_snapshot(
        7,
        hope_points=HopePoints(total=45, guardian=15, mentor=30),
        experience=400,
        level=4,
        streak=Streak(current_days=2, longest_days=9, last_active_day="2026-11-23"),
        achievements_earned=2,
    )
    criterion = AchievementCriterion(stat=stat, category=category)
    assert stat_value(criterion, snapshot) == expected


@pytest.mark.parametrize(
    ("offerings", "tier", "next_threshold", "earned"),
    [(0, 0, 1, ()), (1, 1, 5, (1,)), (4, 1, 5, (1,)), (5, 2, 25, (1, 2)), (30, 3, None, (1, 2, 3))],
)
def test_tiers_reached(
    offerings: int, tier: int, next_threshold: int | None, earned: tuple[int, ...]
) -> None:
    """Each tier is reached when the stat is at least its threshold; several may come at once."""
    evaluation = evaluate(
        "a1", make_achievement(), after=make_snapshot(offerings), before=None, current=None, at=AT
    )
    assert evaluation is not None
    assert (evaluation.tier, evaluation.next_threshold) == (tier, next_threshold)
    assert tuple(t.tier for t in evaluation.newly_earned) == earned
    assert tuple(t.hope_points_reward for t in evaluation.rewards) == tuple(10 * t for t in earned)


def test_tiers_are_never_taken_back() -> None:
    """Raising a threshold above the member's value keeps the tier already earned."""
    raised = make_achievement((3, 10, 25))
    evaluation = evaluate(
        "a1", raised, after=make_snapshot(2), before=None, current=make_progress(2, 2, 25), at=AT
    )
    assert evaluation is not None
    assert (evaluation.tier, evaluation.newly_earned, evaluation.next_threshold) == (2, (), 25)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (WINTER.starts_at - dt.timedelta(microseconds=1), False),
        (WINTER.starts_at, True),
        (WINTER.ends_at - dt.timedelta(microseconds=1), True),
        (WINTER.ends_at, False),
    ],
)
def test_seasonal_window_is_half_open(at: dt.datetime, open_: bool) -> None:
    """A seasonal achievement counts from startsAt inclusive to endsAt exclusive."""
    seasonal = make_achievement(season=WINTER)
    evaluation = evaluate("s1", seasonal, after=make_snapshot(3), before=None, current=None, at=at)
    assert (evaluation is not None) == open_


def test_retired_achievement_is_not_evaluated() -> None:
    """An inactive achievement changes nothing."""
    retired = make_achievement(active=False)
    assert evaluate("r1", retired, after=make_snapshot(9), before=None, current=None, at=AT) is None


def test_season_scope_counts_only_growth_inside_the_window() -> None:
    """With scope season, progress is the growth of the stat seen during the window."""
    seasonal = make_achievement((2, 4), season=WINTER, scope=CriterionScope.SEASON)
    during = WINTER.starts_at + dt.timedelta(days=1)
    first = evaluate(
        "s1", seasonal, after=make_snapshot(41), before=make_snapshot(40), current=None, at=during
    )
    assert first is not None
    assert (first.value, first.tier) == (1, 0)
    second = evaluate(
        "s1",
        seasonal,
        after=make_snapshot(43),
        before=make_snapshot(41),
        current=first.as_progress(during),
        at=during,
    )
    assert second is not None
    assert (second.value, second.tier) == (3, 1)


def test_reevaluation_keeps_the_season_growth() -> None:
    """Without the stats before the change, season progress keeps its stored growth."""
    seasonal = make_achievement((2, 4), season=WINTER, scope=CriterionScope.SEASON)
    during = WINTER.starts_at + dt.timedelta(days=1)
    evaluation = evaluate(
        "s1",
        seasonal,
        after=make_snapshot(90),
        before=None,
        current=make_progress(3, 1, 4),
        at=during,
    )
    assert evaluation is not None
    assert (evaluation.value, evaluation.changed) == (3, False)


@pytest.mark.parametrize(
    ("hidden", "offerings", "store"),
    [(False, 0, False), (False, 1, True), (True, 0, False), (True, 4, False), (True, 5, True)],
)
def test_when_a_progress_document_is_written(hidden: bool, offerings: int, store: bool) -> None:
    """Visible achievements store progress once there is some; hidden ones only once earned."""
    achievement = make_achievement((5, 10), hidden=hidden)
    evaluation = evaluate(
        "a1", achievement, after=make_snapshot(offerings), before=None, current=None, at=AT
    )
    assert evaluation is not None
    assert evaluation.should_store == store


def test_progress_left_from_before_hiding_is_deleted() -> None:
    """A stored, unearned progress document of an achievement that became hidden must go."""
    evaluation = evaluate(
        "a1",
        make_achievement((5, 10), hidden=True),
        after=make_snapshot(2),
        before=None,
        current=make_progress(1, 0, 5),
        at=AT,
    )
    assert evaluation is not None
    assert (evaluation.should_store, evaluation.should_delete) == (False, True)


def test_catalog_evaluates_only_achievements_whose_stat_changed() -> None:
    """A change of one stat evaluates only the achievements that measure it."""
    catalog = {
        "offers": make_achievement(),
        "level": make_achievement((2, 5), stat=GamificationStat.LEVEL),
    }
    result = evaluate_catalog(
        catalog, after=make_snapshot(1), before=make_snapshot(0), progress={}, at=AT
    )
    assert [e.achievement_id for e in result.evaluations] == ["offers"]
    assert (result.achievements_earned, result.newly_earned_count) == (1, 1)


def test_meta_achievements_are_evaluated_in_the_same_run() -> None:
    """Earning an achievement that completes a 'badges earned' goal earns that goal too."""
    catalog = {
        "offers": make_achievement(sort_order=2),
        "collector": make_achievement((3,), stat=GamificationStat.ACHIEVEMENTS_EARNED),
    }
    result = evaluate_catalog(
        catalog,
        after=make_snapshot(1, achievements_earned=2),
        before=make_snapshot(0, achievements_earned=2),
        progress={},
        at=AT,
    )
    assert [e.achievement_id for e in result.evaluations] == ["collector", "offers"]
    assert result.achievements_earned == 4


def test_progress_document_records_tiers_rewards_and_notification() -> None:
    """The stored document lists each earned tier with its context, the points credited, the
    notification queued for the latest tier, and completion."""
    achievement = make_achievement((1, 5))
    evaluation = evaluate(
        "a1", achievement, after=make_snapshot(6), before=None, current=None, at=AT
    )
    assert evaluation is not None
    document = progress_document(
        "alice",
        evaluation,
        None,
        event_id="evt-9",
        at=AT,
        source_path="offerings/o9",
        points_credited={1: 10, 2: 12},
    )
    assert document is not None
    assert document.document_id == "alice_a1"
    assert [(t.tier, t.hope_points_awarded) for t in document.tiers_earned] == [(1, 10), (2, 12)]
    assert document.tiers_earned[0].context.source_path == "offerings/o9"
    assert document.notification is not None
    assert (document.notification.tier, document.completed_at) == (2, AT)


def test_progress_document_appends_to_the_stored_one() -> None:
    """A later tier is appended; earlier tiers, creation time and seenAt are kept."""
    achievement = make_achievement((1, 5, 25))
    first_eval = evaluate(
        "a1", achievement, after=make_snapshot(1), before=None, current=None, at=AT
    )
    assert first_eval is not None
    first = progress_document("alice", first_eval, None, event_id="e1", at=AT)
    assert first is not None
    first = first.model_copy(update={"seen_at": AT})
    later = AT + dt.timedelta(days=3)
    second_eval = evaluate(
        "a1",
        achievement,
        after=make_snapshot(5),
        before=make_snapshot(1),
        current=first.progress,
        at=later,
    )
    assert second_eval is not None
    second = progress_document("alice", second_eval, first, event_id="e2", at=later)
    assert second is not None
    assert [t.earned_at for t in second.tiers_earned] == [AT, later]
    assert (second.created_at, second.seen_at, second.completed_at) == (AT, AT, None)
    assert second.notification_state is not None
    assert second.notification_state.value == "pending"


def test_client_view_hides_unearned_hidden_achievements() -> None:
    """A client sees visible achievements with progress, and a hidden one only once earned,
    from the member's own document."""
    catalog = {
        "visible": make_achievement(sort_order=1),
        "secret": make_achievement((5,), hidden=True, sort_order=0),
        "retired": make_achievement(active=False),
    }
    before = client_view(catalog, {})
    assert [view.achievement_id for view in before] == ["visible"]
    evaluation = evaluate(
        "secret", catalog["secret"], after=make_snapshot(5), before=None, current=None, at=AT
    )
    assert evaluation is not None
    earned = progress_document("alice", evaluation, None, event_id="e", at=AT)
    assert earned is not None
    after = client_view(catalog, {"secret": earned})
    assert [(view.achievement_id, view.hidden) for view in after] == [
        ("secret", True),
        ("visible", False),
    ]
    assert all(tier.threshold is None for tier in after[0].tiers)


# --- invariant ------------------------------------------------------------------------------

catalogs = st.dictionaries(
    st.sampled_from([f"a{i}" for i in range(8)]),
    st.builds(
        make_achievement,
        st.lists(st.integers(1, 40), min_size=1, max_size=4, unique=True).map(
            lambda values: tuple(sorted(values))
        ),
        hidden=st.booleans(),
        stat=st.sampled_from([UserStat.OFFERINGS_MADE, GamificationStat.ACHIEVEMENTS_EARNED]),
    ),
    min_size=1,
)


@settings(max_examples=100, deadline=None)
@given(catalogs, st.lists(st.integers(0, 6), max_size=12))
def test_hidden_achievement_is_never_visible_before_it_is_earned(
    catalog: dict[str, Achievement], increments: list[int]
) -> None:
    """Whatever the catalog and however the stats grow, a hidden achievement has no stored
    document and appears in no client view until a tier of it is earned."""
    held: dict[str, UserAchievement] = {}
    snapshot = make_snapshot(0)
    at = AT
    for step, increment in enumerate(increments):
        at += dt.timedelta(hours=1)
        after = StatsSnapshot(
            UserStats(offerings_made=snapshot.stats.offerings_made + increment),
            snapshot.gamification,
        )
        result = evaluate_catalog(
            catalog,
            after=after,
            before=snapshot,
            progress={key: doc.progress for key, doc in held.items()},
            at=at,
        )
        for evaluation in result.evaluations:
            document = progress_document(
                "alice", evaluation, held.get(evaluation.achievement_id), event_id=f"e{step}", at=at
            )
            if document is not None:
                held[evaluation.achievement_id] = document
        snapshot = after.with_achievements_earned(result.achievements_earned)
        visible = {view.achievement_id for view in client_view(catalog, held)}
        for achievement_id, achievement in catalog.items():
            if not achievement.hidden:
                continue
            mine = held.get(achievement_id)
            earned = mine is not None and bool(mine.tiers_earned)
            assert mine is None or earned
            assert (achievement_id in visible) == earned
