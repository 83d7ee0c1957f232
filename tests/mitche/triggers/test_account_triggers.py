"""`account_written`: the private account (`users/{uid}/private/account`) drives claims, the
moderator roster and leaderboard eligibility, and the move of migration 0001 changes none of
what the member had."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitche.handlers import default_deps, roll_up_day
from mitche.models import SettingsDocument
from mitche.services import settings_path
from tests.mitche.handlers.factories import T0, make_user
from tests.mitche.triggers.conftest import RecordingAccounts, Store

ACCOUNT = "users/amina/private/account"
SUSPENDED: dict[str, Any] = {
    "accountStatus": "suspended",
    "suspendedUntil": T0 + dt.timedelta(days=7),
    "strikes": 1,
    "lastStrikeAt": T0,
}


def deliver(store: Store, function: str, path: str, before: Any, after: Any) -> None:
    old = store.put(path, before) if before is not None else None
    new = store.put(path, after) if after is not None else None
    store.deliver(function, store.event(path, old, new, event_id=f"{function}-1", at=T0))


def test_a_suspension_in_the_account_sets_claims_and_revokes_sessions(
    store: Store, accounts: RecordingAccounts
) -> None:
    """Suspending a member in their private account sets the claims the rules read and ends
    their sessions."""
    store.put("users/amina", make_user("amina"))
    deliver(store, "account_written", ACCOUNT, {"security": {}}, {"security": SUSPENDED})
    assert accounts.claims["amina"]["accountStatus"] == "suspended"
    assert accounts.revoked == ["amina"]


def test_moving_a_timestamp_costs_nothing(store: Store, accounts: RecordingAccounts) -> None:
    """The member's own batches move rate-limit timestamps: no claim, no roster, no read."""
    before = {"security": SUSPENDED, "lastRequestAt": T0 - dt.timedelta(hours=1)}
    deliver(store, "account_written", ACCOUNT, before, {**before, "lastRequestAt": T0})
    deliver(store, "account_written", ACCOUNT, None, {"lastMessageAt": T0})
    assert accounts.claims == {}
    assert accounts.revoked == []


def test_the_migrations_move_keeps_claims_and_roster(
    store: Store, accounts: RecordingAccounts
) -> None:
    """Migration 0001 takes a moderator's map off the user document and creates their account
    with it: the user trigger demotes nobody, the account trigger sets the same claims and
    revokes nothing, and the roster keeps the moderator."""
    moderator = {"role": "moderator"}
    roster = settings_path(SettingsDocument.MODERATORS)
    store.put(roster, {"moderatorIds": ["amina"], "nextAssignment": 0})
    old = store.put("users/amina", make_user("amina", security=moderator))
    new = store.put("users/amina", make_user("amina"))
    store.deliver("user_written", store.event("users/amina", old, new, event_id="m1", at=T0))
    assert accounts.claims == {}
    deliver(store, "account_written", ACCOUNT, None, {"security": moderator})
    assert accounts.claims["amina"]["role"] == "moderator"
    assert accounts.revoked == []
    assert (store.get(roster) or {})["moderatorIds"] == ["amina"]


def test_a_suspended_member_leaves_the_boards(store: Store) -> None:
    """A member on the boards who is suspended in their account is taken off them; their
    points stay on their user document."""
    member = make_user("amina", gamification={"hopePoints": {"total": 40, "guardian": 40}})
    old = store.put("users/amina", make_user("amina"))
    new = store.put("users/amina", member)
    store.deliver("user_written", store.event("users/amina", old, new, event_id="p1", at=T0))
    boards = "systemSettings/leaderboards/boards/allTime/entries"
    assert len(store.ids(boards)) == 1
    deliver(store, "account_written", ACCOUNT, {"security": {}}, {"security": SUSPENDED})
    assert store.ids(boards) == []


def test_a_suspension_in_the_account_counts_in_the_days_analytics(store: Store) -> None:
    """Suspending a member in their account increments users.suspendedUsers once, however
    often the event is delivered; moving a timestamp counts nothing."""
    store.put("users/amina", make_user("amina"))
    old = store.put(ACCOUNT, {"security": {}})
    new = store.put(ACCOUNT, {"security": SUSPENDED})
    for _ in range(2):
        store.deliver("account_written", store.event(ACCOUNT, old, new, event_id="s1", at=T0))
    stamped = store.put(ACCOUNT, {"security": SUSPENDED, "lastMessageAt": T0})
    store.deliver("account_written", store.event(ACCOUNT, new, stamped, event_id="s2", at=T0))
    day = roll_up_day(default_deps(), "2026-11-24")
    assert day.users.suspended_users == 1
