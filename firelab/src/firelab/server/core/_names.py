"""Resource names: databases, documents and collections, parsed with the emulator's messages.

A document path inside a database is a tuple of segments alternating collection ID and
document ID, e.g. `("c", "d", "sub", "e")`; a collection path has odd length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from firelab.server.core._errors import invalid
from firelab.server.core._values import numeric_id

__all__ = [
    "DEFAULT_DATABASE",
    "DatabaseId",
    "Path",
    "check_collection_id",
    "check_document_id",
    "check_key_lengths",
    "check_path_ids",
    "database_of",
    "parse_any_name",
    "parse_database_name",
    "parse_document_name",
    "parse_parent_name",
]

DEFAULT_DATABASE = "(default)"
MAX_ID_BYTES = 1500

Path = tuple[str, ...]

_RESERVED = re.compile(r"__.*__", re.DOTALL)


@dataclass(frozen=True, slots=True, order=True)
class DatabaseId:
    """One database of one project; databases never share data."""

    project: str
    database: str = DEFAULT_DATABASE

    @property
    def root(self) -> str:
        """`projects/{project}/databases/{database}`."""
        return f"projects/{self.project}/databases/{self.database}"

    @property
    def documents_root(self) -> str:
        """`projects/{project}/databases/{database}/documents`."""
        return f"{self.root}/documents"

    def name(self, path: Path) -> str:
        """The full resource name of the document (or collection) at `path`."""
        if not path:
            return self.documents_root
        return f"{self.documents_root}/{'/'.join(path)}"


def _literal(name: str, label: str, position: int, literal: str) -> int:
    if not name.startswith(literal, position):
        raise invalid(f'{label} "{name}" lacks "{literal}" at index {position}.')
    return position + len(literal)


def _segment(name: str, label: str, position: int) -> tuple[str, int]:
    end = name.find("/", position)
    if end < 0:
        end = len(name)
    return name[position:end], end


def parse_database_name(name: str, label: str = "Database name") -> DatabaseId:
    """`projects/{p}/databases/{d}` to its `DatabaseId` (nothing may follow)."""
    database, position = _parse_database_prefix(name, label)
    if position != len(name):
        raise invalid(f'{label} "{name}" has invalid trailing "{name[position:]}".')
    return database


def _parse_database_prefix(name: str, label: str) -> tuple[DatabaseId, int]:
    position = _literal(name, label, 0, "projects")
    position = _literal(name, label, position, "/")
    project, position = _segment(name, label, position)
    if not project:
        raise invalid(f'{label} "{name}" lacks a project id at index {position}.')
    position = _literal(name, label, position, "/")
    position = _literal(name, label, position, "databases")
    position = _literal(name, label, position, "/")
    database, position = _segment(name, label, position)
    if not database:
        raise invalid(f'{label} "{name}" lacks a database id at index {position}.')
    return DatabaseId(project, database), position


def database_of(name: str, label: str = "Document name") -> DatabaseId:
    """The database a resource name belongs to (the rest of the name is not checked)."""
    return _parse_database_prefix(name, label)[0]


def _parse_path(name: str, label: str, *, documents_required: bool) -> tuple[DatabaseId, Path]:
    database, position = _parse_database_prefix(name, label)
    if position == len(name) and not documents_required:
        return database, ()
    position = _literal(name, label, position, "/")
    position = _literal(name, label, position, "documents")
    if position == len(name):
        return database, ()
    position = _literal(name, label, position, "/")
    segments: list[str] = []
    while True:
        segment, end = _segment(name, label, position)
        if not segment:
            if end == len(name) and segments:
                raise invalid(f'{label} "{name}" has invalid trailing "/".')
            kind = "collection id" if len(segments) % 2 == 0 else "resource id"
            raise invalid(f'{label} "{name}" lacks a {kind} at index {position}.')
        _check_segment(name, label, segment, position, len(segments) % 2 == 0)
        segments.append(segment)
        if end == len(name):
            return database, tuple(segments)
        position = end + 1


def _check_segment(name: str, label: str, segment: str, position: int, collection: bool) -> None:
    if segment in (".", ".."):
        raise invalid(f'{label} "{name}" contains a resource id "{segment}" at index {position}.')


def parse_document_name(name: str, expected: DatabaseId | None = None) -> tuple[DatabaseId, Path]:
    """A document's full name to its database and path (even length, at least 2)."""
    database, path = _parse_path(name, "Document name", documents_required=True)
    if len(path) % 2 != 0 or not path:
        raise invalid(f'Document name "{name}" lacks "/" at index {len(name)}.')
    return database, path


def parse_parent_name(name: str) -> tuple[DatabaseId, Path]:
    """A parent (the documents root or a document) to its database and path."""
    database, path = _parse_path(name, "Document parent name", documents_required=True)
    if len(path) % 2 != 0:
        raise invalid(f'Document parent name "{name}" lacks "/" at index {len(name)}.')
    return database, path


def parse_any_name(name: str, label: str = "Document name") -> tuple[DatabaseId, Path]:
    """A name under `.../documents` of a document or a collection (any depth)."""
    return _parse_path(name, label, documents_required=True)


def check_collection_id(collection_id: str) -> None:
    """INVALID_ARGUMENT unless `collection_id` may name a collection."""
    if "/" in collection_id:
        raise invalid(f'Collection id "{collection_id}" is invalid because it contains "/".')
    if collection_id in (".", "..") or _RESERVED.fullmatch(collection_id):
        raise invalid(f'Collection id "{collection_id}" is invalid because it is reserved.')


def check_document_id(document_id: str) -> None:
    """INVALID_ARGUMENT unless `document_id` may name a document."""
    if "/" in document_id:
        raise invalid(f'Resource id "{document_id}" is invalid because it contains "/".')
    if document_id.startswith("__id") and document_id.endswith("__") and len(document_id) > 5:
        if numeric_id(document_id) is None:
            raise invalid(
                "A long document ID string must be formatted like '__id{LONG}__', where LONG "
                f"is a 64-bit integer. Found: '{document_id}'."
            )
        return
    if document_id in (".", "..") or _RESERVED.fullmatch(document_id):
        raise invalid(f'Resource id "{document_id}" is invalid because it is reserved.')


def check_path_ids(path: Path) -> None:
    """Check every collection and document ID of a path about to be written."""
    for index, segment in enumerate(path):
        if index % 2 == 0:
            check_collection_id(segment)
        else:
            check_document_id(segment)


def check_key_lengths(path: Path) -> None:
    """The Datastore key limits: every ID at most 1,500 UTF-8 bytes."""
    for index, segment in enumerate(path):
        if len(segment.encode("utf-8")) > MAX_ID_BYTES:
            element = "kind" if index % 2 == 0 else "name"
            raise invalid(f"The key path element {element} is longer than {MAX_ID_BYTES} bytes.")
