"""Export and import in the official emulator's format (export_import.json): its exports
load as it loads them, ours are byte-compatible where the recording allows a byte check,
damaged exports fail with its messages, and seeding follows its rules."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import google_crc32c
import pytest
from google.protobuf import json_format

from firelab.server.core import DatabaseId, Emulator, FirestoreError
from firelab.server.core._protos import CommitRequest, Document, GetDocumentRequest

from .oracle import fields, load

RECORDING = load("export_import.json")
EXPORT = "firestore_export"


def write_files(directory: Path, files: dict[str, str], name: str = EXPORT) -> Path:
    """Write a recorded export (file name → base64) under `directory/name`."""
    root = directory / name
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
    return root


def documents(emulator: Emulator, project: str, database: str) -> list[dict[str, Any]]:
    """Every document of a database as {name, fields} (fields as protobuf maps)."""
    engine = emulator.database(project, database)._engine
    found = []
    for record in engine.snapshot():
        document = record.document(engine.database)
        found.append({"name": document.name, "fields": _json(document)})
    return sorted(found, key=lambda item: item["name"])


def _json(document: Document) -> Any:
    """The fields of a document as REST JSON (NaN-safe, order-free comparison)."""
    return json_format.MessageToDict(document).get("fields", {})


def expected(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        ({"name": doc["name"], "fields": _json(fields(doc.get("fields", {})))} for doc in recorded),
        key=lambda item: item["name"],
    )


IMPORTS = [
    ("demo-imported", "(default)", "default"),
    ("demo-imported", "db2", "db2"),
    ("demo-mismatch", "(default)", "db2"),
    ("demo-mismatch", "db2", "default"),
]


@pytest.mark.parametrize(("project", "database", "export"), IMPORTS)
def test_recorded_exports_import_as_the_emulator_imported_them(
    tmp_path: Path, project: str, database: str, export: str
) -> None:
    """An official export imports the documents of the target database ID, into the target
    project, with every value type read back as the emulator read it."""
    root = write_files(tmp_path, RECORDING["exports"][export])
    emulator = Emulator()
    emulator.import_(
        root / f"{EXPORT}.overall_export_metadata", database=DatabaseId(project, database)
    )
    assert documents(emulator, project, database) == expected(
        RECORDING["imported"][f"{project}/{database}"]
    )


def test_a_production_export_imports_as_the_emulator_imported_it(tmp_path: Path) -> None:
    """A managed export of production (several kinds and outputs, `s~` app, indexed
    properties) loads the same documents, references moved as the emulator moves them."""
    root = tmp_path / "production"
    for relative, data in RECORDING["production"]["files"].items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
    emulator = Emulator()
    emulator.import_(
        root / "production.overall_export_metadata", database=DatabaseId("demo-production")
    )
    assert documents(emulator, "demo-production", "(default)") == expected(
        RECORDING["production"]["imported"]
    )


def seed(emulator: Emulator, project: str) -> None:
    for document in RECORDING["documents"]:
        database = emulator.database(project, document["database"])
        request = CommitRequest(database=database.id.root)
        write = request.writes.add()
        write.update.name = f"{database.id.documents_root}/{document['path']}"
        write.update.fields.MergeFrom(fields(document["fields"]).fields)
        database.commit(request)


def test_an_export_of_ours_imports_back_to_the_same_documents(tmp_path: Path) -> None:
    """Every value type survives our export and import unchanged."""
    source = Emulator()
    seed(source, "demo-export")
    for database in ("(default)", "db2"):
        overall = source.export(
            tmp_path, database=DatabaseId("demo-export", database), name=database
        )
        target = Emulator()
        target.import_(overall, database=DatabaseId("demo-export", database))
        assert documents(target, "demo-export", database) == documents(
            source, "demo-export", database
        )


def test_an_export_of_ours_reads_like_the_recorded_one(tmp_path: Path) -> None:
    """Our export of the recorded documents and the official export load identically."""
    source = Emulator()
    seed(source, "demo-export")
    ours = source.export(tmp_path / "ours", database=DatabaseId("demo-export"), name=EXPORT)
    official = write_files(tmp_path / "official", RECORDING["exports"]["default"])
    loaded = []
    for overall in (ours, official / f"{EXPORT}.overall_export_metadata"):
        target = Emulator()
        target.import_(overall, database=DatabaseId("demo-imported"))
        loaded.append(documents(target, "demo-imported", "(default)"))
    assert loaded[0] == loaded[1]


def test_an_empty_export_is_byte_for_byte_the_emulators(tmp_path: Path) -> None:
    """An empty database exports as the lone version record, exactly as recorded."""
    overall = Emulator().export(tmp_path, database=DatabaseId("demo-empty"), name=EXPORT)
    recorded = RECORDING["exports"]["empty"][f"{EXPORT}.overall_export_metadata"]
    assert overall.read_bytes() == base64.b64decode(recorded)


def test_a_large_document_spans_blocks_like_the_emulators(tmp_path: Path) -> None:
    """A 70,000-byte entity is fragmented over blocks into the recorded bytes (length, CRC)."""
    big = RECORDING["big"]
    emulator = Emulator()
    database = emulator.database("demo-big")
    request = CommitRequest(database=database.id.root)
    write = request.writes.add()
    write.update.name = f"{database.id.documents_root}/{big['path']}"
    write.update.fields["s"].string_value = "y" * big["length"]
    database.commit(request)
    overall = emulator.export(tmp_path, database=database.id, name=EXPORT)
    output = (overall.parent / "all_namespaces/all_kinds/output-0").read_bytes()
    assert len(output) == big["output_len"]
    assert int(google_crc32c.value(output)) == big["output_crc32c"]


def _bad_exports(directory: Path) -> dict[str, Path]:
    good = write_files(directory / "good", RECORDING["exports"]["default"])
    overall = good / f"{EXPORT}.overall_export_metadata"
    output = good / "all_namespaces/all_kinds/output-0"
    made: dict[str, Path] = {}
    version = directory / "version.overall_export_metadata"
    version.write_bytes(bytes.fromhex("c7d1c6e9010001") + b"\x34")
    made["version"] = version
    garbage = directory / "garbage.overall_export_metadata"
    garbage.write_bytes(b"this is not a log at all")
    made["garbage"] = garbage
    for case in ("nometa", "nooutput", "crc", "trunc"):
        copy = write_files(directory / case, RECORDING["exports"]["default"])
        if case == "nometa":
            (copy / "all_namespaces/all_kinds/all_namespaces_all_kinds.export_metadata").unlink()
        elif case == "nooutput":
            (copy / "all_namespaces/all_kinds/output-0").unlink()
        elif case == "crc":
            data = bytearray(output.read_bytes())
            data[20] ^= 0xFF
            (copy / "all_namespaces/all_kinds/output-0").write_bytes(bytes(data))
        else:
            (copy / "all_namespaces/all_kinds/output-0").write_bytes(output.read_bytes()[:100])
        made[case] = copy / f"{EXPORT}.overall_export_metadata"
    made["missing"] = directory / "nosuch.overall_export_metadata"
    made["directory"] = good
    del overall
    return made


BAD = [
    ("missing", "import a missing file"),
    ("directory", "import an export directory"),
    ("version", "import a file of another version"),
    ("garbage", "import a file that is not a log"),
    ("nometa", "import without its export_metadata"),
    ("nooutput", "import without its output"),
    ("crc", "import an output with a bad checksum"),
    ("trunc", "import a truncated output"),
]


def recorded_message(request: str, directory: Path) -> str:
    """The recorded error of an import request, its paths moved to our layout."""
    (response,) = [r["response"] for r in RECORDING["requests"] if r["name"] == request]
    message: str = json.loads(response)["error"]["message"]
    for case in ("nometa", "nooutput"):
        message = message.replace(f"{{dir}}/bad/{case}", f"{directory}/{case}/{EXPORT}")
    return message


@pytest.mark.parametrize(("case", "request_name"), BAD, ids=[case for case, _ in BAD])
def test_damaged_exports_fail_with_the_emulators_message(
    tmp_path: Path, case: str, request_name: str
) -> None:
    """An import of a damaged export fails with the recorded text and writes nothing."""
    paths = _bad_exports(tmp_path)
    emulator = Emulator()
    with pytest.raises(FirestoreError) as raised:
        emulator.import_(paths[case], database=DatabaseId("demo-bad"))
    assert raised.value.message == recorded_message(request_name, tmp_path)
    assert documents(emulator, "demo-bad", "(default)") == []


def _get(
    emulator: Emulator, project: str, path: str, database: str = "(default)"
) -> Document | None:
    target = emulator.database(project, database)
    try:
        return target.get_document(GetDocumentRequest(name=f"{target.id.documents_root}/{path}"))
    except FirestoreError:
        return None


def test_importing_over_documents_follows_the_emulators_rules(tmp_path: Path) -> None:
    """Imported fields replace the stored ones, create times stay, update times move, a
    re-import of identical fields changes nothing, and other documents are untouched."""
    root = write_files(tmp_path, RECORDING["exports"]["default"])
    overall = root / f"{EXPORT}.overall_export_metadata"
    emulator = Emulator()
    target = DatabaseId("demo-over")
    database = emulator.database(target.project)
    request = CommitRequest(database=target.root)
    for path, number in (("c/a", 99), ("other/doc", 1)):
        write = request.writes.add()
        write.update.name = f"{target.documents_root}/{path}"
        write.update.fields["n"].integer_value = number
        write.update.fields["extra"].boolean_value = True
    database.commit(request)
    before = _get(emulator, "demo-over", "c/a")
    other = _get(emulator, "demo-over", "other/doc")
    emulator.import_(overall, database=target)
    after = _get(emulator, "demo-over", "c/a")
    assert before is not None
    assert after is not None
    assert _json(after) == {"n": {"integerValue": "3"}}
    assert after.create_time == before.create_time
    assert after.update_time != before.update_time
    emulator.import_(overall, database=target)
    again = _get(emulator, "demo-over", "c/a")
    assert again is not None
    assert again.update_time == after.update_time
    assert _get(emulator, "demo-over", "other/doc") == other


def test_seeding_follows_the_emulators_rules(tmp_path: Path) -> None:
    """A seed fills each project's database of its ID on first access (create time = update
    time), leaves other database IDs alone, is not reapplied after a clear, and is applied
    again after a reset."""
    root = write_files(tmp_path, RECORDING["exports"]["default"])
    emulator = Emulator()
    emulator.import_(tmp_path)
    first = _get(emulator, "p1", "c/a")
    assert first is not None
    assert first.create_time == first.update_time
    assert _get(emulator, "p1", "missing/m/sub/y") is not None
    assert _get(emulator, "p1", "c/a", "db2") is None
    assert _get(emulator, "p2", "c/a") is not None
    emulator.database("p1").clear()
    assert _get(emulator, "p1", "c/a") is None
    emulator.reset()
    assert _get(emulator, "p1", "c/a") is not None
    del root


def test_a_whole_emulator_export_restores_every_database(tmp_path: Path) -> None:
    """Exporting every database and importing the directory restores each of them, and
    firebase-tools finds the (default) database of the main project."""
    source = Emulator()
    seed(source, "demo-export")
    seed(source, "other-project")
    source.export(tmp_path, project="demo-export")
    assert (tmp_path / "firebase-export-metadata.json").is_file()
    assert (tmp_path / EXPORT / f"{EXPORT}.overall_export_metadata").is_file()
    target = Emulator()
    target.import_(tmp_path)
    for project in ("demo-export", "other-project"):
        for database in ("(default)", "db2"):
            assert documents(target, project, database) == documents(source, project, database)
