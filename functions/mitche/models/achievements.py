"""The achievement catalog (`achievements/{achievementId}`): what members can earn.

Who reads and writes: admins and Cloud Functions write every field (a seed catalog is loaded
on a fresh install; admins tune it in the console). Signed-in members read the catalog except
hidden achievements: the rules allow reading a document only when `hidden == false`, so a
client's list query must filter on `hidden == false`. A member who earns a hidden achievement
sees it through their `userAchievements` document, which carries a copy of its name, icon and
description, never through the catalog.

How an achievement is earned: `criterion` names one member stat (an activity counter of the
member's `stats` map, or a value of their `gamification` map, kept by the triggers); each tier
is reached when the stat is at least the tier's threshold. Tiers are
progressive (bronze → silver → gold ...): thresholds strictly increase and each tier pays its
own hope points reward, in `rewardCategory`. Seasonal achievements count only while their
window is open (`season`); with `scope: season` only the stat's growth inside the window
counts. Changing a threshold bumps `version`, which lets a command re-evaluate every member.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec
from mitche.models.users import HopeCategory, UserStat

__all__ = [
    "MAX_TIERS",
    "SPEC",
    "Achievement",
    "AchievementCategory",
    "AchievementCriterion",
    "AchievementRarity",
    "AchievementStat",
    "AchievementTier",
    "Comparison",
    "CriterionScope",
    "GamificationStat",
    "IconName",
    "SeasonWindow",
]

MAX_TIERS: Final = 10
"""Most tiers one achievement may have."""

IconName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
"""Name of an icon in the client apps' badge set ("heart-hands")."""


class AchievementCategory(StrEnum):
    """Families the catalog is browsed by."""

    HELPING = "helping"
    """Answering requests and making offerings."""
    COMPASSION = "compassion"
    """Listening, support conversations, stories."""
    COMMUNITY = "community"
    """Events: attending, organising."""
    SAFETY = "safety"
    """Keeping the community safe: upheld reports."""
    RESOURCES = "resources"
    """Sharing and reviewing resources."""
    MENTORSHIP = "mentorship"
    """Guiding newcomers."""
    CONSISTENCY = "consistency"
    """Streaks and regular presence."""
    MILESTONES = "milestones"
    """Points and levels reached."""
    SEASONAL = "seasonal"
    """Time-limited challenges; these always have a `season` window."""


class AchievementRarity(StrEnum):
    """How rare an achievement is meant to be, shown as the badge's frame."""

    COMMON = "common"
    UNCOMMON = "uncommon"
    RARE = "rare"
    EPIC = "epic"
    LEGENDARY = "legendary"


class GamificationStat(StrEnum):
    """Progress values of a member's `gamification` map that achievements can depend on.

    The activity counters are `UserStat` (the member's `stats` map); together the two enums
    are every stat a criterion can name (their values never overlap).
    """

    HOPE_POINTS = "hopePoints"
    """Hope points earned in total, or in one category (`criterion.category`)."""
    EXPERIENCE = "experience"
    """Experience points."""
    LEVEL = "level"
    """The member's level."""
    LONGEST_STREAK_DAYS = "longestStreakDays"
    """Longest run of consecutive active days."""
    ACHIEVEMENTS_EARNED = "achievementsEarned"
    """Achievements the member has earned (for meta-achievements)."""


AchievementStat = UserStat | GamificationStat
"""A stat an achievement criterion measures: an activity counter or a gamification value.
Every one only grows, so a tier once reached stays reached."""


class Comparison(StrEnum):
    """How the stat is compared with a tier's threshold.

    A closed set of one today: every tracked stat only grows, so "at least" is the only
    comparison progressive tiers need. It is a field so that a stat where lower is better
    adds a value instead of changing the document shape.
    """

    AT_LEAST = "atLeast"
    """The tier is reached when the stat is greater than or equal to the threshold."""


class CriterionScope(StrEnum):
    """Which part of the stat counts."""

    LIFETIME = "lifetime"
    """The stat's total value."""
    SEASON = "season"
    """Only the stat's growth while the achievement's season window is open."""


class AchievementCriterion(MitcheModel):
    """What an achievement measures."""

    stat: AchievementStat
    """The member stat measured."""
    comparison: Comparison = Comparison.AT_LEAST
    """How the stat is compared with each tier's threshold."""
    category: HopeCategory | None = None
    """For `hopePoints`, only points of this category count; empty means all points."""
    scope: CriterionScope = CriterionScope.LIFETIME
    """Total value, or growth inside the season window."""

    @model_validator(mode="after")
    def _category_only_for_points(self) -> Self:
        if self.category is not None and self.stat is not GamificationStat.HOPE_POINTS:
            raise ValueError("criterion.category applies only to the 'hopePoints' stat")
        return self


class AchievementTier(MitcheModel):
    """One step of a progressive achievement."""

    tier: Annotated[int, Field(ge=1, le=MAX_TIERS)]
    """Tier number, 1 for the first."""
    threshold: Annotated[int, Field(ge=1, le=1_000_000_000)]
    """Stat value at which the tier is reached."""
    hope_points_reward: Annotated[int, Field(ge=0, le=10_000)] = 0
    """Hope points awarded when the tier is reached (ledger action `achievementReward`)."""
    title: Annotated[str, Field(min_length=1, max_length=60)]
    """Title of the tier ("Bronze Listener")."""


class SeasonWindow(MitcheModel):
    """The time a seasonal achievement can be earned in."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    """Name of the season or challenge ("Winter Kindness Week 2026")."""
    starts_at: Timestamp
    """First moment progress counts."""
    ends_at: Timestamp
    """Moment progress stops counting; later than `startsAt`."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("season endsAt must be later than startsAt")
        return self

    def contains(self, at: datetime) -> bool:
        """Whether `at` falls inside the window (start inclusive, end exclusive)."""
        return self.starts_at <= at < self.ends_at


class Achievement(MitcheModel):
    """An achievement members can earn; every field is written by admins or Cloud Functions."""

    name: Annotated[Annotated[str, Field(min_length=1, max_length=80)], SERVER]
    """Display name ("Silent Hero")."""
    description: Annotated[Annotated[str, Field(min_length=1, max_length=500)], SERVER]
    """What the member did to earn it, as shown on the badge."""
    icon: Annotated[IconName, SERVER]
    """Badge icon."""
    category: Annotated[AchievementCategory, SERVER]
    """Family of the achievement."""
    rarity: Annotated[AchievementRarity, SERVER]
    """How rare it is meant to be."""
    criterion: Annotated[AchievementCriterion, SERVER]
    """The stat it measures."""
    tiers: Annotated[
        Annotated[list[AchievementTier], Field(min_length=1, max_length=MAX_TIERS)], SERVER
    ]
    """Progressive tiers, numbered 1, 2, ... with strictly increasing thresholds."""
    reward_category: Annotated[HopeCategory, SERVER]
    """Hope point category the tier rewards are credited to."""
    hidden: Annotated[bool, SERVER] = False
    """Invisible to members until earned (the rules refuse reading hidden catalog entries)."""
    season: Annotated[SeasonWindow | None, SERVER] = None
    """For seasonal achievements, the window in which they can be earned."""
    active: Annotated[bool, SERVER] = True
    """Whether the achievement is evaluated at all; retired ones stay for members who hold them."""
    sort_order: Annotated[Annotated[int, Field(ge=0, le=100_000)], SERVER] = 0
    """Position in the catalog, smallest first."""
    version: Annotated[Annotated[int, Field(ge=1, le=1_000_000)], SERVER] = 1
    """Bumped whenever the criterion or a threshold changes, to re-evaluate every member."""
    created_at: Annotated[Timestamp, SERVER]
    """When the achievement was added."""
    updated_at: Annotated[Timestamp, SERVER]
    """When an admin last changed it."""

    @model_validator(mode="after")
    def _tiers_progressive(self) -> Self:
        numbers = [tier.tier for tier in self.tiers]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"tiers are numbered 1..{len(numbers)} in order, not {numbers}")
        thresholds = [tier.threshold for tier in self.tiers]
        if any(later <= earlier for earlier, later in pairwise(thresholds)):
            raise ValueError(f"tiers need strictly increasing thresholds, not {thresholds}")
        return self

    @model_validator(mode="after")
    def _season_rules(self) -> Self:
        if self.category is AchievementCategory.SEASONAL and self.season is None:
            raise ValueError("a 'seasonal' achievement has a season window")
        if self.criterion.scope is CriterionScope.SEASON and self.season is None:
            raise ValueError("criterion.scope 'season' needs a season window")
        if self.hidden and self.criterion.scope is CriterionScope.SEASON:
            # Season-scoped progress must be stored per member before anything is earned,
            # and a stored progress document would reveal the hidden achievement.
            raise ValueError("a hidden achievement's criterion.scope is 'lifetime'")
        return self

    @model_validator(mode="after")
    def _updated_after_created(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt cannot be earlier than createdAt")
        return self

    def is_open(self, at: datetime) -> bool:
        """Whether progress made at `at` counts: active and, if seasonal, inside the window."""
        return self.active and (self.season is None or self.season.contains(at))

    def tier_reached(self, value: int) -> int:
        """The highest tier a stat `value` reaches, 0 when below the first threshold."""
        reached = 0
        for tier in self.tiers:
            if value >= tier.threshold:
                reached = tier.tier
        return reached


SPEC: Final = CollectionSpec(
    collection=Collection.ACHIEVEMENTS,
    model=Achievement,
    id_field="achievementId",
)
