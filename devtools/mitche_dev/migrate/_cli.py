"""`python -m mitche_dev.migrate <command>`: data migrations, backups and validation.

Against the emulator named by FIRESTORE_EMULATOR_HOST; against production only with an
explicit --project. Prints a summary; progress goes to the terminal (stderr) only.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from google.cloud import firestore

from mitche_dev.migrate._backup import (
    backup_jsonl,
    emulator_export,
    emulator_import,
    production_export_request,
    restore_jsonl,
)
from mitche_dev.migrate._log import operator
from mitche_dev.migrate._migration import Migration, MigrationError, load_migrations
from mitche_dev.migrate._operations import (
    Outcome,
    apply,
    default_backup_dir,
    rollback,
    status,
)
from mitche_dev.migrate._runner import DEFAULT_PAGE_SIZE, Diff, RunReport
from mitche_dev.migrate._target import Target, TargetError, resolve_target
from mitche_dev.migrate._validate import ShapeReport, validate

__all__ = ["MIGRATIONS_DIR", "main"]

PROGRAM: Final = "python -m mitche_dev.migrate"
MIGRATIONS_DIR: Final = Path(__file__).resolve().parents[3] / "migrations"
BACKUPS_DIR: Final = Path("backups")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="the project; required to reach production")
    parser.add_argument("--migrations", type=Path, default=MIGRATIONS_DIR, help="their folder")
    parser.add_argument("--by", default=None, help="who runs it, for the log (user@host)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="every migration and whether it is applied")
    plan = commands.add_parser("plan", help="what apply would change, writing nothing")
    runs = [plan, commands.add_parser("apply", help="apply the pending migrations")]
    runs.append(commands.add_parser("rollback", help="roll back the latest applied migration"))
    for sub in runs:
        sub.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
        sub.add_argument("--sample", type=int, default=3, help="diffs to show (dry runs)")
    for sub in runs[:2]:
        sub.add_argument("--to", type=int, help="stop after this version")
    for sub in runs[1:]:
        sub.add_argument("--dry-run", action="store_true", help="show what would change")
        sub.add_argument("--no-backup", action="store_true", help="skip the backup")
        sub.add_argument("--backup-dir", type=Path, default=BACKUPS_DIR)
        sub.add_argument("--bucket", help="production backups: gs://bucket/prefix")
        sub.add_argument("--validate-sample", type=int, help="validate only N docs per shape")
    runs[2].add_argument("migration", nargs="?", help="the latest applied migration's id")
    backup = commands.add_parser("backup", help="back up documents by path template")
    backup.add_argument("templates", nargs="*", help="path templates (default: a migration's)")
    backup.add_argument("--migration", help="back up what this migration writes")
    backup.add_argument("--out", type=Path, help="local folder (must be empty)")
    backup.add_argument("--format", choices=("jsonl", "emulator"), default="jsonl")
    backup.add_argument("--bucket", help="production: managed export to gs://bucket/prefix")
    restore = commands.add_parser("restore", help="bring a backup back")
    restore.add_argument("source", help="a backup folder, an export's metadata file, or gs://")
    restore.add_argument("--format", choices=("jsonl", "emulator"), default="jsonl")
    restore.add_argument("--collection-ids", nargs="*", help="production: ids to import")
    check = commands.add_parser("validate", help="check documents against the models")
    check.add_argument("only", nargs="*", help="collections or path templates (default: all)")
    check.add_argument("--sample", type=int, help="check only the first N docs of each shape")
    return parser


def _by(args: argparse.Namespace) -> str:
    return str(args.by) if args.by else operator()


def _value(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


def diff_lines(diff: Diff) -> list[str]:
    """A document's change, key by key: `- key: old` / `+ key: new`."""
    if diff.before is None:
        head = f"  {diff.path} (created)"
    elif diff.after is None:
        head = f"  {diff.path} (deleted)"
    else:
        head = f"  {diff.path}"
    before, after = diff.before or {}, diff.after or {}
    lines = [head]
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key) and (key in before) == (key in after):
            continue
        if key in before:
            lines.append(f"    - {key}: {_value(before[key])}")
        if key in after:
            lines.append(f"    + {key}: {_value(after[key])}")
    return lines


def _report_lines(report: RunReport) -> list[str]:
    verb = "would change" if report.dry_run else "changed"
    lines = [
        f"{report.migration} {report.direction.value}: {report.visited} documents visited, "
        f"{report.changed} {verb} ({report.written} set, {report.deleted} deleted"
        + (")" if report.resumed_from is None else f"; resumed after {report.resumed_from})")
    ]
    if report.dry_run:
        for group in report.samples:
            for diff in group:
                lines.extend(diff_lines(diff))
    return lines


def _validation_lines(reports: Sequence[ShapeReport]) -> list[str]:
    checked = sum(r.checked for r in reports)
    failed = sum(r.failed for r in reports)
    lines = [f"validation: {checked} documents checked, {failed} invalid"]
    for report in reports:
        if report.failed:
            lines.append(f"  {report.template} ({report.model}): {report.failed} invalid")
            lines.extend(f"    {f.path}: {f.message}" for f in report.failures)
    return lines


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "runs": [
            {
                "migration": r.migration,
                "direction": r.direction.value,
                "dryRun": r.dry_run,
                "visited": r.visited,
                "changed": r.changed,
                "written": r.written,
                "deleted": r.deleted,
                "resumedFrom": r.resumed_from,
                "samples": [
                    [{"path": d.path, "before": d.before, "after": d.after} for d in group]
                    for group in r.samples
                ],
            }
            for r in outcome.runs
        ],
        "backups": outcome.backups,
        "validation": _validation_json(outcome.validation),
    }


def _validation_json(reports: Sequence[ShapeReport]) -> list[dict[str, Any]]:
    return [
        {
            "template": r.template,
            "model": r.model,
            "checked": r.checked,
            "failed": r.failed,
            "failures": [{"path": f.path, "message": f.message} for f in r.failures],
        }
        for r in reports
    ]


def _backup_for(args: argparse.Namespace, target: Target, client: firestore.Client) -> Any:
    if getattr(args, "no_backup", False):
        return None
    if target.production:
        if not args.bucket:
            raise TargetError(
                "production runs back up to a bucket: pass --bucket gs://... (or --no-backup)"
            )
        return lambda migration: _production_export(
            target, args.bucket, migration.writes, migration.id
        )
    root: Path = args.backup_dir

    def local(migration: Migration) -> str:
        directory = default_backup_dir(root, target.project, migration, dt.datetime.now(dt.UTC))
        return backup_jsonl(client, migration.writes, directory, label=migration.id).directory

    return local


def _production_export(target: Target, bucket: str, templates: Sequence[str], label: str) -> str:
    from google.cloud import firestore_admin_v1

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    request = production_export_request(target.project, bucket, templates, f"{stamp}-{label}")
    operation = firestore_admin_v1.FirestoreAdminClient().export_documents(request=request)
    operation.result()  # type: ignore[no-untyped-call]
    return str(request["output_uri_prefix"])


def _emit(args: argparse.Namespace, out: TextIO, text: list[str], data: Any) -> None:
    if args.json:
        out.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    else:
        out.write("\n".join(text) + "\n")


def _run(args: argparse.Namespace, target: Target, out: TextIO, err: TextIO) -> int:
    client = target.client()
    if args.command == "validate":
        reports = validate(client, only=args.only or None, sample=args.sample)
        _emit(args, out, _validation_lines(reports), _validation_json(reports))
        return 1 if any(r.failed for r in reports) else 0
    if args.command in ("backup", "restore"):
        return _backups(args, target, client, out)
    migrations = load_migrations(args.migrations)
    if args.command == "status":
        rows = status(client, migrations)
        lines = [f"{target.describe()}"] + [
            f"  {row.migration}  {row.state}"
            + (
                f"  {row.applied_at:%Y-%m-%d %H:%M} by {row.applied_by}, {row.changed} changed"
                if row.applied_at
                else ""
            )
            for row in rows
        ]
        _emit(args, out, lines, [dataclasses.asdict(row) for row in rows])
        return 0
    dry_run = args.command == "plan" or args.dry_run
    common: dict[str, Any] = {
        "by": _by(args),
        "stream": err,
        "dry_run": dry_run,
        "page_size": args.page_size,
        "sample": args.sample,
        "backup": None if dry_run else _backup_for(args, target, client),
        "validate_sample": getattr(args, "validate_sample", None),
    }
    if args.command == "rollback":
        outcome = rollback(client, migrations, migration_id=args.migration, **common)
    else:
        outcome = apply(client, migrations, to=args.to, **common)
    lines = [target.describe()]
    for report in outcome.runs:
        lines.extend(_report_lines(report))
    if not outcome.runs:
        lines.append("nothing to do: every migration is applied")
    lines.extend(f"backup: {where}" for where in outcome.backups)
    if outcome.validation:
        lines.extend(_validation_lines(outcome.validation))
    _emit(args, out, lines, _outcome_json(outcome))
    return 0 if outcome.valid else 1


def _backups(
    args: argparse.Namespace, target: Target, client: firestore.Client, out: TextIO
) -> int:
    if args.command == "restore":
        if args.format == "emulator":
            if target.emulator_host is None:
                raise TargetError("--format emulator restores into an emulator only")
            emulator_import(target.emulator_host, target.project, Path(args.source))
            _emit(args, out, [f"restored {args.source}"], {"restored": args.source})
            return 0
        if args.source.startswith("gs://"):
            if not target.production:
                raise TargetError("gs:// backups restore into production projects only")
            from google.cloud import firestore_admin_v1

            request = {
                "name": f"projects/{target.project}/databases/(default)",
                "collection_ids": args.collection_ids or [],
                "input_uri_prefix": args.source,
            }
            firestore_admin_v1.FirestoreAdminClient().import_documents(request=request).result()  # type: ignore[no-untyped-call]
            _emit(args, out, [f"imported {args.source}"], {"imported": args.source})
            return 0
        report = restore_jsonl(client, Path(args.source))
        lines = [f"restored {report.documents} documents, deleted {report.deleted}"]
        _emit(args, out, lines, dataclasses.asdict(report))
        return 0
    templates: list[str] = list(args.templates)
    if args.migration:
        chosen = [m for m in load_migrations(args.migrations) if m.id == args.migration]
        if not chosen:
            raise MigrationError(f"no migration {args.migration}")
        templates.extend(chosen[0].writes)
    label = args.migration or "manual"
    if target.production:
        if not args.bucket or not templates:
            raise TargetError("production backups need --bucket gs://... and templates")
        where = _production_export(target, args.bucket, templates, label)
        _emit(args, out, [f"exported to {where}"], {"exported": where})
        return 0
    if args.format == "emulator":
        assert target.emulator_host is not None
        out_dir = args.out or BACKUPS_DIR / target.project
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        metadata = emulator_export(
            target.emulator_host, target.project, out_dir, f"{stamp}-{label}"
        )
        _emit(args, out, [f"exported to {metadata}"], {"exported": str(metadata)})
        return 0
    if not templates:
        raise MigrationError("name path templates or --migration to back up")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = args.out or BACKUPS_DIR / target.project / f"{stamp}-{label}"
    report = backup_jsonl(client, templates, out_dir, label=label)
    _emit(
        args,
        out,
        [f"backed up {report.documents} documents to {report.directory}"],
        dataclasses.asdict(report),
    )
    return 0


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one command; returns the exit status (0 fine, 1 invalid data, 2 refused)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        target = resolve_target(args.project)
        return _run(args, target, out, err)
    except (MigrationError, TargetError, ValueError, FileExistsError) as error:
        err.write(f"{PROGRAM} {args.command}: {error}\n")
        return 2
