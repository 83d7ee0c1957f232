"""Migration 0002 (near-me entries) through the runner, against a local server holding requests,
events, resources and offerings stored before the near-me lists: plan counts exactly, apply
leaves each entry as the near-me trigger handler would, a second apply changes nothing, and
rollback removes the entries."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pygeohash
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1 import GeoPoint

from mitche.domain.nearby import cell_centre
from mitche.handlers import LISTINGS, Deps, DocumentChange, sync_nearby
from mitche.models import NEAR_ME_DOCUMENT, MigrationDirection, NearbyList, nearby_entries_path
from mitche.services import FirebaseAccounts, SettingsStore, to_document
from mitche.triggers.nearby import DOCUMENTS
from mitche_dev.devstack import demo_stack
from mitche_dev.migrate import MIGRATIONS_DIR, apply_pending, load_migration, run_migration
from tests.mitche.handlers.factories import (
    fulfilled,
    make_event,
    make_offering,
    make_request,
    make_resource,
    published,
)
from tests.mitche_dev.migrate.conftest import REPO, T0, Cli, rollback_through, run_of

MIGRATION = "0002_near_me_entries"
CELL = "u05kq4"


def place(cell: str = CELL) -> dict[str, Any]:
    """A published location in `cell`."""
    centre = cell_centre(cell)
    return {
        "area": {"geohash": cell[:5], "label": "Croix-Rousse"},
        "geohash": cell,
        "point": GeoPoint(centre.latitude, centre.longitude),
    }


def exact_place(cell: str = CELL) -> dict[str, Any]:
    """A resource's exact location (9-character geohash) inside `cell`."""
    centre = cell_centre(cell)
    point = GeoPoint(centre.latitude, centre.longitude)
    return {"point": point, "geohash": pygeohash.encode(point.latitude, point.longitude, 9)}


LISTED = {
    "requests/r-open": make_request(
        request_id="r-open",
        urgency="high",
        deadline=T0 + dt.timedelta(days=30),
        location=place(),
        remoteOk=False,
    )[1],
    "communityEvents/ev-soon": make_event(
        event_id="ev-soon",
        startsAt=T0 + dt.timedelta(days=2),
        endsAt=T0 + dt.timedelta(days=2, hours=2),
        format="hybrid",
        location=place("u05kq5"),
    )[1],
    "resources/res-active": published(
        make_resource(
            resource_id="res-active", location=exact_place(), serviceArea={"remote": False}
        )[1]
    ),
    "offerings/off-standing": make_offering(
        offering_id="off-standing", requestPath=None, requesterId=None, location=place()
    )[1],
}
"""One document each list shows."""
UNLISTED = {
    "requests/r-done": fulfilled(
        make_request(request_id="r-done", location=place(), remoteOk=False)[1], ["bob"]
    ),
    "requests/r-remote": make_request(request_id="r-remote")[1],
    "resources/res-draft": make_resource(resource_id="res-draft", location=exact_place())[1],
    "offerings/off-answer": make_offering(offering_id="off-answer")[1],
}
"""Documents no list shows (closed, without a place, a draft, an answer to a request)."""
STALE = f"{nearby_entries_path(NearbyList.REQUESTS)}/r-done"
"""An entry left from when `r-done` was open."""


def seed(db: firestore.Client) -> None:
    """The sources as stored before the release (no entries), plus one stale entry."""
    batch = db.batch()
    for path, model in {**LISTED, **UNLISTED}.items():
        batch.set(db.document(path), to_document(model, db))
    batch.set(db.document(STALE), {"key": "b", "cell": CELL, "area": CELL[:5], "updatedAt": T0})
    batch.commit()


def entries(db: firestore.Client) -> dict[str, dict[str, Any]]:
    """Every near-me entry, by path."""
    return {
        snapshot.reference.path: snapshot.to_dict() or {}
        for kind in NearbyList
        for snapshot in db.collection(nearby_entries_path(kind)).stream()
    }


def without_stamps(found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Entries without `updatedAt` (when they were written), checking that each has one."""
    assert all(isinstance(entry.pop("updatedAt"), dt.datetime) for entry in found.values())
    return found


def trigger_entries(db: firestore.Client) -> dict[str, dict[str, Any]]:
    """The entries the near-me trigger handler writes when each source document is created."""
    deps = Deps(settings=SettingsStore(), accounts=FirebaseAccounts(), client_factory=lambda: db)
    kinds = {template.split("/")[0]: kind for kind, template in DOCUMENTS.items()}
    for path in {**LISTED, **UNLISTED}:
        data = db.document(path).get().to_dict()
        change = DocumentChange(
            event_id=f"create-{path}", at=T0, path=path, before=None, after=data
        )
        sync_nearby(deps, change, kinds[path.split("/")[0]])
    return entries(db)


def test_it_covers_exactly_the_triggers_collections_and_lists() -> None:
    """The migration pages through every collection a near-me trigger watches, and writes only
    below the near-me document."""
    migration = load_migration(REPO / "migrations" / f"{MIGRATION}.py")
    assert sorted(migration.scopes) == sorted(DOCUMENTS.values())
    assert sorted(migration.writes) == sorted(
        f"{nearby_entries_path(kind)}/{{entryId}}" for kind in NearbyList
    )
    assert all(template.startswith(f"{NEAR_ME_DOCUMENT}/") for template in migration.writes)


def test_plan_counts_exactly_and_writes_nothing(db: firestore.Client, cli: Cli) -> None:
    """A dry run visits every source document, counts the four entries to create and the stale
    one to delete, and leaves the database as it was."""
    seed(db)
    status, out, _ = cli("--json", "plan", "--sample", "5")
    assert status == 0
    run = run_of(out, MIGRATION)
    assert (run["visited"], run["changed"], run["written"], run["deleted"]) == (8, 5, 4, 1)
    assert entries(db) == {STALE: {"key": "b", "cell": CELL, "area": CELL[:5], "updatedAt": T0}}


def test_apply_writes_the_triggers_entries_once_and_rollback_removes_them(
    db: firestore.Client, cli: Cli
) -> None:
    """Apply leaves exactly the entries the trigger handler writes for the same documents
    (validated against the model), a second apply changes nothing, and rollback deletes every
    entry."""
    seed(db)
    status, out, err = cli("--json", "apply", "--no-backup", "--page-size", "3")
    assert status == 0, err
    run = run_of(out, MIGRATION)
    assert (run["visited"], run["changed"], run["written"], run["deleted"]) == (8, 5, 4, 1)
    assert all(shape["failed"] == 0 for shape in json.loads(out)["validation"])
    migrated = entries(db)
    assert sorted(migrated) == sorted(
        f"{nearby_entries_path(kind)}/{path.split('/')[1]}"
        for path in LISTED
        for kind, template in DOCUMENTS.items()
        if template.split("/")[0] == path.split("/")[0]
    )

    status, out, _ = cli("apply", "--no-backup")
    assert (status, "nothing to do" in out) == (0, True)
    again = run_migration(
        db,
        load_migration(REPO / "migrations" / f"{MIGRATION}.py"),
        direction=MigrationDirection.UP,
        entry=None,
        by="test",
        stream=io.StringIO(),
        dry_run=True,
    )
    assert (again.visited, again.changed) == (8, 0)
    assert entries(db) == migrated

    status, out, err = rollback_through(cli, MIGRATION)
    assert status == 0, err
    assert f"{MIGRATION} down: 8 documents visited, 4 changed" in out
    assert entries(db) == {}
    assert f"{MIGRATION}  pending" in cli("status")[1]

    assert without_stamps(trigger_entries(db)) == without_stamps(migrated)


def test_an_entry_out_of_step_is_rewritten_and_a_right_one_left_alone(db: firestore.Client) -> None:
    """`up` on one document: an entry whose key no longer matches it (its deadline moved while
    no trigger ran) is rewritten, an entry already right is left alone whenever it was
    written, and `down` deletes it."""
    migration = load_migration(REPO / "migrations" / f"{MIGRATION}.py")
    source = to_document(LISTED["requests/r-open"], db)
    entry = f"{nearby_entries_path(NearbyList.REQUESTS)}/r-open"
    [written] = migration.up({"requests/r-open": source, entry: None}).values()
    assert written is not None
    right = {**written, "updatedAt": T0 - dt.timedelta(days=30)}
    assert migration.up({"requests/r-open": source, entry: right}) == {}
    out_of_step = {**right, "key": "a"}
    assert migration.up({"requests/r-open": source, entry: out_of_step}) == {entry: written}
    assert migration.down is not None
    assert migration.down({"requests/r-open": source, entry: right}) == {entry: None}
    assert migration.down({"requests/r-open": source, entry: None}) == {}


def test_the_demo_seeded_with_its_functions_lists_every_listable_document() -> None:
    """The demo seeded as the dev stack seeds it (its functions running): every demo document
    the handler lists has its entry, no other entry exists, and the dev stack's setup
    (`apply_pending`, migration 0002 among them) then finds nothing left to write."""
    with demo_stack("demo-mitche-near-me", T0, rules=False) as stack:
        assert stack.firestore is not None
        db = firestore.Client(project="demo-mitche-near-me", credentials=AnonymousCredentials())
        expected = {
            f"{nearby_entries_path(kind)}/{snapshot.id}"
            for kind, template in DOCUMENTS.items()
            for snapshot in db.collection(template.split("/")[0]).stream()
            if LISTINGS[kind](snapshot.to_dict()) is not None
        }
        assert expected
        assert set(entries(db)) == expected
        outcome = apply_pending(db, MIGRATIONS_DIR, by="devstack")
        assert outcome.valid
        assert all(run.changed == 0 for run in outcome.runs if run.migration == MIGRATION)
        assert set(entries(db)) == expected
