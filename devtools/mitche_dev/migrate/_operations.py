"""What the commands do, as functions (the CLI and the dev stack's setup call them): the status
of every migration, applying the pending ones (backup before, validation after), rolling back
the latest, with the refusals that keep the log trustworthy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from google.cloud import firestore

from mitche.callables import append_audit
from mitche.models import AuditActorRole, AuditOutcome
from mitche.models.migration_log import (
    AppliedMigration,
    MigrationDirection,
    MigrationState,
    applied_migration_path,
)
from mitche_dev.migrate._log import read_log
from mitche_dev.migrate._migration import Migration, MigrationError, load_migrations
from mitche_dev.migrate._progress import Stream
from mitche_dev.migrate._runner import DEFAULT_PAGE_SIZE, RunReport, run_migration
from mitche_dev.migrate._validate import ShapeReport, validate

__all__ = [
    "Backup",
    "MigrationStatus",
    "Outcome",
    "apply",
    "apply_pending",
    "default_backup_dir",
    "rollback",
    "status",
]

Backup = Callable[[Migration], str]
"""Backs up what a migration writes; returns where the backup went."""


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """One migration as the log sees it."""

    migration: str
    state: str
    """pending, running, applied, rollingBack, rolledBack, or changed (module edited after
    it was applied)."""
    applied_at: dt.datetime | None
    applied_by: str | None
    changed: int | None


@dataclass
class Outcome:
    """What apply or rollback did."""

    runs: list[RunReport] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    validation: list[ShapeReport] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Whether every validated document passed."""
        return all(report.failed == 0 for report in self.validation)


def _state(migration: Migration, entry: AppliedMigration | None) -> str:
    if entry is None:
        return "pending"
    if entry.checksum != migration.checksum and entry.state is not MigrationState.ROLLED_BACK:
        return "changed"
    if entry.state is MigrationState.ROLLED_BACK:
        return "pending"
    return entry.state.value


def status(client: firestore.Client, migrations: Sequence[Migration]) -> list[MigrationStatus]:
    """Every migration with its state, in version order."""
    log = read_log(client)
    return [
        MigrationStatus(
            m.id,
            _state(m, log.get(m.id)),
            log[m.id].applied_at if m.id in log else None,
            log[m.id].applied_by if m.id in log else None,
            log[m.id].changed if m.id in log else None,
        )
        for m in migrations
    ]


def _check_log(migrations: Sequence[Migration], log: dict[str, AppliedMigration]) -> None:
    """Refuse to go on when the log and the modules disagree."""
    known = {m.id for m in migrations}
    for migration_id, logged in sorted(log.items()):
        if migration_id not in known and logged.state is not MigrationState.ROLLED_BACK:
            raise MigrationError(f"{migration_id} is in the log but its module is missing")
    applied_versions = [
        m.version
        for m in migrations
        if m.id in log and log[m.id].state is not MigrationState.ROLLED_BACK
    ]
    for migration in migrations:
        entry = log.get(migration.id)
        if entry is None or entry.state is MigrationState.ROLLED_BACK:
            if applied_versions and migration.version < max(applied_versions):
                raise MigrationError(
                    f"{migration.id} is pending but a later migration is applied; give it a "
                    "version after the latest applied one"
                )
            continue
        if entry.checksum != migration.checksum:
            raise MigrationError(
                f"{migration.id} changed after it was applied (checksum {entry.checksum[:12]} "
                f"in the log, {migration.checksum[:12]} now): write a new migration instead"
            )


def apply(
    client: firestore.Client,
    migrations: Sequence[Migration],
    *,
    by: str,
    stream: Stream,
    to: int | None = None,
    dry_run: bool = False,
    backup: Backup | None = None,
    validate_sample: int | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    sample: int = 3,
) -> Outcome:
    """Apply the pending migrations (up to version `to`) in order, resuming an interrupted
        one. Each is backed up first (when `backup` is given) and the documents it writes (every
    shape its WRITES templates name) are validated after; a failed
        validation stops before the next migration."""
    log = read_log(client)
    _check_log(migrations, log)
    for migration in migrations:
        entry = log.get(migration.id)
        if entry is not None and entry.state is MigrationState.ROLLING_BACK:
            raise MigrationError(f"{migration.id} is half rolled back: run rollback again first")
    outcome = Outcome()
    for migration in migrations:
        entry = log.get(migration.id)
        if to is not None and migration.version > to:
            break
        if entry is not None and entry.state is MigrationState.APPLIED:
            continue
        if (
            backup is not None
            and not dry_run
            and (entry is None or entry.state is not MigrationState.RUNNING)
        ):
            outcome.backups.append(backup(migration))
        report = run_migration(
            client,
            migration,
            direction=MigrationDirection.UP,
            entry=entry,
            by=by,
            stream=stream,
            dry_run=dry_run,
            page_size=page_size,
            sample=sample,
        )
        outcome.runs.append(report)
        if dry_run:
            continue
        outcome.validation = validate(client, only=migration.writes, sample=validate_sample)
        client.document(applied_migration_path(migration.id)).update({"valid": outcome.valid})
        _audit(client, by, "migration.apply", migration, valid=outcome.valid)
        if not outcome.valid:
            break
    return outcome


def rollback(
    client: firestore.Client,
    migrations: Sequence[Migration],
    *,
    by: str,
    stream: Stream,
    migration_id: str | None = None,
    dry_run: bool = False,
    backup: Backup | None = None,
    validate_sample: int | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    sample: int = 3,
) -> Outcome:
    """Roll back the latest applied migration (or finish an interrupted rollback); naming
    another one is refused, since later migrations may rest on it."""
    log = read_log(client)
    _check_log(migrations, log)
    live = [
        m for m in migrations if m.id in log and log[m.id].state is not MigrationState.ROLLED_BACK
    ]
    if not live:
        raise MigrationError("no migration is applied: nothing to roll back")
    latest = live[-1]
    if migration_id is not None and migration_id != latest.id:
        raise MigrationError(
            f"{migration_id} is not the latest applied migration ({latest.id}): roll back "
            "from the latest, one at a time"
        )
    if log[latest.id].state is MigrationState.RUNNING:
        raise MigrationError(f"{latest.id} is half applied: run apply to finish it first")
    outcome = Outcome()
    if backup is not None and not dry_run and log[latest.id].state is MigrationState.APPLIED:
        outcome.backups.append(backup(latest))
    report = run_migration(
        client,
        latest,
        direction=MigrationDirection.DOWN,
        entry=log[latest.id],
        by=by,
        stream=stream,
        dry_run=dry_run,
        page_size=page_size,
        sample=sample,
    )
    outcome.runs.append(report)
    if not dry_run:
        outcome.validation = validate(client, only=latest.writes, sample=validate_sample)
        _audit(client, by, "migration.rollback", latest, valid=outcome.valid)
    return outcome


def _audit(
    client: firestore.Client, by: str, action: str, migration: Migration, *, valid: bool
) -> None:
    """The audit log's entry of a migration run by an operator (mitche.callables)."""
    append_audit(
        client,
        actor=by[:200],
        actor_role=AuditActorRole.OPERATOR,
        action=action,
        outcome=AuditOutcome.SUCCEEDED if valid else AuditOutcome.FAILED,
        target=applied_migration_path(migration.id),
        reason=None if valid else "validation failed after the run",
    )


def default_backup_dir(root: Path, project: str, migration: Migration, now: dt.datetime) -> Path:
    """Where a local backup before `migration` goes."""
    return root / project / f"{now:%Y%m%dT%H%M%SZ}-{migration.id}"


def apply_pending(client: firestore.Client, directory: Path, *, by: str) -> Outcome:
    """Apply every pending migration of `directory`, quietly and without a backup: the setup
    path of a fresh database (the dev stack, a new install), where there is nothing to lose."""
    return apply(client, load_migrations(directory), by=by, stream=_Quiet())


class _Quiet:
    """A stream that is not a terminal and keeps nothing."""

    def write(self, text: str, /) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False
