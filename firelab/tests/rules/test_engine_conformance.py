"""Conformance of the evaluator and request model with the Firebase documentation.

Each case in testdata/engine/*.toml names the documentation page it comes from and the outcome
that page documents. A case is either an expression with variables and an expected value (or
error), or a rules file, a request (or a batch of requests), the stored documents, and whether
the request is allowed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from firelab.rules import (
    Auth,
    CompositeFilter,
    FieldFilter,
    InMemoryDocuments,
    ListQuery,
    OrderBy,
    Rules,
    RulesError,
    RulesRequest,
    evaluate_expression,
)

TESTDATA = Path(__file__).parent / "testdata" / "engine"


def _load_cases() -> list[Any]:
    cases = []
    for file in sorted(TESTDATA.glob("*.toml")):
        document = tomllib.loads(file.read_text(encoding="utf-8"))
        shared = document.get("rules", {})
        for case in document["case"]:
            case = dict(case)
            if "rules_ref" in case:
                case["rules"] = shared[case["rules_ref"]]
            case_id = f"{file.stem}: {case['name']}"
            cases.append(pytest.param(case, id=case_id))
    return cases


CASES = _load_cases()


def _filter(data: Mapping[str, Any]) -> FieldFilter | CompositeFilter:
    if "filters" in data:
        return CompositeFilter(data["op"], tuple(_filter(item) for item in data["filters"]))
    return FieldFilter(data["field"], data["op"], data["value"])


def _query(data: Mapping[str, Any] | None) -> ListQuery | None:
    if data is None:
        return None
    return ListQuery(
        filters=tuple(_filter(item) for item in data.get("filters", ())),
        order_by=tuple(
            OrderBy(item["field"], item.get("direction", "asc"))
            for item in data.get("order_by", ())
        ),
        limit=data.get("limit"),
        offset=data.get("offset"),
        collection_group=data.get("collection_group", False),
    )


def make_request(data: Mapping[str, Any]) -> RulesRequest:
    """A RulesRequest from a case's `request` table."""
    auth = data.get("auth")
    return RulesRequest(
        method=data["method"],
        path=data["path"],
        service=data.get("service", "cloud.firestore"),
        auth=None if auth is None else Auth(auth["uid"], auth.get("token", {})),
        time=data.get("time"),
        resource=data.get("resource"),
        request_resource=data.get("request_resource"),
        query=_query(data.get("query")),
        bucket=data.get("bucket", "default-bucket"),
    )


def make_documents(data: Mapping[str, Any] | None) -> InMemoryDocuments:
    """The stored documents of a case: `before`, and `after` for batches and transactions."""
    data = data or {}
    return InMemoryDocuments(data.get("before", {}), data.get("after"))


@pytest.mark.parametrize("case", CASES)
def test_documented_behaviour(case: dict[str, Any]) -> None:
    """The engine reproduces the outcome the cited documentation page describes."""
    assert case["source"].startswith("https://")
    assert case["documented"]
    if "expression" in case:
        value = evaluate_expression(case["expression"], case.get("variables", {}))
        if case.get("expect_error"):
            assert isinstance(value, RulesError)
        else:
            assert not isinstance(value, RulesError), value
            assert value == case["expect_value"]
            assert type(value) is type(case["expect_value"])
        return
    rules = Rules.from_source(case["rules"], case["name"])
    documents = make_documents(case.get("documents"))
    if "requests" in case:
        batch = rules.evaluate_batch([make_request(item) for item in case["requests"]], documents)
        assert batch.allowed is (case["expect"] == "allow"), [d.explain() for d in batch.decisions]
        return
    decision = rules.evaluate(make_request(case["request"]), documents)
    assert decision.allowed is (case["expect"] == "allow"), decision.explain()
    if "reads" in case:
        assert len(decision.reads) == case["reads"], decision.explain()
    if "reason_contains" in case:
        assert case["reason_contains"] in decision.reason, decision.explain()
