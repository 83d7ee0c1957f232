"""RunAggregationQuery replays every case of aggregations.json: values, types and messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf import json_format

from firelab.server.core import Database, Emulator, FirestoreError
from firelab.server.core._protos import RunAggregationQueryRequest

from .oracle import fill, load, outcome_of, seed

RECORDING = load("aggregations.json")
CASES = RECORDING["cases"]


@pytest.fixture(scope="module")
def database() -> Database:
    """A database seeded with the recording's dataset."""
    seeded = Emulator().database("agg-oracle")
    seed(seeded, RECORDING["dataset"])
    return seeded


def run(database: Database, case: dict[str, Any]) -> dict[str, Any]:
    """Run one case and describe its outcome the way the recording does."""
    parent = database.id.documents_root + (f"/{case['parent']}" if case["parent"] else "")
    request = RunAggregationQueryRequest(parent=parent)
    json_format.ParseDict(
        fill({"structuredQuery": case["query"], "aggregations": case["aggregations"]}, database),
        request.structured_aggregation_query,
    )
    try:
        responses = list(database.run_aggregation_query(request))
    except FirestoreError as error:
        return outcome_of(error, database)
    entries = []
    for response in responses:
        result = json.loads(json_format.MessageToJson(response.result))
        entries.append({"result": result, "readTime": "<time>", "done": True})
    return {"status": "OK", "responses": entries}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_aggregation_matches_the_official_emulator(
    database: Database, case: dict[str, Any]
) -> None:
    """The aggregation returns the recorded values with the recorded types (or error)."""
    assert run(database, case) == case["outcome"]


def test_aggregation_reports_its_read_time(database: Database) -> None:
    """Every aggregation response carries the time it read at."""
    request = RunAggregationQueryRequest(parent=database.id.documents_root)
    json_format.ParseDict(
        {"structuredQuery": {"from": [{"collectionId": "ints"}]}, "aggregations": [{"count": {}}]},
        request.structured_aggregation_query,
    )
    (response,) = database.run_aggregation_query(request)
    assert response.read_time.seconds > 0
