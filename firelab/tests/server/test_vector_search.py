"""find_nearest through google-cloud-firestore against the local server: vectors stored and
returned, the three distance measures, thresholds in each measure's direction, pre-filters,
the documents production skips, and production's refusals of bad input.

Where each expectation comes from is named in its test: the FindNearest reference of
google.firestore.v1 (its proto comments, shipped in google-cloud-firestore as
`firestore_v1/types/query.py`), nodejs-firestore's and python-firestore's system tests, which
run against production.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.api_core import exceptions
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.vector import Vector

PROJECT = "demo-vector-search"


@pytest.fixture
def db(firestore_server: Any) -> Any:
    firestore_server.clear(project=PROJECT)
    return firestore_server.owner_client(project=PROJECT)


def make_beans(db: Any) -> Any:
    """nodejs-firestore system tests' collection: `foo` to pre-filter on, 2-d embeddings."""
    collection = db.collection("beans")
    rows = {
        "plain": {"foo": "bar"},
        "other": {"foo": "xxx", "embedding": Vector([10.0, 10.0])},
        "one": {"foo": "bar", "embedding": Vector([1.0, 1.0])},
        "ten": {"foo": "bar", "embedding": Vector([10.0, 0.0])},
        "twenty": {"foo": "bar", "embedding": Vector([20.0, 0.0])},
        "hundred": {"foo": "bar", "embedding": Vector([100.0, 100.0])},
    }
    for name, data in rows.items():
        collection.document(name).set(data)
    return collection


def nearest(query: Any, measure: DistanceMeasure, limit: int = 10, **options: Any) -> list[str]:
    vector_query = query.find_nearest(
        vector_field="embedding",
        query_vector=Vector([10.0, 10.0]),
        distance_measure=measure,
        limit=limit,
        **options,
    )
    return [snapshot.id for snapshot in vector_query.get()]


def test_a_vector_is_stored_and_read_back_as_a_vector(db: Any) -> None:
    """python-firestore system test `test_vector_search_...` writes `Vector` values and reads
    them back equal, as `Vector`, not as a map."""
    reference = db.document("beans/v")
    reference.set({"embedding": Vector([0.5, -1.0, 3.0])})
    stored = reference.get().get("embedding")
    assert isinstance(stored, Vector)
    assert stored == Vector([0.5, -1.0, 3.0])


def test_euclidean_orders_by_distance_nearest_first(db: Any) -> None:
    """nodejs-firestore "supports findNearest by EUCLIDEAN distance" (pre-filter foo == bar)."""
    query = make_beans(db).where(filter=FieldFilter("foo", "==", "bar"))
    assert nearest(query, DistanceMeasure.EUCLIDEAN, 3) == ["ten", "one", "twenty"]


def test_dot_product_orders_by_product_largest_first(db: Any) -> None:
    """nodejs-firestore "supports findNearest by DOT_PRODUCT distance": larger is closer."""
    query = make_beans(db).where(filter=FieldFilter("foo", "==", "bar"))
    assert nearest(query, DistanceMeasure.DOT_PRODUCT, 3) == ["hundred", "twenty", "ten"]


def test_cosine_orders_by_angle_whatever_the_length(db: Any) -> None:
    """nodejs-firestore "supports findNearest by COSINE distance": [1,1] and [100,100] have the
    query's direction (distance 0), then [10,0] and [20,0] at 45 degrees."""
    query = make_beans(db).where(filter=FieldFilter("foo", "==", "bar"))
    assert nearest(query, DistanceMeasure.COSINE, 2) in (["one", "hundred"], ["hundred", "one"])
    distances = [
        snapshot.get("d")
        for snapshot in query.find_nearest(
            vector_field="embedding",
            query_vector=Vector([10.0, 10.0]),
            distance_measure=DistanceMeasure.COSINE,
            limit=4,
            distance_result_field="d",
        ).get()
    ]
    assert distances == pytest.approx([0.0, 0.0, 1 - 2**-0.5, 1 - 2**-0.5])


@pytest.mark.parametrize(
    ("measure", "threshold", "expected"),
    [
        # EUCLIDEAN and COSINE keep distance <= threshold, DOT_PRODUCT keeps distance >=
        # threshold (FindNearest.distance_threshold reference).
        (DistanceMeasure.EUCLIDEAN, 13.0, ["ten", "one"]),
        (DistanceMeasure.COSINE, 0.1, ["one", "hundred"]),
        (DistanceMeasure.DOT_PRODUCT, 150.0, ["hundred", "twenty"]),
    ],
)
def test_a_threshold_keeps_only_the_close_enough_in_the_measure_s_direction(
    db: Any, measure: DistanceMeasure, threshold: float, expected: list[str]
) -> None:
    """python-firestore system tests `test_vector_search_collection_with_distance_parameters_*`."""
    query = make_beans(db).where(filter=FieldFilter("foo", "==", "bar"))
    found = nearest(query, measure, distance_threshold=threshold)
    assert sorted(found) == sorted(expected)


def test_documents_without_a_usable_vector_are_skipped_not_refused(db: Any) -> None:
    """nodejs-firestore "supports findNearest skipping fields of wrong types" and
    "findNearest ignores mismatching dimensions": an array, a string, null and a vector of
    another dimension are passed over."""
    collection = db.collection("mixed")
    collection.document("array").set({"embedding": [10.0, 10.0]})
    collection.document("text").set({"embedding": "not actually a vector"})
    collection.document("null").set({"embedding": None})
    collection.document("short").set({"embedding": Vector([10.0])})
    collection.document("near").set({"embedding": Vector([9.0, 9.0])})
    collection.document("far").set({"embedding": Vector([50.0, 50.0])})
    assert nearest(collection, DistanceMeasure.EUCLIDEAN) == ["near", "far"]


def test_a_field_nobody_has_finds_nothing(db: Any) -> None:
    """nodejs-firestore "supports findNearest on non-existent field"."""
    collection = db.collection("none")
    collection.document("a").set({"other": Vector([1.0, 1.0])})
    assert nearest(collection, DistanceMeasure.EUCLIDEAN) == []


def test_a_range_pre_filter_combines_with_the_nearest_stage(db: Any) -> None:
    """Pre-filters select the candidates first; the limit applies to the survivors."""
    collection = db.collection("ranged")
    for n in range(6):
        collection.document(f"d{n}").set({"n": n, "embedding": Vector([float(n), 0.0])})
    query = collection.where(filter=FieldFilter("n", ">=", 3))
    assert nearest(query, DistanceMeasure.EUCLIDEAN, 2) == ["d5", "d4"]


def test_a_limit_of_1000_over_2048_dimensions_is_served(db: Any) -> None:
    """nodejs-firestore "supports findNearest limits": the largest limit and dimension."""
    embedding = [float(i + 1) for i in range(2048)]
    db.document("big/one").set({"embedding": Vector(embedding)})
    query = db.collection("big").find_nearest(
        vector_field="embedding",
        query_vector=Vector([float(i - 1) for i in range(2048)]),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=1000,
    )
    assert [list(s.get("embedding")) for s in query.get()] == [embedding]


def refusal(db: Any, **options: Any) -> str:
    settings: dict[str, Any] = {
        "vector_field": "embedding",
        "query_vector": Vector([1.0, 2.0]),
        "distance_measure": DistanceMeasure.EUCLIDEAN,
        "limit": 3,
    }
    settings.update(options)
    with pytest.raises(exceptions.InvalidArgument) as refused:
        db.collection("beans").find_nearest(**settings).get()
    return str(refused.value.message)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # FindNearest.limit: "Must be a positive integer of no more than 1000."
        ({"limit": 1001}, "FindNearest.limit must be a positive integer of no more than 1000."),
        ({"limit": 0}, "FindNearest.limit must be a positive integer of no more than 1000."),
        # A zero-length query vector, in production's words as clients record them.
        ({"query_vector": Vector([])}, "Cannot have a zero length vector."),
        # FindNearest.query_vector: "Must be a vector of no more than 2048 dimensions."
        (
            {"query_vector": Vector([1.0] * 2049)},
            "FindNearest.query_vector has 2049 dimensions, must be a vector of no more than "
            "2048 dimensions.",
        ),
        # A document field name is required (Document.fields), and __name__ is reserved.
        (
            {"distance_result_field": "__name__"},
            'The distanceResultField.property.name "__name__" is reserved.',
        ),
    ],
)
def test_bad_input_is_refused_with_invalid_argument(
    db: Any, options: dict[str, Any], message: str
) -> None:
    """Refusals the Python client leaves to the server (it validates none of these)."""
    assert refusal(db, **options) == message


def test_a_query_vector_that_is_not_a_vector_is_refused(db: Any) -> None:
    """A plain array where a vector value belongs is INVALID_ARGUMENT, not an empty result
    (google-cloud-firestore wraps a list in `Vector`, so the request is sent through its
    generated API client)."""
    request = {
        "parent": f"projects/{PROJECT}/databases/(default)/documents",
        "structured_query": {
            "from_": [{"collection_id": "beans"}],
            "find_nearest": {
                "vector_field": {"field_path": "embedding"},
                "query_vector": {"array_value": {"values": [{"double_value": 1.0}]}},
                "distance_measure": "EUCLIDEAN",
                "limit": 3,
            },
        },
    }
    with pytest.raises(exceptions.InvalidArgument, match="must be a vector value"):
        list(db._firestore_api.run_query(request=request))


def test_a_vector_written_with_integer_components_is_searched_too(db: Any) -> None:
    """A vector is a map `{__type__: "__vector__", value: [...]}` of numbers; a client that
    writes integers (the Python client encodes ints as integers) is measured the same."""
    collection = db.collection("integers")
    collection.document("ints").set({"embedding": {"__type__": "__vector__", "value": [7, 10]}})
    collection.document("doubles").set({"embedding": Vector([10.0, 14.0])})
    query = collection.find_nearest(
        vector_field="embedding",
        query_vector=Vector([10.0, 10.0]),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=5,
        distance_result_field="d",
    )
    assert [(s.id, s.get("d")) for s in query.get()] == [("ints", 3.0), ("doubles", 4.0)]


def test_a_search_after_a_write_sees_the_write(db: Any) -> None:
    """Searches of an unchanged collection reuse its decoded vectors; a change, a new
    document or a deletion is seen by the next search."""
    collection = db.collection("changing")
    collection.document("a").set({"embedding": Vector([1.0, 0.0])})
    collection.document("b").set({"embedding": Vector([5.0, 0.0])})

    def found() -> list[str]:
        return nearest(collection, DistanceMeasure.EUCLIDEAN, 1)

    assert found() == ["b"]
    assert found() == ["b"]
    collection.document("a").set({"embedding": Vector([10.0, 10.0])})
    assert found() == ["a"]
    collection.document("c").set({"embedding": Vector([10.0, 9.0])})
    collection.document("a").delete()
    assert found() == ["c"]
