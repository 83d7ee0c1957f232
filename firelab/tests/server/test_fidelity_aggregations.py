"""Aggregations over a limited query, as production answers them, through the
google-cloud-firestore client."""

from __future__ import annotations

from typing import Any

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter

PROJECT = "demo-fidelity-aggregations"


@pytest.fixture
def collection(firestore_server: Any) -> Any:
    """google-cloud-firestore tests/system `query_docs`: 25 documents with random IDs, `a` and
    `b` in 0..4, `stats.product` = a × b (nine zeros, then 1, 2, 2, 3, …, 16; total 100)."""
    firestore_server.clear(project=PROJECT)
    collection = firestore_server.owner_client(project=PROJECT).collection("qs")
    batch = collection._client.batch()
    for a in range(5):
        for b in range(5):
            batch.set(collection.document(), {"a": a, "b": b, "stats": {"product": a * b}})
    batch.commit()
    return collection


def value(aggregation: Any) -> Any:
    (row,) = aggregation.get()
    (result,) = row
    return result.value


def test_a_limited_sum_adds_the_lowest_values_the_limit_admits(collection: Any) -> None:
    """`test_sum_query_get_with_limit`: sum over all is 100; with limit(12) it is 5, the
    twelve lowest products [0×9, 1, 2, 2], whatever the random document IDs."""
    assert value(collection.sum("stats.product", alias="total")) == 100
    assert value(collection.limit(12).sum("stats.product", alias="total")) == 5


def test_a_limited_average_averages_the_same_documents(collection: Any) -> None:
    """`test_avg_query_get_with_limit`: 4.0 over all, 5 / 12 over limit(12), a double."""
    assert value(collection.avg("stats.product", alias="total")) == 4.0
    limited = value(collection.limit(12).avg("stats.product", alias="total"))
    assert limited == 5 / 12
    assert isinstance(limited, float)


def test_a_limited_count_counts_only_what_the_limit_admits(collection: Any) -> None:
    """`test_count_query_get_with_limit`: five documents with a == 1, two with limit(2)."""
    query = collection.where(filter=FieldFilter("a", "==", 1))
    assert value(query.count(alias="total")) == 5
    assert value(query.limit(2).count(alias="total")) == 2


def test_an_offset_skips_the_lowest_values_too(collection: Any) -> None:
    """The same order serves an offset: skipping the nine zeros and taking three sums 1+2+2."""
    assert value(collection.offset(9).limit(3).sum("stats.product")) == 5


def test_an_explicit_name_order_is_kept(collection: Any) -> None:
    """A query ordered by `__name__` explicitly sums the first documents by name."""
    ordered = collection.order_by("__name__").limit(12)
    expected = sum(snapshot.get("stats.product") for snapshot in ordered.stream())
    assert value(ordered.sum("stats.product")) == expected
