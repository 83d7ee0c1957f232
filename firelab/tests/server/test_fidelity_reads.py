"""Reads as production answers them where the official emulator differs, driven through the
google-cloud-firestore client wherever it can express the request; each test names its source."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.api_core import exceptions
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.vector import Vector

from firelab.server import _protos as protos
from firelab.server.core._query import KEY_EQUALITY_WITH_INEQUALITY

PROJECT = "demo-fidelity-reads"
DOCUMENTS = f"projects/{PROJECT}/databases/(default)/documents"
RESERVED = 'Resource id "__badpath__" is invalid because it is reserved.'


@pytest.fixture
def db(firestore_server: Any) -> Any:
    firestore_server.clear(project=PROJECT)
    return firestore_server.owner_client(project=PROJECT)


# Point-in-time listings ------------------------------------------------------------------


def test_collections_at_a_read_time_are_those_that_existed_then(db: Any) -> None:
    """google-cloud-firestore tests/system `test_collections_w_read_time`: a collection created
    after the read time is not listed at it."""
    first = db.document("first/doc").create({"status": "new"}).update_time
    db.document("second/doc").create({"status": "new"})
    assert {c.id for c in db.collections()} == {"first", "second"}
    assert {c.id for c in db.collections(read_time=first)} == {"first"}


def test_subcollections_at_a_read_time_include_those_since_deleted(db: Any) -> None:
    """`test_document_collections_w_read_time`: a document's subcollections as of then, both
    newer ones left out and ones deleted since still listed."""
    parent = db.document("parents/p")
    parent.create({"n": 1})
    parent.collection("child1").document("a").create({"foo": "bar"})
    read_time = parent.collection("child2").document("a").create({"foo": "bar"}).update_time
    parent.collection("child3").document("a").create({"foo": "bar"})
    parent.collection("child1").document("a").delete()
    assert sorted(c.id for c in parent.collections()) == ["child2", "child3"]
    assert sorted(c.id for c in parent.collections(read_time=read_time)) == ["child1", "child2"]


def test_list_documents_at_a_read_time_lists_the_documents_of_then(db: Any) -> None:
    """`test_list_collections_with_read_time`: list_documents (which asks for missing documents
    too) at the first write's time lists only the first document."""
    collection = db.collection("listed")
    first_time, first = collection.add({"foo": "bar"})
    second_time, second = collection.add({"bar": "baz"})
    db.document("listed/ghost/under/x").create({"n": 1})
    assert {d.id for d in collection.list_documents(read_time=first_time)} == {first.id}
    assert {d.id for d in collection.list_documents(read_time=second_time)} == {
        first.id,
        second.id,
    }
    assert {d.id for d in collection.list_documents()} == {first.id, second.id, "ghost"}


# Reserved IDs anywhere in a path ---------------------------------------------------------


def test_a_get_under_a_reserved_document_id_is_invalid(db: Any) -> None:
    """Reserved `__…__` IDs are refused anywhere in a read path, not only as collection IDs
    (firebase-ios-sdk TestDocumentSnapshotErrorReporting: INVALID_ARGUMENT naming the ID)."""
    for path in ("col/__badpath__", "a/__badpath__/b/c"):
        with pytest.raises(exceptions.InvalidArgument) as refused:
            db.document(path).get()
        assert refused.value.message == RESERVED


def test_a_query_under_a_reserved_document_id_is_invalid(db: Any) -> None:
    """firebase-js-sdk aggregation and query tests query `a/__badpath__/b` and expect a
    rejection; the count goes the same way."""
    collection = db.collection("a/__badpath__/b")
    with pytest.raises(exceptions.InvalidArgument) as refused:
        list(collection.stream())
    assert refused.value.message == RESERVED
    with pytest.raises(exceptions.InvalidArgument):
        collection.count().get()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "a/__badpath__/b/c", None),
        ("GET", "a/__badpath__/b", None),
        ("POST", "a/__badpath__:runQuery", {"structuredQuery": {"from": [{"collectionId": "b"}]}}),
    ],
    ids=["get", "list", "runQuery"],
)
def test_rest_reads_under_a_reserved_id_are_invalid(
    firestore_server: Any, method: str, path: str, body: Any
) -> None:
    """The REST surface answers 400 INVALID_ARGUMENT with the same text."""
    payload = None if body is None else json.dumps(body).encode()
    status, raw = firestore_server.request(method, f"/v1/{DOCUMENTS}/{path}", payload)
    error = json.loads(raw)["error"]
    assert (status, error["status"], error["message"]) == (400, "INVALID_ARGUMENT", RESERVED)


def first_listen_response(host: str, target: Any) -> Any:
    """The first response of a raw Listen stream that adds `target`."""
    done = threading.Event()

    def requests() -> Iterator[Any]:
        yield protos.ListenRequest(database=DOCUMENTS.rsplit("/", 1)[0], add_target=target)
        done.wait(10)

    with grpc.insecure_channel(host) as channel:
        listen = channel.stream_stream(
            "/google.firestore.v1.Firestore/Listen",
            protos.ListenRequest.SerializeToString,
            protos.ListenResponse.FromString,
        )
        call = listen(requests(), metadata=[("authorization", "Bearer owner")], timeout=10)
        try:
            return next(iter(call))
        finally:
            done.set()
            call.cancel()


@pytest.mark.parametrize(
    "target",
    [
        protos.Target(
            target_id=1,
            documents=protos.Target.DocumentsTarget(documents=[f"{DOCUMENTS}/col/__badpath__"]),
        ),
        protos.Target(
            target_id=1,
            query=protos.Target.QueryTarget(
                parent=f"{DOCUMENTS}/a/__badpath__",
                structured_query=protos.StructuredQuery(
                    from_=[protos.StructuredQuery.CollectionSelector(collection_id="b")]
                ),
            ),
        ),
    ],
    ids=["document", "query"],
)
def test_a_listen_under_a_reserved_id_is_removed_as_invalid(
    firestore_server: Any, target: Any
) -> None:
    """firebase-js-sdk "Listens are rejected remotely": a listen on `a/__badpath__/b` fails;
    the target is removed with an INVALID_ARGUMENT cause."""
    response = first_listen_response(firestore_server.host, target)
    change = response.target_change
    assert change.target_change_type == protos.TargetChange.TargetChangeType.REMOVE
    assert (change.cause.code, change.cause.message) == (
        grpc.StatusCode.INVALID_ARGUMENT.value[0],
        RESERVED,
    )


def test_a_numeric_id_is_not_reserved(db: Any) -> None:
    """`__id7__` names a document with a numeric ID, and reads of it are fine."""
    assert not db.document("a/__id7__/b/c").get().exists


# Inequalities with a key equality --------------------------------------------------------


def test_a_key_equality_beside_another_fields_inequality_is_refused(db: Any) -> None:
    """firebase-js-sdk composite_index_query.test.ts "inequality query will reject if document
    key appears only in equality filter": `key != 42` with `__name__ == doc1`."""
    collection = db.collection("keys")
    collection.document("doc1").set({"key": 1})
    query = collection.where(filter=FieldFilter("key", "!=", 42)).where(
        filter=FieldFilter("__name__", "==", collection.document("doc1"))
    )
    with pytest.raises(exceptions.InvalidArgument) as refused:
        list(query.stream())
    assert refused.value.message == KEY_EQUALITY_WITH_INEQUALITY


def test_a_key_equality_runs_when_the_key_has_an_inequality_too(db: Any) -> None:
    """The rule's own condition: once the key appears among the inequalities, it runs."""
    collection = db.collection("keys")
    collection.document("doc1").set({"key": 1})
    doc1 = collection.document("doc1")
    query = (
        collection.where(filter=FieldFilter("key", "!=", 42))
        .where(filter=FieldFilter("__name__", "==", doc1))
        .where(filter=FieldFilter("__name__", ">=", doc1))
    )
    assert [snapshot.id for snapshot in query.stream()] == ["doc1"]


def test_an_equality_and_an_inequality_on_the_same_field_run(db: Any) -> None:
    """Equality and inequality filters on one field are a valid query (firebase-android-sdk
    #3454 "Support > and != on the same field" follows the backend)."""
    collection = db.collection("same")
    collection.document("one").set({"a": 1})
    collection.document("two").set({"a": 2})
    query = collection.where(filter=FieldFilter("a", "!=", 2)).where(
        filter=FieldFilter("a", "==", 1)
    )
    assert [snapshot.id for snapshot in query.stream()] == ["one"]


# Vector search ---------------------------------------------------------------------------


def seed_vectors(db: Any) -> Any:
    collection = db.collection("vectors")
    collection.document("1").set({"foo": "bar"})
    collection.document("2").set({"foo": "bar", "embedding": Vector([1.0, 0.0])})
    collection.document("3").set({"foo": "bar", "embedding": Vector([0.0, 1.0])})
    collection.document("5").set({"foo": "bar", "embedding": Vector([-1.0, 0.0])})
    return collection


def test_the_distance_result_field_is_written_into_each_result(db: Any) -> None:
    """google-cloud-firestore tests/system `test_vector_search_collection_with_distance_
    parameters_euclid`: each result carries its distance under `distance_result_field`."""
    query = seed_vectors(db).find_nearest(
        vector_field="embedding",
        query_vector=Vector([1.0, 0.0]),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=2,
        distance_result_field="vector_distance",
    )
    results = [(s.id, s.get("vector_distance")) for s in query.get()]
    assert results == [("2", 0.0), ("3", pytest.approx(2**0.5))]


def test_the_distance_overwrites_a_stored_field_of_that_name(db: Any) -> None:
    """nodejs-firestore system-test "works with distance result field": `foo` holds the
    distance, not the stored "bar"."""
    query = seed_vectors(db).find_nearest(
        vector_field="embedding",
        query_vector=Vector([1.0, 0.0]),
        distance_measure=DistanceMeasure.DOT_PRODUCT,
        limit=5,
        distance_threshold=0.5,
        distance_result_field="foo",
    )
    assert [(s.id, s.get("foo")) for s in query.get()] == [("2", 1.0)]


def test_a_select_returns_the_distance_only_when_it_names_it(db: Any) -> None:
    """nodejs-firestore "supports requesting computed distance in select queries": the
    distance field must be selected too, and then it is filled in."""
    collection = seed_vectors(db)

    def nearest(*fields: str) -> list[dict[str, Any]]:
        query = collection.select(list(fields)).find_nearest(
            vector_field="embedding",
            query_vector=Vector([1.0, 0.0]),
            distance_measure=DistanceMeasure.COSINE,
            limit=1,
            distance_result_field="distance",
        )
        return [snapshot.to_dict() for snapshot in query.get()]

    assert nearest("foo", "distance") == [{"foo": "bar", "distance": 0.0}]
    assert nearest("foo") == [{"foo": "bar"}]


def test_find_nearest_reads_a_vector_nested_in_a_map(db: Any) -> None:
    """`vector_field` is a field path: `nested.embedding` is the vector inside the map."""
    collection = db.collection("nested")
    collection.document("near").set({"nested": {"embedding": Vector([1.0, 1.0])}})
    collection.document("far").set({"nested": {"embedding": Vector([9.0, 9.0])}})
    collection.document("flat").set({"nested.embedding": Vector([1.0, 1.0])})
    query = collection.find_nearest(
        vector_field="nested.embedding",
        query_vector=Vector([1.0, 1.0]),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=5,
    )
    assert [snapshot.id for snapshot in query.get()] == ["near", "far"]
