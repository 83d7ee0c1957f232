"""Migration 0009 (sealed identity) through the runner, against a local server holding
identities in the clear: each is sealed under a data key made for its member, what the
callables read back is what the member wrote, a second apply changes nothing, and rollback
opens them again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore
from google.cloud.firestore_v1 import GeoPoint

from mitche.models import MigrationDirection, SealedIdentity
from mitche.sealing import MemberKeys, kek_from_uri
from mitche.services import from_document
from tests.mitche_dev.migrate.conftest import T0, run_named

MIGRATION = "0009_sealed_identity"

PLAIN: dict[str, dict[str, Any]] = {
    "users/eve/private/identity": {
        "legalName": "Eve Moreau",
        "phone": "+33612345678",
        "home": {"point": GeoPoint(45.75, 4.85), "geohash": "u05kq6d4c", "address": "3 rue X"},
        "updatedAt": T0,
    },
    "users/gus/private/identity": {"email": "gus@example.org", "updatedAt": T0},
}


@pytest.fixture(autouse=True)
def keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    uri = f"local-keyring://{tmp_path / 'ring.json'}"
    monkeypatch.setenv("MITCHE_PII_KEK", uri)
    return uri


def _run(db: firestore.Client, direction: MigrationDirection) -> Any:
    return run_named(db, MIGRATION, direction, page_size=1)


def test_identities_in_the_clear_are_sealed_and_read_back_the_same(
    db: firestore.Client, keyring: str
) -> None:
    for path, data in PLAIN.items():
        db.document(path).set(data)
    report = _run(db, MigrationDirection.UP)
    assert (report.visited, report.changed) == (2, 2)
    keys = MemberKeys(db, kek_from_uri(keyring))
    eve = db.document("users/eve/private/identity").get().to_dict() or {}
    assert "Moreau" not in repr(eve)
    from_document(SealedIdentity, eve)
    opened = keys.open_fields(
        "eve", "users/eve/private/identity", {n: eve.get(n) for n in ("legalName", "phone", "home")}
    )
    assert opened == {
        "legalName": "Eve Moreau",
        "phone": "+33612345678",
        "home": {
            "latitude": 45.75,
            "longitude": 4.85,
            "geohash": "u05kq6d4c",
            "address": "3 rue X",
        },
    }
    assert db.document("users/gus/private/dataKey").get().exists
    assert _run(db, MigrationDirection.UP).changed == 0


def test_rollback_opens_them_again(db: firestore.Client) -> None:
    for path, data in PLAIN.items():
        db.document(path).set(data)
    _run(db, MigrationDirection.UP)
    _run(db, MigrationDirection.DOWN)
    for path, data in PLAIN.items():
        assert db.document(path).get().to_dict() == data
