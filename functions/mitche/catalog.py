"""The seed achievement catalog a fresh install loads (`python -m mitche.commands load-catalog`).

Twenty-four achievements across every category: progressive tiers on the activity counters and
on hope points, two hidden surprises, a meta-achievement over the others, and one seasonal
challenge whose window is fixed in the catalog (admins add new seasons in the console). Tier
rewards are modest next to the award table so achievements never dominate the leaderboards.
Ids are stable: re-loading the catalog updates entries in place and bumps `version` only when
a criterion or a threshold changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from mitche.models import (
    Achievement,
    AchievementCategory,
    AchievementCriterion,
    AchievementRarity,
    AchievementStat,
    AchievementTier,
    CriterionScope,
    GamificationStat,
    HopeCategory,
    SeasonWindow,
    UserStat,
)

__all__ = ["CATALOG_CREATED", "SEED_CATALOG", "seed_catalog"]

CATALOG_CREATED: Final = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
"""The creation time the seed entries carry."""

_Tiers = Sequence[tuple[int, int, str]]
"""(threshold, hope points reward, title) per tier."""

_BRONZE_SILVER_GOLD: Final = ("Bronze", "Silver", "Gold", "Platinum")


def _tiers(rows: _Tiers) -> list[AchievementTier]:
    return [
        AchievementTier(tier=number, threshold=threshold, hope_points_reward=reward, title=title)
        for number, (threshold, reward, title) in enumerate(rows, start=1)
    ]


def _graded(name: str, thresholds: Sequence[int], rewards: Sequence[int]) -> _Tiers:
    return [
        (threshold, reward, f"{grade} {name}")
        for threshold, reward, grade in zip(thresholds, rewards, _BRONZE_SILVER_GOLD, strict=False)
    ]


def _achievement(
    *,
    name: str,
    description: str,
    icon: str,
    category: AchievementCategory,
    rarity: AchievementRarity,
    stat: AchievementStat,
    tiers: _Tiers,
    reward_category: HopeCategory,
    sort_order: int,
    points_category: HopeCategory | None = None,
    hidden: bool = False,
    season: SeasonWindow | None = None,
    scope: CriterionScope = CriterionScope.LIFETIME,
) -> Achievement:
    return Achievement(
        name=name,
        description=description,
        icon=icon,
        category=category,
        rarity=rarity,
        criterion=AchievementCriterion(stat=stat, category=points_category, scope=scope),
        tiers=_tiers(tiers),
        reward_category=reward_category,
        hidden=hidden,
        season=season,
        sort_order=sort_order,
        created_at=CATALOG_CREATED,
        updated_at=CATALOG_CREATED,
    )


_C = AchievementCategory
_R = AchievementRarity
_H = HopeCategory


def seed_catalog() -> dict[str, Achievement]:
    """The seed catalog by achievement id (a fresh copy each call)."""
    winter = SeasonWindow(
        name="Winter Kindness 2026",
        starts_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    catalog: dict[str, Achievement] = {}

    def add(
        achievement_id: str,
        name: str,
        description: str,
        icon: str,
        category: AchievementCategory,
        rarity: AchievementRarity,
        stat: AchievementStat,
        tiers: _Tiers,
        reward: HopeCategory,
        points: HopeCategory | None = None,
    ) -> None:
        catalog[achievement_id] = _achievement(
            name=name,
            description=description,
            icon=icon,
            category=category,
            rarity=rarity,
            stat=stat,
            tiers=tiers,
            reward_category=reward,
            sort_order=(len(catalog) + 1) * 10,
            points_category=points,
        )

    add(
        "first-offer",
        "First Step",
        "Made your first offering of help.",
        "hand-open",
        _C.HELPING,
        _R.COMMON,
        UserStat.OFFERINGS_MADE,
        [(1, 5, "First Step")],
        _H.SILENT_HERO,
    )
    add(
        "generous-hand",
        "Generous Hand",
        "Offerings of help made.",
        "hands-heart",
        _C.HELPING,
        _R.UNCOMMON,
        UserStat.OFFERINGS_MADE,
        _graded("Generous Hand", (5, 25, 100), (10, 25, 50)),
        _H.SILENT_HERO,
    )
    add(
        "trusted-helper",
        "Trusted Helper",
        "Offerings requesters accepted.",
        "handshake",
        _C.HELPING,
        _R.UNCOMMON,
        UserStat.OFFERINGS_ACCEPTED,
        _graded("Trusted Helper", (3, 15, 50), (10, 25, 50)),
        _H.SILENT_HERO,
    )
    add(
        "silent-hero",
        "Silent Hero",
        "Requests you helped fulfil.",
        "moon-star",
        _C.HELPING,
        _R.RARE,
        UserStat.REQUESTS_FULFILLED,
        _graded("Silent Hero", (1, 10, 50, 200), (5, 20, 50, 100)),
        _H.SILENT_HERO,
    )
    add(
        "first-responder",
        "First Responder",
        "Urgent requests answered in time.",
        "siren",
        _C.HELPING,
        _R.RARE,
        UserStat.URGENT_RESPONSES,
        _graded("First Responder", (1, 5, 20), (10, 25, 50)),
        _H.FIRST_RESPONDER,
    )
    add(
        "warm-words",
        "Warm Words",
        "Feedback of four stars or more received.",
        "star-heart",
        _C.COMPASSION,
        _R.UNCOMMON,
        UserStat.POSITIVE_FEEDBACK,
        _graded("Warm Words", (3, 15, 50), (10, 20, 40)),
        _H.VOICE_OF_COMPASSION,
    )
    add(
        "storyteller",
        "Storyteller",
        "Stories woven into the Hope Tapestry.",
        "thread",
        _C.COMPASSION,
        _R.UNCOMMON,
        UserStat.STORIES_APPROVED,
        _graded("Storyteller", (1, 5, 15), (5, 20, 40)),
        _H.VOICE_OF_COMPASSION,
    )
    add(
        "voice-of-compassion",
        "Voice of Compassion",
        "Hope points earned listening and sharing stories.",
        "speech-heart",
        _C.COMPASSION,
        _R.RARE,
        GamificationStat.HOPE_POINTS,
        _graded("Voice of Compassion", (100, 500, 2000), (10, 25, 50)),
        _H.VOICE_OF_COMPASSION,
        points=_H.VOICE_OF_COMPASSION,
    )
    add(
        "good-neighbour",
        "Good Neighbour",
        "Community events attended.",
        "people",
        _C.COMMUNITY,
        _R.COMMON,
        UserStat.EVENTS_ATTENDED,
        _graded("Good Neighbour", (1, 10, 30), (5, 20, 40)),
        _H.COMMUNITY_BUILDER,
    )
    add(
        "community-builder",
        "Community Builder",
        "Community events organised.",
        "tent",
        _C.COMMUNITY,
        _R.RARE,
        UserStat.EVENTS_ORGANIZED,
        _graded("Community Builder", (1, 5, 20), (10, 30, 60)),
        _H.COMMUNITY_BUILDER,
    )
    add(
        "guardian",
        "Guardian",
        "Reports that moderators upheld.",
        "shield",
        _C.SAFETY,
        _R.RARE,
        UserStat.REPORTS_UPHELD,
        _graded("Guardian", (1, 5, 20), (5, 15, 30)),
        _H.GUARDIAN,
    )
    add(
        "resource-scout",
        "Resource Scout",
        "Resources you listed that were published.",
        "map",
        _C.RESOURCES,
        _R.UNCOMMON,
        UserStat.RESOURCES_PUBLISHED,
        _graded("Resource Scout", (1, 5, 20), (10, 25, 50)),
        _H.PROVIDER,
    )
    add(
        "honest-reviewer",
        "Honest Reviewer",
        "Resources reviewed after using them.",
        "pen",
        _C.RESOURCES,
        _R.COMMON,
        UserStat.REVIEWS_WRITTEN,
        _graded("Honest Reviewer", (1, 10, 40), (3, 10, 25)),
        _H.CONNECTOR,
    )
    add(
        "open-wallet",
        "Open Wallet",
        "Financial offerings completed.",
        "coin-heart",
        _C.HELPING,
        _R.RARE,
        UserStat.FINANCIAL_OFFERINGS,
        _graded("Open Wallet", (1, 5, 20), (5, 15, 30)),
        _H.PROVIDER,
    )
    add(
        "mentor",
        "Mentor",
        "Hope points earned guiding others.",
        "compass",
        _C.MENTORSHIP,
        _R.EPIC,
        GamificationStat.HOPE_POINTS,
        _graded("Mentor", (50, 300, 1000), (10, 30, 60)),
        _H.MENTOR,
        points=_H.MENTOR,
    )
    add(
        "steady-flame",
        "Steady Flame",
        "Days in a row with an act of help.",
        "flame",
        _C.CONSISTENCY,
        _R.UNCOMMON,
        GamificationStat.LONGEST_STREAK_DAYS,
        _graded("Steady Flame", (3, 7, 30, 100), (5, 15, 40, 100)),
        _H.SILENT_HERO,
    )
    add(
        "devoted",
        "Devoted",
        "Days on which you helped someone.",
        "calendar-heart",
        _C.CONSISTENCY,
        _R.RARE,
        UserStat.DAYS_ACTIVE,
        _graded("Devoted", (10, 50, 200), (10, 30, 60)),
        _H.COMMUNITY_BUILDER,
    )
    add(
        "hope-bearer",
        "Hope Bearer",
        "Hope points earned in every way.",
        "sun",
        _C.MILESTONES,
        _R.UNCOMMON,
        GamificationStat.HOPE_POINTS,
        _graded("Hope Bearer", (100, 1000, 5000, 20000), (0, 0, 0, 0)),
        _H.SILENT_HERO,
    )
    add(
        "rising-star",
        "Rising Star",
        "Levels reached.",
        "star",
        _C.MILESTONES,
        _R.RARE,
        GamificationStat.LEVEL,
        [(5, 10, "Helper"), (10, 20, "Guide"), (20, 40, "Mentor"), (50, 100, "Lighthouse")],
        _H.COMMUNITY_BUILDER,
    )
    add(
        "collector",
        "Badge Collector",
        "Achievements earned.",
        "medal",
        _C.MILESTONES,
        _R.EPIC,
        GamificationStat.ACHIEVEMENTS_EARNED,
        _graded("Badge Collector", (5, 10, 20), (10, 25, 50)),
        _H.COMMUNITY_BUILDER,
    )
    add(
        "seasoned",
        "Seasoned Helper",
        "Experience gathered through every kind of help.",
        "mountain",
        _C.MILESTONES,
        _R.RARE,
        GamificationStat.EXPERIENCE,
        _graded("Seasoned Helper", (500, 2500, 10000), (10, 25, 50)),
        _H.MENTOR,
    )
    catalog["night-owl"] = _achievement(
        name="Night Owl",
        description="Helped fulfil twenty-five requests: the quiet heroes keep the lights on.",
        icon="owl",
        category=_C.HELPING,
        rarity=_R.LEGENDARY,
        stat=UserStat.REQUESTS_FULFILLED,
        tiers=[(25, 50, "Night Owl")],
        reward_category=_H.SILENT_HERO,
        sort_order=900,
        hidden=True,
    )
    catalog["beloved"] = _achievement(
        name="Beloved",
        description="Twenty-five people thanked you with glowing feedback.",
        icon="heart-crown",
        category=_C.COMPASSION,
        rarity=_R.LEGENDARY,
        stat=UserStat.POSITIVE_FEEDBACK,
        tiers=[(25, 50, "Beloved")],
        reward_category=_H.VOICE_OF_COMPASSION,
        sort_order=910,
        hidden=True,
    )
    catalog["winter-kindness-2026"] = _achievement(
        name="Winter Kindness",
        description="Offerings of help made during the Winter Kindness challenge.",
        icon="snowflake-heart",
        category=_C.SEASONAL,
        rarity=_R.RARE,
        stat=UserStat.OFFERINGS_MADE,
        tiers=_graded("Winter Kindness", (3, 10), (15, 40)),
        reward_category=_H.SILENT_HERO,
        sort_order=950,
        season=winter,
        scope=CriterionScope.SEASON,
    )
    return catalog


SEED_CATALOG: Final[Mapping[str, Achievement]] = MappingProxyType(seed_catalog())
"""The seed catalog (read-only); `seed_catalog()` gives a copy to change."""
