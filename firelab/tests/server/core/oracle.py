"""Reading the official emulator's recordings (../shared/oracle) for replay against the core."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from google.protobuf import json_format

from firelab.server.core import Database, FirestoreError
from firelab.server.core._protos import (
    CommitRequest,
    Document,
    StructuredQuery,
    Value,
    Write,
)

ORACLE = Path(
    os.environ.get(
        "FIRELAB_ORACLE_DIR",
        Path(__file__).resolve().parents[2] / "oracle" / "firestore-emulator-1.22.0",
    )
)


def load(name: str) -> dict[str, Any]:
    """One recording file, parsed."""
    data: dict[str, Any] = json.loads((ORACLE / name).read_text(encoding="utf-8"))
    return data


def fill(data: Any, database: Database) -> Any:
    """Replace the recordings' placeholders with the names of `database`."""
    text = json.dumps(data)
    text = text.replace("{documents}", database.id.documents_root)
    text = text.replace("{project}", database.id.project)
    return json.loads(text)


def value(data: dict[str, Any]) -> Value:
    """A Value from its REST JSON form."""
    message = Value()
    json_format.ParseDict(data, message)
    return message


def fields(data: dict[str, Any]) -> Document:
    """A Document holding only the given REST JSON fields."""
    message = Document()
    json_format.ParseDict({"fields": data}, message)
    return message


def structured_query(data: dict[str, Any]) -> StructuredQuery:
    """A StructuredQuery from its REST JSON form."""
    message = StructuredQuery()
    json_format.ParseDict(data, message)
    return message


def seed(database: Database, documents: list[dict[str, Any]]) -> None:
    """Commit every `{name, fields}` of a dataset (names relative to the documents root)."""
    request = CommitRequest(database=database.id.root)
    for document in fill(documents, database):
        write = request.writes.add()
        write.update.name = f"{database.id.documents_root}/{document['name']}"
        json_format.ParseDict({"fields": document["fields"]}, write.update)
    database.commit(request)


def relative(database: Database, name: str) -> str:
    """A full document name relative to the database's documents root."""
    return name[len(database.id.documents_root) + 1 :]


def outcome_of(error: FirestoreError, database: Database) -> dict[str, str]:
    """An error as the recordings write it (the project ID as `{project}`)."""
    return {
        "status": error.code.name,
        "message": error.message.replace(database.id.project, "{project}"),
    }


def verify_write(name: str, exists: bool | None) -> Write:
    """A `verify` write (field 5, unknown to the published protos), as the JS SDK sends it."""
    encoded = name.encode("utf-8")
    raw = b"\x2a" + _varint(len(encoded)) + encoded
    write = Write.FromString(raw)
    if exists is not None:
        write.current_document.exists = exists
    return write


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def b64(raw: bytes) -> str:
    """Base64 text of transaction bytes, as the recordings show them."""
    return base64.b64encode(raw).decode("ascii")


HTTP_STATUS = {
    "OK": 200,
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "UNKNOWN": 500,
    "INTERNAL": 500,
    "UNIMPLEMENTED": 501,
}


def timestamp_ranks(data: Any) -> Any:
    """Replace every RFC 3339 timestamp in a JSON tree by its rank among the tree's distinct
    timestamps, so recordings and replays compare by relationship (equal, later)."""
    import re

    pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
    found: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                collect(item)
        elif isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, str) and pattern.match(node):
            found.add(node)

    collect(data)

    def key(text: str) -> tuple[str, int]:
        head, _, rest = text[:-1].partition(".")
        return head, int((rest + "000000000")[:9])

    ranks = {text: f"<t{index}>" for index, text in enumerate(sorted(found, key=key))}

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: replace(v) for k, v in node.items()}
        if isinstance(node, list):
            return [replace(v) for v in node]
        if isinstance(node, str) and node in ranks:
            return ranks[node]
        return node

    return replace(data)
