"""Moderators' and admins' tools (mitche.handlers._admin) through the registry's wrapper,
against the local Firestore server."""

from __future__ import annotations

from typing import Any

import pytest

from mitche.callables import Caller, registry
from mitche.errors import FailedPreconditionError, InvalidArgumentError, PermissionDeniedError
from mitche.handlers import default_deps
from mitche.models import AUDIT_ENTRIES, HopeLedgerEntry, PublicSettings, ServiceStatus
from mitche.services import from_document
from tests.mitche.handlers.factories import make_user
from tests.mitche.triggers.conftest import Store

ADMIN = Caller("adminlina", {"role": "admin", "accountStatus": "active"})
MODERATOR = Caller("modkenji", {"role": "moderator", "accountStatus": "active"})
MEMBER = Caller("amina", {"role": "user", "accountStatus": "active"})


def call(name: str, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return registry()[name].call(default_deps(), caller, data)


def adjustment(amount: int, key: str = "adjust-0001", **changes: Any) -> dict[str, Any]:
    return {
        "uid": "jonas",
        "amount": amount,
        "category": "silentHero",
        "reason": "Helped at the food drive, confirmed by the organiser",
        "key": key,
        **changes,
    }


def ledger(store: Store) -> list[HopeLedgerEntry]:
    return [
        from_document(HopeLedgerEntry, doc.to_dict() or {})
        for doc in store.client.collection("users/jonas/hopeLedger").stream()
    ]


def test_a_moderator_credits_points_through_the_ledger(store: Store) -> None:
    """The credit is a ledger entry with the reason, and the totals move with it."""
    store.put("users/jonas", make_user("jonas"))
    answer = call("adjust_hope_points", MODERATOR, adjustment(120))
    assert (answer["total"], answer["repeated"]) == (120, False)
    [entry] = ledger(store)
    assert (entry.amount, entry.action.value, entry.reason) == (
        120,
        "adjustment",
        "Helped at the food drive, confirmed by the organiser",
    )
    user = store.get("users/jonas")
    assert user is not None
    assert user["gamification"]["hopePoints"]["total"] == 120
    assert user["gamification"]["hopePoints"]["silentHero"] == 120
    assert user["gamification"]["experience"] == 120


def test_the_same_adjustment_called_twice_credits_once(store: Store) -> None:
    """A retried call (same key) finds its entry and changes nothing."""
    store.put("users/jonas", make_user("jonas"))
    call("adjust_hope_points", MODERATOR, adjustment(50))
    again = call("adjust_hope_points", MODERATOR, adjustment(50))
    assert (again["total"], again["repeated"]) == (50, True)
    assert len(ledger(store)) == 1


def test_a_debit_never_takes_a_category_below_zero(store: Store) -> None:
    """Taking back more than the member holds is refused, and nothing is written."""
    store.put("users/jonas", make_user("jonas"))
    call("adjust_hope_points", MODERATOR, adjustment(30))
    with pytest.raises(FailedPreconditionError, match="below zero"):
        call("adjust_hope_points", MODERATOR, adjustment(-31, key="adjust-0002"))
    debit = call("adjust_hope_points", MODERATOR, adjustment(-30, key="adjust-0003"))
    assert debit["total"] == 0
    assert sorted(entry.amount for entry in ledger(store)) == [-30, 30]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"amount": 0}, "changes nothing"),
        ({"reason": "x"}, "reason"),
        ({"category": "fame"}, "category"),
        ({"key": "k"}, "key"),
    ],
)
def test_an_adjustment_without_its_facts_is_refused(
    store: Store, changes: dict[str, Any], problem: str
) -> None:
    """No amount, no reason, an unknown category or a missing key: invalid-argument."""
    store.put("users/jonas", make_user("jonas"))
    with pytest.raises(InvalidArgumentError, match=problem):
        call("adjust_hope_points", MODERATOR, {**adjustment(10), **changes})
    assert ledger(store) == []


def test_a_member_cannot_adjust_points_and_the_attempt_is_audited(store: Store) -> None:
    """A member calling it is refused; the audit log keeps the attempt."""
    store.put("users/jonas", make_user("jonas"))
    with pytest.raises(PermissionDeniedError):
        call("adjust_hope_points", MEMBER, adjustment(1_000, uid="amina"))
    entries = [doc.to_dict() or {} for doc in store.client.collection(AUDIT_ENTRIES).stream()]
    assert [(e["actor"], e["outcome"]) for e in entries] == [("amina", "refused")]


def test_an_admin_switches_a_feature_off_and_the_others_stay(store: Store) -> None:
    """Only the named flag changes; the public settings say who changed them."""
    answer = call("set_feature_flags", ADMIN, {"flags": {"events": False}, "reason": "Venue audit"})
    assert answer["featureFlags"]["events"] is False
    stored = from_document(PublicSettings, store.get("systemSettings/public") or {})
    assert stored.feature_flags.events is False
    assert stored.feature_flags.chat is True
    assert stored.updated_by == "adminlina"


def test_an_unknown_flag_is_refused_by_name(store: Store) -> None:
    """A typo in a flag name is an error naming it, not a silent no-op."""
    with pytest.raises(InvalidArgumentError, match="evnts"):
        call("set_feature_flags", ADMIN, {"flags": {"evnts": False}, "reason": "Typo test"})


def test_a_moderator_cannot_switch_features(store: Store) -> None:
    """Feature flags are for admins."""
    with pytest.raises(PermissionDeniedError):
        call("set_feature_flags", MODERATOR, {"flags": {"chat": False}, "reason": "Not mine"})


def test_an_admin_changes_one_rate_limit_and_keeps_the_others(store: Store) -> None:
    """The named interval lands in config.rateLimits; the others keep their value; unknown
    names, out-of-range values and moderators are refused."""
    answer = call("set_rate_limits", ADMIN, {"limits": {"requestSeconds": 0}, "reason": "Open day"})
    assert answer["rateLimits"]["requestSeconds"] == 0
    stored = from_document(PublicSettings, store.get("systemSettings/public") or {})
    assert stored.config.rate_limits.request_seconds == 0
    assert stored.config.rate_limits.offering_seconds == 10
    with pytest.raises(InvalidArgumentError, match="requestSecnds"):
        call("set_rate_limits", ADMIN, {"limits": {"requestSecnds": 1}, "reason": "Typo test"})
    with pytest.raises(InvalidArgumentError, match="limits"):
        call("set_rate_limits", ADMIN, {"limits": {"heartSeconds": -1}, "reason": "Negative"})
    with pytest.raises(PermissionDeniedError):
        call("set_rate_limits", MODERATOR, {"limits": {"usageSeconds": 0}, "reason": "Not mine"})


def test_an_admin_puts_the_platform_in_read_only_and_back(store: Store) -> None:
    """The status and its message land in the public settings the rules read."""
    call(
        "set_service_status",
        ADMIN,
        {"status": "readOnly", "message": "Back at noon", "reason": "Migration 0004"},
    )
    stored = from_document(PublicSettings, store.get("systemSettings/public") or {})
    assert stored.config.service_status is ServiceStatus.READ_ONLY
    assert stored.config.status_message == "Back at noon"
    call("set_service_status", ADMIN, {"status": "operational", "reason": "Migration done"})
    stored = from_document(PublicSettings, store.get("systemSettings/public") or {})
    assert stored.config.service_status is ServiceStatus.OPERATIONAL


def test_an_admin_loads_part_of_the_seed_catalog(store: Store) -> None:
    """Named seed entries are created; a second load changes nothing; unknown ids are named."""
    first = call(
        "load_achievement_catalog",
        ADMIN,
        {"achievementIds": ["first-offer"], "reason": "Fresh project"},
    )
    assert first["created"] == ["first-offer"]
    again = call(
        "load_achievement_catalog", ADMIN, {"achievementIds": ["first-offer"], "reason": "Again"}
    )
    assert again["unchanged"] == ["first-offer"]
    with pytest.raises(InvalidArgumentError, match="no-such"):
        call("load_achievement_catalog", ADMIN, {"achievementIds": ["no-such"], "reason": "Typo"})
