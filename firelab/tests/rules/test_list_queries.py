"""List-query reasoning: filters in disjunctive normal form, constraints, and soundness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firelab.rules import (
    CompositeFilter,
    FieldFilter,
    InMemoryDocuments,
    ListQuery,
    OrderBy,
    Rules,
    RulesError,
    RulesRequest,
)
from firelab.rules._list_queries import (
    MAX_BRANCHES,
    SymbolicDocument,
    query_branches,
)

RANGE_RULES = Rules.from_source(
    """rules_version = '2';
    service cloud.firestore {
      match /databases/{database}/documents {
        match /items/{id} {
          allow list: if resource.data.x > 5 && resource.data.x <= 100;
        }
      }
    }"""
)


def _describe(query: ListQuery) -> list[str]:
    branches = query_branches(query)
    assert not isinstance(branches, RulesError)
    return [("(empty) " if branch.empty else "") + branch.describe() for branch in branches]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), [""]),
        ((FieldFilter("a", "==", 1),), ["a == 1"]),
        ((FieldFilter("a", "in", [1, 2]),), ["a == 1", "a == 2"]),
        (
            (FieldFilter("a", "in", [1, 2]), FieldFilter("b", "in", ["x", "y"])),
            [
                "a == 1 and b == 'x'",
                "a == 1 and b == 'y'",
                "a == 2 and b == 'x'",
                "a == 2 and b == 'y'",
            ],
        ),
        (
            (CompositeFilter("or", (FieldFilter("a", "==", 1), FieldFilter("b", ">", 2))),),
            ["a == 1", "b > 2"],
        ),
        (
            (
                CompositeFilter(
                    "and",
                    (
                        FieldFilter("a", ">=", 1),
                        CompositeFilter(
                            "or", (FieldFilter("b", "==", 1), FieldFilter("c", "==", 2))
                        ),
                    ),
                ),
            ),
            ["a >= 1 and b == 1", "a >= 1 and c == 2"],
        ),
        (
            (FieldFilter("t", "array-contains-any", ["p", "q"]),),
            ["t array-contains 'p'", "t array-contains 'q'"],
        ),
        ((FieldFilter("a", "==", 1), FieldFilter("a", "==", 2)), ["(empty) a == 1"]),
        ((FieldFilter("a", ">", 5), FieldFilter("a", "<", 3)), ["(empty) a > 5 and a < 3"]),
        ((FieldFilter("a", ">", 5), FieldFilter("a", ">", 7)), ["a > 7"]),
        ((FieldFilter("a", "==", 4), FieldFilter("a", "!=", 4)), ["(empty) a == 4 and a != 4"]),
        ((FieldFilter("a", "not-in", [1, 2]),), ["a != 1 and a != 2"]),
    ],
)
def test_filters_become_branches(filters: tuple[FieldFilter, ...], expected: list[str]) -> None:
    """Filters are split into ANDed branches; `in`, `or` and array-contains-any multiply them."""
    assert _describe(ListQuery(filters=filters)) == expected


def test_order_by_makes_a_field_exist() -> None:
    """An orderBy field is known to exist in every result, with no other constraint."""
    assert _describe(ListQuery(order_by=(OrderBy("rank"),))) == ["rank exists"]


def test_too_many_branches_is_an_error() -> None:
    """A query whose disjunctions exceed MAX_BRANCHES is refused rather than analysed."""
    values = list(range(11))
    query = ListQuery(
        filters=(FieldFilter("a", "in", values), FieldFilter("b", "in", values)),
    )
    branches = query_branches(query)
    assert isinstance(branches, RulesError)
    assert str(MAX_BRANCHES) in branches.message


def test_empty_in_filter_is_an_error() -> None:
    """An `in` with no values is not a query the rules can judge."""
    assert isinstance(query_branches(ListQuery(filters=(FieldFilter("a", "in", []),))), RulesError)


def test_contradictory_filters_return_nothing_and_are_allowed() -> None:
    """A query whose filters contradict each other returns no document, so nothing is exposed."""
    request = RulesRequest(
        method="list",
        path="items",
        query=ListQuery(filters=(FieldFilter("x", "==", 1), FieldFilter("x", "==", 2))),
    )
    decision = RANGE_RULES.evaluate(request)
    assert decision.allowed
    assert decision.trace == ()


def test_symbolic_documents_refuse_python_equality() -> None:
    """Symbolic values cannot be compared by accident; code that tries gets a TypeError."""
    branches = query_branches(ListQuery())
    assert not isinstance(branches, RulesError)
    document = SymbolicDocument(branches[0])
    with pytest.raises(TypeError):
        _ = document == document
    with pytest.raises(TypeError):
        hash(document)


def test_list_decision_names_the_failing_branch() -> None:
    """A denied list says which of the query's branches no rule covers."""
    request = RulesRequest(
        method="list",
        path="items",
        query=ListQuery(filters=(FieldFilter("x", "in", [10, 200]),)),
    )
    decision = RANGE_RULES.evaluate(request)
    assert not decision.allowed
    assert decision.reason == (
        "no allow rule grants every document the query can return where x == 200"
    )
    assert [outcome.scope for outcome in decision.trace] == ["x == 10", "x == 200"]


_OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
_NUMBERS = st.integers(min_value=-3, max_value=110) | st.sampled_from([5.5, 100.0, 6.0])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_OPS, _NUMBERS), min_size=0, max_size=3),
    st.lists(st.integers(min_value=-3, max_value=110) | st.sampled_from([5.5, 99.5]), max_size=8),
)
def test_an_allowed_query_only_returns_permitted_documents(
    filters: list[tuple[str, float]], stored: list[float]
) -> None:
    """Soundness: when a range query is allowed, every document it would return satisfies the
    rule (x > 5 and x <= 100) — checked against concrete documents evaluated one by one."""
    query = ListQuery(filters=tuple(FieldFilter("x", op, value) for op, value in filters))  # type: ignore[arg-type]
    if not RANGE_RULES.evaluate(RulesRequest(method="list", path="items", query=query)).allowed:
        return
    for x in stored:
        if all(_matches(x, op, value) for op, value in filters):
            single = RulesRequest(method="get", path="items/i", resource={"x": x})
            assert 5 < x <= 100, (filters, x)
            assert _get_allowed(single)


def _matches(x: float, op: str, value: float) -> bool:
    return {
        "<": x < value,
        "<=": x <= value,
        ">": x > value,
        ">=": x >= value,
        "==": x == value,
        "!=": x != value,
    }[op]


_GET_RULES = Rules.from_source(
    """rules_version = '2';
    service cloud.firestore {
      match /databases/{database}/documents {
        match /items/{id} {
          allow get: if resource.data.x > 5 && resource.data.x <= 100;
        }
      }
    }"""
)


def _get_allowed(request: RulesRequest) -> bool:
    return _GET_RULES.evaluate(request, InMemoryDocuments()).allowed
