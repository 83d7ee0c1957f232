"""Evaluating the achievement catalog against a member's stats, and what a client may see.

An achievement measures one stat (`criterion`); a tier is reached when the measured value is
at least its threshold. The trigger calls `evaluate_catalog` when the member's stats change,
with the stats before and after the change, and stores the documents `progress_document`
builds; a re-evaluation command (new achievement, changed threshold) calls it without
`before`.

Design choices, and why:
* Tiers are never taken back: the tier held is the higher of the stored one and the one the
  value reaches, so raising a threshold (version bump) never strips a member of a badge.
  Several tiers reached at once are all earned, each with its own reward.
* Seasonal windows are half-open, [startsAt, endsAt): outside them nothing is evaluated.
  With `scope: season` the progress is the stat's growth seen inside the window, accumulated
  from the (before, after) pairs of the changes the trigger sees; a re-evaluation without
  `before` keeps the stored growth, because the value at the season's start is not known.
* Hidden achievements stay invisible until earned: no progress document is built before their
  first tier, `client_view` shows a hidden achievement only from the member's own earned
  document (never from the catalog), and a progress document left over from before an
  achievement became hidden is marked for deletion.
* Visible achievements get a progress document as soon as there is progress (not at zero),
  so a member with no activity costs no writes.
* `achievementsEarned` counts achievements with at least one tier; meta-achievements that
  measure it are evaluated to a fixed point in the same run, so earning the fifth badge and
  the "five badges" badge happen in one trigger invocation.
* Rewards are listed, not priced: the trigger prices them through hope_points (multiplier,
  caps) and passes the credited amounts back to `progress_document`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from mitche.models.achievements import (
    Achievement,
    AchievementCategory,
    AchievementCriterion,
    AchievementRarity,
    AchievementTier,
    CriterionScope,
    GamificationStat,
    SeasonWindow,
)
from mitche.models.user_achievements import (
    AchievementDisplay,
    AchievementNotification,
    AchievementProgress,
    EarnedContext,
    EarnedTier,
    UserAchievement,
)
from mitche.models.users import Gamification, User, UserStat, UserStats

__all__ = [
    "MAX_PROGRESS_VALUE",
    "AchievementView",
    "CatalogEvaluation",
    "Evaluation",
    "StatsSnapshot",
    "TierView",
    "client_view",
    "evaluate",
    "evaluate_catalog",
    "progress_document",
    "stat_value",
]

MAX_PROGRESS_VALUE = 1_000_000_000
"""Largest progress value a document stores (AchievementProgress.value's bound)."""


@dataclass(frozen=True, slots=True)
class StatsSnapshot:
    """The member's stats at one moment: activity counters and gamification values."""

    stats: UserStats
    gamification: Gamification

    @classmethod
    def of(cls, user: User) -> StatsSnapshot:
        """The stats a user document holds."""
        return cls(user.stats, user.gamification)

    def with_achievements_earned(self, count: int) -> StatsSnapshot:
        """The same stats with `achievementsEarned` set to `count`."""
        gamification = self.gamification.model_copy(update={"achievements_earned": count})
        return dataclasses.replace(self, gamification=gamification)


def stat_value(criterion: AchievementCriterion, snapshot: StatsSnapshot) -> int:
    """The value of the stat a criterion measures."""
    stat, gamification = criterion.stat, snapshot.gamification
    if isinstance(stat, UserStat):
        return snapshot.stats.value(stat)
    if stat is GamificationStat.HOPE_POINTS:
        points = gamification.hope_points
        return points.total if criterion.category is None else points.category(criterion.category)
    if stat is GamificationStat.EXPERIENCE:
        return gamification.experience
    if stat is GamificationStat.LEVEL:
        return gamification.level
    if stat is GamificationStat.LONGEST_STREAK_DAYS:
        return gamification.streak.longest_days
    return gamification.achievements_earned


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One achievement evaluated for one member."""

    achievement_id: str
    achievement: Achievement
    value: int
    """Progress value: the stat (lifetime) or its growth inside the season (season scope)."""
    tier: int
    """Tier held after the evaluation; never below the stored tier."""
    next_threshold: int | None
    stored_progress: AchievementProgress | None
    """The progress stored before the evaluation (None: no document yet)."""

    @property
    def tier_before(self) -> int:
        """Tier held before the evaluation."""
        return self.stored_progress.tier if self.stored_progress is not None else 0

    @property
    def changed(self) -> bool:
        """Whether the value, tier or next threshold differs from the stored progress."""
        stored = self.stored_progress
        return stored is None or (self.value, self.tier, self.next_threshold) != (
            stored.value,
            stored.tier,
            stored.next_threshold,
        )

    @property
    def newly_earned(self) -> tuple[AchievementTier, ...]:
        """Tiers earned by this evaluation, in order."""
        return tuple(self.achievement.tiers[self.tier_before : self.tier])

    @property
    def first_earned(self) -> bool:
        """Whether the achievement itself was earned now (its first tier)."""
        return self.tier_before == 0 and self.tier > 0

    @property
    def rewards(self) -> tuple[AchievementTier, ...]:
        """Newly earned tiers that pay hope points (in `achievement.rewardCategory`)."""
        return tuple(tier for tier in self.newly_earned if tier.hope_points_reward > 0)

    @property
    def should_store(self) -> bool:
        """Whether a progress document is to be written: something changed, there is
        progress, and for a hidden achievement a tier has been earned."""
        if not self.changed or (self.value == 0 and self.tier == 0):
            return False
        return self.tier > 0 or not self.achievement.hidden

    @property
    def should_delete(self) -> bool:
        """Whether a stored progress document must go: the achievement became hidden before
        the member earned it, and the document would reveal it."""
        return self.stored_progress is not None and self.achievement.hidden and self.tier == 0

    def as_progress(self, at: dt.datetime) -> AchievementProgress:
        """The progress map this evaluation stores."""
        return AchievementProgress(
            value=self.value, tier=self.tier, next_threshold=self.next_threshold, updated_at=at
        )


def _progress_value(
    achievement: Achievement,
    after: StatsSnapshot,
    before: StatsSnapshot | None,
    current: AchievementProgress | None,
) -> int:
    criterion = achievement.criterion
    if criterion.scope is CriterionScope.LIFETIME:
        value = stat_value(criterion, after)
    else:
        value = current.value if current is not None else 0
        if before is not None:
            value += max(0, stat_value(criterion, after) - stat_value(criterion, before))
    return min(value, MAX_PROGRESS_VALUE)


def evaluate(
    achievement_id: str,
    achievement: Achievement,
    *,
    after: StatsSnapshot,
    before: StatsSnapshot | None,
    current: AchievementProgress | None,
    at: dt.datetime,
) -> Evaluation | None:
    """Evaluate one achievement at `at`; None when it is not open (retired, or outside its
    season), in which case nothing about it changes."""
    if not achievement.is_open(at):
        return None
    value = _progress_value(achievement, after, before, current)
    tier_before = current.tier if current is not None else 0
    tier = max(tier_before, achievement.tier_reached(value))
    tiers = achievement.tiers
    next_threshold = tiers[tier].threshold if tier < len(tiers) else None
    return Evaluation(achievement_id, achievement, value, tier, next_threshold, current)


@dataclass(frozen=True, slots=True)
class CatalogEvaluation:
    """The outcome of evaluating the catalog for one member."""

    evaluations: tuple[Evaluation, ...]
    """Evaluations with something to write or delete, in catalog order."""
    achievements_earned: int
    """The member's `achievementsEarned` after the run."""

    @property
    def newly_earned_count(self) -> int:
        """Achievements earned for the first time in this run."""
        return sum(1 for evaluation in self.evaluations if evaluation.first_earned)


def _depends_on_change(
    achievement: Achievement, after: StatsSnapshot, before: StatsSnapshot | None
) -> bool:
    if before is None:
        return True
    return stat_value(achievement.criterion, after) != stat_value(achievement.criterion, before)


def evaluate_catalog(
    catalog: Mapping[str, Achievement],
    *,
    after: StatsSnapshot,
    before: StatsSnapshot | None,
    progress: Mapping[str, AchievementProgress],
    at: dt.datetime,
) -> CatalogEvaluation:
    """Evaluate every achievement whose stat changed (all of them without `before`).

    `progress` holds the member's stored progress by achievement id; `after` holds the
    `achievementsEarned` count from before this run.
    """
    ordered = sorted(catalog.items(), key=lambda item: (item[1].sort_order, item[0]))
    working = dict(progress)
    results: dict[str, Evaluation] = {}
    earned = after.gamification.achievements_earned
    pending = [item for item in ordered if _depends_on_change(item[1], after, before)]
    while pending:
        newly = 0
        for achievement_id, achievement in pending:
            evaluation = evaluate(
                achievement_id,
                achievement,
                after=after,
                before=before,
                current=working.get(achievement_id),
                at=at,
            )
            if evaluation is None:
                continue
            evaluation = dataclasses.replace(
                evaluation, stored_progress=progress.get(achievement_id)
            )
            already = results.get(achievement_id)
            newly += evaluation.first_earned and not (already and already.first_earned)
            results[achievement_id] = evaluation
            working[achievement_id] = evaluation.as_progress(at)
        if not newly:
            break
        before, after = after, after.with_achievements_earned(earned + newly)
        earned += newly
        pending = [
            item
            for item in ordered
            if item[1].criterion.stat is GamificationStat.ACHIEVEMENTS_EARNED
        ]
    kept = tuple(
        results[achievement_id]
        for achievement_id, _ in ordered
        if achievement_id in results
        and (results[achievement_id].should_store or results[achievement_id].should_delete)
    )
    return CatalogEvaluation(kept, earned)


def _display(achievement: Achievement, tier: int) -> AchievementDisplay:
    return AchievementDisplay(
        name=achievement.name,
        description=achievement.description,
        icon=achievement.icon,
        category=achievement.category,
        rarity=achievement.rarity,
        tier_count=max(len(achievement.tiers), tier),
    )


def progress_document(
    user_id: str,
    evaluation: Evaluation,
    current: UserAchievement | None,
    *,
    event_id: str,
    at: dt.datetime,
    source_path: str | None = None,
    points_credited: Mapping[int, int] | None = None,
) -> UserAchievement | None:
    """The `userAchievements/{userId}_{achievementId}` document after `evaluation`, or None
    when nothing is to be written (see `Evaluation.should_store`).

    `points_credited` maps each newly earned tier to the hope points actually credited for
    it (after multiplier and caps); `current` is the stored document, if any.
    """
    if not evaluation.should_store:
        return None
    achievement = evaluation.achievement
    credited = points_credited or {}
    earned = list(current.tiers_earned) if current is not None else []
    context = EarnedContext(
        stat=achievement.criterion.stat,
        stat_value=evaluation.value,
        source_path=source_path,
        event_id=event_id,
        achievement_version=achievement.version,
    )
    earned.extend(
        EarnedTier(
            tier=tier.tier,
            title=tier.title,
            earned_at=at,
            hope_points_awarded=credited.get(tier.tier, 0),
            context=context,
        )
        for tier in evaluation.newly_earned
    )
    display = _display(achievement, evaluation.tier)
    complete = evaluation.tier == display.tier_count
    notification = current.notification if current is not None else None
    if evaluation.newly_earned:
        notification = AchievementNotification(tier=evaluation.tier, queued_at=at)
    return UserAchievement(
        user_id=user_id,
        achievement_id=evaluation.achievement_id,
        hidden=achievement.hidden,
        display=display,
        progress=evaluation.as_progress(at),
        tiers_earned=earned,
        completed_at=earned[-1].earned_at if complete else None,
        notification=notification,
        seen_at=current.seen_at if current is not None else None,
        created_at=current.created_at if current is not None else at,
        updated_at=at,
    )


@dataclass(frozen=True, slots=True)
class TierView:
    """A tier as a client sees it."""

    tier: int
    title: str
    threshold: int | None
    """Value needed; None for tiers of a hidden achievement (only its earned tiers show)."""
    earned_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AchievementView:
    """An achievement as a member's client may see it."""

    achievement_id: str
    name: str
    description: str
    icon: str
    category: AchievementCategory
    rarity: AchievementRarity
    hidden: bool
    """True for a hidden achievement the member earned (shown as a surprise badge)."""
    tiers: tuple[TierView, ...]
    value: int
    tier: int
    next_threshold: int | None
    season: SeasonWindow | None
    completed_at: dt.datetime | None


def _earned_times(held: UserAchievement | None) -> dict[int, dt.datetime]:
    if held is None:
        return {}
    return {earned.tier: earned.earned_at for earned in held.tiers_earned}


def _catalog_view(
    achievement_id: str, achievement: Achievement, held: UserAchievement | None
) -> AchievementView:
    times = _earned_times(held)
    progress = held.progress if held is not None else None
    return AchievementView(
        achievement_id=achievement_id,
        name=achievement.name,
        description=achievement.description,
        icon=achievement.icon,
        category=achievement.category,
        rarity=achievement.rarity,
        hidden=False,
        tiers=tuple(
            TierView(tier.tier, tier.title, tier.threshold, times.get(tier.tier))
            for tier in achievement.tiers
        ),
        value=progress.value if progress is not None else 0,
        tier=progress.tier if progress is not None else 0,
        next_threshold=(
            progress.next_threshold if progress is not None else achievement.tiers[0].threshold
        ),
        season=achievement.season,
        completed_at=held.completed_at if held is not None else None,
    )


def _earned_view(held: UserAchievement) -> AchievementView:
    display = held.display
    return AchievementView(
        achievement_id=held.achievement_id,
        name=display.name,
        description=display.description,
        icon=display.icon,
        category=display.category,
        rarity=display.rarity,
        hidden=held.hidden,
        tiers=tuple(
            TierView(earned.tier, earned.title, None, earned.earned_at)
            for earned in held.tiers_earned
        ),
        value=held.progress.value,
        tier=held.progress.tier,
        next_threshold=held.progress.next_threshold,
        season=None,
        completed_at=held.completed_at,
    )


def client_view(
    catalog: Mapping[str, Achievement], held: Mapping[str, UserAchievement]
) -> list[AchievementView]:
    """What a member's client may show: the visible, active catalog with the member's
    progress, plus whatever the member earned (hidden or retired achievements included,
    from their own document only). A hidden achievement not yet earned never appears.
    """
    views: list[tuple[int, str, AchievementView]] = []
    for achievement_id, achievement in catalog.items():
        mine = held.get(achievement_id)
        earned = mine is not None and bool(mine.tiers_earned)
        if achievement.hidden or (not achievement.active and not earned):
            continue
        views.append(
            (
                achievement.sort_order,
                achievement_id,
                _catalog_view(achievement_id, achievement, mine),
            )
        )
    for achievement_id, mine in held.items():
        listed = catalog.get(achievement_id)
        if not mine.tiers_earned or (listed is not None and not listed.hidden):
            continue
        order = listed.sort_order if listed is not None else 0
        views.append((order, achievement_id, _earned_view(mine)))
    return [view for _, _, view in sorted(views, key=lambda item: (item[0], item[1]))]
