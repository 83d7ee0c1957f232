"""`apply_activity` with plain data: pricing, caps, streaks, levels, counters, achievements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.catalog import SEED_CATALOG
from mitche.domain._calendar import day_key, day_of
from mitche.handlers import MemberActivity, MemberUpdate, apply_activity, merge_activities
from mitche.models import (
    DEFAULT_AWARDS,
    AwardRule,
    GamificationSettings,
    HelpCategory,
    HopeAction,
    HopeCategory,
    LevelBenefit,
    PublicSettings,
    User,
    UserAchievement,
    UserStat,
)
from mitche.services import GameRules
from tests.mitche.handlers.factories import T0, make_user

NO_CATALOG = GameRules(GamificationSettings(), PublicSettings(), MappingProxyType({}))
SEED = GameRules(GamificationSettings(), PublicSettings(), SEED_CATALOG)
FLAT_CAPS = PublicSettings(
    level_benefits=[LevelBenefit(min_level=1, title="Everyone", max_open_requests=3)]
)
"""Level benefits that never raise the caps, so a cap is the settings' number."""


class Progress:
    """A member's stored progress documents, as a dictionary, counting what is read."""

    def __init__(self) -> None:
        self.documents: dict[str, UserAchievement] = {}
        self.requested: list[str] = []

    def __call__(self, ids: Iterable[str]) -> Mapping[str, UserAchievement]:
        wanted = list(ids)
        self.requested.extend(wanted)
        return {i: self.documents[i] for i in wanted if i in self.documents}

    def store(self, update: MemberUpdate) -> None:
        for document in update.progress:
            self.documents[document.achievement_id] = document
        for achievement_id in update.deleted_progress:
            self.documents.pop(achievement_id, None)


def apply(
    user: User,
    activity: MemberActivity,
    rules: GameRules = NO_CATALOG,
    *,
    at: dt.datetime = T0,
    event_id: str = "e1",
    progress: Progress | None = None,
) -> tuple[User, MemberUpdate]:
    source = progress or Progress()
    update = apply_activity(user, activity, rules, event_id=event_id, at=at, progress_source=source)
    source.store(update)
    changed = user.model_copy(update={"gamification": update.gamification, "stats": update.stats})
    return User.model_validate(changed.model_dump()), update


def offering_made(uid: str = "amina") -> MemberActivity:
    return MemberActivity(
        uid, "offerings/o1", (HopeAction.OFFERING_MADE,), {UserStat.OFFERINGS_MADE: 1}
    )


def test_an_award_is_priced_from_the_table_and_recorded_in_the_ledger() -> None:
    """offeringMade pays its 5 base points in silentHero; the ledger entry records base,
    multiplier, bonus, amount, source and event id, and the totals follow."""
    user, update = apply(make_user(), offering_made())
    [(entry_id, entry)] = update.ledger
    assert entry_id.startswith("offeringMade-")
    assert (entry.base, entry.multiplier, entry.bonus, entry.amount) == (5, 1.0, 0, 5)
    assert entry.source == "offerings/o1"
    assert entry.event_id == "e1"
    assert user.gamification.hope_points.silent_hero == 5
    assert user.gamification.experience == 5
    assert user.stats.offerings_made == 1


def test_the_same_event_gives_the_same_ledger_ids() -> None:
    """Ledger ids derive from the event id and the action, so a redelivery writes the same
    documents (and the marker makes it fail as a whole)."""
    _, first = apply(make_user(), offering_made(), event_id="same")
    _, second = apply(make_user(), offering_made(), event_id="same")
    assert [i for i, _ in first.ledger] == [i for i, _ in second.ledger]


def test_the_first_paying_act_of_a_day_starts_a_streak_and_counts_the_day() -> None:
    """A paying act records the active day once: the streak starts and daysActive grows by
    one; a second act the same day changes neither."""
    user, first = apply(make_user(), offering_made())
    user, second = apply(user, offering_made(), event_id="e2")
    assert first.new_active_day
    assert not second.new_active_day
    assert user.gamification.streak.current_days == 1
    assert user.stats.days_active == 1


def test_a_streak_raises_the_award_by_its_bonus() -> None:
    """On the third consecutive day, the 3-day streak bonus (5 %) applies to the base."""
    rules = GameRules(
        GamificationSettings(
            awards={HopeAction.OFFERING_MADE: AwardRule(category="silentHero", base_points=100)},
            daily_caps=dict.fromkeys(HopeCategory, 10000),
            weekly_caps=dict.fromkeys(HopeCategory, 10000),
        ),
        FLAT_CAPS,
        MappingProxyType({}),
    )
    user = make_user()
    for day in range(3):
        user, update = apply(
            user, offering_made(), rules, at=T0 + dt.timedelta(days=day), event_id=f"d{day}"
        )
    assert update.ledger[0][1].bonus == 5
    assert update.ledger[0][1].amount == 105


def test_counters_alone_pay_nothing_and_keep_the_streak() -> None:
    """A counter-only activity (a request created) writes no ledger entry and no active day."""
    activity = MemberActivity("samira", "requests/r1", stats={UserStat.REQUESTS_CREATED: 1})
    user, update = apply(make_user("samira"), activity)
    assert update.ledger == ()
    assert not update.new_active_day
    assert user.stats.requests_created == 1
    assert user.gamification.streak.last_active_day is None


def test_a_disabled_action_pays_nothing() -> None:
    """An action an admin disabled writes no ledger entry."""
    rule = DEFAULT_AWARDS[HopeAction.OFFERING_MADE].model_copy(update={"enabled": False})
    rules = GameRules(
        GamificationSettings(awards={HopeAction.OFFERING_MADE: rule}),
        PublicSettings(),
        MappingProxyType({}),
    )
    user, update = apply(make_user(), offering_made(), rules)
    assert update.ledger == ()
    assert user.gamification.hope_points.total == 0


@pytest.mark.parametrize(
    ("ratings", "average"),
    [([5], 5.0), ([5, 3], 4.0), ([4, 4, 5], 4.3333)],
)
def test_feedback_moves_the_rating_average(ratings: list[int], average: float) -> None:
    """Each rating received updates the helper's count and average."""
    user = make_user()
    for index, stars in enumerate(ratings):
        user, _ = apply(user, MemberActivity("amina", None, rating=stars), event_id=f"r{index}")
    assert user.stats.rating.count == len(ratings)
    assert user.stats.rating.average == average


_RATED = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5),
        st.sampled_from([None, HelpCategory.TRANSPORT, HelpCategory.FOOD, HelpCategory.LEGAL]),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_RATED)
def test_each_rating_counts_overall_and_in_its_category(
    ratings: list[tuple[int, HelpCategory | None]],
) -> None:
    """After any ratings, the overall summary is the mean of them all and each category's the
    mean of the ratings of that kind of help (a rating of no known category counts overall
    only); categories never rated have no summary."""
    user = make_user()
    for index, (stars, category) in enumerate(ratings):
        activity = MemberActivity("amina", None, rating=stars, rating_category=category)
        user, _ = apply(user, activity, event_id=f"r{index}")
    assert user.stats.rating.count == len(ratings)
    if ratings:
        assert user.stats.rating.average == pytest.approx(
            sum(stars for stars, _ in ratings) / len(ratings), abs=1e-3
        )
    expected = {category for _, category in ratings if category is not None}
    assert set(user.stats.ratings_by_category) == expected
    for category, summary in user.stats.ratings_by_category.items():
        own = [stars for stars, rated in ratings if rated is category]
        assert summary.count == len(own)
        assert summary.average == pytest.approx(sum(own) / len(own), abs=1e-3)


def test_one_events_activities_keep_the_last_ratings_category() -> None:
    """Merged activities of one event carry the last rating with its own category."""
    merged = merge_activities(
        [
            MemberActivity("amina", "offerings/o1", rating=5, rating_category=HelpCategory.FOOD),
            MemberActivity("amina", "offerings/o1", stats={UserStat.OFFERINGS_COMPLETED: 1}),
        ]
    )
    assert (merged.rating, merged.rating_category) == (5, HelpCategory.FOOD)


def test_an_act_performed_alone_beyond_the_days_limit_rates_nothing() -> None:
    """An activity cut by the daily limit of acts performed alone moves no rating summary."""
    rules = GameRules(
        GamificationSettings(self_triggered_acts_per_day=0), PublicSettings(), MappingProxyType({})
    )
    activity = MemberActivity(
        "amina", None, rating=5, rating_category=HelpCategory.FOOD, self_triggered=True
    )
    user, _ = apply(make_user(), activity, rules)
    assert user.stats.rating.count == 0
    assert user.stats.ratings_by_category == {}


def test_only_achievements_whose_stat_moved_are_read() -> None:
    """An offering reads the progress of achievements on offerings, points, experience,
    streak and active days, never those on, say, events attended."""
    progress = Progress()
    apply(make_user(), offering_made(), SEED, progress=progress)
    assert "first-offer" in progress.requested
    assert "good-neighbour" not in progress.requested
    assert "guardian" not in progress.requested


def test_reevaluation_reads_the_whole_catalog() -> None:
    """Re-evaluation reads every achievement's progress, whether or not a stat moved."""
    progress = Progress()
    apply_activity(
        make_user(),
        MemberActivity("amina", None),
        SEED,
        event_id="re",
        at=T0,
        progress_source=progress,
        reevaluate=True,
    )
    assert set(progress.requested) == set(SEED_CATALOG)


def test_a_tier_reward_is_a_ledger_entry_and_counts_against_the_caps() -> None:
    """Earning "First Step" pays its 5-point reward as an achievementReward entry in
    silentHero, counted in the day's cap usage like any credit."""
    user, update = apply(make_user(), offering_made(), SEED)
    actions = [entry.action for _, entry in update.ledger]
    assert actions == [HopeAction.OFFERING_MADE, HopeAction.ACHIEVEMENT_REWARD]
    assert user.gamification.cap_usage.daily[HopeCategory.SILENT_HERO] == 10
    assert update.newly_earned[0] == "first-offer"


def test_earning_many_badges_at_once_earns_the_meta_badge() -> None:
    """A member whose fifth achievement is earned now also earns "Badge Collector" in the same
    evaluation, with the collector's progress read on demand."""
    stats = {"requestsFulfilled": 0, "offeringsAccepted": 2, "eventsAttended": 0}
    user = make_user(stats=stats, gamification={"achievementsEarned": 4})
    activity = MemberActivity(
        "amina",
        "offerings/o1",
        (HopeAction.OFFERING_ACCEPTED,),
        {UserStat.OFFERINGS_ACCEPTED: 1},
    )
    progress = Progress()
    user, update = apply(user, activity, SEED, progress=progress)
    assert "trusted-helper" in update.newly_earned
    assert "collector" in update.newly_earned
    assert user.gamification.achievements_earned >= 6


_ACTIONS = sorted(DEFAULT_AWARDS, key=lambda action: action.value)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(st.sampled_from(_ACTIONS), min_size=1, max_size=3),
            st.integers(min_value=0, max_value=9 * 24 * 60),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_caps_hold_and_totals_equal_the_ledger(steps: list[tuple[list[HopeAction], int]]) -> None:
    """Whatever the acts and their times: per category and UTC day, credits never exceed the
    daily cap (per ISO week, the weekly cap), the totals always equal the sum of the ledger,
    and the level is the curve's level for the experience and never goes down."""
    rules = GameRules(GamificationSettings(), FLAT_CAPS, SEED_CATALOG)
    settings_ = rules.gamification
    user = make_user()
    progress = Progress()
    ledger = []
    level = 1
    for index, (actions, minutes) in enumerate(sorted(steps, key=lambda step: step[1])):
        at = T0 + dt.timedelta(minutes=minutes)
        activity = MemberActivity("amina", f"src/{index}", tuple(actions))
        user, update = apply(user, activity, rules, at=at, event_id=f"e{index}", progress=progress)
        ledger.extend(entry for _, entry in update.ledger)
        points = user.gamification.hope_points
        assert points.total == sum(entry.amount for entry in ledger)
        for category in HopeCategory:
            assert points.category(category) == sum(
                e.amount for e in ledger if e.category is category
            )
        curve = settings_.level_curve
        assert user.gamification.level == curve.level_for_experience(user.gamification.experience)
        assert user.gamification.level >= level
        level = user.gamification.level
    daily: dict[tuple[HopeCategory, str], int] = {}
    weekly: dict[tuple[HopeCategory, str], int] = {}
    for entry in ledger:
        day = day_of(entry.created_at)
        daily[entry.category, day_key(day)] = (
            daily.get((entry.category, day_key(day)), 0) + entry.amount
        )
        week = "{}-W{:02d}".format(*day.isocalendar()[:2])
        weekly[entry.category, week] = weekly.get((entry.category, week), 0) + entry.amount
    for (category, _), credited in daily.items():
        assert credited <= settings_.daily_cap(category)
    for (category, _), credited in weekly.items():
        assert credited <= settings_.weekly_cap(category)


@settings(max_examples=40, deadline=None)
@given(fulfilled=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=8))
def test_a_hidden_achievement_has_no_document_before_it_is_earned(fulfilled: list[int]) -> None:
    """However requests fulfilled accumulate, "Night Owl" (hidden, 25) has a progress document
    exactly once 25 is reached, and that document is marked hidden."""
    user = make_user()
    progress = Progress()
    for index, count in enumerate(fulfilled):
        activity = MemberActivity(
            "amina", None, (HopeAction.REQUEST_FULFILLED,), {UserStat.REQUESTS_FULFILLED: count}
        )
        user, _ = apply(user, activity, SEED, event_id=f"f{index}", progress=progress)
        document = progress.documents.get("night-owl")
        if user.stats.requests_fulfilled < 25:
            assert document is None
        else:
            assert document is not None
            assert document.hidden
            assert document.progress.tier == 1
