"""find_nearest agrees with a brute-force reference, for every distance measure, with and
without pre-filters and thresholds: through google-cloud-firestore against the local server,
on collections hypothesis draws (vectors of the query's dimension, of another dimension,
fields that are not vectors, documents without the field).

The reference is the specification in plain Python: keep the documents that pass the
pre-filter and hold a vector of the query's dimension (others are skipped: nodejs-firestore
"findNearest ignores mismatching dimensions"), compute the distance (EUCLIDEAN, COSINE as
1 - cos, DOT_PRODUCT), keep those within the threshold in the measure's direction, and the
`limit` nearest. Equal distances may come in any order (production promises none), so the
comparison is by distance: the server's results are the reference's top distances, each
document's reported distance is its own, and nothing left out is nearer than the last one kept.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.vector import Vector
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROJECT = "demo-vector-properties"
DIMENSION = 3
GROUPS = ("a", "b", "c")

components = st.integers(min_value=-4, max_value=4).map(float)
vectors = st.lists(components, min_size=DIMENSION, max_size=DIMENSION)
embeddings = st.one_of(
    vectors.map(Vector),
    st.lists(components, min_size=1, max_size=DIMENSION + 1).map(Vector),  # other dimensions
    vectors,  # an array, not a vector
    st.none(),
    st.just("no vector"),
)
documents = st.fixed_dictionaries(
    {"group": st.sampled_from(GROUPS), "n": st.integers(0, 9), "embedding": embeddings}
)
# Thresholds off the lattice the integer components produce (k + 0.5 is never a Euclidean
# distance or a dot product of integers here), so no case rests on float rounding at the edge.
thresholds = st.integers(-40, 40).map(lambda k: k + 0.5)
cosine_thresholds = st.integers(0, 19).map(lambda k: k / 10 + 0.0137)
pre_filters = st.sampled_from(["none", "group ==", "group in", "n >="])


def distance(measure: DistanceMeasure, left: list[float], right: list[float]) -> float | None:
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    if measure == DistanceMeasure.EUCLIDEAN:
        return math.sqrt(sum((a - b) ** 2 for a, b in zip(left, right, strict=True)))
    if measure == DistanceMeasure.DOT_PRODUCT:
        return dot
    norms = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return None if norms == 0 else 1 - dot / norms


def passes(pre_filter: str, data: dict[str, Any]) -> bool:
    return {
        "none": True,
        "group ==": data["group"] == "a",
        "group in": data["group"] in ("a", "b"),
        "n >=": data["n"] >= 5,
    }[pre_filter]


def filtered(collection: Any, pre_filter: str) -> Any:
    if pre_filter == "group ==":
        return collection.where(filter=FieldFilter("group", "==", "a"))
    if pre_filter == "group in":
        return collection.where(filter=FieldFilter("group", "in", ["a", "b"]))
    if pre_filter == "n >=":
        return collection.where(filter=FieldFilter("n", ">=", 5))
    return collection


def rank(measure: DistanceMeasure, value: float) -> float:
    """Smaller is nearer."""
    return -value if measure == DistanceMeasure.DOT_PRODUCT else value


@pytest.fixture(scope="module")
def db(firestore_server: Any) -> Any:
    firestore_server.clear(project=PROJECT)
    return firestore_server.owner_client(project=PROJECT)


def check(
    db: Any,
    measure: DistanceMeasure,
    rows: list[dict[str, Any]],
    query_vector: list[float],
    limit: int,
    pre_filter: str,
    threshold: float | None,
) -> None:
    collection = db.collection(f"c{uuid.uuid4().hex}")
    batch = db.batch()
    for number, data in enumerate(rows):
        batch.set(collection.document(f"d{number:02}"), data)
    batch.commit()
    expected: dict[str, float] = {}
    for number, data in enumerate(rows):
        embedding = data["embedding"]
        if not passes(pre_filter, data) or not isinstance(embedding, Vector):
            continue
        if len(embedding) != DIMENSION:
            continue
        value = distance(measure, list(embedding), query_vector)
        if value is None:
            continue
        if threshold is not None and rank(measure, value) > rank(measure, threshold):
            continue
        expected[f"d{number:02}"] = value
    options = {} if threshold is None else {"distance_threshold": threshold}
    results = [
        (snapshot.id, snapshot.get("distance"))
        for snapshot in filtered(collection, pre_filter)
        .find_nearest(
            vector_field="embedding",
            query_vector=Vector(query_vector),
            distance_measure=measure,
            limit=limit,
            distance_result_field="distance",
            **options,
        )
        .get()
    ]
    nearest_first = sorted(expected.values(), key=lambda value: rank(measure, value))
    assert [value for _, value in results] == pytest.approx(nearest_first[:limit])
    for name, value in results:
        assert value == pytest.approx(expected[name])
    if results:
        last = rank(measure, results[-1][1])
        returned = {name for name, _ in results}
        left_out = [rank(measure, v) for name, v in expected.items() if name not in returned]
        assert all(value >= last - 1e-9 for value in left_out)


@pytest.mark.parametrize(
    "measure", [DistanceMeasure.EUCLIDEAN, DistanceMeasure.COSINE, DistanceMeasure.DOT_PRODUCT]
)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(documents, max_size=14),
    query_vector=vectors,
    limit=st.integers(1, 6),
    pre_filter=pre_filters,
    use_threshold=st.booleans(),
    threshold=thresholds,
    cosine_threshold=cosine_thresholds,
)
def test_the_server_returns_the_reference_neighbours_and_distances(
    db: Any,
    measure: DistanceMeasure,
    rows: list[dict[str, Any]],
    query_vector: list[float],
    limit: int,
    pre_filter: str,
    use_threshold: bool,
    threshold: float,
    cosine_threshold: float,
) -> None:
    """Same neighbours, same distances, in the measure's order, for any collection."""
    chosen = cosine_threshold if measure == DistanceMeasure.COSINE else threshold
    check(db, measure, rows, query_vector, limit, pre_filter, chosen if use_threshold else None)
