"""`python -m mitche.commands rewrap-keys`: after the key-encryption key is rotated, every
member's data key moves to the new version once, the sealed data still opens, a dry run lists
who would move and writes nothing, and members with nothing sealed are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from mitche.sealing import LocalKeyring, MemberKeys, data_key_path
from tests.mitche.handlers.factories import make_user
from tests.mitche.triggers.conftest import Store

from .test_conventions import run

IDENTITY = "users/{uid}/private/identity"


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalKeyring:
    """The deployment's key-encryption key, as the command finds it (MITCHE_PII_KEK)."""
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("MITCHE_PII_KEK", f"local-keyring://{path}")
    return LocalKeyring(path)


def _version(store: Store, uid: str) -> str:
    return str(store.client.document(data_key_path(uid)).get().get("kekVersion"))


def test_rotation_then_rewrap_moves_every_key_once(
    store: Store, ring: LocalKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = MemberKeys(store.client, ring)
    sealed = {}
    for uid in ("amina", "jonas", "zoe"):
        store.put(f"users/{uid}", make_user(uid))
    for uid in ("amina", "jonas"):
        sealed[uid] = keys.seal_fields(uid, IDENTITY.format(uid=uid), {"legalName": uid.title()})
    ring.rotate()

    planned = run(capsys, "--dry-run", "rewrap-keys")
    assert (planned["dryRun"], planned["rewrapped"]) == (True, ["amina", "jonas"])
    assert {_version(store, uid) for uid in ("amina", "jonas")} == {"local-1"}

    done = run(capsys, "rewrap-keys")
    assert (done["visited"], done["rewrapped"], done["current"]) == (3, ["amina", "jonas"], 1)
    assert {_version(store, uid) for uid in ("amina", "jonas")} == {"local-2"}
    assert not store.client.document(data_key_path("zoe")).get().exists
    for uid, values in sealed.items():
        opened = keys.open_fields(uid, IDENTITY.format(uid=uid), values)
        assert opened == {"legalName": uid.title()}

    again = run(capsys, "rewrap-keys", "--after", "amina")
    assert (again["visited"], again["rewrapped"]) == (2, [])
