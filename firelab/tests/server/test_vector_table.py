"""find_nearest stays exact while the stored vectors change: the server answers vector queries
from a matrix of the collection's vectors kept current on each write (`core._vector_table`), so
after every write, delete, batch, committed transaction and rolled-back transaction the
answers must equal a brute-force scan of what a plain read of the collection returns.

Each step draws one change at random (seeded), then compares, for a collection query, a
collection-group query and pre-filtered ones (equality, `in`, inequality, document name), the
server's neighbours and distances with the reference computed from the documents read back.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.vector import Vector

PROJECT = "demo-vector-table"
NAMES = [f"d{number:02}" for number in range(24)]


@pytest.fixture
def db(firestore_server: Any) -> Any:
    firestore_server.clear(project=PROJECT)
    return firestore_server.owner_client(project=PROJECT)


def random_data(rng: random.Random) -> dict[str, Any]:
    """A document: usually a 3-d vector, sometimes another dimension, an array or nothing."""
    roll = rng.random()
    if roll < 0.75:
        embedding: Any = Vector([rng.uniform(-5, 5) for _ in range(3)])
    elif roll < 0.85:
        embedding = Vector([rng.uniform(-5, 5) for _ in range(2)])
    elif roll < 0.92:
        embedding = [1.0, 2.0, 3.0]
    else:
        embedding = None
    data: dict[str, Any] = {"group": rng.choice("abc"), "n": rng.randrange(10)}
    if embedding is not None:
        data["embedding"] = embedding
    return data


PRE_FILTERS: dict[str, tuple[Any, Any]] = {
    "none": (None, lambda data, name: True),
    "group ==": (FieldFilter("group", "==", "a"), lambda data, name: data.get("group") == "a"),
    "group in": (
        FieldFilter("group", "in", ["a", "b"]),
        lambda data, name: data.get("group") in ("a", "b"),
    ),
    "n >=": (
        FieldFilter("n", ">=", 5),
        lambda data, name: isinstance(data.get("n"), int) and data["n"] >= 5,
    ),
}


def reference(
    snapshots: list[Any], query_vector: list[float], passes: Any, limit: int
) -> list[tuple[str, float]]:
    """The `limit` nearest (Euclidean) documents holding a 3-d vector and passing the filter."""
    found = []
    for snapshot in snapshots:
        data = snapshot.to_dict()
        embedding = data.get("embedding")
        if not isinstance(embedding, Vector) or len(embedding) != 3:
            continue
        if not passes(data, snapshot.id):
            continue
        distance = math.dist(list(embedding), query_vector)
        found.append((distance, snapshot.reference.path, distance))
    found.sort()
    return [(path, distance) for _, path, distance in found[:limit]]


def served(query: Any, query_vector: list[float], limit: int) -> list[tuple[str, float]]:
    vector_query = query.find_nearest(
        vector_field="embedding",
        query_vector=Vector(query_vector),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=limit,
        distance_result_field="distance",
    )
    return [(snapshot.reference.path, snapshot.get("distance")) for snapshot in vector_query.get()]


def check(db: Any, rng: random.Random) -> None:
    query_vector = [rng.uniform(-5, 5) for _ in range(3)]
    limit = rng.choice([1, 3, 8, 30])
    scopes: dict[str, tuple[Any, Any]] = {
        "collection": (db.collection("items"), lambda: list(db.collection("items").stream())),
        "group": (
            db.collection_group("items"),
            lambda: list(db.collection_group("items").stream()),
        ),
    }
    for scope, (base, read_all) in scopes.items():
        snapshots = read_all()
        for label, (field_filter, passes) in PRE_FILTERS.items():
            query = base if field_filter is None else base.where(filter=field_filter)
            got = served(query, query_vector, limit)
            expected = reference(snapshots, query_vector, passes, limit)
            assert [path for path, _ in got] == [path for path, _ in expected], (scope, label)
            for (_, distance), (_, wanted) in zip(got, expected, strict=True):
                assert distance == pytest.approx(wanted, rel=1e-12, abs=1e-12), (scope, label)


def test_find_nearest_follows_every_kind_of_write(db: Any) -> None:
    rng = random.Random(18)
    items = db.collection("items")
    nested = db.collection("owners/o1/items")

    def reference_of(name: str) -> Any:
        return (nested if name.endswith("7") else items).document(name)

    for name in NAMES[:10]:
        reference_of(name).set(random_data(rng))
    check(db, rng)  # the matrix is built here; every step below changes it
    for _ in range(40):
        action = rng.choice(["set", "update", "delete", "batch", "transaction", "rollback"])
        name = rng.choice(NAMES)
        if action == "set":
            reference_of(name).set(random_data(rng))
        elif action == "update" and reference_of(name).get().exists:
            reference_of(name).update({"group": rng.choice("abc"), "n": rng.randrange(10)})
        elif action == "delete":
            reference_of(name).delete()
        elif action == "batch":
            batch = db.batch()
            for other in rng.sample(NAMES, 4):
                if rng.random() < 0.3:
                    batch.delete(reference_of(other))
                else:
                    batch.set(reference_of(other), random_data(rng))
            batch.commit()
        elif action in ("transaction", "rollback"):
            transaction = db.transaction()
            chosen = rng.sample(NAMES, 3)
            data = [random_data(rng) for _ in chosen]

            def change(
                transaction: Any,
                chosen: list[str] = chosen,
                data: Any = data,
                fail: bool = action == "rollback",
            ) -> None:
                for other in chosen:
                    reference_of(other).get(transaction=transaction)
                for other, fields in zip(chosen, data, strict=True):
                    transaction.set(reference_of(other), fields)
                if fail:
                    raise RuntimeError("rolled back")

            if action == "rollback":
                before = served(items, [0.0, 0.0, 0.0], 30)
                with pytest.raises(RuntimeError):
                    run_transaction(transaction, change)
                assert served(items, [0.0, 0.0, 0.0], 30) == before
            else:
                run_transaction(transaction, change)
        check(db, rng)


def run_transaction(transaction: Any, change: Any) -> None:
    from google.cloud.firestore_v1 import transactional

    transactional(change)(transaction)


def test_a_document_name_pre_filter_is_evaluated_on_the_names(db: Any) -> None:
    items = db.collection("items")
    for number, name in enumerate(NAMES[:6]):
        items.document(name).set({"embedding": Vector([float(number), 0.0, 0.0])})
    got = served(
        items.where(filter=FieldFilter("__name__", ">=", items.document("d03"))), [0.0] * 3, 5
    )
    assert got == [(f"items/d0{number}", float(number)) for number in (3, 4, 5)]
    items.document("d04").delete()
    got = served(
        items.where(filter=FieldFilter("__name__", ">=", items.document("d03"))), [0.0] * 3, 5
    )
    assert got == [("items/d03", 3.0), ("items/d05", 5.0)]
