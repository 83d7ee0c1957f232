"""`--enforce-indexes`: the local server refuses what production would refuse for a missing
index, through the real client library, and accepts the query once the index is declared."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from google.api_core.exceptions import FailedPrecondition
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from firelab.server import FirestoreServer
from firelab.server.core import Emulator, IndexConfig

PROJECT = "demo-enforce"
STATUS_BY_DEADLINE = {
    "collectionGroup": "requests",
    "queryScope": "COLLECTION",
    "fields": [
        {"fieldPath": "status", "order": "ASCENDING"},
        {"fieldPath": "deadline", "order": "ASCENDING"},
    ],
}


def start(indexes: list[dict[str, object]]) -> FirestoreServer:
    config = IndexConfig.from_json(json.dumps({"indexes": indexes}), enforce=True)
    return FirestoreServer(emulator=Emulator(indexes=config)).start()


def client_for(server: FirestoreServer, monkeypatch: pytest.MonkeyPatch) -> firestore.Client:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    for n in range(3):
        client.document(f"requests/r{n}").set({"status": "open", "deadline": n})
    return client


@pytest.fixture
def bare_server() -> Iterator[FirestoreServer]:
    server = start([])
    yield server
    server.stop()


def open_by_deadline(client: firestore.Client) -> firestore.Query:
    return (
        client.collection("requests")
        .where(filter=FieldFilter("status", "==", "open"))
        .order_by("deadline")
    )


def test_a_query_without_its_composite_index_is_refused_with_the_definition(
    bare_server: FirestoreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error is FAILED_PRECONDITION and carries the index to add, in the file's JSON form."""
    client = client_for(bare_server, monkeypatch)
    with pytest.raises(FailedPrecondition) as refused:
        list(open_by_deadline(client).stream())
    assert "The query requires an index" in str(refused.value)
    assert json.dumps(STATUS_BY_DEADLINE, separators=(", ", ": ")) in str(refused.value)


def test_aggregations_need_the_same_index(
    bare_server: FirestoreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count over the same query is refused for the same reason."""
    client = client_for(bare_server, monkeypatch)
    with pytest.raises(FailedPrecondition, match="requires an index"):
        open_by_deadline(client).count().get()


def test_simple_queries_still_run(
    bare_server: FirestoreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Queries the automatic single-field indexes serve are unaffected."""
    client = client_for(bare_server, monkeypatch)
    query = client.collection("requests").where(filter=FieldFilter("status", "==", "open"))
    assert len(list(query.stream())) == 3


def test_the_query_runs_once_the_index_is_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the definition in firestore.indexes.json the same query succeeds, in order."""
    server = start([STATUS_BY_DEADLINE])
    try:
        client = client_for(server, monkeypatch)
        assert [s.id for s in open_by_deadline(client).stream()] == ["r0", "r1", "r2"]
    finally:
        server.stop()
