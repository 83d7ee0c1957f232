"""Export and import in the official emulator's format: a Datastore managed export.

An export named `N` in directory `D` is `D/N/N.overall_export_metadata` (a LevelDB log: the
version byte 0x33, then one entry per kind directory) plus
`D/N/all_namespaces/all_kinds/all_namespaces_all_kinds.export_metadata` and its `output-0`
(a LevelDB log of EntityProtos, see `_entities`). firebase-tools' `--import` directories
(`firebase-export-metadata.json` next to `firestore_export/`) and the official emulator's
exports load as they are, and the official emulator loads ours.

A whole-emulator export (every database of every project, what `--export-on-exit` writes)
is a directory holding `firelab_export.json`, which lists one official export per database
under `databases/{project}/{database}/`; the (default) database of the first project is also
written as `firestore_export/` with `firebase-export-metadata.json`, so firebase-tools reads it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path as FilePath

from firelab.server.core._entities import Entity, decode_entity, encode_entity
from firelab.server.core._errors import Code, FirestoreError, invalid
from firelab.server.core._leveldb import read_log, write_log
from firelab.server.core._names import DatabaseId
from firelab.server.core._store import Record
from firelab.server.core._wire import Field, WireError, decode, field_bytes, field_varint, first

__all__ = [
    "DEFAULT_NAME",
    "ExportedDatabase",
    "find_overall",
    "read_export",
    "read_manifest",
    "write_export",
    "write_firebase_metadata",
    "write_manifest",
]

VERSION = b"\x33"
KIND_DIRECTORY = "all_namespaces/all_kinds"
KIND_METADATA = "all_namespaces_all_kinds.export_metadata"
OUTPUT = "output-0"
MANIFEST = "firelab_export.json"
FIREBASE_METADATA = "firebase-export-metadata.json"
DEFAULT_NAME = "firestore_export"


@dataclass(frozen=True, slots=True)
class ExportedDatabase:
    """The documents of one database to export."""

    database: DatabaseId
    records: list[Record]


def write_export(exported: ExportedDatabase, directory: FilePath, name: str) -> FilePath:
    """Write one database as export `name` in `directory`; returns the overall metadata file."""
    if "/" in name:
        raise FirestoreError(Code.INTERNAL, "failed to write export")
    root = directory / name
    start_us = time.time_ns() // 1000
    entities = [
        encode_entity(exported.database, record.path, record.fields_document())
        for record in sorted(exported.records, key=lambda record: record.key)
    ]
    root.mkdir(parents=True, exist_ok=True)
    overall = root / f"{name}.overall_export_metadata"
    if not entities:
        overall.write_bytes(write_log([VERSION, b""]))
        return overall
    kinds = root / KIND_DIRECTORY
    kinds.mkdir(parents=True, exist_ok=True)
    output = write_log(entities)
    (kinds / OUTPUT).write_bytes(output)
    end_us = time.time_ns() // 1000
    header = (
        field_bytes(1, name.encode("utf-8")) + field_varint(2, start_us) + field_varint(3, end_us)
    )
    files = field_bytes(1, b"") + field_bytes(2, OUTPUT.encode())
    (kinds / KIND_METADATA).write_bytes(field_bytes(1, header) + field_bytes(2, files))
    entry = (
        field_bytes(1, field_varint(1, 2) + field_varint(3, 3))
        + field_bytes(2, f"{KIND_DIRECTORY}/{KIND_METADATA}".encode())
        + field_varint(3, len(entities))
        + field_varint(4, len(output))
    )
    overall.write_bytes(write_log([VERSION, field_bytes(1, entry)]))
    return overall


def read_export(overall: FilePath, project: str) -> list[Entity]:
    """Every entity of the export whose overall metadata file is `overall`, with the
    emulator's messages for damaged exports; references in top-level indexed properties
    move to `project`."""
    try:
        data = overall.read_bytes()
    except OSError as error:
        raise invalid("Failed to parse overall export metadata file") from error
    try:
        records = read_log(data)
    except FirestoreError:
        records = []
    if not records or records[0] != VERSION:
        raise invalid("Overall export metadata file version not supported")
    entities: list[Entity] = []
    for record in records[1:]:
        for kind in _fields(record):
            if kind.number != 1:
                continue
            relative = first(_fields(kind.data), 2)
            if relative is None:
                continue
            metadata = overall.parent / relative.data.decode("utf-8")
            entities.extend(_read_kind(metadata, project))
    return entities


def _fields(data: bytes) -> list[Field]:
    try:
        return decode(data)
    except WireError as error:
        raise invalid("Invalid record") from error


def _read_kind(metadata: FilePath, project: str) -> list[Entity]:
    try:
        raw = metadata.read_bytes()
    except OSError as error:
        raise invalid(f"{metadata} (No such file or directory)") from error
    entities = []
    for files in _fields(raw):
        if files.number != 2:
            continue
        name = first(_fields(files.data), 2)
        if name is None:
            continue
        output = metadata.parent / name.data.decode("utf-8")
        try:
            data = output.read_bytes()
        except OSError as error:
            raise invalid(f"Failed parse entity file:{output}") from error
        for record in read_log(data):
            try:
                entities.append(decode_entity(record, project))
            except WireError as error:
                raise invalid("Invalid record") from error
    return entities


def find_overall(path: FilePath) -> FilePath | None:
    """The overall metadata file of an export given as the file itself, its directory, or a
    firebase-tools export directory (None when there is none)."""
    if path.is_file():
        return path
    if not path.is_dir():
        return None
    firebase = path / FIREBASE_METADATA
    if firebase.is_file():
        try:
            data = json.loads(firebase.read_text(encoding="utf-8"))
            relative = data.get("firestore", {}).get("path", DEFAULT_NAME)
        except (OSError, ValueError, AttributeError):
            relative = DEFAULT_NAME
        candidate: FilePath = path / relative / f"{FilePath(relative).name}.overall_export_metadata"
        if candidate.is_file():
            return candidate
    found = sorted(path.glob("*.overall_export_metadata"))
    if found:
        top: FilePath = found[0]
        return top
    nested = sorted(path.glob("*/*.overall_export_metadata"))
    if nested:
        result: FilePath = nested[0]
        return result
    return None


def write_manifest(directory: FilePath, exports: list[tuple[DatabaseId, FilePath]]) -> None:
    """Record which export holds which database (a whole-emulator export)."""
    entries = [
        {
            "project": database.project,
            "database": database.database,
            "export": str(path.relative_to(directory)),
        }
        for database, path in exports
    ]
    (directory / MANIFEST).write_text(
        json.dumps({"version": 1, "databases": entries}, indent=1) + "\n", encoding="utf-8"
    )


def read_manifest(directory: FilePath) -> list[tuple[DatabaseId, FilePath]] | None:
    """The databases of a whole-emulator export (None when `directory` is not one)."""
    manifest = directory / MANIFEST
    if not manifest.is_file():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return [
        (DatabaseId(entry["project"], entry["database"]), directory / entry["export"])
        for entry in data.get("databases", [])
    ]


def write_firebase_metadata(directory: FilePath) -> None:
    """The file firebase-tools reads to find the Firestore part of an export directory."""
    metadata = {
        "version": "firelab",
        "firestore": {
            "version": "1.22.0",
            "path": DEFAULT_NAME,
            "metadata_file": (f"{DEFAULT_NAME}/{DEFAULT_NAME}.overall_export_metadata"),
        },
    }
    (directory / FIREBASE_METADATA).write_text(json.dumps(metadata, indent=1) + "\n", "utf-8")
