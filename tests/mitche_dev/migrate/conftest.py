"""Migration tests run against the session's local Firestore server (firelab's pytest plugin),
in a project of their own that each test starts empty."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore

from firelab.pytest_plugin import FirestoreTestServer
from mitche.models import MigrationDirection, Security, User
from mitche.services import to_document
from mitche_dev.migrate import load_migration, load_migrations, main, run_migration
from tests.mitche.handlers.factories import make_user

PROJECT = "demo-migrate"
REPO = Path(__file__).parents[3]
MIGRATIONS = REPO / "migrations"
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@dataclass
class Cli:
    """`python -m mitche_dev.migrate` run in process against the test project."""

    migrations: Path

    def __call__(self, *args: str, migrations: Path | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--project", PROJECT, "--migrations", str(migrations or self.migrations), *args]
        status = main(argv, out=out, err=err)
        return status, out.getvalue(), err.getvalue()


@pytest.fixture
def db(firestore_server: FirestoreTestServer) -> firestore.Client:
    """An administrator's client on an emptied test project."""
    firestore_server.clear(project=PROJECT)
    client: firestore.Client = firestore_server.owner_client(project=PROJECT)
    return client


@pytest.fixture
def cli(db: firestore.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line, with backups going to the test's temporary folder."""
    monkeypatch.chdir(tmp_path)
    return Cli(MIGRATIONS)


def run_of(out: str, migration: str) -> dict[str, Any]:
    """One migration's run in a `--json` summary (the folder may hold any number of them)."""
    [run] = [run for run in json.loads(out)["runs"] if run["migration"] == migration]
    return dict(run)


def rollback_through(cli: Cli, migration: str) -> tuple[int, str, str]:
    """Roll back every migration applied after `migration`, latest first (the runner's order),
    then `migration` itself; the result of that last rollback."""
    later = [m.id for m in load_migrations(cli.migrations) if m.id > migration]
    for each in reversed(later):
        status, _, err = cli("rollback", each, "--no-backup")
        assert status == 0, err
    return cli("rollback", migration, "--no-backup")


def make_old_member(uid: str, index: int = 0, **changes: Any) -> User:
    """A member as stored before migration 0001: security and stamps in the user document."""
    fields: dict[str, Any] = {
        "security": Security(strikes=index % 3).model_dump(by_alias=True, exclude_none=True),
        "lastRequestAt": T0 + dt.timedelta(minutes=index),
        "lastMessageAt": T0 + dt.timedelta(seconds=index, microseconds=123456),
    }
    if index % 3:
        fields["security"]["lastStrikeAt"] = T0
    fields.update(changes)
    return make_user(uid, **fields)


def store_members(db: firestore.Client, users: Sequence[tuple[str, User]]) -> None:
    """Write user documents as they are stored (in batches)."""
    for start in range(0, len(users), 400):
        batch = db.batch()
        for uid, user in users[start : start + 400]:
            batch.set(db.document(f"users/{uid}"), to_document(user, db))
        batch.commit()


def snapshot_all(db: firestore.Client) -> dict[str, dict[str, Any]]:
    """Every document of the project below users/ and the settings log, by path."""
    found: dict[str, dict[str, Any]] = {}
    for user in db.collection("users").stream():
        found[user.reference.path] = user.to_dict() or {}
        for sub in user.reference.collections():
            for doc in sub.stream():
                found[doc.reference.path] = doc.to_dict() or {}
    return found


def run_named(
    db: firestore.Client,
    name: str,
    direction: MigrationDirection,
    *,
    page_size: int,
    dry_run: bool = False,
) -> Any:
    """Migration `name` of the repository, run one way through the runner as a test would
    (with `dry_run`, as `plan` runs it: nothing written)."""
    return run_migration(
        db,
        load_migration(MIGRATIONS / f"{name}.py"),
        direction=direction,
        entry=None,
        by="test",
        stream=io.StringIO(),
        page_size=page_size,
        dry_run=dry_run,
    )
