"""What one act of help does to one member, as plain data: the award, caps, streak, level,
stats, achievements and their rewards, and the documents to write.

`apply_activity` is a pure function of the member's document, the rules (settings and
catalog), the activity and the event: the transaction layer reads those, calls it, and writes
what it returns. Order of operations, and why:

1. The day counts as active (streak, `daysActive`) only when the activity pays points: a
   streak rewards days on which the member helped, and the streak bonus of today's first
   award already includes today.
2. Each action is priced with the member's standing before this event (level, streak with
   today, level-benefit cap bonus) and charged to the cap windows in turn, so two awards of
   one event share the caps exactly as two events would.
3. Stat counters move, then the achievements whose stat changed are evaluated
   (`evaluate_catalog`); tier rewards are priced like any credit (multiplier, caps) and, since
   they raise hope points, the catalog is evaluated again for what the rewards themselves
   reached, up to `MAX_REWARD_PASSES` times (a cascade beyond that waits for the next event).
4. The level follows experience; weekly points roll over to the current week.

Stored progress documents are read lazily through `ProgressSource`, only for achievements the
change can affect, which keeps the reads of a trigger proportional to what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from mitche.domain._calendar import day_key, day_of
from mitche.domain.achievements import (
    CatalogEvaluation,
    StatsSnapshot,
    evaluate_catalog,
    progress_document,
    stat_value,
)
from mitche.domain.hope_points import (
    Award,
    CapUsage,
    HopeTotals,
    MemberStanding,
    ledger_entry_id,
    price_achievement_reward,
    price_award,
)
from mitche.domain.leaderboards import advance_weekly_points
from mitche.domain.levels import LevelUp, detect_level_up, experience_delta, level_for
from mitche.domain.streaks import current_streak_days, record_active_day
from mitche.models import (
    Achievement,
    Gamification,
    GamificationStat,
    HelpCategory,
    HopeAction,
    HopeLedgerEntry,
    RatingSummary,
    SelfRewards,
    User,
    UserAchievement,
    UserStat,
    UserStats,
)
from mitche.models import (
    CapUsage as StoredCapUsage,
)
from mitche.services import GameRules

__all__ = [
    "MAX_REWARD_PASSES",
    "MemberActivity",
    "MemberUpdate",
    "ProgressSource",
    "apply_activity",
    "merge_activities",
    "pays_points",
]

MAX_REWARD_PASSES: Final = 3
"""Evaluations of the catalog per event: the change itself, then rewards reaching more tiers."""

ProgressSource = Callable[[Iterable[str]], Mapping[str, UserAchievement]]
"""Stored `userAchievements` documents of the member, by achievement id (absent: none)."""


@dataclass(frozen=True, slots=True)
class MemberActivity:
    """What an event means for one member."""

    user_id: str
    source: str | None
    """The document the activity happened on (the offering, the event...)."""
    actions: tuple[HopeAction, ...] = ()
    """Acts the award table pays for, in order."""
    stats: Mapping[UserStat, int] = field(default_factory=dict)
    """Increments of the member's activity counters."""
    rating: int | None = None
    """Stars of feedback the member received as a helper (their rating summary moves)."""
    rating_category: HelpCategory | None = None
    """The kind of help `rating` is about (the requester's request's category, or the
    standing offering's category they accepted): that category's summary moves too."""
    fact: str = ""
    """What happened, named once ("offeringAccepted"); with `subject` and the member it keys
    the reward, which is paid once however often the fact recurs (see `_awards`). Empty: the
    first action's or counter's name."""
    subject: str | None = None
    """The document the fact is about when it is not `source`: an offering accepted is a
    fact about the request it answers, so a second offering by the same helper on the same
    request pays nothing more."""
    self_triggered: bool = False
    """Whether the member performed the act alone (nobody else confirmed it): counted a few
    times a day at most, and paid only out of what confirmed acts earned."""

    @property
    def empty(self) -> bool:
        """Whether the activity changes nothing."""
        return not self.actions and not any(self.stats.values()) and self.rating is None

    @property
    def fact_key(self) -> tuple[str, str]:
        """(subject document, fact name): the reward's identity for this member."""
        name = self.fact
        if not name:
            name = self.actions[0].value if self.actions else ""
        if not name:
            name = next((stat.value for stat, n in self.stats.items() if n), "activity")
        return (self.subject or self.source or "", name)


def merge_activities(activities: Sequence[MemberActivity]) -> MemberActivity:
    """One member's activities of one event as one (actions in order, counters summed, the
    last rating with its category), so their document is read, priced and written once."""
    first = activities[0]
    if len(activities) == 1:
        return first
    stats: dict[UserStat, int] = {}
    for activity in activities:
        for stat, amount in activity.stats.items():
            stats[stat] = stats.get(stat, 0) + amount
    rated = [activity for activity in activities if activity.rating is not None]
    return MemberActivity(
        first.user_id,
        first.source,
        tuple(action for activity in activities for action in activity.actions),
        stats,
        rated[-1].rating if rated else None,
        rated[-1].rating_category if rated else None,
        fact=first.fact,
        subject=first.subject,
        # Conservative when an act performed alone comes with a confirmed one in one event
        # (the rules never let that happen): everything is then paid as performed alone.
        self_triggered=any(activity.self_triggered for activity in activities),
    )


@dataclass(frozen=True, slots=True)
class MemberUpdate:
    """The documents one member's activity writes."""

    user_id: str
    gamification: Gamification
    stats: UserStats
    ledger: tuple[tuple[str, HopeLedgerEntry], ...]
    """New ledger entries by id (`users/{uid}/hopeLedger/{id}`)."""
    progress: tuple[UserAchievement, ...]
    """Progress documents to write."""
    deleted_progress: tuple[str, ...]
    """Achievement ids whose progress document must be deleted (became hidden)."""
    newly_earned: tuple[str, ...]
    """Achievements earned for the first time."""
    level_up: LevelUp | None
    new_active_day: bool

    @property
    def points_credited(self) -> int:
        """Points credited by this update (the sum of its ledger amounts)."""
        return sum(entry.amount for _, entry in self.ledger)


def pays_points(activity: MemberActivity, rules: GameRules) -> bool:
    """Whether any action of the activity is priced above zero by the award table."""
    for action in activity.actions:
        rule = rules.gamification.award_rule(action)
        if rule is not None and rule.enabled and rule.base_points > 0:
            return True
    return False


def _usage_of(stored: StoredCapUsage) -> CapUsage:
    return CapUsage(day=stored.day, week=stored.week, daily=stored.daily, weekly=stored.weekly)


def _stored_usage(usage: CapUsage) -> StoredCapUsage:
    return StoredCapUsage(
        day=usage.day, week=usage.week, daily=dict(usage.daily), weekly=dict(usage.weekly)
    )


def _with_stats(stats: UserStats, increments: Mapping[UserStat, int]) -> UserStats:
    if not increments:
        return stats
    data = stats.model_dump(by_alias=True)
    for stat, amount in increments.items():
        data[stat.value] = max(0, data[stat.value] + amount)
    return UserStats.model_validate(data)


def _rated(summary: RatingSummary, stars: int) -> RatingSummary:
    count = summary.count + 1
    return RatingSummary(
        count=count, average=round((summary.average * summary.count + stars) / count, 4)
    )


def _with_rating(stats: UserStats, stars: int | None, category: HelpCategory | None) -> UserStats:
    """The rating summaries after one more rating: overall, and in its category when known."""
    if stars is None:
        return stats
    update: dict[str, object] = {"rating": _rated(stats.rating, stars)}
    if category is not None:
        by_category = dict(stats.ratings_by_category)
        by_category[category] = _rated(by_category.get(category, RatingSummary()), stars)
        update["ratings_by_category"] = by_category
    return stats.model_copy(update=update)


@dataclass(slots=True)
class _Ledger:
    """The running state of a member while the event's credits are applied."""

    source: str | None
    event_id: str
    at: dt.datetime
    rules: GameRules
    standing: MemberStanding
    usage: CapUsage
    totals: HopeTotals
    experience: int
    weekly: Gamification
    self_rewards: SelfRewards
    self_triggered: bool = False
    entries: list[tuple[str, HopeLedgerEntry]] = field(default_factory=list)

    def credit(self, award: Award, discriminator: str = "") -> int:
        if self.self_triggered:
            award = self._within_confirmed(award)
        self.usage = self.usage.charged(award, self.at)
        self.totals = self.totals.plus(award.category, award.amount)
        self.experience = max(0, self.experience + experience_delta(award.amount))
        self.weekly = advance_weekly_points(self.weekly, award.amount, self.at)
        entry_id = ledger_entry_id(self.event_id, award.action, discriminator)
        entry = award.to_ledger_entry(
            event_id=self.event_id, created_at=self.at, source=self.source
        )
        self.entries.append((entry_id, entry))
        return award.amount

    def _within_confirmed(self, award: Award) -> Award:
        """An award for an act performed alone, cut so that such awards never exceed the
        points of acts other members confirmed (everything else the member holds)."""
        confirmed = self.totals.total - self.self_rewards.points
        room = max(0, confirmed - self.self_rewards.points)
        if award.amount > room:
            award = replace(award, amount=room, capped=True)
        self.self_rewards = self.self_rewards.model_copy(
            update={"points": self.self_rewards.points + max(0, award.amount)}
        )
        return award

    def gamification(self, base: Gamification, achievements_earned: int) -> Gamification:
        return base.model_copy(
            update={
                "self_rewards": self.self_rewards,
                "hope_points": self.totals.to_model(),
                "experience": self.experience,
                "level": level_for(self.experience, self.rules.gamification.level_curve),
                "weekly_points": self.weekly.weekly_points,
                "week": self.weekly.week,
                "cap_usage": _stored_usage(self.usage),
                "achievements_earned": achievements_earned,
            }
        )


class _Progress:
    """Progress documents: stored ones read on demand, and those this event writes."""

    def __init__(self, source: ProgressSource) -> None:
        self._source = source
        self.stored: dict[str, UserAchievement] = {}
        self.loaded: set[str] = set()
        self.written: dict[str, UserAchievement] = {}
        self.deleted: set[str] = set()

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in ids if i not in self.loaded]
        if wanted:
            self.stored.update(self._source(wanted))
            self.loaded.update(wanted)

    def current(self, achievement_id: str) -> UserAchievement | None:
        if achievement_id in self.deleted:
            return None
        return self.written.get(achievement_id, self.stored.get(achievement_id))


def _affected(
    catalog: Mapping[str, Achievement], before: StatsSnapshot, after: StatsSnapshot
) -> set[str]:
    return {
        achievement_id
        for achievement_id, achievement in catalog.items()
        if stat_value(achievement.criterion, before) != stat_value(achievement.criterion, after)
    }


def _meta(catalog: Mapping[str, Achievement]) -> set[str]:
    return {
        achievement_id
        for achievement_id, achievement in catalog.items()
        if achievement.criterion.stat is GamificationStat.ACHIEVEMENTS_EARNED
    }


def _evaluate(
    catalog: Mapping[str, Achievement],
    progress: _Progress,
    before: StatsSnapshot | None,
    after: StatsSnapshot,
    at: dt.datetime,
) -> CatalogEvaluation:
    progress.load(catalog if before is None else _affected(catalog, before, after))
    while True:
        stored = {
            achievement_id: document.progress
            for achievement_id in progress.loaded
            if (document := progress.current(achievement_id)) is not None
        }
        result = evaluate_catalog(catalog, after=after, before=before, progress=stored, at=at)
        unread = {e.achievement_id for e in result.evaluations} - progress.loaded
        if result.newly_earned_count:
            unread |= _meta(catalog) - progress.loaded
        if not unread:
            return result
        progress.load(unread)


def _counted_alone(
    activity: MemberActivity, usage: SelfRewards, rules: GameRules, at: dt.datetime
) -> tuple[MemberActivity, SelfRewards]:
    """An act performed alone, counted if the member has not used up today's
    `selfTriggeredActsPerDay` (else it counts nothing: no points, counters or badges). The
    day is the UTC day and never moves back, like the caps' windows."""
    today = day_key(day_of(at))
    day = max(today, usage.day) if usage.day is not None else today
    acts = usage.acts if usage.day == day else 0
    if acts >= rules.gamification.self_triggered_acts_per_day:
        return replace(activity, actions=(), stats={}, rating=None, rating_category=None), usage
    return activity, usage.model_copy(update={"day": day, "acts": acts + 1})


def apply_activity(
    user: User,
    activity: MemberActivity,
    rules: GameRules,
    *,
    event_id: str,
    at: dt.datetime,
    progress_source: ProgressSource,
    reevaluate: bool = False,
) -> MemberUpdate:
    """The member's documents after `activity`, caused by event `event_id` at `at`.

    With `reevaluate`, every achievement of the catalog is evaluated, not only those whose
    stat the activity moved (a new achievement, a changed threshold)."""
    base = user.gamification
    self_rewards = base.self_rewards
    if activity.self_triggered:
        activity, self_rewards = _counted_alone(activity, self_rewards, rules, at)
    time_zone = user.preferences.time_zone
    new_active_day = False
    if pays_points(activity, rules):
        streak = record_active_day(base.streak, at, time_zone)
        new_active_day = streak.new_active_day
        base = base.model_copy(update={"streak": streak.streak})
    increments = dict(activity.stats)
    if new_active_day:
        increments[UserStat.DAYS_ACTIVE] = increments.get(UserStat.DAYS_ACTIVE, 0) + 1
    benefit = rules.public.benefit_for(base.level)
    standing = MemberStanding(
        base.level, current_streak_days(base.streak, at, time_zone), benefit.daily_cap_bonus_percent
    )
    ledger = _Ledger(
        source=activity.source,
        event_id=event_id,
        at=at,
        rules=rules,
        standing=standing,
        usage=_usage_of(base.cap_usage),
        totals=HopeTotals.of(base.hope_points),
        experience=base.experience,
        weekly=base,
        self_rewards=self_rewards,
        self_triggered=activity.self_triggered,
    )
    for action in activity.actions:
        award = price_award(action, rules.gamification, standing, ledger.usage, at)
        if award is not None:
            ledger.credit(award)
    stats = _with_rating(
        _with_stats(user.stats, increments), activity.rating, activity.rating_category
    )
    earned = base.achievements_earned
    gamification = ledger.gamification(base, earned)

    progress = _Progress(progress_source)
    newly_earned: list[str] = []
    before: StatsSnapshot | None = StatsSnapshot(user.stats, user.gamification)
    if reevaluate:
        before = None
    after = StatsSnapshot(stats, gamification)
    for _ in range(MAX_REWARD_PASSES):
        result = _evaluate(rules.catalog, progress, before, after, at)
        rewarded = False
        for evaluation in result.evaluations:
            achievement_id = evaluation.achievement_id
            if evaluation.should_delete:
                progress.deleted.add(achievement_id)
                progress.written.pop(achievement_id, None)
                continue
            credited: dict[int, int] = {}
            for tier in evaluation.rewards:
                award = price_achievement_reward(
                    tier.hope_points_reward,
                    evaluation.achievement.reward_category,
                    rules.gamification,
                    standing,
                    ledger.usage,
                    at,
                )
                if award is not None:
                    credited[tier.tier] = ledger.credit(award, f"{achievement_id}:{tier.tier}")
                    rewarded = True
            document = progress_document(
                activity.user_id,
                evaluation,
                progress.current(achievement_id),
                event_id=event_id,
                at=at,
                source_path=activity.source,
                points_credited=credited,
            )
            if document is not None:
                progress.written[achievement_id] = document
            if evaluation.first_earned:
                newly_earned.append(achievement_id)
        earned = result.achievements_earned
        previous, gamification = gamification, ledger.gamification(base, earned)
        if not rewarded:
            break
        before = StatsSnapshot(stats, previous.model_copy(update={"achievements_earned": earned}))
        after = StatsSnapshot(stats, gamification)

    level_up = detect_level_up(
        user.gamification.experience,
        gamification.experience,
        rules.gamification.level_curve,
        rules.public,
    )
    return MemberUpdate(
        user_id=activity.user_id,
        gamification=gamification,
        stats=stats,
        ledger=tuple(ledger.entries),
        progress=tuple(progress.written.values()),
        deleted_progress=tuple(sorted(progress.deleted & set(progress.stored))),
        newly_earned=tuple(newly_earned),
        level_up=level_up,
        new_active_day=new_active_day,
    )
