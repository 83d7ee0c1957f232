"""results/sdk-aggregations-official: count, sum and average through a real SDK (sync and
async google-cloud-firestore), compared with what the official emulator answered."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1 import aggregation

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "sdk-aggregations-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-sdk-aggregations"
MAX_SAFE_INTEGER = 2**53 - 1
ROWS = {
    "a": {"total": 10, "qty": 1, "status": "paid"},
    "b": {"total": 2.5, "qty": 3, "status": "paid"},
    "c": {"total": 7, "qty": 2, "status": "open"},
    "d": {"total": "n/a", "qty": 1, "status": "open"},
    "e": {"qty": 5, "status": "void"},
}


def _values(results: Any) -> dict[str, Any]:
    return {result.alias: result.value for row in results for result in row}


def seed(db: Any) -> str:
    """The transcript's seed, written with an owner client."""
    batch = db.batch()
    orders = db.collection("orders")
    for key, row in ROWS.items():
        batch.set(orders.document(key), row)
    batch.set(db.document("orders/a/lines/1"), {"qty": 4})
    batch.set(db.document("orders/b/lines/1"), {"qty": 6})
    batch.set(db.document("big/x"), {"n": MAX_SAFE_INTEGER})
    batch.set(db.document("big/y"), {"n": MAX_SAFE_INTEGER})
    batch.commit()
    return "ok"


def average_of_nothing(server: Any) -> dict[str, Any]:
    """The average of no values is null and the sum 0; read over REST because the Python SDK
    decodes an aggregate as `integer_value or double_value`, turning both into 0.0."""
    query = {
        "structuredQuery": {
            "from": [{"collectionId": "orders"}],
            "where": {
                "fieldFilter": {
                    "field": {"fieldPath": "status"},
                    "op": "EQUAL",
                    "value": {"stringValue": "none"},
                }
            },
        },
        "aggregations": [
            {"avg": {"field": {"fieldPath": "total"}}, "alias": "mean"},
            {"sum": {"field": {"fieldPath": "total"}}, "alias": "total"},
        ],
    }
    status, body = server.request(
        "POST",
        f"/v1/projects/{PROJECT}/databases/(default)/documents:runAggregationQuery",
        json.dumps({"structuredAggregationQuery": query}).encode(),
    )
    assert status == 200
    fields = json.loads(body)[0]["result"]["aggregateFields"]
    total = fields["total"]
    return {
        "mean": fields["mean"].get("doubleValue"),
        "total": int(total["integerValue"]) if "integerValue" in total else total["doubleValue"],
    }


def steps(db: Any, server: Any) -> list[tuple[str, Callable[[], Any]]]:
    """tools/oracle/sdk_aggregations.mjs, step for step, for the sync client."""
    orders = db.collection("orders")
    paid = orders.where(filter=firestore.FieldFilter("status", "==", "paid"))

    def run(query: Any) -> dict[str, Any]:
        return _values(query.get())

    def in_transaction() -> dict[str, Any]:
        @firestore.transactional
        def body(transaction: Any) -> dict[str, Any]:
            counted = _values(paid.count(alias="count").get(transaction=transaction))
            transaction.set(orders.document("f"), {"total": 1, "qty": 1, "status": "paid"})
            return counted

        return body(db.transaction())

    def read_only() -> dict[str, Any]:
        @firestore.transactional
        def body(transaction: Any) -> dict[str, Any]:
            return _values(orders.count(alias="count").get(transaction=transaction))

        return body(db.transaction(read_only=True))

    return [
        ("seed", lambda: seed(db)),
        ("count", lambda: run(orders.count(alias="count"))),
        (
            "count with a filter",
            lambda: run(
                orders.where(filter=firestore.FieldFilter("status", "==", "open")).count(
                    alias="count"
                )
            ),
        ),
        ("count with a limit", lambda: run(orders.limit(2).count(alias="count"))),
        (
            "sum and average",
            lambda: run(orders.sum("total", alias="total").avg("total", alias="mean")),
        ),
        ("count next to sum", lambda: run(orders.count(alias="n").sum("qty", alias="qty"))),
        (
            "count next to sum of a sparse field",
            lambda: run(orders.count(alias="n").sum("total", alias="total")),
        ),
        ("average of nothing", lambda: average_of_nothing(server)),
        ("sum beyond 2^53", lambda: run(db.collection("big").sum("n", alias="n"))),
        (
            "collection group count and sum",
            lambda: run(db.collection_group("lines").count(alias="n").sum("qty", alias="qty")),
        ),
        ("in a transaction", in_transaction),
        ("after the transaction", lambda: run(paid.count(alias="count"))),
        ("in a read-only transaction", read_only),
    ]


def test_aggregations_match_the_official_transcript(firestore_server):
    """Counts, sums (exact beyond 2^53) and averages, in and out of transactions."""
    firestore_server.clear(project=PROJECT)
    db = firestore_server.owner_client(project=PROJECT)
    out = [{"name": name, "ok": action()} for name, action in steps(db, firestore_server)]
    assert out == TRANSCRIPT


async def test_the_async_client_aggregates_the_same(firestore_server):
    """AsyncClient's count/sum/avg answer the transcript's values."""
    firestore_server.clear(project=PROJECT)
    seed(firestore_server.owner_client(project=PROJECT))
    db = firestore_server.owner_client(project=PROJECT, asynchronous=True)
    orders = db.collection("orders")
    query = orders.count(alias="n").sum("total", alias="total").avg("total", alias="mean")
    assert isinstance(query, aggregation.BaseAggregationQuery)
    got = _values(await query.get())
    # A sum or average restricts the count to documents with the field (as the transcript's
    # "count next to sum of a sparse field" shows).
    assert got == {"n": 4, "total": 19.5, "mean": 6.5}
    group = await db.collection_group("lines").count(alias="n").sum("qty", alias="qty").get()
    assert _values(group) == {"n": 2, "qty": 10}
