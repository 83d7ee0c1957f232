"""The stack's output points out queries that would be slow or expensive in production."""

from __future__ import annotations

from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from firelab.server.core import DatabaseId, IndexUsed, QueryProfile
from firelab.stack import LocalStack, StackConfig
from firelab.stack._query_log import QueryCostLog

PROJECT = "demo-query-log"


def make_profile(**changes: Any) -> QueryProfile:
    values: dict[str, Any] = {
        "database": DatabaseId(PROJECT),
        "target": "users",
        "kind": "query",
        "plan": (IndexUsed("Collection", "(age ASC, __name__ ASC)"),),
        "results_returned": 3,
        "documents_scanned": 3,
        "index_entries_scanned": 3,
        "read_operations": 3,
        "duration_ns": 1_000_000,
    }
    values.update(changes)
    return QueryProfile(**values)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({}, None),
        ({"documents_scanned": 5000}, "expensive"),
        ({"documents_scanned": 5000, "results_returned": 1000}, None),
        ({"documents_scanned": 999, "results_returned": 0}, None),
        ({"duration_ns": 300_000_000}, "slow"),
        ({"duration_ns": 300_000_000, "documents_scanned": 5000}, "slow and expensive"),
    ],
)
def test_which_runs_are_notable(changes: dict[str, Any], reason: str | None) -> None:
    """Slow: 250 ms or more. Expensive: 1,000 or more documents scanned, over ten per result."""
    assert QueryCostLog(print).notable(make_profile(**changes)) == reason


def test_a_line_says_what_was_scanned_for_what_through_which_index() -> None:
    lines: list[str] = []
    QueryCostLog(lines.append)(make_profile(documents_scanned=5000))
    assert lines == [
        "firelab: expensive query on users: 5,000 documents scanned for 3 results, 3 billed "
        "reads, 1.0 ms, index (age ASC, __name__ ASC) (collection)"
    ]


def test_the_stack_prints_a_line_for_a_query_that_scans_a_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An offset reads (and production bills) every document it skips: 1,101 scanned for one
    result is a line; selective or limited queries print nothing."""
    lines: list[str] = []
    config = StackConfig(project=PROJECT, auth=False, query_log=lines.append)
    with LocalStack(config) as stack:
        assert stack.firestore is not None
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", stack.firestore.address)
        db = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        for start in range(0, 1200, 400):
            batch = db.batch()
            for n in range(start, start + 400):
                batch.set(db.document(f"users/u{n:04}"), {"age": n % 90, "tags": [n % 7]})
            batch.commit()
        list(db.collection("users").where(filter=FieldFilter("age", "==", 3)).stream())
        assert lines == []
        list(db.collection("users").where(filter=FieldFilter("age", "!=", 3)).limit(1).stream())
        assert lines == []
        list(db.collection("users").offset(1100).limit(1).stream())
        assert len(lines) == 1
        assert lines[0].startswith(
            "firelab: expensive query on users: 1,101 documents scanned for 1 results, 1,101"
        )
