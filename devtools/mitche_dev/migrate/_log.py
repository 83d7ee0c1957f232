"""Reading and writing the applied-migrations log (`systemSettings/migrations/applied`)."""

from __future__ import annotations

import getpass
import socket

from google.cloud import firestore

from mitche.models.migration_log import (
    APPLIED_MIGRATIONS,
    AppliedMigration,
    applied_migration_path,
)
from mitche.services import from_document

__all__ = ["operator", "read_log", "write_entry"]


def operator() -> str:
    """Who is running the command: `user@host`."""
    return f"{getpass.getuser()}@{socket.gethostname()}"[:200]


def read_log(client: firestore.Client) -> dict[str, AppliedMigration]:
    """Every log entry, by migration id."""
    return {
        snapshot.id: from_document(AppliedMigration, snapshot.to_dict() or {})
        for snapshot in client.collection(APPLIED_MIGRATIONS).stream()
    }


def write_entry(client: firestore.Client, migration_id: str, entry: AppliedMigration) -> None:
    """Replace one log entry."""
    client.document(applied_migration_path(migration_id)).set(entry.to_firestore())
