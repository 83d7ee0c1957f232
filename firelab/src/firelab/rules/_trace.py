"""Per-request evaluation traces: every expression one request evaluated, with its value, and
for each `allow` that did not grant, the sub-expression that made it false or an error.

`Rules.evaluate(request, coverage=EvaluationTrace(coverage))` keeps the trace and still counts
coverage. Recording is an append per evaluated node holding references only; the values are
rendered as text when someone asks (`allows()`), so a trace nobody reads costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from firelab.rules import _ast as ast
from firelab.rules._coverage import Recorder
from firelab.rules._evaluator import spine
from firelab.rules._values import RulesError, Value, type_name

__all__ = ["AllowTrace", "EvaluationTrace", "TracedExpression"]

_SHOWN_CHARACTERS = 160
"""Values are shown up to this many characters (documents can be large)."""


@dataclass(frozen=True, slots=True)
class TracedExpression:
    """One evaluated expression: where it is in the rules source and what it came to."""

    line: int
    column: int
    end_line: int
    end_column: int
    value: str
    outcome: str
    """`true`, `false`, `error` or `value`."""


@dataclass(frozen=True, slots=True)
class AllowTrace:
    """One `allow` tried: its outcome, the expressions it evaluated, and the one that decided."""

    line: int
    column: int
    result: str
    expressions: tuple[TracedExpression, ...]
    culprit: TracedExpression | None
    """The innermost sub-expression that made the condition false or an error (None when it
    granted, or had no condition)."""


class EvaluationTrace:
    """A `Recorder` keeping one request's evaluations in order (and forwarding to `coverage`)."""

    __slots__ = ("_allows", "_coverage", "_functions", "_ruleset", "records")

    def __init__(self, coverage: Recorder | None = None, ruleset: ast.Ruleset | None = None):
        self._coverage = coverage
        self._ruleset = ruleset
        self.records: list[tuple[ast.Node, Value]] = []
        self._functions: dict[str, ast.Function] | None = None
        self._allows: list[AllowTrace] | None = None

    def record(self, node: ast.Node, result: Value) -> None:
        """Keep one evaluation (and count it in the coverage)."""
        self.records.append((node, result))
        if self._coverage is not None:
            self._coverage.record(node, result)

    def allows(self) -> list[AllowTrace]:
        """Each `allow` tried, in order, with what its condition evaluated (worked out on the
        first call, from the records)."""
        if self._allows is not None:
            return self._allows
        if self._functions is None:
            self._functions = _functions_of(self._ruleset)
        traces: list[AllowTrace] = []
        segment: list[tuple[ast.Node, Value]] = []
        for node, value in self.records:
            if isinstance(node, ast.Allow):
                traces.append(self._allow(node, value, segment))
                segment = []
            else:
                segment.append((node, value))
        self._allows = traces
        return traces

    def _allow(
        self, allow: ast.Allow, value: Value, segment: Sequence[tuple[ast.Node, Value]]
    ) -> AllowTrace:
        last: dict[int, tuple[ast.Node, Value]] = {}
        for node, result in segment:
            last[node.node_id] = (node, result)
        expressions = tuple(_traced(node, result) for node, result in last.values())
        result = _outcome(value)
        culprit = None
        if result != "true" and allow.condition is not None:
            found = self._culprit(allow.condition, {key: v for key, (_, v) in last.items()})
            if found is not None:
                culprit = _traced(found, last[found.node_id][1])
        return AllowTrace(allow.line, allow.column, result, expressions, culprit)

    def _culprit(self, start: ast.Expr, values: dict[int, Value]) -> ast.Node | None:
        """Follow the failure down: the first false or failing operand of `&&`, the body of a
        called rules function, the branch a ternary took, an erroring operand of an error."""
        if start.node_id not in values:
            return None
        node: ast.Node = start
        for _ in range(10_000):
            following = self._inner(node, values)
            if following is None:
                return node
            node = following
        return node

    def _inner(self, node: ast.Node, values: dict[int, Value]) -> ast.Node | None:
        value = values.get(node.node_id)
        failing = value is False or value.__class__ is RulesError
        if isinstance(node, ast.And) and failing:
            for operand in spine(node, ast.And):
                if operand.node_id in values and _fails(values[operand.node_id]):
                    return operand
            return None
        if isinstance(node, ast.Ternary):
            if node.if_true.node_id in values:
                return node.if_true
            if node.if_false.node_id in values:
                return node.if_false
            return node.condition if node.condition.node_id in values else None
        if isinstance(node, ast.Call) and node.target is None and self._functions:
            function = self._functions.get(node.name)
            if function is not None and function.result.node_id in values:
                return function.result
        if value.__class__ is RulesError:
            for child in _children(node):
                if child.node_id in values and values[child.node_id].__class__ is RulesError:
                    return child
        return None


def _functions_of(ruleset: ast.Ruleset | None) -> dict[str, ast.Function]:
    """The rules functions by name (the first declared, when names repeat in nested matches)."""
    functions: dict[str, ast.Function] = {}
    if ruleset is not None:
        for node in ast.walk(ruleset):
            if isinstance(node, ast.Function):
                functions.setdefault(node.name, node)
    return functions


def _children(node: ast.Node) -> tuple[ast.Node, ...]:
    if isinstance(node, ast.Member):
        return (node.target,)
    if isinstance(node, ast.Index):
        return (node.target, node.index)
    if isinstance(node, ast.Binary):
        return (node.left, node.right)
    if isinstance(node, ast.Unary):
        return (node.operand,)
    if isinstance(node, ast.IsType):
        return (node.operand,)
    if isinstance(node, ast.Call):
        return ((node.target,) if node.target is not None else ()) + node.args
    if isinstance(node, ast.Or):
        return (node.left, node.right)
    return ()


def _fails(value: Value) -> bool:
    return value is False or value.__class__ is RulesError


def _outcome(value: Value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is RulesError:
        return "error"
    return "value"


def _traced(node: ast.Node, value: Value) -> TracedExpression:
    return TracedExpression(
        node.line, node.column, node.end_line, node.end_column, show(value), _outcome(value)
    )


def show(value: Value) -> str:
    """A value as people read it in a trace: `error: <message>`, `"text"`, `{a: 1}`, shortened."""
    if value.__class__ is RulesError:
        text = f"error: {value.message}"
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value + '"'
    elif isinstance(value, int | float):
        text = repr(value)
    else:
        try:
            text = f"{type_name(value)} {value!r}"
        except Exception:  # a value type without a rules name still gets shown
            text = repr(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[: _SHOWN_CHARACTERS - 1] + "…"
    return text
