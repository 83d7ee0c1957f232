"""Per-request evaluation traces: each allow tried, the expressions it evaluated with their
values, and the innermost sub-expression that made it false or an error."""

from __future__ import annotations

import pytest

from firelab.rules import Auth, EvaluationTrace, Rules, RulesRequest

SOURCE = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function owns(uid) {
      return request.auth != null && request.auth.uid == uid;
    }
    match /notes/{uid} {
      allow update: if owns(uid)
        && request.resource.data.title is string
        && request.resource.data.score <= 10;
      allow delete: if false;
    }
  }
}
"""
RULES = Rules.from_source(SOURCE, "notes.rules")


def text_of(line: int, column: int, end_line: int, end_column: int) -> str:
    lines = SOURCE.split("\n")
    assert line == end_line
    return lines[line - 1][column - 1 : end_column - 1]


def update(uid: str, data: dict[str, object]) -> RulesRequest:
    return RulesRequest(
        method="update",
        path="notes/alice",
        auth=Auth(uid, {}),
        resource={"title": "a", "score": 1},
        request_resource=data,
    )


@pytest.mark.parametrize(
    ("request_", "culprit", "value"),
    [
        (
            update("alice", {"title": "a", "score": 42}),
            "request.resource.data.score <= 10",
            "false",
        ),
        (update("bob", {"title": "a", "score": 1}), "request.auth.uid == uid", "false"),
        (
            update("alice", {"title": 3, "score": 1}),
            "request.resource.data.title is string",
            "false",
        ),
        (
            update("alice", {"title": "a"}),
            "request.resource.data.score",
            "error: map has no key 'score'",
        ),
    ],
    ids=["a-condition-false", "inside-a-function", "a-type-check", "an-error"],
)
def test_the_culprit_is_the_innermost_failing_sub_expression(
    request_: RulesRequest, culprit: str, value: str
) -> None:
    """The failure is followed down `&&` chains and into the rules function called."""
    trace = EvaluationTrace(None, RULES.ruleset)
    decision = RULES.evaluate(request_, coverage=trace)
    assert not decision.allowed
    [allow] = trace.allows()
    assert allow.result in ("false", "error")
    assert allow.culprit is not None
    found = allow.culprit
    assert text_of(found.line, found.column, found.end_line, found.end_column) == culprit
    assert found.value == value


def test_a_granting_allow_has_no_culprit_and_coverage_still_counts() -> None:
    """The trace forwards every evaluation to the coverage it wraps."""
    coverage = RULES.coverage()
    trace = EvaluationTrace(coverage, RULES.ruleset)
    decision = RULES.evaluate(update("alice", {"title": "a", "score": 2}), coverage=trace)
    assert decision.allowed
    [allow] = trace.allows()
    assert allow.result == "true"
    assert allow.culprit is None
    assert coverage.to_dict()["summary"]["allowsGranted"] == 1
    assert len(coverage.counts) == len({node.node_id for node, _ in trace.records})


def test_each_allow_tried_gets_its_own_trace() -> None:
    """A delete tries only the delete allow: one trace, whose condition is the constant."""
    trace = EvaluationTrace(None, RULES.ruleset)
    request = RulesRequest(method="delete", path="notes/alice", auth=Auth("alice", {}))
    RULES.evaluate(request, coverage=trace)
    [allow] = trace.allows()
    assert allow.line == 11
    assert allow.culprit is not None
    assert allow.culprit.value == "false"
