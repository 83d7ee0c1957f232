"""Parser facade: rules source text in, `Ruleset` syntax tree out, `RulesSyntaxError` on failure.

lark parses with the LALR(1) tables of `grammar.lark`; a non-recursive transformer turns the
parse tree into the frozen nodes of `_ast`, checking on the way what the grammar cannot say
(known methods, well-formed wildcards, one recursive wildcard per match, at most ten `let`s,
literal ranges, nesting depth). Every lark exception is translated here, so nothing from lark
ever reaches a caller.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any, Literal, NoReturn, cast

import lark
from lark import Token, Transformer_NonRecursive, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError
from lark.lexer import PatternStr
from lark.tree import Meta

from firelab.rules import _ast as ast
from firelab.rules._errors import RulesSyntaxError
from firelab.rules._literals import (
    INT64_MAX,
    INT64_MIN,
    LiteralError,
    decode_float,
    decode_int,
    decode_quoted,
)

__all__ = ["MAX_LET_BINDINGS", "MAX_NESTING_DEPTH", "parse_expression", "parse_ruleset"]

#: "Functions can have up to 10 let bindings" (firebase.google.com/docs/rules/rules-language).
MAX_LET_BINDINGS = 10
#: Deepest expression nesting accepted; deeper input is rejected rather than risk the
#: evaluator's recursion.
MAX_NESTING_DEPTH = 200

_WILDCARD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(=\*\*)?\}")

# How terminals whose pattern is a regular expression are named in "expected ..." messages.
_TERMINAL_NAMES: dict[str, tuple[str, ...]] = {
    "NAME": ("identifier",),
    "INT": ("integer",),
    "FLOAT": ("float",),
    "STRING": ("string",),
    "BYTES": ("bytes",),
    "PATH_TEXT": ("path segment",),
    "MATCH_PATH": ("path pattern",),
    "EQ_OP": ("'=='", "'!='"),
    "REL_OP": ("'<'", "'<='", "'>'", "'>='"),
    "$END": ("end of input",),
}


def parse_ruleset(source: str, filename: str = "<rules>") -> ast.Ruleset:
    """Parse a whole rules file (`rules_version`, one `service` block)."""
    tree = _parse(source, filename, "start")
    ruleset = cast(ast.Ruleset, _transform(_Builder(source, filename), tree))
    _check_tree(ruleset, source, filename)
    return ruleset


def parse_expression(source: str, filename: str = "<expression>") -> ast.Expr:
    """Parse one expression, as written after `if` (used by tests, `eval` and coverage)."""
    tree = _parse(source, filename, "expr")
    expr = cast(ast.Expr, _transform(_Builder(source, filename), tree))
    _check_tree(expr, source, filename)
    return expr


@functools.cache
def _lark() -> lark.Lark:
    grammar = resources.files("firelab.rules").joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        start=["start", "expr"],
    )


@functools.cache
def _terminal_display() -> dict[str, tuple[str, ...]]:
    names = dict(_TERMINAL_NAMES)
    for terminal in _lark().terminals:
        if isinstance(terminal.pattern, PatternStr):
            names[terminal.name] = (f"'{terminal.pattern.value}'",)
    return names


def _display(names: Iterable[str]) -> list[str]:
    """Human names for a set of terminal names, sorted and without repeats."""
    display = _terminal_display()
    return sorted({shown for name in names for shown in display.get(name, (name,))})


def _parse(source: str, filename: str, start: str) -> lark.Tree[Token]:
    try:
        return _lark().parse(source, start=start)
    except UnexpectedInput as exc:
        raise _translate(exc, source, filename) from None


def _transform(builder: _Builder, tree: lark.Tree[Token]) -> ast.Node:
    try:
        return cast(ast.Node, builder.transform(tree))
    except VisitError as exc:
        if isinstance(exc.orig_exc, RulesSyntaxError):
            raise exc.orig_exc from None
        raise


# ---------------------------------------------------------------------------------------------
# Errors


def _translate(exc: UnexpectedInput, source: str, filename: str) -> RulesSyntaxError:
    """Turn any lark parse failure into a RulesSyntaxError at the same place."""
    if isinstance(exc, UnexpectedCharacters):
        expected = _display(exc.allowed or ())
        position = exc.pos_in_stream
        char = source[position] if position is not None and position < len(source) else ""
        return _error(source, filename, exc.line, exc.column, expected, f"unexpected {char!r}")
    # `accepts` replays the parser to keep only what is acceptable here; `expected` also
    # holds what LALR state merging lets through from other contexts.
    expected = _display(getattr(exc, "accepts", None) or getattr(exc, "expected", None) or ())
    token: Token | None = getattr(exc, "token", None)
    if isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END":
        line, column = _end_position(source)
        return _error(source, filename, line, column, expected, "unexpected end of input")
    line = token.line if token.line is not None else exc.line
    column = token.column if token.column is not None else exc.column
    return _error(source, filename, line, column, expected, f"unexpected {_describe(token)}")


def _describe(token: Token) -> str:
    text = str(token)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)


def _end_position(source: str) -> tuple[int, int]:
    lines = source.split("\n")
    return len(lines), len(lines[-1]) + 1


def _error(
    source: str,
    filename: str,
    line: int,
    column: int,
    expected: list[str] | tuple[str, ...],
    message: str,
) -> RulesSyntaxError:
    lines = source.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    return RulesSyntaxError(filename, line, column, expected, message, source_line=source_line)


def _check_tree(root: ast.Node, source: str, filename: str) -> None:
    """Reject what only the finished tree shows: nesting too deep, an int literal over 2**63-1.

    Iterative, so arbitrarily deep input cannot exhaust Python's stack.
    """
    stack: list[tuple[ast.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value > INT64_MAX:
            raise _error(
                source,
                filename,
                node.line,
                node.column,
                (),
                f"integer literal {node.value} does not fit in 64 bits",
            )
        if depth > MAX_NESTING_DEPTH:
            raise _error(
                source,
                filename,
                node.line,
                node.column,
                (),
                f"expression nested deeper than {MAX_NESTING_DEPTH} levels",
            )
        nested = depth + 1 if isinstance(node, ast.Expr) else 0
        stack.extend((child, nested) for child in node.children())


# ---------------------------------------------------------------------------------------------
# Tree building


def _span(meta: Meta) -> dict[str, int]:
    return {
        "line": meta.line,
        "column": meta.column,
        "end_line": meta.end_line,
        "end_column": meta.end_column,
    }


def _token_span(token: Token) -> dict[str, int]:
    return {
        "line": token.line or 1,
        "column": token.column or 1,
        "end_line": token.end_line or 1,
        "end_column": token.end_column or 1,
    }


@v_args(meta=True, inline=True)
class _Builder(Transformer_NonRecursive[Token, Any]):
    """Builds `_ast` nodes bottom-up, numbering them in completion order."""

    def __init__(self, source: str, filename: str) -> None:
        super().__init__()
        self._source = source
        self._filename = filename
        self._next_id = 0

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _fail(
        self, line: int, column: int, message: str, expected: tuple[str, ...] = ()
    ) -> NoReturn:
        raise _error(self._source, self._filename, line, column, expected, message)

    # -- declarations --------------------------------------------------------------------------

    def start(self, meta: Meta, *children: Any) -> ast.Ruleset:
        version: str | None = None
        service = children[-1]
        if len(children) == 2:
            version = children[0]
        return ast.Ruleset(
            filename=self._filename,
            source=self._source,
            rules_version=version,
            service=service,
            node_id=self._id(),
            **_span(meta),
        )

    def version(self, meta: Meta, token: Token) -> str:
        value = self._decode_string(token)
        if not isinstance(value, str):
            self._fail(token.line or 1, token.column or 1, "rules_version must be a string")
        return value

    def service_name(self, meta: Meta, *names: Token) -> str:
        return ".".join(str(name) for name in names)

    def service(self, meta: Meta, name: str, *items: ast.Match | ast.Function) -> ast.Service:
        return ast.Service(
            name=name,
            functions=tuple(item for item in items if isinstance(item, ast.Function)),
            matches=tuple(item for item in items if isinstance(item, ast.Match)),
            node_id=self._id(),
            **_span(meta),
        )

    def match(self, meta: Meta, path: Token, *items: ast.Node) -> ast.Match:
        return ast.Match(
            segments=self._pattern_segments(path),
            functions=tuple(item for item in items if isinstance(item, ast.Function)),
            allows=tuple(item for item in items if isinstance(item, ast.Allow)),
            matches=tuple(item for item in items if isinstance(item, ast.Match)),
            node_id=self._id(),
            **_span(meta),
        )

    def _pattern_segments(self, token: Token) -> tuple[ast.PatternSegment, ...]:
        segments: list[ast.PatternSegment] = []
        line = token.line or 1
        column = (token.column or 1) + 1
        recursive_seen = False
        for text in str(token)[1:].split("/"):
            span = {"line": line, "column": column, "end_line": line}
            kind: Literal["literal", "wildcard", "recursive"] = "literal"
            value = text
            if text.startswith("{"):
                found = _WILDCARD.fullmatch(text)
                if found is None:
                    self._fail(
                        line, column, f"malformed wildcard {text!r}", ("'{name}'", "'{name=**}'")
                    )
                value = found.group(1)
                kind = "recursive" if found.group(2) else "wildcard"
                if kind == "recursive":
                    if recursive_seen:
                        self._fail(
                            line, column, "a match path may hold only one recursive wildcard"
                        )
                    recursive_seen = True
            segments.append(
                ast.PatternSegment(
                    kind=kind,
                    value=value,
                    end_column=column + len(text),
                    node_id=self._id(),
                    **span,
                )
            )
            column += len(text) + 1
        return tuple(segments)

    def allow(
        self, meta: Meta, methods: list[Token], condition: ast.Expr | None = None
    ) -> ast.Allow:
        for method in methods:
            if str(method) not in ast.METHODS:
                self._fail(
                    method.line or 1,
                    method.column or 1,
                    f"unknown method {str(method)!r}",
                    tuple(f"'{name}'" for name in sorted(ast.METHODS)),
                )
        return ast.Allow(
            methods=tuple(str(method) for method in methods),
            condition=condition,
            node_id=self._id(),
            **_span(meta),
        )

    def method_list(self, meta: Meta, *methods: Token) -> list[Token]:
        return list(methods)

    def function(self, meta: Meta, name: Token, *rest: Any) -> ast.Function:
        params: tuple[str, ...] = ()
        if rest and isinstance(rest[0], tuple):
            params, rest = rest[0], rest[1:]
        lets = tuple(item for item in rest[:-1] if isinstance(item, ast.Let))
        if len(lets) > MAX_LET_BINDINGS:
            extra = lets[MAX_LET_BINDINGS]
            self._fail(
                extra.line,
                extra.column,
                f"function {str(name)!r} has more than {MAX_LET_BINDINGS} let bindings",
            )
        return ast.Function(
            name=str(name),
            params=params,
            lets=lets,
            result=rest[-1],
            node_id=self._id(),
            **_span(meta),
        )

    def param_list(self, meta: Meta, *names: Token) -> tuple[str, ...]:
        seen: set[str] = set()
        for name in names:
            if str(name) in seen:
                self._fail(name.line or 1, name.column or 1, f"parameter {str(name)!r} repeated")
            seen.add(str(name))
        return tuple(str(name) for name in names)

    def let(self, meta: Meta, name: Token, value: ast.Expr) -> ast.Let:
        return ast.Let(name=str(name), value=value, node_id=self._id(), **_span(meta))

    # -- expressions ---------------------------------------------------------------------------

    def ternary(
        self, meta: Meta, condition: ast.Expr, if_true: ast.Expr, if_false: ast.Expr
    ) -> ast.Ternary:
        return ast.Ternary(
            condition=condition,
            if_true=if_true,
            if_false=if_false,
            node_id=self._id(),
            **_span(meta),
        )

    def or_(self, meta: Meta, left: ast.Expr, right: ast.Expr) -> ast.Or:
        return ast.Or(left=left, right=right, node_id=self._id(), **_span(meta))

    def and_(self, meta: Meta, left: ast.Expr, right: ast.Expr) -> ast.And:
        return ast.And(left=left, right=right, node_id=self._id(), **_span(meta))

    def binary(self, meta: Meta, left: ast.Expr, op: Token, right: ast.Expr) -> ast.Binary:
        return ast.Binary(op=str(op), left=left, right=right, node_id=self._id(), **_span(meta))

    def is_(self, meta: Meta, operand: ast.Expr, type_name: Token) -> ast.IsType:
        return ast.IsType(
            operand=operand, type_name=str(type_name), node_id=self._id(), **_span(meta)
        )

    def unary(self, meta: Meta, op: Token, operand: ast.Expr) -> ast.Expr:
        if (
            str(op) == "-"
            and isinstance(operand, ast.Constant)
            and type(operand.value) is int
            and operand.value == INT64_MAX + 1
        ):
            return ast.Constant(value=INT64_MIN, node_id=self._id(), **_span(meta))
        symbol: Literal["!", "-"] = "!" if str(op) == "!" else "-"
        return ast.Unary(op=symbol, operand=operand, node_id=self._id(), **_span(meta))

    def member(self, meta: Meta, target: ast.Expr, name: Token) -> ast.Member:
        return ast.Member(target=target, name=str(name), node_id=self._id(), **_span(meta))

    def method_call(
        self, meta: Meta, target: ast.Expr, name: Token, args: tuple[ast.Expr, ...] = ()
    ) -> ast.Call:
        return ast.Call(target=target, name=str(name), args=args, node_id=self._id(), **_span(meta))

    def call(self, meta: Meta, name: Token, args: tuple[ast.Expr, ...] = ()) -> ast.Call:
        return ast.Call(target=None, name=str(name), args=args, node_id=self._id(), **_span(meta))

    def arg_list(self, meta: Meta, *args: ast.Expr) -> tuple[ast.Expr, ...]:
        return args

    def index(self, meta: Meta, target: ast.Expr, index: ast.Expr) -> ast.Index:
        return ast.Index(target=target, index=index, node_id=self._id(), **_span(meta))

    def slice(self, meta: Meta, target: ast.Expr, start: ast.Expr, end: ast.Expr) -> ast.Slice:
        return ast.Slice(target=target, start=start, end=end, node_id=self._id(), **_span(meta))

    def ident(self, meta: Meta, name: Token) -> ast.Ident:
        return ast.Ident(name=str(name), node_id=self._id(), **_span(meta))

    def list_(self, meta: Meta, *items: ast.Expr) -> ast.ListExpr:
        return ast.ListExpr(items=items, node_id=self._id(), **_span(meta))

    def map_(self, meta: Meta, *entries: tuple[ast.Expr, ast.Expr]) -> ast.MapExpr:
        return ast.MapExpr(entries=entries, node_id=self._id(), **_span(meta))

    def map_entry(self, meta: Meta, key: ast.Expr, value: ast.Expr) -> tuple[ast.Expr, ast.Expr]:
        return (key, value)

    def path_literal(self, meta: Meta, *parts: Token | ast.Expr) -> ast.PathExpr:
        segments: list[str | ast.Expr] = []
        for part in parts:
            if isinstance(part, Token):
                if part.type == "SLASH":
                    continue
                segments.append(str(part))
            else:
                segments.append(part)
        return ast.PathExpr(segments=tuple(segments), node_id=self._id(), **_span(meta))

    def interpolation(self, meta: Meta, expr: ast.Expr) -> ast.Expr:
        return expr

    # -- literals ------------------------------------------------------------------------------

    def _constant(self, token: Token, value: ast.ConstantValue) -> ast.Constant:
        return ast.Constant(value=value, node_id=self._id(), **_token_span(token))

    def int_(self, meta: Meta, token: Token) -> ast.Constant:
        try:
            value = decode_int(str(token))
        except LiteralError as exc:
            self._fail(token.line or 1, token.column or 1, exc.message)
        return self._constant(token, value)

    def float_(self, meta: Meta, token: Token) -> ast.Constant:
        try:
            value = decode_float(str(token))
        except LiteralError as exc:
            self._fail(token.line or 1, token.column or 1, exc.message)
        return self._constant(token, value)

    def string(self, meta: Meta, token: Token) -> ast.Constant:
        return self._constant(token, self._decode_string(token))

    def bytes_(self, meta: Meta, token: Token) -> ast.Constant:
        return self._constant(token, self._decode_string(token))

    def _decode_string(self, token: Token) -> str | bytes:
        try:
            return decode_quoted(str(token))
        except LiteralError as exc:
            self._fail(token.line or 1, (token.column or 1) + exc.offset, exc.message)

    def true(self, meta: Meta) -> ast.Constant:
        return ast.Constant(value=True, node_id=self._id(), **_span(meta))

    def false(self, meta: Meta) -> ast.Constant:
        return ast.Constant(value=False, node_id=self._id(), **_span(meta))

    def null(self, meta: Meta) -> ast.Constant:
        return ast.Constant(value=None, node_id=self._id(), **_span(meta))
