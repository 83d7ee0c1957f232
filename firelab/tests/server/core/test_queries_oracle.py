"""RunQuery replays every case of queries.json against the core: results, order, skipped
counts, projections and exact error messages."""

from __future__ import annotations

from typing import Any

import pytest

from firelab.server.core import Database, Emulator, FirestoreError
from firelab.server.core._protos import RunQueryRequest

from .oracle import fields, fill, load, outcome_of, relative, seed, structured_query

RECORDING = load("queries.json")
CASES = RECORDING["cases"]


@pytest.fixture(scope="module")
def database() -> Database:
    """A database seeded with the recording's dataset (queries never change it)."""
    seeded = Emulator().database("queries-000000")
    seed(seeded, RECORDING["dataset"])
    return seeded


def run(database: Database, case: dict[str, Any]) -> dict[str, Any]:
    """Run one case and describe its outcome the way the recording does."""
    parent = database.id.documents_root + (f"/{case['parent']}" if case["parent"] else "")
    request = RunQueryRequest(parent=parent)
    request.structured_query.CopyFrom(structured_query(fill(case["query"], database)))
    try:
        responses = list(database.run_query(request))
    except FirestoreError as error:
        return outcome_of(error, database)
    entries = []
    projected = {}
    for response in responses:
        entry: dict[str, Any] = {}
        if response.HasField("document"):
            name = relative(database, response.document.name)
            entry["document"] = name
            projected[name] = response.document
        if response.skipped_results:
            entry["skipped"] = response.skipped_results
        if response.done:
            entry["done"] = True
        entries.append(entry)
    outcome: dict[str, Any] = {"status": "OK", "responses": entries}
    if "select" in case["query"]:
        outcome["fields"] = projected
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_query_matches_the_official_emulator(database: Database, case: dict[str, Any]) -> None:
    """The query returns the recorded documents in the recorded order (or the recorded error)."""
    outcome = run(database, case)
    expected = dict(case["outcome"])
    if "fields" in expected:
        recorded = expected.pop("fields").items()
        wanted = {name: fields(fill(data, database)).fields for name, data in recorded}
        got = {name: document.fields for name, document in outcome.pop("fields").items()}
        assert got.keys() == wanted.keys()
        for name, data in wanted.items():
            assert dict(got[name]) == dict(data), name
    assert outcome == expected
