"""Migration 0003 (rate stamps) through the runner, against a local server holding private
accounts with bare rate-limit times: each time becomes a stamp naming no document, a newer
stamp the app already wrote wins, a second apply changes nothing, and rollback restores the
bare times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from mitche.models import MigrationDirection, PrivateAccount
from mitche.services import from_document
from tests.mitche_dev.migrate.conftest import T0, run_named

MIGRATION = "0003_rate_stamps"
LATER = T0 + dt.timedelta(minutes=5)

ACCOUNTS: dict[str, dict[str, Any]] = {
    "users/old/private/account": {
        "security": {"role": "user", "accountStatus": "active", "strikes": 0},
        "lastRequestAt": T0,
        "lastMessageAt": T0,
    },
    "users/both/private/account": {
        "lastOfferingAt": T0,
        "lastOffering": {"at": LATER, "path": "offerings/o1"},
        "lastReportAt": LATER,
        "lastReport": {"at": T0, "path": "reports/r1"},
    },
    "users/new/private/account": {"lastRequest": {"at": LATER, "path": "requests/r9"}},
}


def _run(db: firestore.Client, direction: MigrationDirection) -> Any:
    return run_named(db, MIGRATION, direction, page_size=2)


def _accounts(db: firestore.Client) -> dict[str, dict[str, Any]]:
    return {path: db.document(path).get().to_dict() or {} for path in ACCOUNTS}


def test_bare_times_become_stamps_and_a_newer_stamp_wins(db: firestore.Client) -> None:
    """Each bare time becomes a stamp naming no document; where the app already wrote a newer
    stamp it stays; an account already in the new shape is left alone; all still decode."""
    for path, data in ACCOUNTS.items():
        db.document(path).set(data)
    report = _run(db, MigrationDirection.UP)
    assert (report.visited, report.changed) == (3, 2)
    old, both, new = _accounts(db).values()
    assert old == {
        "security": ACCOUNTS["users/old/private/account"]["security"],
        "lastRequest": {"at": T0, "path": None},
        "lastMessage": {"at": T0, "path": None},
    }
    assert both == {
        "lastOffering": {"at": LATER, "path": "offerings/o1"},
        "lastReport": {"at": LATER, "path": None},
    }
    assert new == ACCOUNTS["users/new/private/account"]
    for data in _accounts(db).values():
        from_document(PrivateAccount, data)
    assert _run(db, MigrationDirection.UP).changed == 0


def test_rollback_restores_bare_times_and_drops_the_new_kinds(db: firestore.Client) -> None:
    """Down turns the four stamps into bare times again and drops stamps of kinds the earlier
    release did not limit."""
    db.document("users/old/private/account").set(ACCOUNTS["users/old/private/account"])
    _run(db, MigrationDirection.UP)
    db.document("users/old/private/account").update(
        {"lastHeart": {"at": LATER, "path": "tapestryThreads/t1/hearts/old"}}
    )
    _run(db, MigrationDirection.DOWN)
    assert _accounts(db)["users/old/private/account"] == ACCOUNTS["users/old/private/account"]
