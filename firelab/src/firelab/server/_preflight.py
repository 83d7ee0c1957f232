"""The checks an RPC makes before it reads the `Authorization` header.

The official emulator parses the resource a request names (database, document, parent) first,
then reads the header, then validates the rest (auth.json). The core validates whole requests;
this module runs only the name checks, with the core's parser, so a malformed name wins over a
malformed token.
"""

from __future__ import annotations

import re

from firelab.server.core import (
    Code,
    DatabaseId,
    FirestoreError,
    check_collection_id,
    check_document_id,
    parse_database_name,
    parse_document_name,
    parse_parent_name,
)

__all__ = ["database", "document", "new_document", "parent"]

_EMPTY_DATABASE = re.compile(r"projects/[^/]+/databases/")


def invalid(message: str) -> FirestoreError:
    """INVALID_ARGUMENT with the emulator's message."""
    return FirestoreError(Code.INVALID_ARGUMENT, message)


Path = tuple[str, ...]


def _collections(path: Path) -> None:
    for collection_id in path[::2]:
        check_collection_id(collection_id)


def database(name: str) -> DatabaseId:
    """A `projects/{p}/databases/{d}` name, or the emulator's INVALID_ARGUMENT."""
    if _EMPTY_DATABASE.fullmatch(name):
        # The emulator reads the empty ID after the last slash as a trailing slash
        # (export_import.json); the core's parser reports the missing ID.
        raise invalid(f'Database name "{name}" has invalid trailing "/".')
    return parse_database_name(name)


def document(name: str) -> tuple[DatabaseId, Path]:
    """A document name, or the emulator's INVALID_ARGUMENT ("Document name … lacks …")."""
    database_id, path = parse_document_name(name)
    _collections(path)
    return database_id, path


def parent(name: str) -> tuple[DatabaseId, Path]:
    """A query/list parent (the documents root or a document), or INVALID_ARGUMENT."""
    database_id, path = parse_parent_name(name)
    _collections(path)
    return database_id, path


def new_document(parent_name: str, collection_id: str, document_id: str) -> DatabaseId:
    """CreateDocument's parent, collection and document IDs, checked before the header."""
    database_id, _ = parent(parent_name)
    if collection_id:
        check_collection_id(collection_id)
        if document_id:
            check_document_id(document_id)
    return database_id
