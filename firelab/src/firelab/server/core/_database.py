"""`Database`: the Firestore v1 API of one (project, database), over protobuf messages.

Every method takes the request message the gRPC service receives and returns the response
message(s) it sends, so the gRPC and REST frontends are thin. Errors are `FirestoreError` with
the official emulator's status code and message. All methods are thread-safe; methods that may
wait for transaction locks block the calling thread (at most the lock timeout, 2 s by default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from firelab.server.core._changes import ChangeListener, Subscription
from firelab.server.core._checks import WriteCheck
from firelab.server.core._names import DatabaseId
from firelab.server.core._protos import (
    BatchGetDocumentsRequest,
    BatchGetDocumentsResponse,
    BatchWriteRequest,
    BatchWriteResponse,
    BeginTransactionRequest,
    BeginTransactionResponse,
    CommitRequest,
    CommitResponse,
    CreateDocumentRequest,
    DeleteDocumentRequest,
    Document,
    GetDocumentRequest,
    ListCollectionIdsRequest,
    ListCollectionIdsResponse,
    ListDocumentsRequest,
    ListDocumentsResponse,
    RollbackRequest,
    RunAggregationQueryRequest,
    RunAggregationQueryResponse,
    RunQueryRequest,
    RunQueryResponse,
    StructuredQuery,
    Timestamp,
    UpdateDocumentRequest,
)
from firelab.server.core._transactions import LockState

__all__ = ["Database"]

if TYPE_CHECKING:
    from firelab.server.core._engine import Engine
    from firelab.server.core._query import CompiledQuery


class Database:
    """One database: documents, indexes, open transactions and its change feed."""

    def __init__(self, database_id: DatabaseId, engine: Engine) -> None:
        self.id = database_id
        self._engine = engine

    # Reads ------------------------------------------------------------------------------

    def get_document(self, request: GetDocumentRequest) -> Document:
        """GetDocument: the document (masked by `request.mask`) or NOT_FOUND."""
        return self._engine.get_document(request)

    def batch_get_documents(
        self, request: BatchGetDocumentsRequest
    ) -> Iterator[BatchGetDocumentsResponse]:
        """BatchGetDocuments: one response per requested name, in request order.

        With `new_transaction` the first response carries only the new transaction ID.
        """
        return self._engine.batch_get_documents(request)

    def list_documents(self, request: ListDocumentsRequest) -> ListDocumentsResponse:
        """ListDocuments: one page of a collection (or of every collection when the ID is
        empty), with `show_missing` and page tokens as the emulator does."""
        return self._engine.list_documents(request)

    def list_collection_ids(self, request: ListCollectionIdsRequest) -> ListCollectionIdsResponse:
        """ListCollectionIds: the sorted IDs of collections directly under `request.parent`."""
        return self._engine.list_collection_ids(request)

    def run_query(self, request: RunQueryRequest) -> Iterator[RunQueryResponse]:
        """RunQuery: matching documents in query order, with skipped counts, then `done`.

        Validation errors are raised before the first response is produced (the iterator is
        created eagerly), so a frontend can map them to an RPC status.
        """
        return self._engine.run_query(request)

    def run_aggregation_query(
        self, request: RunAggregationQueryRequest
    ) -> Iterator[RunAggregationQueryResponse]:
        """RunAggregationQuery: one result (count/sum/avg by alias) with its read time."""
        return self._engine.run_aggregation_query(request)

    def lookup(self, name: str, *, read_time: Timestamp | None = None) -> Document | None:
        """The stored document with full resource name `name`, or None; takes no locks.

        For access decisions (rules' `get()`/`exists()`) and for frontends that need the
        current state without the side effects of a transactional read.
        """
        return self._engine.lookup(name, read_time)

    def compile_query(self, parent: str, query: StructuredQuery) -> CompiledQuery:
        """Validate `query` under `parent` once, for repeated evaluation (Listen targets)."""
        return self._engine.compile_query(parent, query)

    # Writes -----------------------------------------------------------------------------

    def commit(
        self, request: CommitRequest, *, check: WriteCheck | None = None, wait: bool = True
    ) -> CommitResponse:
        """Commit: apply every write atomically (or none), ending `request.transaction`.

        `check` sees the planned commit (documents before and after each write) and may veto it
        by raising `FirestoreError`; it runs while the commit holds its locks. With `wait`
        False, a commit that would wait for a lock (or runs in a transaction, which may)
        raises `WouldBlock` instead, having changed nothing: an event loop tries that first.
        """
        return self._engine.commit(request, check, wait)

    def batch_write(
        self, request: BatchWriteRequest, *, check: WriteCheck | None = None
    ) -> BatchWriteResponse:
        """BatchWrite: apply each write on its own; one status and result per write."""
        return self._engine.batch_write(request, check)

    def create_document(
        self, request: CreateDocumentRequest, *, check: WriteCheck | None = None
    ) -> Document:
        """CreateDocument: create under `parent/collection_id` (generated ID when empty)."""
        return self._engine.create_document(request, check)

    def update_document(
        self, request: UpdateDocumentRequest, *, check: WriteCheck | None = None
    ) -> Document:
        """UpdateDocument (REST PATCH): set or merge by `update_mask`, honour the precondition,
        and return the stored document masked by `request.mask`."""
        return self._engine.update_document(request, check)

    def delete_document(
        self, request: DeleteDocumentRequest, *, check: WriteCheck | None = None
    ) -> None:
        """DeleteDocument: delete `request.name`, honouring `current_document`."""
        self._engine.delete_document(request, check)

    # Transactions -----------------------------------------------------------------------

    def begin_transaction(self, request: BeginTransactionRequest) -> BeginTransactionResponse:
        """BeginTransaction: a new read-write (locking) or read-only (snapshot) transaction."""
        return self._engine.begin_transaction(request)

    def rollback(self, request: RollbackRequest) -> None:
        """Rollback: end the transaction and release its locks (unknown ones are fine)."""
        self._engine.rollback(request)

    # Administration ---------------------------------------------------------------------

    def clear(self) -> None:
        """Delete every document (the emulator's DELETE .../documents); listeners are told."""
        self._engine.clear()

    def subscribe(self, listener: ChangeListener) -> Subscription:
        """Call `listener` with each commit of this database from now on, in commit order."""
        return self._engine.feed.subscribe(listener)

    def lock_state(self) -> LockState:
        """What the lock table is doing now: waiting writes and reads, and counts of waits,
        lock timeouts and wounds so far."""
        return self._engine.lock_state()

    def wait_for_locks(
        self, predicate: Callable[[LockState], bool], *, timeout: float = 10.0
    ) -> bool:
        """Block until `predicate(lock_state)` holds (re-checked at every change of the lock
        table), or `timeout` seconds as a safety net; whether it held. Tests order concurrent
        requests with this instead of sleeping."""
        return self._engine.wait_for_locks(predicate, timeout)

    def recheck_locks(self) -> None:
        """Make waiting requests look at the clock again (after a hand-driven clock moved)."""
        self._engine.recheck_locks()

    def current_time(self) -> Timestamp:
        """The database's latest commit time (a read at this time sees every commit so far)."""
        return self._engine.current_time()
