"""The built-in types, operators, methods and functions behave as the rules reference documents.

The cases live in ``testdata/builtins_*.py``, one module per section of the reference, each case
naming its source page and documented outcome (or the engine choice where the page is silent).
Every case runs twice: through the value functions the evaluator calls, and end to end as rules
expression text through the parser and evaluator.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from firelab.rules import RulesSyntaxError, evaluate_expression
from firelab.rules._functions import call_function, lookup_function
from firelab.rules._methods import call_method
from firelab.rules._operators import binary_op, index, member, slice_, unary_op
from firelab.rules._values import RulesError, RulesSet, is_type, type_name, values_equal

TESTDATA = Path(__file__).parent / "testdata"
SECTIONS = sorted(path.stem for path in TESTDATA.glob("builtins_*.py"))


def load_section(name: str) -> ModuleType:
    """Import ``testdata/<name>.py`` by path (tests are not an importable package)."""
    spec = importlib.util.spec_from_file_location(f"rules_testdata_{name}", TESTDATA / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def all_cases() -> list[Any]:
    params = []
    for section in SECTIONS:
        for expr, call, expected, source in load_section(section).CASES:
            params.append(pytest.param(expr, call, expected, source, id=f"{section}: {expr}"))
    return params


def evaluate(call: tuple[Any, ...]) -> Any:
    """Run one case's call through the engine entry points the evaluator uses."""
    kind, *rest = call
    if kind == "method":
        receiver, name, args = rest
        return call_method(receiver, name, list(args))
    if kind == "chain":
        inner, name, args = rest
        return call_method(evaluate(inner), name, list(args))
    if kind == "function":
        name, args = rest
        return call_function(name, list(args))
    if kind == "binary":
        return binary_op(*rest)
    if kind == "unary":
        return unary_op(*rest)
    if kind == "index":
        return index(*rest)
    if kind == "slice":
        return slice_(*rest)
    if kind == "member":
        return member(*rest)
    if kind == "is":
        return is_type(*rest)
    raise AssertionError(f"unknown call kind {kind!r}")


def same(actual: Any, expected: Any) -> bool:
    """Equal under the rules' ``==`` and of the same type at every level (1 is not 1.0 here)."""
    if isinstance(expected, float):
        if not isinstance(actual, float):
            return False
        if math.isnan(expected):
            return math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=0.0) or actual == expected
    if type_name(actual) != type_name(expected):
        return False
    if isinstance(expected, list | tuple):
        return len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in expected
        )
    if isinstance(expected, RulesSet):
        return isinstance(actual, RulesSet) and actual == expected
    return values_equal(actual, expected)


def test_every_section_has_cases() -> None:
    """Each testdata section contributes cases, and every case cites a reference page."""
    assert SECTIONS
    for section in SECTIONS:
        cases = load_section(section).CASES
        assert cases, section
        for case in cases:
            assert "https://firebase.google.com/docs/" in case[3], case


@pytest.mark.parametrize(("expr", "call", "expected", "source"), all_cases())
def test_builtin_conformance(expr: str, call: tuple[Any, ...], expected: Any, source: str) -> None:
    """The call evaluates to the documented value, or to a RulesError where one is expected."""
    actual = evaluate(call)
    if expected is RulesError:
        assert isinstance(actual, RulesError), f"expected an error, got {actual!r} ({source})"
    else:
        assert same(actual, expected), f"got {actual!r}, expected {expected!r} ({source})"


@pytest.mark.parametrize(("expr", "call", "expected", "source"), all_cases())
def test_builtin_expression_conformance(
    expr: str, call: tuple[Any, ...], expected: Any, source: str
) -> None:
    """The rules expression text evaluates to the same documented value through the evaluator.

    Where the call finds no built-in (None), the expression is an unknown-function error; where
    an error is expected, a syntax error is an error too (``1 ** 2`` does not parse).
    """
    if expected is None and call[0] == "function" and lookup_function(call[1]) is None:
        expected = RulesError
    actual: Any
    try:
        actual = evaluate_expression(expr)
    except RulesSyntaxError as exc:
        actual = exc
    if isinstance(actual, RulesSyntaxError):
        assert expected is RulesError, f"{expr!r} does not parse: {actual} ({source})"
    elif expected is RulesError:
        assert isinstance(actual, RulesError), f"expected an error, got {actual!r} ({source})"
    else:
        assert same(actual, expected), f"got {actual!r}, expected {expected!r} ({source})"
