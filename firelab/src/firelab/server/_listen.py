"""The Listen stream: targets (documents or queries) kept current from the core's change feed.

For each added target the stream answers ADD, (RESET when the client resumes: the official
emulator starts over), one DocumentChange per document in the result, CURRENT and a global
NO_CHANGE carrying the snapshot's read time. After that each commit that touches a target sends
only what entered, changed in or left it, then one NO_CHANGE with the commit time, which is
what the SDKs turn into one snapshot per commit. Queries without limit, offset or cursors are
updated from the changed documents alone; the others are re-run on the core's indexes when a
document in their collection changes.

Everything about one stream runs in one coroutine: client requests and change batches (pushed
from the committing thread) arrive through one queue, so target state needs no lock.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import grpc
import grpc.aio

from firelab.server import _preflight as preflight
from firelab.server import _protos as protos
from firelab.server._access import AccessControl
from firelab.server._identity import Identity, identify
from firelab.server.core import (
    ChangeBatch,
    Code,
    Database,
    Emulator,
    FirestoreError,
    check_path_ids,
)

__all__ = ["ListenHub"]

_CHANGE = protos.TargetChange
_NO_CHANGE = 0
_ADD = 1
_REMOVE = 2
_CURRENT = 3
_RESET = 4


def _nanos(timestamp: Any) -> int:
    return int(timestamp.seconds) * 1_000_000_000 + int(timestamp.nanos)


def resume_token(timestamp: Any) -> bytes:
    """The opaque resume token of a snapshot: its read time."""
    return struct.pack(">qi", timestamp.seconds, timestamp.nanos)


@dataclass(slots=True)
class _Target:
    """One target of a stream and the documents currently in its result (name → version)."""

    target_id: int
    names: tuple[str, ...] = ()
    parent: str = ""
    query: Any = None
    collection_id: str = ""
    all_descendants: bool = False
    rerun: bool = False
    compiled: Any = None
    result: dict[str, int] = field(default_factory=dict)

    def in_scope(self, name: str) -> bool:
        """Whether a change to document `name` can affect this target."""
        if self.query is None:
            return name in self.names
        prefix = self.parent + "/"
        if not name.startswith(prefix):
            return False
        rest = name[len(prefix) :].split("/")
        if self.all_descendants:
            return len(rest) % 2 == 0 and rest[-2] == self.collection_id
        return len(rest) == 2 and rest[0] == self.collection_id


def _needs_rerun(query: Any) -> bool:
    return bool(
        query.HasField("limit")
        or query.offset
        or query.HasField("start_at")
        or query.HasField("end_at")
        or query.HasField("find_nearest")
    )


class _Outbox:
    """Per-document changes of one round, merged across targets."""

    def __init__(self) -> None:
        self.changed: dict[str, tuple[Any, list[int], list[int]]] = {}
        self.removed: dict[str, tuple[bool, list[int]]] = {}

    def add(self, document: Any, target_id: int) -> None:
        entry = self.changed.setdefault(document.name, (document, [], []))
        entry[1].append(target_id)

    def remove(self, name: str, target_id: int, *, deleted: bool) -> None:
        entry = self.removed.setdefault(name, (deleted, []))
        entry[1].append(target_id)

    def responses(self, read_time: Any) -> list[Any]:
        out = []
        for name, (document, added, _) in self.changed.items():
            removed = self.removed.pop(name, (False, []))[1]
            change = protos.DocumentChange(
                document=document, target_ids=added, removed_target_ids=removed
            )
            out.append(protos.ListenResponse(document_change=change))
        for name, (deleted, removed) in self.removed.items():
            if deleted:
                delete = protos.DocumentDelete(
                    document=name, removed_target_ids=removed, read_time=read_time
                )
                out.append(protos.ListenResponse(document_delete=delete))
            else:
                gone = protos.DocumentRemove(
                    document=name, removed_target_ids=removed, read_time=read_time
                )
                out.append(protos.ListenResponse(document_remove=gone))
        return out


def _target_change(kind: int, target_ids: Iterable[int] = (), **fields: Any) -> Any:
    return protos.ListenResponse(
        target_change=_CHANGE(target_change_type=kind, target_ids=list(target_ids), **fields)
    )


class ListenStream:
    """The state of one Listen stream over one database."""

    def __init__(self, database: Database, identity: Identity, access: AccessControl) -> None:
        self.database = database
        self.identity = identity
        self.access = access
        self.targets: dict[int, _Target] = {}

    # Adding targets ----------------------------------------------------------------------

    def add(self, spec: Any) -> list[Any]:
        """Responses for a newly added target (or its REMOVE with the reason it failed)."""
        target_id = int(spec.target_id)
        if target_id in self.targets:
            raise FirestoreError(Code.INVALID_ARGUMENT, f"Target ID {target_id} is already in use.")
        try:
            target = self._build(spec)
            read_time = self.database.current_time()
            documents = self._snapshot(target, read_time)
            self._authorize(target, documents)
        except FirestoreError as error:
            cause = protos.Status(code=int(error.code), message=error.message)
            return [_target_change(_REMOVE, [target_id], cause=cause)]
        self.targets[target_id] = target
        token = resume_token(read_time)
        out = [_target_change(_ADD, [target_id])]
        if spec.resume_token or spec.HasField("read_time"):
            out.append(_target_change(_RESET, [target_id]))
        for document in documents:
            target.result[document.name] = _nanos(document.update_time)
            change = protos.DocumentChange(document=document, target_ids=[target_id])
            out.append(protos.ListenResponse(document_change=change))
        out.append(_target_change(_CURRENT, [target_id], resume_token=token))
        out.append(_target_change(_NO_CHANGE, read_time=read_time, resume_token=token))
        return out

    def _build(self, spec: Any) -> _Target:
        target_id = int(spec.target_id)
        kind = spec.WhichOneof("target_type")
        if kind == "documents":
            names = tuple(spec.documents.documents)
            for name in names:
                database_id, path = preflight.document(name)
                self._same_database(database_id.root)
                check_path_ids(path)
            return _Target(target_id, names=names)
        if kind == "query":
            parent = spec.query.parent
            database_id, _ = preflight.parent(parent)
            self._same_database(database_id.root)
            query = spec.query.structured_query
            selectors = list(query.from_)
            compiled = self.database.compile_query(parent, query)
            return _Target(
                target_id,
                parent=parent,
                query=query,
                collection_id=selectors[0].collection_id if selectors else "",
                all_descendants=bool(selectors and selectors[0].all_descendants),
                rerun=_needs_rerun(query),
                compiled=compiled,
            )
        raise FirestoreError(Code.INVALID_ARGUMENT, "A target must name documents or a query.")

    def _same_database(self, root: str) -> None:
        if root != self.database.id.root:
            raise FirestoreError(
                Code.INVALID_ARGUMENT,
                f"Target database {root} does not match the stream's database"
                f" {self.database.id.root}.",
            )

    def _snapshot(self, target: _Target, read_time: Any) -> list[Any]:
        if target.query is None:
            found = (self.database.lookup(name) for name in target.names)
            return [document for document in found if document is not None]
        request = protos.RunQueryRequest(
            parent=target.parent, structured_query=target.query, read_time=read_time
        )
        return [
            response.document
            for response in self.database.run_query(request)
            if response.HasField("document")
        ]

    def _authorize(self, target: _Target, documents: list[Any]) -> None:
        database_id = self.database.id
        lookup = self.database.lookup
        if target.query is None:
            stored = {document.name: document for document in documents}
            self.access.require_gets(
                self.identity,
                database_id,
                [(name, stored.get(name)) for name in target.names],
                lookup,
            )
        else:
            self.access.require_list(
                self.identity,
                database_id,
                f"{target.parent}/{target.collection_id}",
                target.query,
                documents,
                lookup,
                collection_group=target.all_descendants,
            )

    def remove(self, target_id: int) -> list[Any]:
        """Responses for a removed target."""
        self.targets.pop(target_id, None)
        return [_target_change(_REMOVE, [target_id])]

    # Changes ------------------------------------------------------------------------------

    def apply(self, batch: ChangeBatch) -> list[Any]:
        """Responses for one committed batch: what changed per target, then NO_CHANGE."""
        outbox = _Outbox()
        for target in self.targets.values():
            if batch.reset:
                self._refresh(target, outbox, batch.commit_time)
                continue
            touched = [change for change in batch.changes if target.in_scope(change.name)]
            if not touched:
                continue
            if target.rerun:
                self._refresh(target, outbox, batch.commit_time)
                continue
            for change in touched:
                after = change.after
                matches = after is not None and (
                    target.query is None or target.compiled.matches(after)
                )
                self._update(target, outbox, change.name, after if matches else None, after)
        responses = outbox.responses(batch.commit_time)
        if not responses:
            return []
        token = resume_token(batch.commit_time)
        responses.append(
            _target_change(_NO_CHANGE, read_time=batch.commit_time, resume_token=token)
        )
        return responses

    def _update(
        self, target: _Target, outbox: _Outbox, name: str, member: Any, stored: Any
    ) -> None:
        if member is not None:
            version = _nanos(member.update_time)
            if target.result.get(name) != version:
                target.result[name] = version
                outbox.add(member, target.target_id)
        elif name in target.result:
            del target.result[name]
            outbox.remove(name, target.target_id, deleted=stored is None)

    def _refresh(self, target: _Target, outbox: _Outbox, read_time: Any) -> None:
        try:
            documents = self._snapshot(target, read_time)
        except FirestoreError:
            documents = self._snapshot(target, self.database.current_time())
        current = {document.name: document for document in documents}
        for name in list(target.result):
            if name not in current:
                self._update(target, outbox, name, None, self.database.lookup(name))
        for document in documents:
            self._update(target, outbox, document.name, document, document)


Schedule = Callable[[tuple[str, Any]], None]


class ListenHub:
    """Serves Listen streams for every database of an emulator."""

    def __init__(self, emulator: Emulator, access: AccessControl) -> None:
        self._emulator = emulator
        self._access = access

    async def serve(
        self,
        requests: AsyncIterator[Any],
        context: grpc.aio.ServicerContext[Any, Any],
        authorization: str | None,
    ) -> AsyncIterator[Any]:
        """Run one stream, yielding its responses until the client goes away."""
        try:
            identity = identify(authorization)
        except FirestoreError as error:
            await context.abort(grpc.StatusCode[error.code.name], error.message)
            return
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        reader = asyncio.create_task(self._read(requests, inbox))
        stream: ListenStream | None = None
        subscription = None
        try:
            while True:
                kind, item = await inbox.get()
                if kind == "end":
                    return
                if kind == "batch":
                    assert stream is not None
                    for response in stream.apply(item):
                        yield response
                    continue
                if stream is None:
                    database_id = preflight.database(item.database)
                    database = self._emulator.database(database_id.project, database_id.database)
                    stream = ListenStream(database, identity, self._access)

                    def deliver(batch: ChangeBatch) -> None:
                        loop.call_soon_threadsafe(inbox.put_nowait, ("batch", batch))

                    subscription = database.subscribe(deliver)
                elif item.database and item.database != stream.database.id.root:
                    raise FirestoreError(
                        Code.INVALID_ARGUMENT,
                        f"Request specified a database ({item.database}) that did not match the"
                        f" expected database ({stream.database.id.root})",
                    )
                which = item.WhichOneof("target_change")
                responses = []
                if which == "add_target":
                    responses = stream.add(item.add_target)
                elif which == "remove_target":
                    responses = stream.remove(int(item.remove_target))
                for response in responses:
                    yield response
        except FirestoreError as error:
            await context.abort(grpc.StatusCode[error.code.name], error.message)
        finally:
            if subscription is not None:
                subscription.close()
            reader.cancel()

    @staticmethod
    async def _read(requests: AsyncIterator[Any], inbox: asyncio.Queue[tuple[str, Any]]) -> None:
        try:
            async for request in requests:
                inbox.put_nowait(("request", request))
        finally:
            # Also when the client's side broke: the stream ends with it.
            inbox.put_nowait(("end", None))
