"""Firestore indexes: the firestore.indexes.json format, and which indexes a query needs in
production (where a missing composite index fails the query, unlike on the emulator).

The implementation lives in the server's core, whose store builds its composite indexes and
enforces them from the same model; this package is its public face for tools that only need
the index logic (index generators, linters)."""

from __future__ import annotations

from google.cloud.firestore_v1.types import query as query_types

from firelab.server.core._index_file import (
    ARRAY_CONTAINS,
    ASCENDING,
    COLLECTION,
    COLLECTION_GROUP,
    DESCENDING,
    VECTOR,
    CompositeIndexDefinition,
    FieldOverride,
    IndexField,
    IndexFile,
    IndexFileError,
    SingleFieldIndex,
)
from firelab.server.core._index_requirements import IndexNeed, MissingIndex, index_needs
from firelab.server.core._index_requirements import missing_index as _missing_index
from firelab.server.core._names import DatabaseId as _DatabaseId
from firelab.server.core._query import CompiledQuery
from firelab.server.core._query import compile_query as _compile_query

__all__ = [
    "ARRAY_CONTAINS",
    "ASCENDING",
    "COLLECTION",
    "COLLECTION_GROUP",
    "DESCENDING",
    "VECTOR",
    "CompiledQuery",
    "CompositeIndexDefinition",
    "FieldOverride",
    "IndexField",
    "IndexFile",
    "IndexFileError",
    "IndexNeed",
    "MissingIndex",
    "SingleFieldIndex",
    "compile_structured_query",
    "index_needs",
    "missing_index",
]

_StructuredQuery = query_types.StructuredQuery.pb()


def compile_structured_query(
    query: object, parent: str = "", *, project: str = "firelab-indexes"
) -> CompiledQuery:
    """Validate and compile a StructuredQuery (raw protobuf or proto-plus, e.g. what
    google-cloud-firestore's `Query._to_protobuf()` returns) under a document path parent
    (`project` only shows in messages, such as a vector index's gcloud command)."""
    raw = query if isinstance(query, _StructuredQuery) else query_types.StructuredQuery.pb(query)
    path = tuple(segment for segment in parent.split("/") if segment)
    return _compile_query(_DatabaseId(project), path, raw)


def missing_index(
    query: object, indexes: IndexFile, parent: str = "", *, project: str = "firelab-indexes"
) -> MissingIndex | None:
    """The index production would need for `query` and `indexes` lacks, or None."""
    compiled = (
        query
        if isinstance(query, CompiledQuery)
        else compile_structured_query(query, parent, project=project)
    )
    return _missing_index(compiled, indexes)
