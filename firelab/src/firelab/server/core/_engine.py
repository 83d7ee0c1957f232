"""The engine behind `Database`: one database's store, transactions and change feed.

Every request holds the engine's lock while it reads or writes (waits for transaction locks
release it), so reads see whole commits and listeners get commits one at a time, in order.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC

from firelab.server.core._aggregate import (
    aggregate,
    compile_aggregations,
    count_limit,
    ordered_by_operands,
    required_fields,
)
from firelab.server.core._changes import ChangeBatch, ChangeFeed, DocumentChange
from firelab.server.core._checks import PlannedCommit, PlannedWrite, WriteCheck
from firelab.server.core._entities import Entity
from firelab.server.core._errors import Code, FirestoreError, failed_precondition, invalid
from firelab.server.core._execute import Hit, Result, execute
from firelab.server.core._explain import (
    QueryObserver,
    QueryProfile,
    aggregation_reads,
    fill_metrics,
    plan_of,
    query_reads,
)
from firelab.server.core._fieldpaths import is_prefix, parse_field_path, set_field
from firelab.server.core._index_requirements import missing_index
from firelab.server.core._indexes import IndexConfig
from firelab.server.core._keys import document_key
from firelab.server.core._listing import (
    collection_ids,
    decode_token,
    encode_token,
    list_page,
    list_query,
)
from firelab.server.core._masks import apply_mask
from firelab.server.core._names import (
    DatabaseId,
    Path,
    check_collection_id,
    check_document_id,
    check_path_ids,
    parse_database_name,
    parse_document_name,
    parse_parent_name,
)
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
    DocumentMask,
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
    TransactionOptions,
    UpdateDocumentRequest,
    Value,
    Write,
    WriteResult,
)
from firelab.server.core._query import CompiledQuery, compile_query
from firelab.server.core._store import Record, Store
from firelab.server.core._timeutil import Clock, from_micros, set_micros, to_micros
from firelab.server.core._transactions import (
    LockState,
    Transaction,
    Transactions,
    WouldBlock,
    decode_transaction,
)
from firelab.server.core._transforms import server_time_us
from firelab.server.core._writes import (
    ParsedWrite,
    Planned,
    check_database,
    check_write_set,
    parse_write,
    plan_writes,
)

__all__ = ["Engine", "EngineSettings"]

_ID_ALPHABET = string.ascii_letters + string.digits


@dataclass
class EngineSettings:
    """Settings shared by every database of an emulator."""

    indexes: IndexConfig
    lock_timeout: float = 2.0
    transaction_timeout: float = 60.0
    retention_us: int = 3_600_000_000
    clock: Clock = field(default_factory=Clock)
    query_observer: QueryObserver | None = None
    """Called with the profile of every query and aggregation run (see `_explain`)."""
    monotonic: Callable[[], float] = time.monotonic
    """The seconds lock timeouts and transaction expiry count (a test may drive it)."""


@dataclass(slots=True)
class _Read:
    """How a read request reads: at a snapshot time, or the latest state under a transaction."""

    snapshot_us: int | None
    transaction: Transaction | None
    new_transaction: bytes


class Engine:
    """One database: store, transactions, change feed."""

    def __init__(
        self,
        database: DatabaseId,
        settings: EngineSettings,
        publish: Callable[[ChangeBatch], None],
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = settings.clock
        self.feed = ChangeFeed()
        self._publish_all = publish
        self._condition = threading.Condition(threading.RLock())
        self.store = Store(database, settings.retention_us)
        for index in settings.indexes.indexes:
            self.store.composite_index(index.keyer())
        self.transactions = Transactions(
            self._condition,
            settings.lock_timeout,
            settings.transaction_timeout,
            settings.monotonic,
        )

    # Helpers ----------------------------------------------------------------------------

    def _document_path(self, name: str) -> Path:
        owner, path = parse_document_name(name)
        check_database(self.database, owner)
        return path

    def _read_path(self, name: str) -> Path:
        """A document a client reads: reserved IDs anywhere in it are INVALID_ARGUMENT, as
        production answers reads, queries and listens alike."""
        path = self._document_path(name)
        check_path_ids(path)
        return path

    def _parent_path(self, name: str) -> Path:
        owner, path = parse_parent_name(name)
        check_database(self.database, owner)
        check_path_ids(path)
        return path

    def _check_read_time(self, stamp: Timestamp) -> int:
        micros = to_micros(stamp)
        now = self.clock.now()
        if micros > now:
            raise invalid("The requested 'read_time' cannot be in the future.")
        if micros < now - self.settings.retention_us:
            raise failed_precondition("The requested 'read_time' is too old.")
        return micros

    def _begin_from(self, options: TransactionOptions) -> Transaction:
        if options.HasField("read_only"):
            read_us = (
                self._check_read_time(options.read_only.read_time)
                if options.read_only.HasField("read_time")
                else self.clock.tick()
            )
            return self.transactions.begin(read_only=True, read_us=read_us)
        retried = None
        if options.read_write.retry_transaction:
            retried = decode_transaction(options.read_write.retry_transaction)
        return self.transactions.begin(read_only=False, read_us=None, retry_of=retried)

    def _read_mode(self, request: object) -> _Read:
        """Resolve a read request's consistency selector (call with the lock held)."""
        selector = request.WhichOneof("consistency_selector")  # type: ignore[attr-defined]
        if selector == "transaction":
            transaction = self.transactions.lookup(request.transaction)  # type: ignore[attr-defined]
            snapshot = transaction.read_us if transaction.read_only else None
            return _Read(snapshot, None if transaction.read_only else transaction, b"")
        if selector == "new_transaction":
            transaction = self._begin_from(request.new_transaction)  # type: ignore[attr-defined]
            snapshot = transaction.read_us if transaction.read_only else None
            return _Read(snapshot, None if transaction.read_only else transaction, transaction.id)
        if selector == "read_time":
            snapshot = self._check_read_time(request.read_time)  # type: ignore[attr-defined]
            self.transactions.spend()
            return _Read(snapshot, None, b"")
        self.transactions.spend()
        return _Read(None, None, b"")

    def _record_at(self, key: bytes, snapshot_us: int | None) -> Record | None:
        if snapshot_us is None:
            return self.store.get_key(key)
        return self.store.state_at(key, snapshot_us)

    def _read_time(self, mode: _Read) -> Timestamp:
        return from_micros(mode.snapshot_us if mode.snapshot_us is not None else self.clock.now())

    def _document(self, record: Record, mask: DocumentMask | None) -> Document:
        document = record.document(self.database)
        if mask is not None:
            apply_mask(document, [parse_field_path(p) for p in mask.field_paths])
        return document

    # Reads ------------------------------------------------------------------------------

    def get_document(self, request: GetDocumentRequest) -> Document:
        path = self._read_path(request.name)
        mask = request.mask if request.HasField("mask") else None
        if mask is not None:
            for field_path in mask.field_paths:
                parse_field_path(field_path)
        with self._condition:
            mode = self._read_mode(request)
            key = document_key(path)
            if mode.transaction is not None:
                self.transactions.lock_documents(mode.transaction, [key])
            record = self._record_at(key, mode.snapshot_us)
            if record is None:
                raise FirestoreError(Code.NOT_FOUND, f"Document ({request.name}) not found.")
            return self._document(record, mask)

    def batch_get_documents(
        self, request: BatchGetDocumentsRequest
    ) -> Iterator[BatchGetDocumentsResponse]:
        owner = parse_database_name(request.database)
        check_database(self.database, owner)
        paths = [self._read_path(name) for name in request.documents]
        mask = request.mask if request.HasField("mask") else None
        responses = []
        with self._condition:
            mode = self._read_mode(request)
            keys = [document_key(path) for path in paths]
            if mode.transaction is not None:
                self.transactions.lock_documents(mode.transaction, keys)
            read_time = self._read_time(mode)
            if mode.new_transaction:
                responses.append(
                    BatchGetDocumentsResponse(transaction=mode.new_transaction, read_time=read_time)
                )
            for name, key in zip(request.documents, keys, strict=True):
                record = self._record_at(key, mode.snapshot_us)
                response = BatchGetDocumentsResponse(read_time=read_time)
                if record is None:
                    response.missing = name
                else:
                    response.found.CopyFrom(self._document(record, mask))
                responses.append(response)
        return iter(responses)

    def lookup(self, name: str, read_time: Timestamp | None) -> Document | None:
        path = self._document_path(name)
        with self._condition:
            snapshot = to_micros(read_time) if read_time is not None else None
            record = self._record_at(document_key(path), snapshot)
            return record.document(self.database) if record is not None else None

    def current_time(self) -> Timestamp:
        return from_micros(self.clock.now())

    def list_documents(self, request: ListDocumentsRequest) -> ListDocumentsResponse:
        parent = self._parent_path(request.parent)
        if request.collection_id:
            check_collection_id(request.collection_id)
        query = list_query(
            self.database,
            parent,
            request.collection_id,
            request.order_by,
            request.page_size,
            request.show_missing,
        )
        position = decode_token(request.page_token) if request.page_token else 0
        mask = request.mask if request.HasField("mask") else None
        with self._condition:
            mode = self._read_mode(request)
            if mode.transaction is not None:
                self.transactions.lock_kind(mode.transaction, request.collection_id)
            page, more = list_page(
                self.store,
                query,
                page_size=request.page_size,
                position=position,
                show_missing=request.show_missing,
                snapshot_us=mode.snapshot_us,
            )
            response = ListDocumentsResponse()
            for entry in page:
                if isinstance(entry, Record):
                    response.documents.append(self._document(entry, mask))
                else:
                    response.documents.add().name = self.database.name(entry)
            if more and page:
                response.next_page_token = encode_token(
                    response.documents[-1].name, position + len(page)
                )
            return response

    def list_collection_ids(self, request: ListCollectionIdsRequest) -> ListCollectionIdsResponse:
        parent = self._parent_path(request.parent)
        if request.page_size < 0:
            raise invalid("page_size must be greater than or equal to zero.")
        position = decode_token(request.page_token) if request.page_token else 0
        with self._condition:
            snapshot_us = None
            if request.WhichOneof("consistency_selector") == "read_time":
                snapshot_us = self._check_read_time(request.read_time)
            ids = collection_ids(self.store, parent, snapshot_us)
        page = ids[position : position + request.page_size] if request.page_size else ids[position:]
        response = ListCollectionIdsResponse(collection_ids=page)
        if request.page_size and len(page) == request.page_size and page:
            response.next_page_token = encode_token(page[-1], position + len(page))
        return response

    def compile_query(self, parent: str, query: StructuredQuery) -> CompiledQuery:
        compiled = compile_query(self.database, self._parent_path(parent), query)
        if self.settings.indexes.enforce:
            missing = missing_index(compiled, self.settings.indexes.source)
            if missing is not None:
                raise failed_precondition(missing.message())
        return compiled

    def run_query(self, request: RunQueryRequest) -> Iterator[RunQueryResponse]:
        query = self.compile_query(request.parent, request.structured_query)
        explain = request.explain_options if request.HasField("explain_options") else None
        with self._condition:
            mode = self._read_mode(request)
            read_time = self._read_time(mode)
            if explain is not None and not explain.analyze:
                response = RunQueryResponse(read_time=read_time, done=True)
                if mode.new_transaction:
                    response.transaction = mode.new_transaction
                fill_metrics(response.explain_metrics, plan_of(query), None)
                return iter([response])
            if mode.transaction is not None:
                self.transactions.lock_kind(mode.transaction, query.collection_id)
            started = time.perf_counter_ns()
            result = execute(
                self.store, query, snapshot_us=mode.snapshot_us, indexes=self.settings.indexes
            )
            duration = time.perf_counter_ns() - started
            responses = []
            if mode.new_transaction:
                responses.append(
                    RunQueryResponse(transaction=mode.new_transaction, read_time=read_time)
                )
            for hit in result.hits:
                response = RunQueryResponse(read_time=read_time, skipped_results=result.skipped)
                response.document.CopyFrom(self._result_document(query, hit))
                responses.append(response)
        if responses and responses[-1].HasField("document"):
            responses[-1].skipped_results = 0
            responses[-1].done = True
        elif responses:
            responses[-1].done = True
        else:
            responses.append(RunQueryResponse(read_time=read_time, done=True))
        if explain is not None or self.settings.query_observer is not None:
            profile = self._profile(
                query,
                "vector query" if query.nearest is not None else "query",
                result,
                query_reads(len(result.hits), result.skipped),
                duration,
            )
            if explain is not None:
                fill_metrics(responses[-1].explain_metrics, profile.plan, profile)
        return iter(responses)

    def _result_document(self, query: CompiledQuery, hit: Hit) -> Document:
        """A query result as sent: projected, with a vector query's distance written into
        `distance_result_field` (overwriting a stored field of that name) unless a `select`
        leaves that field out (nodejs-firestore system-test "supports requesting computed
        distance in select queries")."""
        document = hit.record.document(self.database)
        if query.projection is not None:
            apply_mask(document, list(query.projection))
        nearest = query.nearest
        if nearest is not None and nearest.result_field is not None and hit.distance is not None:
            field = nearest.result_field
            if query.projection is None or any(
                is_prefix(selected, field) for selected in query.projection
            ):
                set_field(document.fields, field, Value(double_value=hit.distance))
        return document

    def _profile(
        self,
        query: CompiledQuery,
        kind: str,
        result: Result,
        reads: int,
        duration_ns: int,
    ) -> QueryProfile:
        """The run's profile (for explain), also handed to the query observer; computed only
        when one of them asks, as it plans the indexes production would use."""
        if query.is_group:
            target = f"collection group {query.collection_id}"
        elif query.collection_id:
            target = "/".join((*query.parent, query.collection_id))
        else:
            target = f"every collection under {'/'.join(query.parent) or 'the root'}"
        profile = QueryProfile(
            database=self.database,
            target=target,
            kind=kind,
            plan=plan_of(query),
            results_returned=1 if kind == "aggregation" else len(result.hits),
            documents_scanned=result.examined,
            index_entries_scanned=result.examined,
            read_operations=reads,
            duration_ns=max(duration_ns, 1),
        )
        observer = self.settings.query_observer
        if observer is not None:
            observer(profile)
        return profile

    def run_aggregation_query(
        self, request: RunAggregationQueryRequest
    ) -> Iterator[RunAggregationQueryResponse]:
        structured = request.structured_aggregation_query
        query = self.compile_query(request.parent, structured.structured_query)
        aggregations = compile_aggregations(list(structured.aggregations))
        query = ordered_by_operands(replace(query, required=required_fields(aggregations)))
        needed = count_limit(aggregations)
        if needed is not None and (query.limit is None or needed < query.limit):
            query = replace(query, limit=needed)
        explain = request.explain_options if request.HasField("explain_options") else None
        with self._condition:
            mode = self._read_mode(request)
            read_time = self._read_time(mode)
            if explain is not None and not explain.analyze:
                response = RunAggregationQueryResponse(read_time=read_time)
                if mode.new_transaction:
                    response.transaction = mode.new_transaction
                fill_metrics(response.explain_metrics, plan_of(query), None)
                return iter([response])
            if mode.transaction is not None:
                self.transactions.lock_kind(mode.transaction, query.collection_id)
            started = time.perf_counter_ns()
            result = execute(
                self.store, query, snapshot_us=mode.snapshot_us, indexes=self.settings.indexes
            )
            duration = time.perf_counter_ns() - started
        values = aggregate(aggregations, [hit.fields for hit in result.hits])
        response = RunAggregationQueryResponse(read_time=read_time)
        if mode.new_transaction:
            response.transaction = mode.new_transaction
        for alias, value in values.items():
            response.result.aggregate_fields[alias].CopyFrom(value)
        if explain is not None or self.settings.query_observer is not None:
            profile = self._profile(
                query, "aggregation", result, aggregation_reads(result.examined), duration
            )
            if explain is not None:
                fill_metrics(response.explain_metrics, profile.plan, profile)
        return iter([response])

    # Transactions -----------------------------------------------------------------------

    def begin_transaction(self, request: BeginTransactionRequest) -> BeginTransactionResponse:
        owner = parse_database_name(request.database)
        check_database(self.database, owner)
        with self._condition:
            transaction = self._begin_from(request.options)
            return BeginTransactionResponse(transaction=transaction.id)

    def rollback(self, request: RollbackRequest) -> None:
        owner = parse_database_name(request.database)
        check_database(self.database, owner)
        with self._condition:
            self.transactions.rollback(request.transaction)

    # Writes -----------------------------------------------------------------------------

    def commit(
        self, request: CommitRequest, check: WriteCheck | None, wait: bool = True
    ) -> CommitResponse:
        owner = parse_database_name(request.database)
        check_database(self.database, owner)
        if request.transaction:
            decode_transaction(request.transaction)
        writes = [parse_write(self.database, write) for write in request.writes]
        with self._condition:
            if not wait and (
                request.transaction
                or self.transactions.would_wait([(w.key, w.path[-2]) for w in writes])
            ):
                raise WouldBlock
            transaction = None
            number = 0
            if request.transaction:
                transaction = self.transactions.lookup(request.transaction)
                if transaction.read_only:
                    if writes:
                        raise invalid("Cannot modify entities in a read-only transaction.")
                    self.transactions.end(transaction)
                    return CommitResponse(commit_time=from_micros(self.clock.now()))
            else:
                number = self.transactions.spend()
            try:
                check_write_set(writes, batch=False)
                if writes:
                    self.transactions.wait_for_writes(
                        transaction, [(write.key, write.path[-2]) for write in writes], number
                    )
                elif transaction is not None:
                    self.transactions.check_commit(transaction)
                response = self._apply(writes, check)
            finally:
                if transaction is not None:
                    self.transactions.end(transaction)
            return response

    def batch_write(
        self, request: BatchWriteRequest, check: WriteCheck | None
    ) -> BatchWriteResponse:
        owner = parse_database_name(request.database)
        check_database(self.database, owner)
        writes = [parse_write(self.database, write) for write in request.writes]
        check_write_set(writes, batch=True)
        response = BatchWriteResponse()
        with self._condition:
            number = self.transactions.spend()
            for write in writes:
                status = response.status.add()
                try:
                    self.transactions.wait_for_writes(None, [(write.key, write.path[-2])], number)
                    applied = self._apply([write], check)
                    response.write_results.append(applied.write_results[0])
                except FirestoreError as error:
                    status.code = int(error.code)
                    status.message = error.message
                    response.write_results.add()
        return response

    def create_document(self, request: CreateDocumentRequest, check: WriteCheck | None) -> Document:
        parent = self._parent_path(request.parent)
        check_collection_id(request.collection_id)
        document_id = request.document_id or "".join(
            secrets.choice(_ID_ALPHABET) for _ in range(20)
        )
        check_document_id(document_id)
        name = self.database.name((*parent, request.collection_id, document_id))
        write = Write()
        write.update.name = name
        write.update.fields.MergeFrom(request.document.fields)
        write.current_document.exists = False
        self.commit(CommitRequest(database=self.database.root, writes=[write]), check)
        return self._read_back(name, request.mask if request.HasField("mask") else None)

    def update_document(self, request: UpdateDocumentRequest, check: WriteCheck | None) -> Document:
        write = Write()
        write.update.CopyFrom(request.document)
        if request.HasField("update_mask"):
            write.update_mask.CopyFrom(request.update_mask)
        if request.HasField("current_document"):
            write.current_document.CopyFrom(request.current_document)
        self.commit(CommitRequest(database=self.database.root, writes=[write]), check)
        mask = request.mask if request.HasField("mask") else None
        return self._read_back(request.document.name, mask)

    def delete_document(self, request: DeleteDocumentRequest, check: WriteCheck | None) -> None:
        write = Write(delete=request.name)
        if request.HasField("current_document"):
            write.current_document.CopyFrom(request.current_document)
        self.commit(CommitRequest(database=self.database.root, writes=[write]), check)

    def _read_back(self, name: str, mask: DocumentMask | None) -> Document:
        with self._condition:
            record = self.store.get(self._document_path(name))
            if record is None:
                raise FirestoreError(Code.NOT_FOUND, f"Document ({name}) not found.")
            return self._document(record, mask)

    def _apply(self, writes: list[ParsedWrite], check: WriteCheck | None) -> CommitResponse:
        """Plan, check and store writes atomically (lock held); publish the changes."""
        commit_us = self.clock.tick()
        planned = plan_writes(self.database, writes, self.store.get_key, commit_us)
        if check is not None:
            check(self._planned_commit(writes, planned, commit_us))
        changes: list[DocumentChange] = []
        final_update: dict[bytes, int | None] = {}
        for key, state in planned.after.items():
            before = planned.before[key]
            path = planned.paths[key]
            if state is None or state.fields is None:
                if before is None:
                    final_update[key] = None
                    continue
                self.store.put(path, None, commit_us)
                final_update[key] = None
                changes.append(DocumentChange(self.database.name(path), self._lazy(before), None))
                continue
            if before is not None and before.fields_document() == state.fields:
                final_update[key] = before.update_us
                continue
            change = self.store.put(path, state.fields, commit_us)
            final_update[key] = commit_us
            assert change.after is not None
            changes.append(
                DocumentChange(
                    self.database.name(path), self._lazy(before), self._lazy(change.after)
                )
            )
        response = CommitResponse()
        if writes:
            set_micros(response.commit_time, commit_us)
        for write, transform_results in zip(writes, planned.results, strict=True):
            result = WriteResult()
            update_us = final_update.get(write.key)
            if write.kind not in ("delete", "verify") and update_us is not None:
                set_micros(result.update_time, update_us)
            result.transform_results.extend(transform_results)
            response.write_results.append(result)
        if changes:
            batch = ChangeBatch(self.database, from_micros(commit_us), tuple(changes))
            self.feed.publish(batch)
            self._publish_all(batch)
        return response

    def _lazy(self, record: Record | None) -> Callable[[], Document | None] | None:
        if record is None:
            return None
        database = self.database
        return lambda: record.document(database)

    def _planned_commit(
        self, writes: list[ParsedWrite], planned: Planned, commit_us: int
    ) -> PlannedCommit:
        after: dict[str, Document | None] = {}
        for key, state in planned.after.items():
            name = self.database.name(planned.paths[key])
            if state is None or state.fields is None:
                after[name] = None
                continue
            document = Document()
            document.CopyFrom(state.fields)
            document.name = name
            set_micros(document.create_time, state.create_us or commit_us)
            set_micros(document.update_time, commit_us)
            after[name] = document
        planned_writes = []
        for write in writes:
            name = self.database.name(write.path)
            before = planned.before[write.key]
            planned_writes.append(
                PlannedWrite(
                    name,
                    write.write,
                    before.document(self.database) if before is not None else None,
                    after[name],
                )
            )

        def read_before(name: str) -> Document | None:
            key = document_key(self._document_path(name))
            record = self.store.state_at(key, commit_us - 1)
            return record.document(self.database) if record is not None else None

        commit_time = from_micros(server_time_us(commit_us)).ToDatetime(tzinfo=UTC)
        return PlannedCommit(tuple(planned_writes), read_before, after, commit_time)

    # Administration ---------------------------------------------------------------------

    def clear(self) -> None:
        with self._condition:
            removed = self.store.clear()
            if removed:
                now = from_micros(self.clock.tick())
                changes = tuple(
                    DocumentChange(
                        self.database.name(record.path), record.document(self.database), None
                    )
                    for record in removed
                )
                batch = ChangeBatch(self.database, now, changes, reset=True)
                self.feed.publish(batch)
                self._publish_all(batch)

    def lock_state(self) -> LockState:
        with self._condition:
            return self.transactions.state()

    def wait_for_locks(self, predicate: Callable[[LockState], bool], timeout: float) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: predicate(self.transactions.state()), timeout)

    def recheck_locks(self) -> None:
        with self._condition:
            self.transactions.recheck()

    def close(self) -> None:
        """Forget open transactions and their locks (reset)."""
        with self._condition:
            self.transactions.clear()

    def snapshot(self) -> list[Record]:
        """Every current document version (for export)."""
        with self._condition:
            return list(self.store.docs.values())

    def import_entities(self, entities: list[Entity]) -> None:
        """Write imported documents in one commit: fields replaced, create times kept, and
        documents already holding exactly the imported fields left untouched."""
        with self._condition:
            documents: dict[bytes, tuple[Path, Document]] = {}
            for entity in entities:
                if entity.database != self.database.database:
                    continue
                documents[document_key(entity.path)] = (entity.path, entity.fields)
            if not documents:
                return
            commit_us = self.clock.tick()
            changes = []
            for key, (path, fields) in documents.items():
                before = self.store.get_key(key)
                if before is not None and before.fields_document() == fields:
                    continue
                change = self.store.put(path, fields, commit_us)
                assert change.after is not None
                changes.append(
                    DocumentChange(
                        self.database.name(path),
                        before.document(self.database) if before is not None else None,
                        change.after.document(self.database),
                    )
                )
            if changes:
                batch = ChangeBatch(self.database, from_micros(commit_us), tuple(changes))
                self.feed.publish(batch)
                self._publish_all(batch)
