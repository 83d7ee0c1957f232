"""Rule coverage: which conditions and sub-expressions ran, and how often each was true, false or
an error — as JSON and as the rules source annotated in HTML, like the Firestore emulator's
rule-coverage report.

A `Coverage` collects over any number of evaluations of one ruleset (pass it to
`Rules.evaluate(..., coverage=...)`); nodes are keyed by their stable `node_id`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Protocol

from firelab.rules import _ast as ast
from firelab.rules._evaluator import Evaluator, Frame
from firelab.rules._list_queries import QueryEvaluator
from firelab.rules._values import RulesError, Value

__all__ = ["Coverage", "CoveringEvaluator", "CoveringQueryEvaluator", "NodeCounts", "Recorder"]


class Recorder(Protocol):
    """What an evaluation reports each evaluated node to: a `Coverage`, or a per-request
    `EvaluationTrace` (which forwards to a coverage of its own)."""

    def record(self, node: ast.Node, result: Value) -> None: ...


@dataclass(slots=True)
class NodeCounts:
    """How often one expression evaluated to true, false, another value, or an error."""

    true: int = 0
    false: int = 0
    value: int = 0
    error: int = 0

    @property
    def total(self) -> int:
        """Number of evaluations."""
        return self.true + self.false + self.value + self.error

    def add(self, result: Value) -> None:
        """Count one evaluation result."""
        if result is True:
            self.true += 1
        elif result is False:
            self.false += 1
        elif result.__class__ is RulesError:
            self.error += 1
        else:
            self.value += 1


class Coverage:
    """Evaluation counts per expression node of one ruleset."""

    def __init__(self, ruleset: ast.Ruleset) -> None:
        self.ruleset = ruleset
        self.counts: dict[int, NodeCounts] = {}
        self._starts = _line_starts(ruleset.source)
        self._expressions: list[ast.Node] = []
        self._allows: list[ast.Allow] = []
        for node in ast.walk(ruleset):
            if isinstance(node, ast.Allow):
                self._allows.append(node)
            elif _is_expression(node):
                self._expressions.append(node)

    def record(self, node: ast.Node, result: Value) -> None:
        """Count one evaluation of `node`."""
        counts = self.counts.get(node.node_id)
        if counts is None:
            counts = self.counts[node.node_id] = NodeCounts()
        counts.add(result)

    def of(self, node: ast.Node) -> NodeCounts:
        """The counts of `node` (zeros if it never ran)."""
        return self.counts.get(node.node_id, NodeCounts())

    # -- reports -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: a summary, every allow and every expression."""
        expressions = [self._entry(node) for node in self._expressions]
        allows = [
            {
                **self._entry(allow),
                "methods": list(allow.methods),
                "hasCondition": allow.condition is not None,
            }
            for allow in self._allows
        ]
        covered = sum(1 for entry in expressions if entry["evaluations"])
        return {
            "file": self.ruleset.filename,
            "summary": {
                "allows": len(allows),
                "allowsEvaluated": sum(1 for entry in allows if entry["evaluations"]),
                "allowsGranted": sum(1 for entry in allows if entry["true"]),
                "expressions": len(expressions),
                "expressionsEvaluated": covered,
                "expressionsSeenTrueAndFalse": sum(
                    1 for entry in expressions if entry["true"] and entry["false"]
                ),
            },
            "allows": allows,
            "expressions": expressions,
        }

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)

    def _entry(self, node: ast.Node) -> dict[str, Any]:
        counts = self.of(node)
        return {
            "nodeId": node.node_id,
            "kind": type(node).__name__,
            "line": node.line,
            "column": node.column,
            "endLine": node.end_line,
            "endColumn": node.end_column,
            "text": self.ruleset.source[
                _offset(self._starts, node.line, node.column) : _offset(
                    self._starts, node.end_line, node.end_column
                )
            ],
            "evaluations": counts.total,
            "true": counts.true,
            "false": counts.false,
            "value": counts.value,
            "error": counts.error,
        }

    def to_html(self) -> str:
        """The rules source with every expression highlighted by outcome, counts on hover."""
        source = self.ruleset.source
        body = self._render(self.ruleset, source, self._starts)
        summary = self.to_dict()["summary"]
        title = html.escape(self.ruleset.filename)
        return _PAGE.format(
            title=title,
            summary=html.escape(
                f"{summary['allowsEvaluated']}/{summary['allows']} allow statements evaluated, "
                f"{summary['allowsGranted']} granted; {summary['expressionsEvaluated']}/"
                f"{summary['expressions']} expressions evaluated"
            ),
            body=body,
        )

    def _render(self, root: ast.Node, source: str, starts: list[int]) -> str:
        """HTML for the source, wrapping each expression's text in a span, nested as the tree."""
        spans: list[tuple[int, int, ast.Node]] = []
        for node in ast.walk(root):
            if _is_expression(node) or isinstance(node, ast.Allow):
                start = _offset(starts, node.line, node.column)
                end = _offset(starts, node.end_line, node.end_column)
                spans.append((start, end, node))
        spans.sort(key=lambda item: (item[0], -item[1]))
        pieces: list[str] = []
        position = 0
        open_ends: list[int] = []
        for start, end, node in spans:
            while open_ends and open_ends[-1] <= start:
                pieces.append(html.escape(source[position : open_ends[-1]]))
                position = open_ends.pop()
                pieces.append("</span>")
            pieces.append(html.escape(source[position:start]))
            position = start
            pieces.append(self._open(node))
            open_ends.append(end)
        while open_ends:
            pieces.append(html.escape(source[position : open_ends[-1]]))
            position = open_ends.pop()
            pieces.append("</span>")
        pieces.append(html.escape(source[position:]))
        return "".join(pieces)

    def _open(self, node: ast.Node) -> str:
        counts = self.of(node)
        if counts.total == 0:
            css = "unevaluated"
        elif counts.error and not (counts.true or counts.false or counts.value):
            css = "error"
        elif counts.true and counts.false:
            css = "both"
        elif counts.true:
            css = "true"
        elif counts.false:
            css = "false"
        elif counts.error:
            css = "mixed"
        else:
            css = "value"
        tip = (
            f"{counts.total} evaluations: {counts.true} true, {counts.false} false, "
            f"{counts.value} other values, {counts.error} errors"
        )
        kind = "allow" if isinstance(node, ast.Allow) else "expr"
        return f'<span class="{kind} {css}" title="{html.escape(tip)}">'


class _Recording:
    """Mixin recording every evaluated node (and the inner nodes of `&&`/`||` chains)."""

    coverage: Recorder

    def eval(self, node: ast.Expr, frame: Frame) -> Value:
        result: Value = super().eval(node, frame)  # type: ignore[misc]
        self.coverage.record(node, result)
        return result

    def _spine_step(
        self, node: ast.Expr, operands: list[ast.Expr], position: int, value: Value
    ) -> None:
        last = len(operands) - 1
        if 1 <= position < last:
            self.coverage.record(_spine_node(node, last - position), value)

    def _spine_done(
        self, node: ast.Expr, operands: list[ast.Expr], position: int, value: Value
    ) -> None:
        last = len(operands) - 1
        for index in range(max(position, 1), last):
            self.coverage.record(_spine_node(node, last - index), value)


class CoveringEvaluator(_Recording, Evaluator):
    """An Evaluator that records into a Coverage."""

    def __init__(self, coverage: Recorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coverage = coverage


class CoveringQueryEvaluator(_Recording, QueryEvaluator):
    """A QueryEvaluator that records into a Coverage."""

    def __init__(self, coverage: Recorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coverage = coverage


def _spine_node(node: ast.Expr, steps: int) -> ast.Expr:
    for _ in range(steps):
        node = node.left  # type: ignore[union-attr]
    return node


_EXPRESSION_TYPES = (
    ast.Constant,
    ast.Ident,
    ast.ListExpr,
    ast.MapExpr,
    ast.PathExpr,
    ast.Member,
    ast.Index,
    ast.Slice,
    ast.Call,
    ast.Unary,
    ast.Binary,
    ast.And,
    ast.Or,
    ast.IsType,
    ast.Ternary,
)


def _is_expression(node: ast.Node) -> bool:
    return isinstance(node, _EXPRESSION_TYPES)


def _line_starts(source: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(source):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1 if 0 < line <= len(starts) else starts[-1]


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rule coverage: {title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
pre {{ font-family: ui-monospace, monospace; font-size: 13px; line-height: 1.5;
      background: #fafafa; padding: 1rem; border: 1px solid #ddd; }}
.expr, .allow {{ border-radius: 2px; }}
.true {{ background: rgba(46, 160, 67, 0.18); }}
.false {{ background: rgba(218, 54, 51, 0.18); }}
.both {{ background: rgba(46, 160, 67, 0.10); border-bottom: 2px solid rgb(46, 160, 67); }}
.error, .mixed {{ background: rgba(210, 153, 34, 0.30); }}
.value {{ background: rgba(56, 139, 253, 0.10); }}
.unevaluated {{ color: #888; }}
.legend span {{ padding: 0 0.4rem; margin-right: 0.5rem; }}
</style>
</head>
<body>
<h1>Rule coverage: {title}</h1>
<p>{summary}</p>
<p class="legend"><span class="true">true</span><span class="false">false</span>
<span class="both">true and false</span><span class="error">error</span>
<span class="value">non-boolean value</span><span class="unevaluated">not evaluated</span></p>
<pre>{body}</pre>
</body>
</html>
"""
