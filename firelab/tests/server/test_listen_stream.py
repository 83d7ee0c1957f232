"""The Listen stream on the wire, as the SDKs drive it: targets added and removed, the initial
result (ADD, documents, CURRENT, a global NO_CHANGE), one round of changes per commit, a
resumed target starting over with RESET (as the official emulator does), refused targets."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from firelab.server import _protos as protos

NO_CHANGE, ADD, REMOVE, CURRENT, RESET = 0, 1, 2, 3, 4
_END = object()


class Listen:
    """One raw Listen stream: `send` requests, `next` responses (or the error)."""

    def __init__(self, host: str, database: str) -> None:
        self.database = database
        self.channel = grpc.insecure_channel(host)
        self.requests: queue.Queue[Any] = queue.Queue()
        self.responses: queue.Queue[Any] = queue.Queue()
        method = self.channel.stream_stream(
            "/google.firestore.v1.Firestore/Listen",
            protos.ListenRequest.SerializeToString,
            protos.ListenResponse.FromString,
        )
        self.call = method(
            self._requests(), metadata=[("authorization", "Bearer owner")], timeout=30
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _requests(self) -> Iterator[Any]:
        while (request := self.requests.get()) is not _END:
            yield request

    def _read(self) -> None:
        try:
            for response in self.call:
                self.responses.put(response)
        except grpc.RpcError as error:
            self.responses.put(error)

    def add(self, target_id: int, **spec: Any) -> None:
        target = protos.Target(target_id=target_id, **spec)
        self.requests.put(protos.ListenRequest(database=self.database, add_target=target))

    def remove(self, target_id: int) -> None:
        self.requests.put(protos.ListenRequest(database=self.database, remove_target=target_id))

    def next(self) -> Any:
        return self.responses.get(timeout=10)

    def until_no_change(self) -> list[Any]:
        """Responses up to and including the next global NO_CHANGE."""
        out = []
        while True:
            response = self.next()
            out.append(response)
            if isinstance(response, grpc.RpcError):
                return out
            change = response.target_change
            is_global = response.HasField("target_change") and not change.target_ids
            if is_global and change.target_change_type == NO_CHANGE:
                return out

    def close(self) -> None:
        self.requests.put(_END)
        self.call.cancel()
        self.reader.join(10)
        self.channel.close()


def summary(response: Any) -> tuple[Any, ...]:
    """A compact, comparable view of one response."""
    kind = response.WhichOneof("response_type")
    if kind == "target_change":
        change = response.target_change
        return ("target", change.target_change_type, tuple(change.target_ids))
    if kind == "document_change":
        change = response.document_change
        name = change.document.name.rsplit("/", 1)[-1]
        return ("change", name, tuple(change.target_ids), tuple(change.removed_target_ids))
    if kind == "document_delete":
        delete = response.document_delete
        return ("delete", delete.document.rsplit("/", 1)[-1], tuple(delete.removed_target_ids))
    if kind == "document_remove":
        remove = response.document_remove
        return ("remove", remove.document.rsplit("/", 1)[-1], tuple(remove.removed_target_ids))
    return (kind,)


@pytest.fixture
def project(firestore_server):
    """A fresh project with `c/a {n: 1}` and `c/b {n: 2}`; (name, owner client, host)."""
    name = f"listen-{uuid.uuid4().hex[:8]}"
    db = firestore_server.owner_client(project=name)
    db.document("c/a").set({"n": 1})
    db.document("c/b").set({"n": 2})
    return name, db, firestore_server.host


def _query(project: str, **structured: Any) -> Any:
    query = protos.StructuredQuery(**structured)
    query.from_.add(collection_id="c")
    return protos.Target.QueryTarget(
        parent=f"projects/{project}/databases/(default)/documents", structured_query=query
    )


def test_a_query_target_starts_with_its_result(project):
    """ADD, one change per document, CURRENT with a resume token, then a global NO_CHANGE."""
    name, _, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    try:
        stream.add(2, query=_query(name))
        responses = stream.until_no_change()
    finally:
        stream.close()
    assert [summary(r) for r in responses] == [
        ("target", ADD, (2,)),
        ("change", "a", (2,), ()),
        ("change", "b", (2,), ()),
        ("target", CURRENT, (2,)),
        ("target", NO_CHANGE, ()),
    ]
    assert responses[3].target_change.resume_token
    assert responses[4].target_change.HasField("read_time")


def test_each_commit_sends_what_changed_then_no_change(project):
    """Entering, changing and leaving documents arrive as one round per commit."""
    name, db, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    try:
        stream.add(2, query=_query(name))
        stream.until_no_change()
        batch = db.batch()
        batch.set(db.document("c/c"), {"n": 3})
        batch.update(db.document("c/a"), {"n": 10})
        batch.delete(db.document("c/b"))
        batch.commit()
        round_one = sorted(summary(r) for r in stream.until_no_change()[:-1])
        db.document("other/x").set({"n": 1})
        db.document("c/a").set({"n": 10})
        db.document("c/c").update({"n": 4})
        round_two = [summary(r) for r in stream.until_no_change()]
    finally:
        stream.close()
    assert round_one == [
        ("change", "a", (2,), ()),
        ("change", "c", (2,), ()),
        ("delete", "b", (2,)),
    ]
    assert round_two == [("change", "c", (2,), ()), ("target", NO_CHANGE, ())]


def test_a_limit_query_swaps_documents_at_its_edge(project):
    """With a limit, a document pushed out leaves the target while the new one enters."""
    name, db, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    order = protos.StructuredQuery.Order(direction=2)
    order.field.field_path = "n"
    try:
        target = _query(name, order_by=[order])
        target.structured_query.limit.value = 1
        stream.add(4, query=target)
        first = [summary(r) for r in stream.until_no_change()]
        db.document("c/z").set({"n": 99})
        second = sorted(summary(r) for r in stream.until_no_change()[:-1])
    finally:
        stream.close()
    assert ("change", "b", (4,), ()) in first
    assert second == [("change", "z", (4,), ()), ("remove", "b", (4,))]


def test_a_document_target_tells_a_missing_document_by_silence(project):
    """A missing document gets no change: CURRENT alone says it does not exist."""
    name, db, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    documents = protos.Target.DocumentsTarget(
        documents=[f"projects/{name}/databases/(default)/documents/c/missing"]
    )
    try:
        stream.add(6, documents=documents)
        first = [summary(r) for r in stream.until_no_change()]
        db.document("c/missing").set({"n": 1})
        second = [summary(r) for r in stream.until_no_change()]
        stream.remove(6)
        removed = summary(stream.next())
    finally:
        stream.close()
    assert first == [("target", ADD, (6,)), ("target", CURRENT, (6,)), ("target", NO_CHANGE, ())]
    assert second == [("change", "missing", (6,), ()), ("target", NO_CHANGE, ())]
    assert removed == ("target", REMOVE, (6,))


def test_a_resumed_target_starts_over_with_reset(project):
    """A target added with a resume token is answered ADD, RESET and the whole result."""
    name, _, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    try:
        stream.add(2, query=_query(name))
        token = stream.until_no_change()[-1].target_change.resume_token
        stream.remove(2)
        stream.next()
        stream.add(8, query=_query(name), resume_token=token)
        resumed = [summary(r) for r in stream.until_no_change()]
    finally:
        stream.close()
    assert resumed[:2] == [("target", ADD, (8,)), ("target", RESET, (8,))]
    assert {r for r in resumed if r[0] == "change"} == {
        ("change", "a", (8,), ()),
        ("change", "b", (8,), ()),
    }


def test_a_bad_query_target_is_removed_with_its_cause(project):
    """An invalid query is refused target by target: REMOVE with the error as its cause."""
    name, _, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    try:
        target = _query(name, offset=-1)
        stream.add(10, query=target)
        response = stream.next()
    finally:
        stream.close()
    assert summary(response) == ("target", REMOVE, (10,))
    assert response.target_change.cause.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_a_target_id_in_use_ends_the_stream(project):
    """Adding a target ID that is already in use is INVALID_ARGUMENT."""
    name, _, host = project
    stream = Listen(host, f"projects/{name}/databases/(default)")
    try:
        stream.add(2, query=_query(name))
        stream.until_no_change()
        stream.add(2, query=_query(name))
        error = stream.next()
    finally:
        stream.close()
    assert isinstance(error, grpc.RpcError)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
