"""Migration 0013 (alias claims) through the runner, against a local server holding members
who joined before aliases were claimed: the first member by `createdAt` keeps a contested
alias whatever the order of their ids, a claim already held is never taken, the others are
flagged, a second apply changes nothing and rollback removes only the flags."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from google.cloud import firestore

from mitche.domain.aliases import alias_key
from mitche.models import AliasClaim, MigrationDirection, PrivateAccount
from mitche.services import from_document
from mitche_dev.migrate import MIGRATIONS_DIR, load_migration, run_migration
from tests.mitche_dev.migrate.conftest import T0

MIGRATION = "0013_alias_claims"
CLAIMS = "systemSettings/aliases/claims"


def make_member(alias: str | None, hours: int) -> dict[str, Any]:
    """A member as stored before claims: a profile with `alias`, joined `hours` after T0."""
    at = T0 + dt.timedelta(hours=hours)
    profile = {"displayName": "Someone"} | ({"anonymousAlias": alias} if alias else {})
    return {"profile": profile, "createdAt": at, "updatedAt": at}


MEMBERS = {
    # Ids in the opposite order of joining: the runner must page by createdAt, not by id.
    "a-late": make_member("calm-owl", 3),
    "b-early": make_member("Calm Owl", 1),
    "c-middle": make_member("Càlm Öwl", 2),
    "d-old": make_member("Brave Fox", 0),
    "e-live": make_member("brave fox", 5),
    "f-script": make_member("Тихая сова", 4),
    "g-nobody": make_member(None, 4),
    "h-alone": make_member("Quiet Heron 7", 6),
}


def _run(db: firestore.Client, direction: MigrationDirection, page_size: int = 2) -> Any:
    return run_migration(
        db,
        load_migration(MIGRATIONS_DIR / f"{MIGRATION}.py"),
        direction=direction,
        entry=None,
        by="test",
        stream=io.StringIO(),
        page_size=page_size,
    )


def _seed(db: firestore.Client) -> None:
    for uid, data in MEMBERS.items():
        db.document(f"users/{uid}").set(data)
    # e-live joined after the claims release and claimed "Brave Fox" through the rules.
    db.document(f"{CLAIMS}/{alias_key('brave fox')}").set(
        {"ownerId": "e-live", "claimedAt": T0 + dt.timedelta(hours=5)}
    )


def _owner(db: firestore.Client, alias: str) -> str | None:
    data = db.document(f"{CLAIMS}/{alias_key(alias)}").get().to_dict()
    return None if data is None else from_document(AliasClaim, data).owner_id


def _conflict(db: firestore.Client, uid: str) -> str | None:
    data = db.document(f"users/{uid}/private/account").get().to_dict()
    if data is None:
        return None
    conflict = from_document(PrivateAccount, data).alias_conflict
    return None if conflict is None else conflict.key


def test_the_first_to_join_keeps_a_contested_alias(db: firestore.Client) -> None:
    """Three members share the key calmowl: the earliest keeps it, the two others are asked to
    choose another; a held claim stays with its holder even against an older member; an alias
    with no letter to claim is flagged; a member without an alias is left alone."""
    _seed(db)
    # Pages of 3 in createdAt order: d-old, b-early and c-middle share one page, so c-middle's
    # transformation must see the claim b-early's made in it.
    report = _run(db, MigrationDirection.UP, page_size=3)
    assert (report.visited, report.changed) == (8, 6)
    assert _owner(db, "calm owl") == "b-early"
    claim = db.document(f"{CLAIMS}/calmowl").get().to_dict()
    assert claim is not None
    assert claim["claimedAt"] == MEMBERS["b-early"]["createdAt"]
    assert _owner(db, "brave fox") == "e-live"
    assert _owner(db, "Quiet Heron 7") == "h-alone"
    assert {uid: _conflict(db, uid) for uid in MEMBERS} == {
        "a-late": "calmowl",
        "b-early": None,
        "c-middle": "calmowl",
        "d-old": "bravefox",
        "e-live": None,
        "f-script": "",
        "g-nobody": None,
        "h-alone": None,
    }
    assert _run(db, MigrationDirection.UP).changed == 0


def test_rollback_removes_the_flags_and_keeps_the_claims(db: firestore.Client) -> None:
    """down leaves every claim (the previous release honours them) and drops every flag."""
    _seed(db)
    _run(db, MigrationDirection.UP)
    _run(db, MigrationDirection.DOWN)
    assert {uid: _conflict(db, uid) for uid in MEMBERS} == dict.fromkeys(MEMBERS)
    assert _owner(db, "calm owl") == "b-early"
