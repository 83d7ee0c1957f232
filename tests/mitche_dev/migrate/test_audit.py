"""Migrations applied and rolled back by an operator are in the audit log."""

from __future__ import annotations

from pathlib import Path

from google.cloud import firestore

from mitche.models import AUDIT_ENTRIES
from tests.mitche_dev.migrate.conftest import Cli
from tests.mitche_dev.migrate.test_runner import seed_things, write_migration


def test_an_applied_and_a_rolled_back_migration_are_audited(
    db: firestore.Client, cli: Cli, tmp_path: Path
) -> None:
    """Each run appends who ran which migration and how it ended."""
    folder = tmp_path / "m"
    write_migration(folder, "0001_things")
    seed_things(db, "a")
    assert cli("--by", "ops@host", "apply", "--no-backup", migrations=folder)[0] == 0
    assert cli("--by", "ops@host", "rollback", "--no-backup", migrations=folder)[0] == 0
    entries = sorted(
        (doc.to_dict() or {} for doc in db.collection(AUDIT_ENTRIES).stream()),
        key=lambda entry: entry["at"],
    )
    assert [(e["action"], e["actor"], e["actorRole"], e["outcome"]) for e in entries] == [
        ("migration.apply", "ops@host", "operator", "succeeded"),
        ("migration.rollback", "ops@host", "operator", "succeeded"),
    ]
    assert entries[0]["target"].path == "systemSettings/migrations/applied/0001_things"
