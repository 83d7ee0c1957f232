"""Query explain through the google-cloud-firestore client, as its system tests expect of
production (tests/system `test_*_stream_or_get_w_explain_options_*`), and the profile every
query hands to a server's query observer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.query_profile import ExplainOptions, QueryExplainError
from google.cloud.firestore_v1.vector import Vector

from firelab.server import FirestoreServer
from firelab.server.core import Emulator, QueryProfile

PROJECT = "demo-explain"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[FirestoreServer, list[QueryProfile]]]:
    """A server of its own whose query observer collects every profile."""
    profiles: list[QueryProfile] = []
    with FirestoreServer(emulator=Emulator(query_observer=profiles.append)) as running:
        yield running, profiles


@pytest.fixture
def db(server: tuple[FirestoreServer, list[QueryProfile]], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A client of that server, over 25 documents: a and b in 0..4, as the system tests seed."""
    running, profiles = server
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", running.address)
    running.emulator.database(PROJECT).clear()
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import firestore

    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    batch = client.batch()
    for a in range(5):
        for b in range(5):
            batch.set(client.document(f"qs/{a}{b}"), {"a": a, "b": b, "c": [a, 500]})
    batch.commit()
    profiles.clear()
    return client


def indexes(metrics: Any) -> list[tuple[str, str]]:
    return [(i["query_scope"], i["properties"]) for i in metrics.plan_summary.indexes_used]


def test_without_analyze_a_query_returns_its_plan_and_no_results(db: Any) -> None:
    """`test_query_stream_or_get_w_explain_options_analyze_false`: no results, the single-field
    index of the `in` field, and no execution stats."""
    query = db.collection("qs").where(filter=FieldFilter("a", "in", [1, 105]))
    results = query.get(explain_options=ExplainOptions(analyze=False))
    assert list(results) == []
    metrics = results.get_explain_metrics()
    assert indexes(metrics) == [("Collection", "(a ASC, __name__ ASC)")]
    with pytest.raises(QueryExplainError, match="analyze=False"):
        _ = metrics.execution_stats


def test_with_analyze_a_query_returns_results_and_what_they_cost(db: Any) -> None:
    """`…_analyze_true`: the results, then stats counting them (one read each) and debug stats
    with documents and index entries scanned."""
    query = db.collection("qs").where(filter=FieldFilter("a", "in", [1, 105]))
    results = query.stream(explain_options=ExplainOptions(analyze=True))
    with pytest.raises(QueryExplainError, match="not available until query is complete"):
        results.get_explain_metrics()
    returned = len(list(results))
    metrics = results.get_explain_metrics()
    assert returned == 5
    assert indexes(metrics) == [("Collection", "(a ASC, __name__ ASC)")]
    stats = metrics.execution_stats
    assert (stats.results_returned, stats.read_operations) == (5, 5)
    assert stats.execution_duration.total_seconds() > 0
    assert stats.debug_stats["documents_scanned"] == "5"
    assert set(stats.debug_stats) >= {"billing_details", "index_entries_scanned"}


def test_a_collection_scan_uses_the_name_index(db: Any) -> None:
    """`test_collection_stream_or_get_w_explain_options_analyze_false`: `(__name__ ASC)`."""
    results = db.collection("qs").get(explain_options=ExplainOptions(analyze=False))
    assert indexes(results.get_explain_metrics()) == [("Collection", "(__name__ ASC)")]


def test_a_query_without_results_still_costs_one_read(db: Any) -> None:
    """nodejs-firestore "can profile a query that does not match any docs": zero results,
    read operations above zero."""
    query = db.collection("qs").where(filter=FieldFilter("a", "==", 12345))
    results = query.get(explain_options=ExplainOptions(analyze=True))
    stats = results.get_explain_metrics().execution_stats
    assert (list(results), stats.results_returned, stats.read_operations) == ([], 0, 1)


def test_a_query_needing_a_composite_index_names_it(db: Any) -> None:
    """An equality and an order on another field are served by a composite index."""
    query = db.collection("qs").where(filter=FieldFilter("a", "==", 1)).order_by("b", "DESCENDING")
    results = query.get(explain_options=ExplainOptions(analyze=False))
    assert indexes(results.get_explain_metrics()) == [
        ("Collection", "(a ASC, b DESC, __name__ DESC)")
    ]


def test_an_aggregation_explains_its_plan_and_one_result(db: Any) -> None:
    """`test_aggregation_query_stream_or_get_w_explain_options_*`: the plan alone without
    analyze; with it, the count, one result and one read for up to 1,000 index entries."""
    query = db.collection("qs").where(filter=FieldFilter("a", "==", 1))
    planned = query.count(alias="n").get(explain_options=ExplainOptions(analyze=False))
    assert list(planned) == []
    assert indexes(planned.get_explain_metrics()) == [("Collection", "(a ASC, __name__ ASC)")]
    analysed = query.count(alias="n").get(explain_options=ExplainOptions(analyze=True))
    assert [result.value for row in analysed for result in row] == [5]
    stats = analysed.get_explain_metrics().execution_stats
    assert (stats.results_returned, stats.read_operations) == (1, 1)
    assert stats.debug_stats["index_entries_scanned"] == "5"


def test_a_vector_query_explains_its_vector_index(db: Any) -> None:
    """`test_vector_query_stream_or_get_w_explain_options_*`: equality fields, `__name__`, then
    the vector field with its dimensions; without analyze no results."""
    db.document("qs/v").set({"a": 1, "embedding": Vector([1.0, 2.0, 3.0])})
    query = db.collection("qs").where(filter=FieldFilter("a", "==", 1))
    nearest = query.find_nearest(
        vector_field="embedding",
        query_vector=Vector([1.0, 2.0, 3.0]),
        distance_measure=DistanceMeasure.EUCLIDEAN,
        limit=1,
    )
    planned = nearest.get(explain_options=ExplainOptions(analyze=False))
    assert list(planned) == []
    expected = [("Collection", "(a ASC, __name__ ASC, embedding VECTOR<3>)")]
    assert indexes(planned.get_explain_metrics()) == expected
    analysed = nearest.get(explain_options=ExplainOptions(analyze=True))
    assert [snapshot.id for snapshot in analysed] == ["v"]
    assert analysed.get_explain_metrics().execution_stats.results_returned == 1


def test_the_observer_sees_what_each_query_scanned(
    db: Any, server: tuple[FirestoreServer, list[QueryProfile]]
) -> None:
    """Every query run reports its profile: a filter on an unindexed-looking field still scans
    only what the planner reads, and a full scan reads the collection."""
    _, profiles = server
    list(db.collection("qs").where(filter=FieldFilter("a", "==", 1)).stream())
    list(db.collection("qs").where(filter=FieldFilter("b", ">", 3)).limit(1).stream())
    list(db.collection("qs").stream())
    assert [(p.kind, p.results_returned, p.documents_scanned) for p in profiles] == [
        ("query", 5, 5),
        ("query", 1, 1),
        ("query", 25, 25),
    ]
    assert profiles[1].plan[0].properties == "(b ASC, __name__ ASC)"
    assert profiles[0].target == "qs"
