"""The Firestore v1 RPCs as the frontends (gRPC and REST) run them: checks in the emulator's order.

Each RPC parses the resource it names, then reads the caller from the `Authorization` header,
then lets the core validate and execute the request, and decides access for callers who are
not owners. The emulator's own admin-only operations (listing collection IDs, `show_missing`,
BatchWrite) refuse other callers after the request has been validated, as recorded in
auth.json. Methods block (commits may wait for transaction locks); they are thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from firelab.server import _preflight as preflight
from firelab.server import _protos as protos
from firelab.server._access import AccessControl
from firelab.server._identity import Identity, identify
from firelab.server.core import Code, Database, DatabaseId, Emulator, FirestoreError

__all__ = ["FirestoreApi", "unimplemented"]

METADATA_ADMIN_ONLY = "Metadata operations require admin authentication."
BATCH_WRITE_ADMIN_ONLY = "Batch writes require admin authentication."
SAME_DOCUMENT_TWICE = "the same document cannot be written more than once in a single request"
PIPELINE_EDITION = "ExecutePipeline requires the Database Edition to be `enterprise`."


def unimplemented(service: str, method: str) -> FirestoreError:
    """What the emulator answers for an RPC it does not implement (PartitionQuery)."""
    return FirestoreError(Code.UNIMPLEMENTED, f"Method {service}/{method} is unimplemented")


def _admin_only(identity: Identity, message: str) -> None:
    if not identity.owner:
        raise FirestoreError(Code.PERMISSION_DENIED, message)


def _write_name(write: Any) -> str | None:
    kind = write.WhichOneof("operation")
    if kind == "update":
        return str(write.update.name)
    if kind == "delete":
        return str(write.delete)
    if kind == "transform":
        return str(write.transform.document)
    return None


def _transaction_first(responses: Iterator[Any]) -> Iterator[Any]:
    """Streams that begin a transaction send its ID alone first, as the emulator does.

    The rest of that first response follows as its own message unless only a read time is
    left (rest.json: `batchGet` / `runQuery` in a new transaction).
    """
    for index, response in enumerate(responses):
        if index == 0 and response.transaction:
            rest = type(response)()
            rest.CopyFrom(response)
            rest.ClearField("transaction")
            yield type(response)(transaction=response.transaction)
            fields = {field.name for field, _ in rest.ListFields()}
            if fields - {"read_time"}:
                yield rest
            continue
        yield response


def _collection_name(parent: str, query: Any) -> tuple[str, bool]:
    selectors = list(query.from_)
    if not selectors:
        return parent, False
    return f"{parent}/{selectors[0].collection_id}", bool(selectors[0].all_descendants)


class FirestoreApi:
    """The RPCs of `google.firestore.v1.Firestore` over one `Emulator`."""

    def __init__(self, emulator: Emulator, access: AccessControl) -> None:
        self.emulator = emulator
        self.access = access
        self.read_observer: Callable[[int], None] | None = None
        """Called with the document reads each owner (server SDK) read request is billed; the
        console attributes them to the function runs in progress. None: nothing is counted."""

    def _owner_reads(self, identity: Identity, count: int) -> None:
        observer = self.read_observer
        if observer is not None and identity.owner:
            observer(count)

    def _counted(self, identity: Identity, responses: Iterator[Any], field: str) -> Iterator[Any]:
        """`responses`, reporting one read per response carrying `field` (at least one)."""
        observer = self.read_observer
        if observer is None or not identity.owner:
            return responses

        def counting() -> Iterator[Any]:
            reads = 0
            for response in responses:
                if response.HasField(field) or (field == "found" and response.missing):
                    reads += 1
                yield response
            observer(max(reads, 1))

        return counting()

    def database(self, database_id: DatabaseId) -> Database:
        """The core database for `database_id`."""
        return self.emulator.database(database_id.project, database_id.database)

    # Reads ------------------------------------------------------------------------------

    def get_document(self, request: Any, authorization: str | None) -> Any:
        """GetDocument."""
        database_id, _ = preflight.document(request.name)
        identity = identify(authorization)
        database = self.database(database_id)
        self._owner_reads(identity, 1)
        try:
            document = database.get_document(request)
        except FirestoreError as error:
            if error.code == Code.NOT_FOUND:
                self.access.require_gets(
                    identity, database_id, [(request.name, None)], database.lookup
                )
            raise
        if not self.access.bypassed(identity, database_id):
            stored = database.lookup(request.name)
            self.access.require_gets(
                identity, database_id, [(request.name, stored)], database.lookup
            )
        return document

    def batch_get_documents(self, request: Any, authorization: str | None) -> Iterator[Any]:
        """BatchGetDocuments: responses in request order (the new transaction first)."""
        database_id = preflight.database(request.database)
        identity = identify(authorization)
        database = self.database(database_id)
        responses = _transaction_first(database.batch_get_documents(request))
        if self.access.bypassed(identity, database_id):
            return self._counted(identity, responses, "found")
        collected = list(responses)
        reads = []
        for response in collected:
            kind = response.WhichOneof("result")
            if kind == "found":
                reads.append((response.found.name, database.lookup(response.found.name)))
            elif kind == "missing":
                reads.append((response.missing, None))
        self.access.require_gets(identity, database_id, reads, database.lookup)
        return iter(collected)

    def list_documents(self, request: Any, authorization: str | None) -> Any:
        """ListDocuments (REST GET of a collection)."""
        database_id, _ = preflight.parent(request.parent)
        identity = identify(authorization)
        database = self.database(database_id)
        response = database.list_documents(request)
        if request.show_missing:
            _admin_only(identity, METADATA_ADMIN_ONLY)
        if not self.access.bypassed(identity, database_id):
            self.access.require_list(
                identity,
                database_id,
                f"{request.parent}/{request.collection_id}",
                None,
                [database.lookup(document.name) for document in response.documents],
                database.lookup,
            )
        return response

    def list_collection_ids(self, request: Any, authorization: str | None) -> Any:
        """ListCollectionIds: administrators only."""
        database_id, _ = preflight.parent(request.parent)
        identity = identify(authorization)
        response = self.database(database_id).list_collection_ids(request)
        _admin_only(identity, METADATA_ADMIN_ONLY)
        return response

    def run_query(self, request: Any, authorization: str | None) -> Iterator[Any]:
        """RunQuery: responses in query order, `done` last."""
        database_id, _ = preflight.parent(request.parent)
        identity = identify(authorization)
        database = self.database(database_id)
        responses = _transaction_first(database.run_query(request))
        if self.access.bypassed(identity, database_id):
            return self._counted(identity, responses, "document")
        collected = list(responses)
        collection, group = _collection_name(request.parent, request.structured_query)
        self.access.require_list(
            identity,
            database_id,
            collection,
            request.structured_query,
            [
                database.lookup(response.document.name)
                for response in collected
                if response.HasField("document")
            ],
            database.lookup,
            collection_group=group,
        )
        return iter(collected)

    def run_aggregation_query(self, request: Any, authorization: str | None) -> Iterator[Any]:
        """RunAggregationQuery: decided like the query it aggregates."""
        database_id, _ = preflight.parent(request.parent)
        identity = identify(authorization)
        database = self.database(database_id)
        responses = _transaction_first(database.run_aggregation_query(request))
        if self.access.bypassed(identity, database_id):
            return self._counted(identity, responses, "result")
        collected = list(responses)
        query = request.structured_aggregation_query.structured_query
        collection, group = _collection_name(request.parent, query)
        names = [
            response.document.name
            for response in database.run_query(
                protos.RunQueryRequest(parent=request.parent, structured_query=query)
            )
            if response.HasField("document")
        ]
        self.access.require_list(
            identity,
            database_id,
            collection,
            query,
            [database.lookup(name) for name in names],
            database.lookup,
            collection_group=group,
        )
        return iter(collected)

    # Writes -----------------------------------------------------------------------------

    def commit(self, request: Any, authorization: str | None, *, wait: bool = True) -> Any:
        """Commit; with `wait` False, `WouldBlock` instead of waiting for a lock."""
        database_id = preflight.database(request.database)
        identity = identify(authorization)
        database = self.database(database_id)
        check = self.access.write_check(identity, database_id, database.lookup)
        return database.commit(request, check=check, wait=wait)

    def batch_write(self, request: Any, authorization: str | None) -> Any:
        """BatchWrite: administrators only, once the writes' names are known to be valid."""
        database_id = preflight.database(request.database)
        identity = identify(authorization)
        if not identity.owner:
            seen: set[str] = set()
            for write in request.writes:
                name = _write_name(write)
                if name is None:
                    continue
                preflight.document(name)
                if name in seen:
                    raise FirestoreError(Code.INVALID_ARGUMENT, SAME_DOCUMENT_TWICE)
                seen.add(name)
            _admin_only(identity, BATCH_WRITE_ADMIN_ONLY)
        return self.database(database_id).batch_write(request)

    def create_document(self, request: Any, authorization: str | None) -> Any:
        """CreateDocument (REST POST to a collection)."""
        database_id = preflight.new_document(
            request.parent, request.collection_id, request.document_id
        )
        identity = identify(authorization)
        database = self.database(database_id)
        check = self.access.write_check(identity, database_id, database.lookup)
        return database.create_document(request, check=check)

    def update_document(self, request: Any, authorization: str | None) -> Any:
        """UpdateDocument (REST PATCH)."""
        database_id, _ = preflight.document(request.document.name)
        identity = identify(authorization)
        database = self.database(database_id)
        check = self.access.write_check(identity, database_id, database.lookup)
        return database.update_document(request, check=check)

    def delete_document(self, request: Any, authorization: str | None) -> None:
        """DeleteDocument."""
        database_id, _ = preflight.document(request.name)
        identity = identify(authorization)
        database = self.database(database_id)
        check = self.access.write_check(identity, database_id, database.lookup)
        database.delete_document(request, check=check)

    # Transactions -----------------------------------------------------------------------

    def begin_transaction(self, request: Any, authorization: str | None) -> Any:
        """BeginTransaction."""
        database_id = preflight.database(request.database)
        identify(authorization)
        return self.database(database_id).begin_transaction(request)

    def rollback(self, request: Any, authorization: str | None) -> None:
        """Rollback."""
        database_id = preflight.database(request.database)
        identify(authorization)
        self.database(database_id).rollback(request)

    # Not served -------------------------------------------------------------------------

    def execute_pipeline(self, request: Any, authorization: str | None) -> None:
        """ExecutePipeline: refused on a standard-edition database, whoever asks."""
        preflight.database(request.database)
        raise FirestoreError(Code.INVALID_ARGUMENT, PIPELINE_EDITION)
