"""Level privileges as plain data: the row each level gets, the first row's default, and the
open-request limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mitche.domain.privileges import (
    default_privileges,
    limit_message,
    over_limit,
    privileges_for,
)
from mitche.models import MAX_LEVEL, LevelBenefit, PublicSettings

SETTINGS = PublicSettings()


def test_each_level_gets_the_row_it_reached() -> None:
    """Seedling (1-2) organises nothing and keeps three open; Sprout (3) organises; Mentor
    (20) may offer mentorship."""
    assert (
        privileges_for(2, SETTINGS).max_open_requests,
        privileges_for(2, SETTINGS).can_organize_events,
    ) == (3, False)
    assert privileges_for(3, SETTINGS).can_organize_events
    assert not privileges_for(19, SETTINGS).mentorship_eligible
    assert privileges_for(20, SETTINGS).mentorship_eligible
    assert privileges_for(20, SETTINGS).level == 20


def test_a_member_without_a_map_has_the_first_rows_privileges() -> None:
    """The default follows the project's own first row, as the rules read it."""
    assert default_privileges(SETTINGS) == privileges_for(1, SETTINGS)
    custom = PublicSettings(
        level_benefits=[LevelBenefit(min_level=1, title="New", max_open_requests=1)]
    )
    assert default_privileges(custom).max_open_requests == 1


@given(st.integers(min_value=1, max_value=MAX_LEVEL - 1))
def test_a_higher_level_never_loses_a_privilege(level: int) -> None:
    """Along the default table, privileges only grow with the level."""
    lower, higher = privileges_for(level, SETTINGS), privileges_for(level + 1, SETTINGS)
    assert higher.max_open_requests >= lower.max_open_requests
    assert higher.can_organize_events >= lower.can_organize_events
    assert higher.mentorship_eligible >= lower.mentorship_eligible


def test_the_limit_is_reached_at_max_open_requests() -> None:
    """Three open before a new one at level 1 is past the limit; two is not; the message
    says what to do."""
    seedling = privileges_for(1, SETTINGS)
    assert not over_limit(2, seedling)
    assert over_limit(3, seedling)
    assert "Close or complete one" in limit_message(3, seedling, "Seedling")
