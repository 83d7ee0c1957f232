"""The Firestore core: documents, queries, transactions and the change feed, over the v1 protos.

Pure Python, no gRPC or HTTP: `firelab.server`'s frontends call `Emulator` / `Database` with
the request messages they receive and send back what the core returns.
"""

from firelab.server.core._changes import ChangeBatch, ChangeListener, DocumentChange, Subscription
from firelab.server.core._checks import PlannedCommit, PlannedWrite, WriteCheck
from firelab.server.core._database import Database
from firelab.server.core._emulator import Emulator
from firelab.server.core._errors import Code, FirestoreError
from firelab.server.core._explain import IndexUsed, QueryObserver, QueryProfile
from firelab.server.core._indexes import IndexConfig
from firelab.server.core._names import (
    DEFAULT_DATABASE,
    DatabaseId,
    check_collection_id,
    check_document_id,
    check_path_ids,
    parse_database_name,
    parse_document_name,
    parse_parent_name,
)
from firelab.server.core._query import CompiledQuery
from firelab.server.core._transactions import LockState, WouldBlock

__all__ = [
    "DEFAULT_DATABASE",
    "ChangeBatch",
    "ChangeListener",
    "Code",
    "CompiledQuery",
    "Database",
    "DatabaseId",
    "DocumentChange",
    "Emulator",
    "FirestoreError",
    "IndexConfig",
    "IndexUsed",
    "LockState",
    "PlannedCommit",
    "PlannedWrite",
    "QueryObserver",
    "QueryProfile",
    "Subscription",
    "WouldBlock",
    "WriteCheck",
    "check_collection_id",
    "check_document_id",
    "check_path_ids",
    "parse_database_name",
    "parse_document_name",
    "parse_parent_name",
]
