"""Data migrations (`python -m mitche_dev.migrate`): ordered, versioned modules in
`migrations/`, applied page by page with a log in Firestore, backups before, validation after.
"""

from mitche_dev.migrate._backup import (
    BackupReport,
    backup_jsonl,
    emulator_export,
    emulator_import,
    production_export_request,
    restore_jsonl,
)
from mitche_dev.migrate._cli import MIGRATIONS_DIR, main
from mitche_dev.migrate._migration import (
    Data,
    Migration,
    MigrationError,
    Transform,
    load_migration,
    load_migrations,
)
from mitche_dev.migrate._operations import (
    MigrationStatus,
    Outcome,
    apply,
    apply_pending,
    rollback,
    status,
)
from mitche_dev.migrate._runner import DEFAULT_PAGE_SIZE, Diff, RunReport, run_migration
from mitche_dev.migrate._target import Target, TargetError, resolve_target
from mitche_dev.migrate._validate import Failure, ShapeReport, document_shapes, validate

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MIGRATIONS_DIR",
    "BackupReport",
    "Data",
    "Diff",
    "Failure",
    "Migration",
    "MigrationError",
    "MigrationStatus",
    "Outcome",
    "RunReport",
    "ShapeReport",
    "Target",
    "TargetError",
    "Transform",
    "apply",
    "apply_pending",
    "backup_jsonl",
    "document_shapes",
    "emulator_export",
    "emulator_import",
    "load_migration",
    "load_migrations",
    "main",
    "production_export_request",
    "resolve_target",
    "restore_jsonl",
    "rollback",
    "run_migration",
    "status",
    "validate",
]
