"""A member who withdrew analytics consent is not counted joining or being active; their
standing changes still count (moderation statistics are not analytics of the member)."""

from __future__ import annotations

import datetime as dt

import pytest

from mitche.domain.analytics import counter_deltas
from mitche.models import AccountStatus, Security, User
from tests.mitche.handlers.factories import make_user

DAY = dt.date(2026, 11, 24)


def member(*, counted: bool, active_on: dt.date | None = None, **changes: object) -> User:
    user = make_user("ana", privacy={"analyticsOptIn": counted}, **changes)
    if active_on is None:
        return user
    streak = user.gamification.streak.model_copy(update={"last_active_day": active_on})
    gamification = user.gamification.model_copy(update={"streak": streak})
    return user.model_copy(update={"gamification": gamification})


@pytest.mark.parametrize(("counted", "expected"), [(True, 1), (False, 0)])
def test_joining_is_counted_only_with_consent(counted: bool, expected: int) -> None:
    """A new member counts in `users.newUsers` only while analytics consent stands."""
    deltas = counter_deltas(None, member(counted=counted))
    assert deltas.increments.get(("users", "newUsers"), 0) == expected


@pytest.mark.parametrize(("counted", "expected"), [(True, 1), (False, 0)])
def test_activity_is_counted_only_with_consent(counted: bool, expected: int) -> None:
    """A member active on a new day counts in `users.activeUsers` (and its area) only with
    consent."""
    before = member(counted=counted)
    after = member(counted=counted, active_on=DAY)
    deltas = counter_deltas(before, after)
    assert deltas.increments.get(("users", "activeUsers"), 0) == expected
    cells = [key for key in deltas.increments if key[0] == "geography"]
    assert len(cells) == expected


def test_a_suspension_still_counts_without_consent() -> None:
    """Standing changes are counted whatever the consent."""
    before = member(counted=False)
    suspended = Security(
        account_status=AccountStatus.SUSPENDED,
        suspended_until=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        strikes=1,
        last_strike_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
    )
    after = before.model_copy(update={"security": suspended})
    deltas = counter_deltas(before, after)
    assert deltas.increments.get(("users", "suspendedUsers"), 0) == 1
