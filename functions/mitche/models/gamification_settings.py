"""Hope point rules admins tune: `systemSettings/gamification` (see mitche.models.system_settings).

The award table prices each act of help (action → category → base points); daily and weekly
caps per category bound what one member can earn; a level multiplier and a streak bonus raise
each award; the level curve turns experience into levels. Each ledger entry records the base,
multiplier, bonus and final amount, so a total can always be recomputed from the ledger.

Every field has a code default, used when the document, a field or a table row is absent.
"""

from __future__ import annotations

import math
from itertools import pairwise
from types import MappingProxyType
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import SERVER, MitcheModel, Timestamp, Uid
from mitche.models.users import MAX_LEVEL, HopeAction, HopeCategory

__all__ = [
    "COMPUTED_ACTIONS",
    "DEFAULT_AWARDS",
    "DEFAULT_DAILY_CAPS",
    "DEFAULT_WEEKLY_CAPS",
    "AwardRule",
    "GamificationSettings",
    "LevelCurve",
    "LevelMultiplier",
    "StreakBonus",
]

_Level = Annotated[int, Field(ge=1, le=MAX_LEVEL)]


def _strictly_increasing(name: str, values: list[int], *, first: int | None = None) -> None:
    if first is not None and values and values[0] != first:
        raise ValueError(f"{name} starts at {first}, not {values[0]}")
    if any(later <= earlier for earlier, later in pairwise(values)):
        raise ValueError(f"{name} must strictly increase, not {values}")


class AwardRule(MitcheModel):
    """One row of the award table: an action pays base points in a category."""

    category: HopeCategory
    """Category the points count towards."""
    base_points: Annotated[int, Field(ge=0, le=1_000)]
    """Points before the level multiplier and streak bonus."""
    enabled: bool = True
    """A disabled action pays nothing (and writes no ledger entry)."""


COMPUTED_ACTIONS: Final = frozenset(
    {HopeAction.STREAK_BONUS, HopeAction.ACHIEVEMENT_REWARD, HopeAction.ADJUSTMENT}
)
"""Actions whose points are not in the award table: streak bonuses follow `streakBonuses`,
achievement rewards follow each tier's `hopePointsReward`, adjustments are set by an admin."""

DEFAULT_AWARDS: Final = MappingProxyType(
    {
        HopeAction.OFFERING_MADE: AwardRule(category=HopeCategory.SILENT_HERO, base_points=5),
        HopeAction.OFFERING_ACCEPTED: AwardRule(category=HopeCategory.SILENT_HERO, base_points=10),
        HopeAction.REQUEST_FULFILLED: AwardRule(category=HopeCategory.SILENT_HERO, base_points=25),
        HopeAction.POSITIVE_FEEDBACK: AwardRule(category=HopeCategory.SILENT_HERO, base_points=5),
        HopeAction.URGENT_RESPONSE: AwardRule(
            category=HopeCategory.FIRST_RESPONDER, base_points=15
        ),
        HopeAction.ANONYMOUS_HELP: AwardRule(category=HopeCategory.SILENT_HERO, base_points=10),
        HopeAction.EVENT_ORGANIZED: AwardRule(
            category=HopeCategory.COMMUNITY_BUILDER, base_points=30
        ),
        HopeAction.EVENT_CO_ORGANIZED: AwardRule(
            category=HopeCategory.COMMUNITY_BUILDER, base_points=15
        ),
        HopeAction.EVENT_ATTENDED: AwardRule(
            category=HopeCategory.COMMUNITY_BUILDER, base_points=10
        ),
        HopeAction.STORY_APPROVED: AwardRule(
            category=HopeCategory.VOICE_OF_COMPASSION, base_points=15
        ),
        HopeAction.SUPPORT_GIVEN: AwardRule(
            category=HopeCategory.VOICE_OF_COMPASSION, base_points=10
        ),
        HopeAction.REPORT_UPHELD: AwardRule(category=HopeCategory.GUARDIAN, base_points=10),
        HopeAction.RESOURCE_PUBLISHED: AwardRule(category=HopeCategory.PROVIDER, base_points=20),
        HopeAction.RESOURCE_REVIEWED: AwardRule(category=HopeCategory.CONNECTOR, base_points=3),
        HopeAction.REFERRAL_MADE: AwardRule(category=HopeCategory.CONNECTOR, base_points=10),
        HopeAction.MENTORSHIP_SESSION: AwardRule(category=HopeCategory.MENTOR, base_points=15),
    }
)
"""Code default of the award table: every action except `COMPUTED_ACTIONS`."""

DEFAULT_DAILY_CAPS: Final = MappingProxyType(
    {
        HopeCategory.SILENT_HERO: 100,
        HopeCategory.VOICE_OF_COMPASSION: 60,
        HopeCategory.COMMUNITY_BUILDER: 80,
        HopeCategory.GUARDIAN: 40,
        HopeCategory.PROVIDER: 80,
        HopeCategory.MENTOR: 60,
        HopeCategory.CONNECTOR: 40,
        HopeCategory.FIRST_RESPONDER: 60,
    }
)
"""Code default of the daily caps, points per category per day."""

DEFAULT_WEEKLY_CAPS: Final = MappingProxyType(
    {category: cap * 4 for category, cap in DEFAULT_DAILY_CAPS.items()}
)
"""Code default of the weekly caps: four days' worth, so a week needs sustained activity."""

_Cap = Annotated[int, Field(ge=0, le=100_000)]


class LevelMultiplier(MitcheModel):
    """Multiplier applied to base points from a level on."""

    min_level: _Level
    """First level the multiplier applies to."""
    multiplier: Annotated[float, Field(ge=1.0, le=10.0)]
    """Factor on base points (1.0 = unchanged); recorded on each ledger entry."""


class StreakBonus(MitcheModel):
    """Bonus on each award while the member's streak is at least `minDays` long."""

    min_days: Annotated[int, Field(ge=2, le=3_650)]
    """Streak length (consecutive active days) from which the bonus applies."""
    bonus_percent: Annotated[int, Field(ge=1, le=200)]
    """Bonus in percent of the base points, rounded down, recorded as the entry's `bonus`."""


class LevelCurve(MitcheModel):
    """Experience needed for each level: `baseExperience × (level − 1) ^ (growthPercent / 100)`,
    rounded down. Level 1 needs 0; with the defaults level 2 needs 100, level 10 needs 2,700
    and level 100 needs 98,503. Experience grows by the hope points credited."""

    base_experience: Annotated[int, Field(ge=1, le=100_000)] = 100
    """Experience needed for level 2."""
    growth_percent: Annotated[int, Field(ge=100, le=300)] = 150
    """Exponent of the curve, in percent (150 = 1.5); at least 1, so each level costs more."""
    max_level: _Level = MAX_LEVEL
    """Highest level reachable."""

    def experience_for_level(self, level: int) -> int:
        """Experience at which `level` is reached (1 ≤ level ≤ maxLevel)."""
        if not 1 <= level <= self.max_level:
            raise ValueError(f"level must be within 1..{self.max_level}, not {level}")
        exponent = self.growth_percent / 100
        return math.floor(self.base_experience * math.pow(level - 1, exponent))

    def level_for_experience(self, experience: int) -> int:
        """The level a member with `experience` has: the highest whose threshold is reached."""
        if experience < 0:
            raise ValueError(f"experience is never negative, not {experience}")
        low, high = 1, self.max_level
        while low < high:
            middle = (low + high + 1) // 2
            if self.experience_for_level(middle) <= experience:
                low = middle
            else:
                high = middle - 1
        return low


_DEFAULT_MULTIPLIERS: Final = (
    (1, 1.0),
    (5, 1.1),
    (10, 1.2),
    (20, 1.3),
    (35, 1.5),
    (50, 1.75),
    (75, 2.0),
)


class GamificationSettings(MitcheModel):
    """`systemSettings/gamification`: how hope points are awarded (admins and functions only)."""

    awards: Annotated[
        Annotated[dict[HopeAction, AwardRule], Field(max_length=len(HopeAction))], SERVER
    ] = Field(
        default_factory=lambda: {
            action: rule.model_copy() for action, rule in DEFAULT_AWARDS.items()
        }
    )
    """Award table, action → category and base points; an absent action uses the default."""
    daily_caps: Annotated[dict[HopeCategory, _Cap], SERVER] = Field(
        default_factory=lambda: dict(DEFAULT_DAILY_CAPS)
    )
    """Most points a member can earn per category per day (before level benefits)."""
    weekly_caps: Annotated[dict[HopeCategory, _Cap], SERVER] = Field(
        default_factory=lambda: dict(DEFAULT_WEEKLY_CAPS)
    )
    """Most points a member can earn per category per ISO week."""
    level_multipliers: Annotated[
        Annotated[list[LevelMultiplier], Field(min_length=1, max_length=MAX_LEVEL)], SERVER
    ] = Field(
        default_factory=lambda: [
            LevelMultiplier(min_level=level, multiplier=multiplier)
            for level, multiplier in _DEFAULT_MULTIPLIERS
        ]
    )
    """Multiplier by level, ordered by `minLevel`, the first row at level 1."""
    streak_bonuses: Annotated[Annotated[list[StreakBonus], Field(max_length=50)], SERVER] = Field(
        default_factory=lambda: [
            StreakBonus(min_days=days, bonus_percent=percent)
            for days, percent in ((3, 5), (7, 10), (14, 15), (30, 25), (100, 50))
        ]
    )
    """Bonuses by streak length, ordered by `minDays`; the longest reached applies."""
    level_curve: Annotated[LevelCurve, SERVER] = Field(default_factory=LevelCurve)
    """Experience needed per level."""
    self_triggered_acts_per_day: Annotated[Annotated[int, Field(ge=0, le=100)], SERVER] = 3
    """Acts a member performs alone (an offering made, a review written, a resource published)
    counted per UTC day towards points, counters and achievements; the points they pay never
    exceed the member's points from acts other members confirmed."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""
    updated_by: Annotated[Uid | None, SERVER] = None
    """The admin who last changed it."""

    @model_validator(mode="after")
    def _tables_consistent(self) -> Self:
        computed = sorted(action.value for action in COMPUTED_ACTIONS if action in self.awards)
        if computed:
            raise ValueError(f"awards cannot price computed actions {computed}")
        for category, weekly in self.weekly_caps.items():
            daily = self.daily_caps.get(category, DEFAULT_DAILY_CAPS[category])
            if weekly < daily:
                raise ValueError(
                    f"weeklyCaps.{category.value} is {weekly}, below the daily cap {daily}"
                )
        levels = [row.min_level for row in self.level_multipliers]
        _strictly_increasing("levelMultipliers minLevel", levels, first=1)
        factors = [row.multiplier for row in self.level_multipliers]
        if any(later < earlier for earlier, later in pairwise(factors)):
            raise ValueError("levelMultipliers multiplier never decreases with the level")
        _strictly_increasing("streakBonuses minDays", [row.min_days for row in self.streak_bonuses])
        return self

    def award_rule(self, action: HopeAction) -> AwardRule | None:
        """The rule pricing `action` (the table's, else the default); None for computed ones."""
        return self.awards.get(action, DEFAULT_AWARDS.get(action))

    def daily_cap(self, category: HopeCategory) -> int:
        """Daily cap of a category (the document's, else the default)."""
        return self.daily_caps.get(category, DEFAULT_DAILY_CAPS[category])

    def weekly_cap(self, category: HopeCategory) -> int:
        """Weekly cap of a category (the document's, else the default)."""
        return self.weekly_caps.get(category, DEFAULT_WEEKLY_CAPS[category])

    def multiplier_for(self, level: int) -> float:
        """Level multiplier that applies at `level`."""
        applicable = [row for row in self.level_multipliers if row.min_level <= level]
        return applicable[-1].multiplier if applicable else 1.0

    def streak_bonus_percent(self, streak_days: int) -> int:
        """Bonus percent for a streak of `streak_days` (0 below the first row)."""
        applicable = [row for row in self.streak_bonuses if row.min_days <= streak_days]
        return applicable[-1].bonus_percent if applicable else 0
