"""The callable registry and its wrapper: every callable of functions/main.py is a registry
entry, and every call is authorised, parsed and (for privileged ones) audited, against the
local Firestore server."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mitche.callables import Caller, append_audit, registry
from mitche.errors import InvalidArgumentError, PermissionDeniedError, UnauthenticatedError
from mitche.handlers import default_deps
from mitche.models import AUDIT_ENTRIES, AuditActorRole, AuditEntry, AuditOutcome, Role
from mitche.services import from_document
from tests.mitche.handlers.factories import make_user
from tests.mitche.triggers.conftest import Store

MAIN = Path(__file__).parents[3] / "functions" / "main.py"
ADMIN = Caller("adminlina", {"role": "admin", "accountStatus": "active"})
MODERATOR = Caller("modkenji", {"role": "moderator", "accountStatus": "active"})
MEMBER = Caller("amina", {"role": "user", "accountStatus": "active"})


NOT_YET_REGISTERED = frozenset(
    {"delete_account", "request_data_export", "requests_to_help", "suggested_helpers"}
)
"""Callables written before the registry, still adapted by hand in their trigger modules; a
ratchet: each name must leave this set when its module declares it in the registry."""


def on_call_functions() -> dict[str, ast.FunctionDef]:
    """Each `on_call` function of main.py by name."""
    found: dict[str, ast.FunctionDef] = {}
    for node in ast.parse(MAIN.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        targets = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
        if any(isinstance(t, ast.Attribute) and t.attr == "on_call" for t in targets):
            found[node.name] = node
    return found


def served_name(node: ast.FunctionDef) -> str | None:
    """The registry name the function's body serves (`callables.serve("name", ...)`)."""
    calls = [
        call
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "serve"
    ]
    if len(calls) != 1 or not isinstance(calls[0].args[0], ast.Constant):
        return None
    return str(calls[0].args[0].value)


def audit_entries(store: Store) -> list[AuditEntry]:
    return sorted(
        (
            from_document(AuditEntry, doc.to_dict() or {})
            for doc in store.client.collection(AUDIT_ENTRIES).stream()
        ),
        key=lambda entry: (entry.at, entry.outcome.value),
    )


def test_every_callable_of_main_serves_the_registry_entry_of_its_own_name() -> None:
    """main.py declares every registry callable, each serving the entry named like the function
    (the deployed name is the registry name); the others are the shrinking NOT_YET_REGISTERED."""
    functions = on_call_functions()
    served = {name: served_name(node) for name, node in functions.items()}
    registered = set(registry())
    assert {name for name, serves in served.items() if serves is not None} == registered
    assert all(serves == name for name, serves in served.items() if serves is not None)
    assert {name for name, serves in served.items() if serves is None} == NOT_YET_REGISTERED
    assert not NOT_YET_REGISTERED & registered


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_callable_declares_a_summary_and_at_least_one_role(name: str) -> None:
    """Each entry has what the generated reference shows, and someone may call it."""
    spec = registry()[name]
    assert spec.name == name
    assert spec.roles
    assert spec.summary.endswith(".")


def test_privileged_callables_are_audited() -> None:
    """Every callable members cannot call appends audit entries."""
    assert all(spec.audits for spec in registry().values() if spec.privileged)


def test_a_privileged_call_appends_who_did_what_to_what_and_why(store: Store) -> None:
    """An admin's successful call is logged with actor, role, action, target, reason, the
    request id, the outcome and an expiry one retention after the call."""
    store.put("users/jonas", make_user("jonas"))
    store.put("systemSettings/audit", {"retentionDays": 90})
    answer = registry()["set_member_role"].call(
        default_deps(), ADMIN, {"uid": "jonas", "role": "moderator"}, request_id="trace-1"
    )
    assert answer["role"] == "moderator"
    [entry] = audit_entries(store)
    assert (entry.actor, entry.actor_role, entry.action) == (
        "adminlina",
        AuditActorRole.ADMIN,
        "set_member_role",
    )
    assert (entry.target, entry.request_id, entry.outcome) == (
        "users/jonas",
        "trace-1",
        AuditOutcome.SUCCEEDED,
    )
    assert entry.error_code is None
    assert entry.expires_at - entry.at == dt.timedelta(days=90)


def test_a_refused_call_by_a_member_is_logged_as_refused(store: Store) -> None:
    """A member calling an admin callable is refused, and the attempt is in the log."""
    with pytest.raises(PermissionDeniedError, match="needs the role admin"):
        registry()["set_member_role"].call(
            default_deps(), MEMBER, {"uid": "jonas", "role": "admin"}
        )
    [entry] = audit_entries(store)
    assert (entry.actor, entry.actor_role, entry.outcome, entry.error_code) == (
        "amina",
        AuditActorRole.MEMBER,
        AuditOutcome.REFUSED,
        "permission-denied",
    )
    assert entry.target is None
    assert entry.request_id


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"uid": "jonas"}, "role: Field required"),
        ({"uid": "jonas", "role": "king"}, "role: Input should be"),
        ({"uid": "a/b", "role": "user"}, "uid:"),
        ("jonas", "data: Input should be a valid dictionary"),
    ],
)
def test_bad_input_is_invalid_argument_naming_the_field(
    store: Store, data: Any, problem: str
) -> None:
    """A request that does not parse is refused with each problem named, and logged."""
    with pytest.raises(InvalidArgumentError, match="invalid request") as caught:
        registry()["set_member_role"].call(default_deps(), ADMIN, data)
    assert problem in caught.value.message
    [entry] = audit_entries(store)
    assert entry.error_code == "invalid-argument"


def test_an_unauthenticated_call_is_refused_and_not_logged(store: Store) -> None:
    """Nobody signed in: unauthenticated, and nothing to attribute an entry to."""
    with pytest.raises(UnauthenticatedError):
        registry()["resolve_report"].call(
            default_deps(), Caller(None, {}), {"reportId": "r1", "action": "hide"}
        )
    assert audit_entries(store) == []


def test_a_suspended_moderator_cannot_act(store: Store) -> None:
    """The role is not enough: a suspended account is refused."""
    suspended = Caller("modkenji", {"role": "moderator", "accountStatus": "suspended"})
    with pytest.raises(PermissionDeniedError, match="suspended"):
        registry()["review_content"].call(
            default_deps(), suspended, {"path": "requests/r1", "decision": "approve"}
        )
    assert [e.actor_role for e in audit_entries(store)] == [AuditActorRole.MODERATOR]


def test_append_audit_records_a_server_action_with_the_default_retention(store: Store) -> None:
    """Other privileged actions (a migration applied) append through append_audit; without a
    retention setting the code default applies."""
    at = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    path = append_audit(
        store.client,
        actor="ops@host",
        actor_role=AuditActorRole.OPERATOR,
        action="migration.apply",
        target="systemSettings/migrations/applied/0001_private_account",
        at=at,
    )
    assert path.startswith(f"{AUDIT_ENTRIES}/")
    [entry] = audit_entries(store)
    assert entry.action == "migration.apply"
    assert entry.expires_at == at + dt.timedelta(days=400)


def test_caller_roles_come_from_the_claims() -> None:
    """A token without a role claim is a member; an unknown role claim is too."""
    assert Caller("a", {}).claimed_role is Role.USER
    assert Caller("a", {"role": "emperor"}).claimed_role is Role.USER
    assert MODERATOR.claimed_role is Role.MODERATOR


def test_the_actor_carries_the_verified_email_claim() -> None:
    """Member callables that write refuse unverified accounts as the rules do: the actor says
    whether the token's email is verified (only a true claim counts)."""
    verified = Caller("amina", {"role": "user", "email_verified": True})
    assert verified.actor(frozenset(Role)).email_verified
    assert not Caller("amina", {"email_verified": "true"}).actor(frozenset(Role)).email_verified
    assert not MEMBER.actor(frozenset(Role)).email_verified
