"""Backups of the documents a migration writes, and their restore.

* Locally (`jsonl`, the default): `manifest.json` (the path templates covered, project, time)
  and `documents.jsonl`, one document per line in path order, its fields in Firestore's own
  JSON value encoding (so timestamps keep their nanoseconds, and references, GeoPoints and
  bytes keep their types). Restoring deletes the covered documents the backup does not hold
  (those the migration created) and writes back every backed-up document, so the covered data
  is byte-equal to what was backed up.
* Locally against an emulator (`emulator`): the whole database through the emulator's own
  `:export` endpoint, in the official emulator export format; restore clears the database and
  `:import`s it.
* Production: a managed export of the covered collection ids to a Cloud Storage bucket
  (`gcloud firestore export` does the same), restored with a managed import.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers
from google.cloud.firestore_v1.types import Document
from google.protobuf import json_format

from mitche_dev.migrate._documents import check_template, documents, matches

__all__ = [
    "DOCUMENTS",
    "MANIFEST",
    "BackupReport",
    "backup_jsonl",
    "emulator_export",
    "emulator_import",
    "production_export_request",
    "restore_jsonl",
]

MANIFEST: Final = "manifest.json"
DOCUMENTS: Final = "documents.jsonl"
_BATCH: Final = 400


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What a backup or a restore covered."""

    directory: str
    templates: tuple[str, ...]
    documents: int
    deleted: int = 0
    """Documents a restore deleted (covered, but absent from the backup)."""


def _line(snapshot: Any) -> str:
    fields = _helpers.encode_dict(snapshot.to_dict() or {})
    encoded = json_format.MessageToDict(Document(fields=fields)._pb)
    return json.dumps(
        {"path": snapshot.reference.path, "fields": encoded.get("fields", {})},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _covered(client: firestore.Client, templates: Iterable[str]) -> list[Any]:
    found = {s.reference.path: s for t in templates for s in documents(client, t)}
    return [found[path] for path in sorted(found)]


def backup_jsonl(
    client: firestore.Client, templates: Sequence[str], directory: Path, *, label: str = ""
) -> BackupReport:
    """Write every document fitting `templates` to `directory` (created; must be empty)."""
    covered = tuple(check_template(t, literal_collections=False) for t in templates)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty; a backup never overwrites another")
    snapshots = _covered(client, covered)
    lines = "".join(_line(snapshot) + "\n" for snapshot in snapshots)
    (directory / DOCUMENTS).write_text(lines, encoding="utf-8")
    manifest = {
        "format": "mitche-jsonl-1",
        "project": client.project,
        "templates": list(covered),
        "documents": len(snapshots),
        "label": label,
        "createdAt": dt.datetime.now(dt.UTC).isoformat(),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupReport(str(directory), covered, len(snapshots))


def _read_backup(directory: Path) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
        lines = (directory / DOCUMENTS).read_text("utf-8").splitlines()
    except (OSError, ValueError) as error:
        raise ValueError(f"{directory} is not a backup: {error}") from error
    if manifest.get("format") != "mitche-jsonl-1":
        raise ValueError(f"{directory}: unknown backup format {manifest.get('format')!r}")
    templates = tuple(check_template(t, literal_collections=False) for t in manifest["templates"])
    entries = [json.loads(line) for line in lines if line]
    for entry in entries:
        if not any(matches(t, entry["path"]) for t in templates):
            raise ValueError(f"{directory}: {entry['path']} is outside the backup's templates")
    return templates, entries


def _decoded(document: Document, client: firestore.Client) -> dict[str, Any]:
    decoded = _helpers.decode_dict(document.fields, client)
    if not isinstance(decoded, dict):
        raise ValueError(f"a backed-up document decodes to {type(decoded).__name__}, not a map")
    return decoded


def restore_jsonl(client: firestore.Client, directory: Path) -> BackupReport:
    """Make the covered documents exactly those of the backup."""
    templates, entries = _read_backup(directory)
    wanted = {entry["path"]: entry["fields"] for entry in entries}
    doomed = [
        s.reference.path for s in _covered(client, templates) if s.reference.path not in wanted
    ]
    writes: list[tuple[str, dict[str, Any] | None]] = [(path, None) for path in doomed]
    for path, fields in wanted.items():
        document = Document()
        json_format.ParseDict({"fields": fields}, document._pb)
        writes.append((path, _decoded(document, client)))
    for start in range(0, len(writes), _BATCH):
        batch = client.batch()
        for path, fields_or_none in writes[start : start + _BATCH]:
            if fields_or_none is None:
                batch.delete(client.document(path))
            else:
                batch.set(client.document(path), fields_or_none)
        batch.commit()
    return BackupReport(str(directory), templates, len(wanted), len(doomed))


def _emulator_call(host: str, project: str, action: str, body: dict[str, str]) -> None:
    connection = http.client.HTTPConnection(host, timeout=300)
    try:
        connection.request(
            "POST",
            f"/emulator/v1/projects/{project}:{action}",
            body=json.dumps(body),
            headers={"Authorization": "Bearer owner", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"emulator {action} failed: {response.status} {text}")


def emulator_export(host: str, project: str, directory: Path, name: str) -> Path:
    """The whole (default) database as official emulator export `name` in `directory`;
    returns the overall metadata file that `emulator_import` takes."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    database = f"projects/{project}/databases/(default)"
    body = {"database": database, "export_directory": str(directory), "export_name": name}
    _emulator_call(host, project, "export", body)
    return directory / name / f"{name}.overall_export_metadata"


def emulator_import(host: str, project: str, metadata: Path) -> None:
    """Replace the (default) database with an export: clear it, then import."""
    connection = http.client.HTTPConnection(host, timeout=60)
    try:
        connection.request(
            "DELETE",
            f"/emulator/v1/projects/{project}/databases/(default)/documents",
            headers={"Authorization": "Bearer owner"},
        )
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"clearing the emulator failed: {response.status}")
    database = f"projects/{project}/databases/(default)"
    _emulator_call(
        host, project, "import", {"database": database, "export_directory": str(metadata.resolve())}
    )


def collection_ids(templates: Iterable[str]) -> list[str]:
    """The collection ids a managed export needs to cover the templates (a managed export
    selects by collection id anywhere in the tree, so `private` also covers other `private`
    subcollections)."""
    return sorted({check_template(t).split("/")[-2] for t in templates})


def production_export_request(
    project: str, bucket: str, templates: Iterable[str], label: str
) -> dict[str, Any]:
    """The managed export request (FirestoreAdminClient.export_documents) for a backup."""
    if not bucket.startswith("gs://"):
        raise ValueError(f"--bucket must be a gs:// URL, not {bucket!r}")
    return {
        "name": f"projects/{project}/databases/(default)",
        "collection_ids": collection_ids(templates),
        "output_uri_prefix": f"{bucket.rstrip('/')}/{label}",
    }
