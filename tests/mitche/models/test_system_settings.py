"""systemSettings: fixed documents with code defaults, the award table, caps and the level curve."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitche.models._base import MitcheModel
from mitche.models.gamification_settings import (
    COMPUTED_ACTIONS,
    DEFAULT_AWARDS,
    DEFAULT_DAILY_CAPS,
    AwardRule,
    GamificationSettings,
    LevelCurve,
)
from mitche.models.reports import ReportReason, ReportSeverity
from mitche.models.system_settings import (
    SETTINGS_MODELS,
    SPEC,
    AnalyticsSettings,
    ModerationSettings,
    PublicSettings,
    SettingsDocument,
)
from mitche.models.users import MAX_LEVEL, HopeAction, HopeCategory


def test_every_settings_document_has_a_model_and_a_path() -> None:
    """Each fixed document id has its own model, and the SPEC declares every one of them."""
    declared = {SPEC.model} | {sub.model for sub in SPEC.subcollections if sub.path.count("/") == 1}
    assert set(SETTINGS_MODELS) == set(SettingsDocument)
    assert declared == set(SETTINGS_MODELS.values())
    assert SPEC.model is SETTINGS_MODELS[SettingsDocument.PUBLIC]
    fixed = {sub.path for sub in SPEC.subcollections if sub.path.count("/") == 1}
    assert fixed == {
        f"systemSettings/{document}"
        for document in SettingsDocument
        if document is not SettingsDocument.PUBLIC
    }


@pytest.mark.parametrize("document", list(SettingsDocument))
def test_code_defaults_are_a_valid_document(document: SettingsDocument) -> None:
    """A settings model built with no arguments is a valid document that round-trips, so
    functions can use it when the document is absent."""
    model: type[MitcheModel] = SETTINGS_MODELS[document]
    default = model()
    assert model.model_validate(default.to_firestore()) == default


def test_default_award_table_prices_every_tabled_action() -> None:
    """Every action except the computed ones has a default price, so no act of help is free by
    omission."""
    assert set(DEFAULT_AWARDS) == set(HopeAction) - COMPUTED_ACTIONS


def test_default_caps_cover_every_category_and_weekly_exceeds_daily() -> None:
    """Every category has a default daily and weekly cap, the weekly one the larger."""
    settings = GamificationSettings()
    for category in HopeCategory:
        assert 0 < settings.daily_cap(category) < settings.weekly_cap(category)


def test_defaults_are_not_shared_between_instances() -> None:
    """Changing one settings object's table never changes the code defaults."""
    first = GamificationSettings()
    first.awards[HopeAction.OFFERING_MADE].base_points = 999
    assert GamificationSettings().awards[HopeAction.OFFERING_MADE].base_points == 5
    assert DEFAULT_AWARDS[HopeAction.OFFERING_MADE].base_points == 5


def test_absent_table_entries_fall_back_to_defaults() -> None:
    """A document that prices only some actions and caps only some categories leaves the
    rest at their defaults."""
    settings = GamificationSettings.model_validate(
        {
            "awards": {"offeringMade": {"category": "mentor", "basePoints": 7}},
            "dailyCaps": {"mentor": 10},
            "weeklyCaps": {},
        }
    )
    assert settings.award_rule(HopeAction.OFFERING_MADE) == AwardRule(
        category=HopeCategory.MENTOR, base_points=7
    )
    assert (
        settings.award_rule(HopeAction.EVENT_ATTENDED) == DEFAULT_AWARDS[HopeAction.EVENT_ATTENDED]
    )
    assert settings.award_rule(HopeAction.STREAK_BONUS) is None
    assert settings.daily_cap(HopeCategory.MENTOR) == 10
    assert settings.daily_cap(HopeCategory.GUARDIAN) == DEFAULT_DAILY_CAPS[HopeCategory.GUARDIAN]


def _gamification(**changes: Any) -> dict[str, Any]:
    return {**GamificationSettings().model_dump(by_alias=True, exclude_none=True), **changes}


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (_gamification(awards={"streakBonus": {"category": "mentor", "basePoints": 1}}), "awards"),
        (_gamification(awards={"hugGiven": {"category": "mentor", "basePoints": 1}}), "hugGiven"),
        (
            _gamification(awards={"offeringMade": {"category": "hero", "basePoints": 1}}),
            "category",
        ),
        (
            _gamification(awards={"offeringMade": {"category": "mentor", "basePoints": 1001}}),
            "basePoints",
        ),
        (_gamification(dailyCaps={"mentor": 50}, weeklyCaps={"mentor": 49}), "weeklyCaps"),
        (_gamification(weeklyCaps={"guardian": 1}), "weeklyCaps"),
        (_gamification(dailyCaps={"mentor": -1}), "mentor"),
        (_gamification(levelMultipliers=[{"minLevel": 2, "multiplier": 1.0}]), "levelMultipliers"),
        (
            _gamification(
                levelMultipliers=[
                    {"minLevel": 1, "multiplier": 1.5},
                    {"minLevel": 5, "multiplier": 1.2},
                ]
            ),
            "levelMultipliers",
        ),
        (_gamification(levelMultipliers=[{"minLevel": 1, "multiplier": 0.5}]), "multiplier"),
        (
            _gamification(
                streakBonuses=[
                    {"minDays": 7, "bonusPercent": 10},
                    {"minDays": 3, "bonusPercent": 5},
                ]
            ),
            "streakBonuses",
        ),
        (_gamification(levelCurve={"growthPercent": 90}), "growthPercent"),
        (_gamification(levelCurve={"maxLevel": MAX_LEVEL + 1}), "maxLevel"),
    ],
)
def test_invalid_gamification_settings_are_refused(document: dict[str, Any], field: str) -> None:
    """An award table, cap, multiplier, streak or curve setting that breaks a rule is refused,
    naming the field."""
    with pytest.raises(ValidationError, match=field):
        GamificationSettings.model_validate(document)


@pytest.mark.parametrize(
    ("level", "multiplier"), [(1, 1.0), (4, 1.0), (5, 1.1), (19, 1.2), (20, 1.3), (100, 2.0)]
)
def test_level_multiplier_is_the_last_row_reached(level: int, multiplier: float) -> None:
    """The multiplier of a level is the one of the highest row at or below it."""
    assert GamificationSettings().multiplier_for(level) == multiplier


@pytest.mark.parametrize(("days", "percent"), [(0, 0), (2, 0), (3, 5), (29, 15), (365, 50)])
def test_streak_bonus_is_the_longest_row_reached(days: int, percent: int) -> None:
    """The streak bonus is the one of the longest streak row reached, none below the first."""
    assert GamificationSettings().streak_bonus_percent(days) == percent


@pytest.mark.parametrize(
    ("level", "experience"), [(1, 0), (2, 100), (3, 282), (10, 2_700), (100, 98_503)]
)
def test_default_level_curve_thresholds(level: int, experience: int) -> None:
    """The default curve needs 100 × (level − 1)^1.5 experience, rounded down."""
    assert LevelCurve().experience_for_level(level) == experience


_curves = st.builds(
    LevelCurve,
    base_experience=st.integers(1, 100_000),
    growth_percent=st.integers(100, 300),
    max_level=st.integers(1, MAX_LEVEL),
)


@given(curve=_curves, data=st.data())
def test_level_curve_is_strictly_increasing(curve: LevelCurve, data: st.DataObject) -> None:
    """Each level needs strictly more experience than the one before it."""
    level = data.draw(st.integers(1, max(1, curve.max_level - 1)))
    if level < curve.max_level:
        assert curve.experience_for_level(level) < curve.experience_for_level(level + 1)


@given(curve=_curves, experience=st.integers(0, 10**9), more=st.integers(0, 10**6))
def test_level_is_a_monotone_function_of_experience(
    curve: LevelCurve, experience: int, more: int
) -> None:
    """More experience never means a lower level, and the level found is the highest reached."""
    level = curve.level_for_experience(experience)
    assert curve.level_for_experience(experience + more) >= level
    assert curve.experience_for_level(level) <= experience
    if level < curve.max_level:
        assert curve.experience_for_level(level + 1) > experience


def test_level_curve_refuses_levels_outside_its_range() -> None:
    """Asking for level 0, a level beyond the maximum or negative experience is an error."""
    curve = LevelCurve()
    for level in (0, MAX_LEVEL + 1):
        with pytest.raises(ValueError, match="level must be within"):
            curve.experience_for_level(level)
    with pytest.raises(ValueError, match="never negative"):
        curve.level_for_experience(-1)


@pytest.mark.parametrize(("level", "title"), [(1, "Seedling"), (4, "Sprout"), (49, "Beacon")])
def test_level_benefit_is_the_last_row_reached(level: int, title: str) -> None:
    """The benefits of a level are those of the highest row at or below it."""
    assert PublicSettings().benefit_for(level).title == title


def test_every_report_reason_has_a_default_severity() -> None:
    """A reason the document omits still has a severity, from the code defaults."""
    settings = ModerationSettings.model_validate({"reasonSeverity": {"spam": "medium"}})
    assert settings.severity_for_reason(ReportReason.SPAM) is ReportSeverity.MEDIUM
    for reason in ReportReason:
        assert settings.severity_for_reason(reason) in ReportSeverity


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"keywords": {"urgent": ["x y"]}}, "urgent"),
        ({"keywords": {"low": ["x"]}}, "keywords"),
        ({"keywords": {"low": ["spam"] * 501}}, "low"),
        ({"reasonSeverity": {"rude": "low"}}, "rude"),
        ({"autoHideSeverity": "extreme"}, "autoHideSeverity"),
        ({"autoHideReportCount": 0}, "autoHideReportCount"),
        ({"suspension": {"strikesToSuspend": 3, "strikesToBan": 3}}, "strikesToBan"),
        ({"suspension": {"defaultDays": 0}}, "defaultDays"),
    ],
)
def test_invalid_moderation_settings_are_refused(document: dict[str, Any], field: str) -> None:
    """Unknown severities or reasons, empty keywords and incoherent thresholds are refused."""
    with pytest.raises(ValidationError, match=field):
        ModerationSettings.model_validate(document)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"shardCount": 0}, "shardCount"),
        ({"shardCount": 101}, "shardCount"),
        ({"geohashPrecision": 6}, "geohashPrecision"),
        ({"timeZone": "Europe/../Atlantis"}, "timeZone"),
    ],
)
def test_invalid_analytics_settings_are_refused(document: dict[str, Any], field: str) -> None:
    """Shard counts and cell precisions outside their range and malformed zones are refused."""
    with pytest.raises(ValidationError, match=field):
        AnalyticsSettings.model_validate(document)
