"""Rule coverage counts every evaluated condition and sub-expression by outcome."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from firelab.rules import Auth, Coverage, ListQuery, Rules, RulesRequest
from firelab.rules import _ast as ast

RULES = Rules.from_source(
    """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isOwner(uid) {
      return request.auth != null && request.auth.uid == uid;
    }
    match /users/{userId} {
      allow get: if isOwner(userId) && userId != 'root' && userId.size() > 0;
      allow list: if request.query.limit <= 10;
      allow delete: if resource.data.missing;
      allow create;
    }
  }
}""",
    "cov.rules",
)


def _allow(line: int) -> ast.Allow:
    return next(n for n in ast.walk(RULES.ruleset) if isinstance(n, ast.Allow) and n.line == line)


def _node(text: str) -> ast.Node:
    coverage = RULES.coverage()
    for entry in coverage.to_dict()["expressions"]:
        if entry["text"] == text:
            return next(n for n in ast.walk(RULES.ruleset) if n.node_id == entry["nodeId"])
    raise AssertionError(f"no expression {text!r}")


def _run() -> tuple[Coverage, dict[str, Any]]:
    coverage = RULES.coverage()
    for uid in ("alice", "bob"):
        RULES.evaluate(
            RulesRequest(method="get", path="users/alice", auth=Auth(uid)), coverage=coverage
        )
    RULES.evaluate(RulesRequest(method="get", path="users/alice"), coverage=coverage)
    RULES.evaluate(
        RulesRequest(method="list", path="users", query=ListQuery(limit=5)), coverage=coverage
    )
    RULES.evaluate(
        RulesRequest(method="delete", path="users/alice", resource={"x": 1}), coverage=coverage
    )
    return coverage, coverage.to_dict()


def test_allow_counts_by_outcome() -> None:
    """Each allow counts evaluations that granted (true), refused (false) and errored."""
    coverage, _ = _run()
    get = coverage.of(_allow(8))
    assert (get.total, get.true, get.false, get.error) == (3, 1, 2, 0)
    listing = coverage.of(_allow(9))
    assert (listing.total, listing.true) == (1, 1)
    delete = coverage.of(_allow(10))
    assert (delete.total, delete.error) == (1, 1)
    create = coverage.of(_allow(11))
    assert create.total == 0


def test_sub_expressions_are_counted_inside_functions() -> None:
    """Expressions in a called function are counted each time the function runs."""
    coverage, _ = _run()
    signed_in = coverage.of(_node("request.auth != null"))
    assert (signed_in.true, signed_in.false) == (2, 1)
    same_uid = coverage.of(_node("request.auth.uid == uid"))
    assert (same_uid.true, same_uid.false) == (1, 1)


def test_inner_nodes_of_a_chain_are_counted() -> None:
    """In `a && b && c` the inner `a && b` is counted with the chain's value so far."""
    coverage, _ = _run()
    inner = coverage.of(_node("isOwner(userId) && userId != 'root'"))
    assert (inner.true, inner.false) == (1, 2)
    last = coverage.of(_node("userId.size() > 0"))
    assert (last.total, last.true) == (1, 1)


def test_json_report_has_summary_and_entries() -> None:
    """The JSON report summarises allows and expressions and lists each with its position."""
    _, report = _run()
    summary = report["summary"]
    assert summary == {
        "allows": 4,
        "allowsEvaluated": 3,
        "allowsGranted": 2,
        "expressions": summary["expressions"],
        "expressionsEvaluated": summary["expressionsEvaluated"],
        "expressionsSeenTrueAndFalse": summary["expressionsSeenTrueAndFalse"],
    }
    entries = report["expressions"]
    assert all({"line", "column", "endLine", "endColumn", "text"} <= set(e) for e in entries)
    assert json.loads(RULES.coverage().to_json())["file"] == "cov.rules"


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.deepest = 0
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            self.classes.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.depth -= 1


def test_html_report_annotates_the_source() -> None:
    """The HTML page holds the escaped source with balanced, nested spans per outcome."""
    coverage, _ = _run()
    page = coverage.to_html()
    parser = _Balance()
    parser.feed(page)
    assert parser.depth == 0
    assert parser.deepest > 3
    assert "allow true" in parser.classes or "allow both" in parser.classes
    assert "allow unevaluated" in parser.classes
    assert "expr error" in parser.classes
    assert "&amp;&amp;" in page
    assert "&#x27;root&#x27;" in page
