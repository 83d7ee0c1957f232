"""write_stream.json replayed through the wire: the Write stream's handshake, tokens, pipelined
batches, empty requests, errors, resumption and lock waits, as the web and mobile SDKs use it.

Each scenario runs on its own stream and project, anonymously, with the
`google-cloud-resource-prefix` metadata the SDKs send. Responses are summarised as recorded:
which fields are present, the stream token as text, the number of transform results, and the
time each answer took rounded to half a second. That time is the server's lock clock, which the
replay drives: while an answer is awaited and a write waits for a lock, the clock jumps to the
lock's deadline.
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from firelab.server import FirestoreServer
from firelab.server import _protos as protos
from firelab.server.core import Database, Emulator
from firelab.server.core._transactions import LockState

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
SCENARIOS = json.loads((ORACLE / "write_stream.json").read_text("utf-8"))["scenarios"]
_END = object()


def _write(documents: str, shorthand: dict[str, Any]) -> Any:
    """A Write from the recording's shorthand (tools/oracle/write_stream.mjs `writeProto`)."""
    write = protos.Write()
    write.update.name = f"{documents}/{shorthand['update']}"
    if "n" in shorthand:
        write.update.fields["n"].integer_value = shorthand["n"]
    if shorthand.get("reserved"):
        write.update.fields["__x__"].null_value = 0
    if "exists" in shorthand:
        write.current_document.exists = shorthand["exists"]
    if "increment" in shorthand:
        transform = write.update_transforms.add(field_path=shorthand["increment"])
        transform.increment.integer_value = 1
    if "serverTime" in shorthand:
        transform = write.update_transforms.add(field_path=shorthand["serverTime"])
        transform.set_to_server_value = 1
    return write


class ManualClock:
    """The lock clock's seconds, moved only by the replay."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clocked_server() -> Iterator[tuple[FirestoreServer, ManualClock]]:
    clock = ManualClock()
    with FirestoreServer(emulator=Emulator(monotonic=clock)) as server:
        yield server, clock


class Stream:
    """One Write stream driven step by step; each arrival is signalled on the lock table, so
    a replay waiting there for "an answer, or a write stuck on a lock" wakes up."""

    def __init__(self, channel: grpc.Channel, database: str, watched: Database) -> None:
        self.watched = watched
        self.outbox: queue.Queue[Any] = queue.Queue()
        self.inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        method = channel.stream_stream(
            "/google.firestore.v1.Firestore/Write",
            protos.WriteRequest.SerializeToString,
            protos.WriteResponse.FromString,
        )
        self.call = method(
            self._requests(), metadata=[("google-cloud-resource-prefix", database)], timeout=60
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _requests(self) -> Iterator[Any]:
        while (request := self.outbox.get()) is not _END:
            yield request

    def _read(self) -> None:
        try:
            for response in self.call:
                self.arrive("response", response)
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.CANCELLED:
                return
            # grpc-js, which made the recording, reports the end of the stream after its error.
            self.arrive("error", error)
        self.arrive("end", None)

    def arrive(self, kind: str, item: Any) -> None:
        self.inbox.put((kind, item))
        self.watched.recheck_locks()

    def receive(self, clock: ManualClock) -> tuple[str, Any]:
        """The next arrival; while none is there and a write waits for a lock (having seen the
        latest change), the clock moves to that lock's deadline."""

        def arrived_or_stuck(state: LockState) -> bool:
            return not self.inbox.empty() or (state.settled and bool(state.waiting_writers))

        while self.inbox.empty():
            assert self.watched.wait_for_locks(arrived_or_stuck), "no answer"
            if self.inbox.empty():
                clock.now = max(clock.now, self.watched.lock_state().deadlines[0])
                self.watched.recheck_locks()
        return self.inbox.get_nowait()

    def close(self) -> None:
        self.outbox.put(_END)

    def cancel(self) -> None:
        self.outbox.put(_END)
        self.call.cancel()
        self.reader.join(10)


def _summary(kind: str, item: Any, project: str, waited: float) -> dict[str, Any]:
    elapsed = round(waited * 2) / 2
    if kind == "response":
        return {
            "response": {
                "streamId": bool(item.stream_id),
                "streamToken": item.stream_token.decode() if item.stream_token else None,
                "writeResults": [
                    {
                        "updateTime": result.HasField("update_time"),
                        "transformResults": len(result.transform_results),
                    }
                    for result in item.write_results
                ],
                "commitTime": item.HasField("commit_time"),
            },
            "elapsed": elapsed,
        }
    if kind == "error":
        message = (item.details() or "").replace(project, "{project}")
        return {"error": {"status": item.code().name, "message": message}, "elapsed": elapsed}
    return {"end": True, "elapsed": elapsed}


def run(
    server: FirestoreServer, clock: ManualClock, scenario: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(recorded step, our outcome) for every step with an outcome."""
    host = server.address
    project = f"ws-{uuid.uuid4().hex[:8]}"
    watched = server.emulator.database(project)
    database = f"projects/{project}/databases/(default)"
    documents = f"{database}/documents"
    results = []
    with grpc.insecure_channel(host) as channel:
        stream: Stream | None = None
        last = b""
        try:
            for step in scenario["steps"]:
                op = step["op"]
                if op == "lock":
                    _lock(channel, database, f"{documents}/{step['document']}")
                    continue
                if op == "get":
                    results.append(
                        (step, _get(channel, f"{documents}/{step['document']}", project))
                    )
                    continue
                if stream is None:
                    stream = Stream(channel, database, watched)
                if op == "send":
                    request = protos.WriteRequest()
                    if step.get("database") is True:
                        request.database = database
                    elif step.get("database"):
                        request.database = step["database"]
                    if "streamId" in step:
                        request.stream_id = step["streamId"]
                    if step.get("token") == "last":
                        request.stream_token = last
                    elif "token" in step:
                        request.stream_token = step["token"].encode()
                    request.writes.extend(_write(documents, w) for w in step.get("writes", []))
                    request.labels.update(step.get("labels", {}))
                    stream.outbox.put(request)
                elif op == "close":
                    stream.close()
                elif op == "recv":
                    started = clock.now
                    kind, item = stream.receive(clock)
                    if kind == "response" and item.stream_token:
                        last = item.stream_token
                    results.append((step, _summary(kind, item, project, clock.now - started)))
        finally:
            if stream is not None:
                stream.cancel()
    return results


def _lock(channel: grpc.Channel, database: str, name: str) -> None:
    begin = channel.unary_unary(
        "/google.firestore.v1.Firestore/BeginTransaction",
        protos.BeginTransactionRequest.SerializeToString,
        protos.BeginTransactionResponse.FromString,
    )
    transaction = begin(protos.BeginTransactionRequest(database=database)).transaction
    read = channel.unary_stream(
        "/google.firestore.v1.Firestore/BatchGetDocuments",
        protos.BatchGetDocumentsRequest.SerializeToString,
        protos.BatchGetDocumentsResponse.FromString,
    )
    list(
        read(
            protos.BatchGetDocumentsRequest(
                database=database, documents=[name], transaction=transaction
            )
        )
    )


def _get(channel: grpc.Channel, name: str, project: str) -> dict[str, Any]:
    get = channel.unary_unary(
        "/google.firestore.v1.Firestore/GetDocument",
        protos.GetDocumentRequest.SerializeToString,
        protos.Document.FromString,
    )
    try:
        document = get(protos.GetDocumentRequest(name=name))
    except grpc.RpcError as error:
        message = (error.details() or "").replace(project, "{project}")
        return {"error": {"status": error.code().name, "message": message}}
    n = document.fields["n"].integer_value if "n" in document.fields else None
    return {"document": {"n": n}}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario["name"] for scenario in SCENARIOS])
def test_write_stream_scenario_answers_as_recorded(clocked_server, scenario):
    """Every answer of the scenario matches the recording (status only where marked)."""
    for step, outcome in run(*clocked_server, scenario):
        expected = step["outcome"]
        if step.get("compare") == "status":
            assert outcome["error"]["status"] == expected["error"]["status"], step["label"]
            assert outcome["elapsed"] == expected["elapsed"], step["label"]
        else:
            assert outcome == expected, step["label"]
