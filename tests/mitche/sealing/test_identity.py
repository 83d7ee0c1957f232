"""The identity callables: what a member gives is stored sealed (no plaintext at rest) and
opened only for the member, an admin, or a counterpart whose reveal completed; every read is
in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from mitche.callables import Caller
from mitche.errors import InvalidArgumentError, NotFoundError, PermissionDeniedError
from mitche.handlers import Deps
from mitche.handlers._identity import READ_IDENTITY, SET_IDENTITY, identity_path
from mitche.models import AUDIT_ENTRIES
from mitche.services import SettingsStore

PROJECT = "demo-mitche-identity"
AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
EVE = {
    "legalName": "Eve Moreau",
    "phone": "+33612345678",
    "homeLatitude": 45.7578,
    "homeLongitude": 4.832,
    "homeAddress": "12 rue de la République",
}


class NoAccounts:
    def set_claims(self, uid: str, claims: Any) -> bool:
        raise AssertionError("identity calls never change claims")

    def revoke_sessions(self, uid: str) -> bool:
        raise AssertionError("identity calls never revoke sessions")


def member(uid: str, **claims: Any) -> Caller:
    return Caller(uid, {"email_verified": True, **claims})


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreServer]:
    with FirestoreServer(port=0) as running:
        yield running


@pytest.fixture
def deps(
    server: FirestoreServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Deps]:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    monkeypatch.setenv("MITCHE_PII_KEK", f"local-keyring://{tmp_path / 'ring.json'}")
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    for collection in client.collections():
        client.recursive_delete(collection)
    yield Deps(
        settings=SettingsStore(),
        accounts=NoAccounts(),  # type: ignore[arg-type]
        client_factory=lambda: client,
        now=lambda: AT,
    )
    client.close()


def test_the_stored_identity_holds_no_plaintext(deps: Deps) -> None:
    SET_IDENTITY.call(deps, member("eve"), EVE)
    stored = deps.client.document(identity_path("eve")).get().to_dict() or {}
    assert set(stored) == {"legalName", "phone", "home", "updatedAt"}
    text = repr(stored)
    for secret in ("Eve", "Moreau", "612345678", "45.7578", "République"):
        assert secret not in text
    assert all(
        str(stored[name]).startswith("sealed:v1:") for name in ("legalName", "phone", "home")
    )


def test_the_member_reads_it_back_in_the_clear(deps: Deps) -> None:
    SET_IDENTITY.call(deps, member("eve"), EVE)
    read = READ_IDENTITY.call(deps, member("eve"), {"uid": "eve"})
    assert {k: read[k] for k in EVE} == EVE
    assert len(read["homeGeohash"]) == 9


@pytest.mark.parametrize(
    ("reader", "claims", "granted", "allowed"),
    [
        ("fay", {}, False, False),
        ("fay", {}, True, True),
        ("mona", {"role": "moderator"}, False, False),
        ("ada", {"role": "admin"}, False, True),
        ("fay", {"accountStatus": "suspended"}, True, False),
    ],
    ids=["stranger", "revealed counterpart", "moderator", "admin", "suspended counterpart"],
)
def test_who_reads_another_members_identity(
    deps: Deps, reader: str, claims: dict[str, str], granted: bool, allowed: bool
) -> None:
    SET_IDENTITY.call(deps, member("eve"), EVE)
    if granted:
        deps.client.document(f"users/eve/revealGrants/{reader}").set(
            {"counterpartId": reader, "context": "conversations/c1", "completedAt": AT}
        )
    call = lambda: READ_IDENTITY.call(deps, member(reader, **claims), {"uid": "eve"})  # noqa: E731
    if allowed:
        assert call()["legalName"] == "Eve Moreau"
    else:
        with pytest.raises(PermissionDeniedError):
            call()


def test_every_read_is_audited_without_the_identity(deps: Deps) -> None:
    SET_IDENTITY.call(deps, member("eve"), EVE)
    READ_IDENTITY.call(deps, member("ada", role="admin"), {"uid": "eve"})
    with pytest.raises(PermissionDeniedError):
        READ_IDENTITY.call(deps, member("fay"), {"uid": "eve"})
    entries = [s.to_dict() or {} for s in deps.client.collection(AUDIT_ENTRIES).stream()]
    reads = [e for e in entries if e.get("action") == "read_identity"]
    assert sorted(e["outcome"] for e in reads) == ["refused", "succeeded"]
    assert all(e["target"].path == identity_path("eve") for e in reads)
    assert "Moreau" not in repr(reads)


@pytest.mark.parametrize(
    "bad",
    [
        {"phone": "06 12 34 56 78"},
        {"email": "eve@"},
        {"homeLatitude": 45.75},
        {"homeAddress": "somewhere"},
        {"legalName": ""},
        {"nickname": "Evie"},
    ],
)
def test_bad_input_is_refused_naming_the_problem(deps: Deps, bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid request"):
        SET_IDENTITY.call(deps, member("eve"), bad)
    assert not deps.client.document(identity_path("eve")).get().exists


def test_an_unverified_account_gives_no_identity(deps: Deps) -> None:
    with pytest.raises(PermissionDeniedError, match="verify your email"):
        SET_IDENTITY.call(deps, Caller("eve", {"email_verified": False}), EVE)


def test_no_field_deletes_it(deps: Deps) -> None:
    SET_IDENTITY.call(deps, member("eve"), EVE)
    assert SET_IDENTITY.call(deps, member("eve"), {})["deleted"] is True
    with pytest.raises(NotFoundError):
        READ_IDENTITY.call(deps, member("eve"), {"uid": "eve"})
