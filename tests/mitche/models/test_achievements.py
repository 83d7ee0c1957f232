"""Achievements and members' progress: tiers, seasons, hidden achievements, notifications."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitche.models.achievements import Achievement, GamificationStat, SeasonWindow
from mitche.models.user_achievements import (
    NotificationState,
    UserAchievement,
    user_achievement_id,
)
from mitche.models.users import UserStat

TESTDATA = Path(__file__).parent / "testdata"


def _examples(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"_achievement_examples_{name}", TESTDATA / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOG = _examples("achievements").VALID
PROGRESS = _examples("user_achievements").VALID


def make_achievement(**changes: Any) -> Achievement:
    return Achievement.model_validate({**CATALOG, **changes})


def make_user_achievement(**changes: Any) -> UserAchievement:
    return UserAchievement.model_validate({**PROGRESS, **changes})


def test_stat_keys_never_overlap() -> None:
    """An activity counter and a gamification value never share a key, so a criterion's stat
    names exactly one thing."""
    assert not {stat.value for stat in UserStat} & {stat.value for stat in GamificationStat}


@pytest.mark.parametrize(("value", "tier"), [(0, 0), (1, 1), (2, 1), (3, 2), (6, 2), (7, 3)])
def test_tier_reached_is_the_highest_threshold_met(value: int, tier: int) -> None:
    """A stat value reaches the highest tier whose threshold it meets, 0 below the first."""
    assert make_achievement().tier_reached(value) == tier


@given(value=st.integers(0, 10**6), more=st.integers(0, 10**6))
def test_a_tier_once_reached_stays_reached(value: int, more: int) -> None:
    """A growing stat never moves a member down a tier."""
    achievement = make_achievement()
    assert achievement.tier_reached(value + more) >= achievement.tier_reached(value)


@pytest.mark.parametrize(
    ("at", "active", "open_"),
    [
        (datetime(2026, 12, 13, 23, 59, tzinfo=UTC), True, False),
        (datetime(2026, 12, 14, 0, 0, tzinfo=UTC), True, True),
        (datetime(2026, 12, 20, 23, 59, tzinfo=UTC), True, True),
        (datetime(2026, 12, 21, 0, 0, tzinfo=UTC), True, False),
        (datetime(2026, 12, 15, tzinfo=UTC), False, False),
    ],
)
def test_seasonal_achievement_counts_only_inside_its_window(
    at: datetime, active: bool, open_: bool
) -> None:
    """Progress counts from the season's start (inclusive) to its end (exclusive), and never
    for a retired achievement."""
    assert make_achievement(active=active).is_open(at) is open_


def test_achievement_without_season_is_open_while_active() -> None:
    """A lifetime achievement counts whenever it is active."""
    lifetime = make_achievement(
        category="helping",
        season=None,
        criterion={"stat": "requestsFulfilled"},
    )
    assert lifetime.is_open(datetime(2030, 1, 1, tzinfo=UTC))


def test_hope_point_criterion_may_name_a_category() -> None:
    """Only a hope points criterion is restricted to one category."""
    achievement = make_achievement(
        criterion={"stat": "hopePoints", "category": "guardian", "scope": "season"}
    )
    assert achievement.criterion.category == "guardian"


def test_season_window_must_have_positive_length() -> None:
    """A season that ends when it starts is refused."""
    start = datetime(2026, 12, 14, tzinfo=UTC)
    with pytest.raises(ValidationError, match="endsAt"):
        SeasonWindow(name="Zero", starts_at=start, ends_at=start)


def test_user_achievement_id_joins_user_and_achievement() -> None:
    """The document id is `{userId}_{achievementId}`, and the model reports the same id."""
    assert user_achievement_id("aminaUid01", "winter-warmth-2026") == (
        "aminaUid01_winter-warmth-2026"
    )
    assert make_user_achievement().document_id == "aminaUid01_winter-warmth-2026"


def test_user_achievement_id_respects_the_id_length_limit() -> None:
    """An id that would exceed 128 characters is refused rather than silently truncated."""
    with pytest.raises(ValueError, match="longer than 128"):
        user_achievement_id("u" * 64, "a" * 64)


QUEUED = datetime(2026, 12, 17, 11, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("notification", "seen_at", "state"),
    [
        (None, None, None),
        ({"tier": 2, "queuedAt": QUEUED}, None, NotificationState.PENDING),
        ({"tier": 2, "queuedAt": QUEUED, "sentAt": QUEUED}, None, NotificationState.SENT),
        (
            {"tier": 2, "queuedAt": QUEUED, "sentAt": QUEUED},
            QUEUED - timedelta(days=1),
            NotificationState.SENT,
        ),
        ({"tier": 2, "queuedAt": QUEUED}, QUEUED, NotificationState.SEEN),
        (
            {"tier": 2, "queuedAt": QUEUED, "sentAt": QUEUED},
            QUEUED + timedelta(minutes=5),
            NotificationState.SEEN,
        ),
    ],
)
def test_notification_state_is_derived_from_times(
    notification: dict[str, Any] | None, seen_at: datetime | None, state: NotificationState | None
) -> None:
    """Pending until sent, sent until the member acknowledges it after it was queued, then seen;
    an acknowledgement of an older notification does not count for a newer one."""
    progress = make_user_achievement(notification=notification, seenAt=seen_at)
    assert progress.notification_state is state


def test_completed_achievement_has_no_next_threshold() -> None:
    """Once the last tier is earned the document records when, and nothing is left to reach."""
    earned = PROGRESS["tiersEarned"]
    last = {**earned[1], "tier": 3, "title": "Winter Sun", "earnedAt": QUEUED}
    completed = make_user_achievement(
        tiersEarned=[*earned, last],
        progress={"value": 7, "tier": 3, "updatedAt": QUEUED},
        completedAt=QUEUED,
    )
    assert completed.completed_at == QUEUED


def test_hidden_achievement_document_exists_once_earned() -> None:
    """A hidden achievement's progress document is valid as soon as a tier is earned."""
    assert make_user_achievement(hidden=True).hidden
