"""The member trigger: leaderboards, claims and roster follow the user document; daily
analytics count it; the schedules roll the counters up and lift ended suspensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitche.domain.leaderboards import entry_id
from mitche.handlers import default_deps, lift_suspensions, roll_up_day
from mitche.models import AnalyticsDay, HopePoints
from mitche.services import from_document
from tests.mitche.handlers.factories import T0, make_offering, make_request, make_user
from tests.mitche.triggers.conftest import RecordingAccounts, Store


def entry_path(store: Store, board: str, uid: str) -> str:
    key = default_deps().settings.leaderboard_key(store.client)
    return f"systemSettings/leaderboards/boards/{board}/entries/{entry_id(uid, key)}"


def with_points(total: int, **changes: Any) -> Any:
    return make_user(
        "amina",
        gamification={
            "hopePoints": HopePoints(total=total, silent_hero=total).model_dump(by_alias=True),
            "experience": total,
            "weeklyPoints": total,
            "week": "2026-W48",
        },
        **changes,
    )


def deliver_user_change(store: Store, before: Any, after: Any, event_id: str = "u1") -> None:
    old = store.put("users/amina", before) if before is not None else None
    new = store.put("users/amina", after)
    store.deliver("user_written", store.event("users/amina", old, new, event_id=event_id, at=T0))


def test_points_put_an_opted_in_member_on_both_boards_by_alias(store: Store) -> None:
    """A member who opted in and gains points appears on the all-time and weekly boards, by
    alias and level only, under a keyed id that is not their uid."""
    deliver_user_change(store, make_user("amina"), with_points(40))
    all_time = store.get(entry_path(store, "allTime", "amina"))
    weekly = store.get(entry_path(store, "weekly-2026-W48", "amina"))
    assert all_time is not None
    assert weekly is not None
    assert all_time["alias"] == "Quiet Amina 42"
    assert all_time["points"] == 40
    assert set(all_time) == {"alias", "points", "level", "updatedAt"}
    assert weekly["week"] == "2026-W48"
    assert "expiresAt" in weekly
    assert "amina" not in entry_path(store, "allTime", "amina").rsplit("/", 1)[1]


def test_opting_out_removes_the_member_from_the_boards(store: Store) -> None:
    """Turning leaderboardOptIn off deletes the member's entries."""
    deliver_user_change(store, make_user("amina"), with_points(40), event_id="u1")
    deliver_user_change(
        store, with_points(40), with_points(40, privacy={"leaderboardOptIn": False}), event_id="u2"
    )
    assert store.get(entry_path(store, "allTime", "amina")) is None
    assert store.get(entry_path(store, "weekly-2026-W48", "amina")) is None


def test_a_late_event_leaves_the_board_at_the_latest_state(store: Store) -> None:
    """An older change delivered after a newer one writes the member's current points, not the
    stale ones the old event carried."""
    old = store.put("users/amina", make_user("amina"))
    mid = store.put("users/amina", with_points(10))
    store.put("users/amina", with_points(25))
    newest = store.proto("users/amina")
    store.deliver("user_written", store.event("users/amina", mid, newest, event_id="b", at=T0))
    store.deliver("user_written", store.event("users/amina", old, mid, event_id="a", at=T0))
    entry = store.get(entry_path(store, "allTime", "amina"))
    assert entry is not None
    assert entry["points"] == 25


def test_a_change_that_does_not_touch_the_boards_writes_nothing(store: Store) -> None:
    """Editing the bio changes no entry, so no entry is written."""
    deliver_user_change(store, make_user("amina"), make_user("amina", profile={"bio": "Hi"}))
    assert store.ids("systemSettings/leaderboards/boards/allTime/entries") == []


def test_a_suspension_sets_claims_and_revokes_sessions(
    store: Store, accounts: RecordingAccounts
) -> None:
    """When moderation suspends a member, the trigger sets accountStatus and suspendedUntil
    claims and revokes their sessions."""
    until = T0 + dt.timedelta(days=7)
    suspended = make_user(
        "amina",
        security={
            "accountStatus": "suspended",
            "suspendedUntil": until,
            "strikes": 1,
            "lastStrikeAt": T0,
        },
    )
    deliver_user_change(store, make_user("amina"), suspended)
    assert accounts.claims["amina"] == {
        "role": "user",
        "accountStatus": "suspended",
        "verifiedProvider": False,
        "suspendedUntil": int(until.timestamp()),
    }
    assert accounts.revoked == ["amina"]


def test_a_new_member_needs_no_claims(store: Store, accounts: RecordingAccounts) -> None:
    """A new member with the default role and status costs no Authentication call."""
    deliver_user_change(store, None, make_user("amina"))
    assert accounts.claims == {}


def test_new_members_are_counted_in_the_days_analytics(store: Store) -> None:
    """A new member increments users.newUsers in one of the day's shards, once."""
    deliver_user_change(store, None, make_user("amina"), event_id="new")
    deliver_user_change(store, None, make_user("amina"), event_id="new")
    document = roll_up_day(default_deps(), "2026-11-24")
    assert document.users.new_users == 1


def test_the_roll_up_sums_every_shard_of_the_day(store: Store) -> None:
    """Requests and offerings counted by their triggers add up in `analytics/{day}`, with
    their breakdowns, and re-running the roll-up gives the same document."""
    store.put("users/samira", make_user("samira"))
    store.put("users/amina", make_user("amina"))
    for index in range(5):
        path, request = make_request(request_id=f"r{index}", urgency="high")
        store.deliver(
            "request_written",
            store.event(path, None, store.put(path, request), event_id=f"r{index}", at=T0),
        )
    path, offering = make_offering()
    store.deliver(
        "offering_written", store.event(path, None, store.put(path, offering), event_id="o", at=T0)
    )
    deps = default_deps()
    first = roll_up_day(deps, "2026-11-24")
    again = roll_up_day(deps, "2026-11-24")
    stored = store.get("analytics/2026-11-24")
    assert stored is not None
    day = from_document(AnalyticsDay, stored)
    assert day.requests.created == 5
    assert day.requests.by_urgency == {"high": 5}
    assert day.offerings.by_type == {"help": 1}
    assert day.hope_points.awarded == 0
    assert first.model_copy(update={"computed_at": again.computed_at}) == again


def _suspended(until: dt.datetime) -> dict[str, object]:
    return {
        "accountStatus": "suspended",
        "suspendedUntil": until,
        "strikes": 1,
        "lastStrikeAt": T0 - dt.timedelta(days=8),
    }


@pytest.mark.parametrize("shape", ["private account", "legacy user document"])
def test_ended_suspensions_are_lifted(store: Store, shape: str) -> None:
    """A suspension whose end has passed goes back to warned, in the private account (a map
    still on the user document, before migration 0001, moves there); a running one stays."""
    deps = default_deps()
    ended = T0 - dt.timedelta(hours=1)
    running = T0 + dt.timedelta(days=2)
    for uid, until in (("amina", ended), ("jonas", running)):
        if shape == "private account":
            store.put(f"users/{uid}", make_user(uid))
            store.put(f"users/{uid}/private/account", {"security": _suspended(until)})
        else:
            store.put(f"users/{uid}", make_user(uid, security=_suspended(until)))
    saved = deps.now
    deps.now = lambda: T0
    try:
        outcome = lift_suspensions(deps)
    finally:
        deps.now = saved
    assert outcome.lifted == ("amina",)
    amina = store.get("users/amina/private/account")
    assert amina is not None
    assert amina["security"]["accountStatus"] == "warned"
    assert "suspendedUntil" not in amina["security"]
    assert "security" not in (store.get("users/amina") or {})
    jonas = store.get("users/jonas/private/account") or store.get("users/jonas")
    assert jonas is not None
    assert jonas["security"]["accountStatus"] == "suspended"
