"""The applied-migrations log: `systemSettings/migrations/applied/{migrationId}`.

One document per data migration (`migrations/NNNN_name.py`), written only by the migration
runner (`python -m mitche_dev.migrate`) with administrator credentials; the rules deny every
client. It says which migrations ran, when, by whom, over how many documents and with which
module checksum (an applied migration whose file changed is refused), and it holds the cursor
of a run in progress: each page of a run commits its documents and the cursor in one
transaction, so a killed run resumes after the last committed page.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import SERVER, DocumentPath, MitcheModel, Timestamp
from mitche.models.common import Count

__all__ = [
    "APPLIED_MIGRATIONS",
    "MAX_MIGRATION_RUNS",
    "AppliedMigration",
    "MigrationDirection",
    "MigrationRun",
    "MigrationState",
    "applied_migration_path",
]

APPLIED_MIGRATIONS: Final = "systemSettings/migrations/applied"
"""Collection of the log's documents (below a settings document id that holds no fields)."""

MAX_MIGRATION_RUNS: Final = 50
"""Runs kept in a log document's history (the oldest are dropped)."""

_Operator = Annotated[str, Field(min_length=1, max_length=200)]


def applied_migration_path(migration_id: str) -> str:
    """The log document of one migration."""
    return f"{APPLIED_MIGRATIONS}/{migration_id}"


class MigrationState(StrEnum):
    """Where a migration stands."""

    RUNNING = "running"
    """`up` started and has not finished (a killed run resumes from `cursor`)."""
    APPLIED = "applied"
    """`up` went over every document."""
    ROLLING_BACK = "rollingBack"
    """`down` started and has not finished."""
    ROLLED_BACK = "rolledBack"
    """`down` went over every document; the migration is pending again."""


class MigrationDirection(StrEnum):
    """Which transformation a run applied."""

    UP = "up"
    DOWN = "down"


class MigrationRun(MitcheModel):
    """One finished run of a migration, in either direction."""

    direction: MigrationDirection
    """`up` (apply) or `down` (rollback)."""
    by: _Operator
    """Who ran it (`user@host`, or the runner's `--by`)."""
    started_at: Timestamp
    """When the run started (its first attempt, when resumed)."""
    finished_at: Timestamp
    """When the last page committed."""
    visited: Count
    """Documents of the migration's scope the run went over."""
    changed: Count
    """Documents of the scope whose transformation wrote something."""


class AppliedMigration(MitcheModel):
    """The log entry of one migration."""

    version: Annotated[Annotated[int, Field(ge=1, le=9999)], SERVER]
    """The number the module's file name starts with."""
    name: Annotated[Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")], SERVER]
    """The rest of the file name (`private_account`)."""
    checksum: Annotated[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")], SERVER]
    """SHA-256 of the module's source when it was applied."""
    state: Annotated[MigrationState, SERVER]
    """Where the migration stands."""
    cursor: Annotated[DocumentPath | None, SERVER] = None
    """Last document of the scope the current run committed; None before the first page."""
    visited: Annotated[Count, SERVER] = 0
    """Documents the current (or last) run went over."""
    changed: Annotated[Count, SERVER] = 0
    """Documents the current (or last) run changed."""
    started_at: Annotated[Timestamp, SERVER]
    """When the current (or last) run started."""
    started_by: Annotated[_Operator, SERVER]
    """Who started the current (or last) run."""
    applied_at: Annotated[Timestamp | None, SERVER] = None
    """When `up` last finished; None while it never did."""
    applied_by: Annotated[_Operator | None, SERVER] = None
    """Who ran the `up` that last finished."""
    valid: Annotated[bool | None, SERVER] = None
    """Whether validation passed after the last run (None: not validated)."""
    history: Annotated[
        Annotated[list[MigrationRun], Field(max_length=MAX_MIGRATION_RUNS)], SERVER
    ] = Field(default_factory=list)
    """Finished runs, oldest first."""
