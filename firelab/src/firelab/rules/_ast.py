"""Syntax tree of a rules file.

Every node is a frozen, slotted dataclass carrying its source span (1-based line and column of
its first character, line and column just past its last) and a `node_id` that is stable for a
given source text: nodes are numbered in the order the parser completes them, so the same file
always yields the same ids and coverage can be keyed by them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "METHODS",
    "READ_METHODS",
    "WRITE_METHODS",
    "Allow",
    "And",
    "Binary",
    "Call",
    "Constant",
    "ConstantValue",
    "Expr",
    "Function",
    "Ident",
    "Index",
    "IsType",
    "Let",
    "ListExpr",
    "MapExpr",
    "Match",
    "Member",
    "Node",
    "Or",
    "PathExpr",
    "PatternSegment",
    "Ruleset",
    "Service",
    "Slice",
    "Ternary",
    "Unary",
    "walk",
]

#: The standard methods a request can have, and what the convenience methods stand for.
READ_METHODS: tuple[str, ...] = ("get", "list")
WRITE_METHODS: tuple[str, ...] = ("create", "update", "delete")
METHODS: frozenset[str] = frozenset((*READ_METHODS, *WRITE_METHODS, "read", "write"))

ConstantValue: TypeAlias = bool | int | float | str | bytes | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Position and identity shared by every node."""

    line: int
    column: int
    end_line: int
    end_column: int
    node_id: int

    def children(self) -> tuple[Node, ...]:
        """The direct sub-nodes, in source order."""
        return ()


# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True, kw_only=True)
class Constant(Node):
    """A literal: null, true/false, an int, a float, a string or bytes."""

    value: ConstantValue


@dataclass(frozen=True, slots=True, kw_only=True)
class Ident(Node):
    """A bare name: a variable, a wildcard, a let binding, a parameter or a namespace."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListExpr(Node):
    """`[a, b, c]`."""

    items: tuple[Expr, ...]

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True, slots=True, kw_only=True)
class MapExpr(Node):
    """`{k: v, ...}`; keys are expressions that must evaluate to strings."""

    entries: tuple[tuple[Expr, Expr], ...]

    def children(self) -> tuple[Node, ...]:
        return tuple(part for entry in self.entries for part in entry)


@dataclass(frozen=True, slots=True, kw_only=True)
class PathExpr(Node):
    """`/databases/$(database)/documents/users/$(uid)`: literal text or `$(expr)` segments."""

    segments: tuple[str | Expr, ...]

    def children(self) -> tuple[Node, ...]:
        return tuple(segment for segment in self.segments if not isinstance(segment, str))


@dataclass(frozen=True, slots=True, kw_only=True)
class Member(Node):
    """`target.name`."""

    target: Expr
    name: str

    def children(self) -> tuple[Node, ...]:
        return (self.target,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Index(Node):
    """`target[index]`."""

    target: Expr
    index: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.target, self.index)


@dataclass(frozen=True, slots=True, kw_only=True)
class Slice(Node):
    """`target[start:end]`, end exclusive."""

    target: Expr
    start: Expr
    end: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.target, self.start, self.end)


@dataclass(frozen=True, slots=True, kw_only=True)
class Call(Node):
    """`name(args)` when `target` is None, else `target.name(args)`.

    Whether `target.name(...)` is a method call or a namespaced function such as `math.abs`
    is decided by the evaluator, which knows the names in scope.
    """

    target: Expr | None
    name: str
    args: tuple[Expr, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args if self.target is None else (self.target, *self.args)


@dataclass(frozen=True, slots=True, kw_only=True)
class Unary(Node):
    """`!operand` or `-operand`."""

    op: Literal["!", "-"]
    operand: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Binary(Node):
    """Arithmetic, comparison and `in`: `op` is one of `+ - * / % < <= > >= == != in`."""

    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True, kw_only=True)
class And(Node):
    """`left && right`, short-circuiting."""

    left: Expr
    right: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True, kw_only=True)
class Or(Node):
    """`left || right`, short-circuiting."""

    left: Expr
    right: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True, kw_only=True)
class IsType(Node):
    """`operand is type_name`."""

    operand: Expr
    type_name: str

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ternary(Node):
    """`condition ? if_true : if_false`."""

    condition: Expr
    if_true: Expr
    if_false: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.condition, self.if_true, self.if_false)


Expr: TypeAlias = (
    Constant
    | Ident
    | ListExpr
    | MapExpr
    | PathExpr
    | Member
    | Index
    | Slice
    | Call
    | Unary
    | Binary
    | And
    | Or
    | IsType
    | Ternary
)


# ---------------------------------------------------------------------------------------------
# Declarations


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternSegment(Node):
    """One segment of a `match` path: literal text, `{name}` or `{name=**}`."""

    kind: Literal["literal", "wildcard", "recursive"]
    #: The literal text, or the wildcard's variable name.
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Allow(Node):
    """`allow get, list: if condition;` — no condition means always allowed."""

    methods: tuple[str, ...]
    condition: Expr | None

    def children(self) -> tuple[Node, ...]:
        return () if self.condition is None else (self.condition,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Let(Node):
    """`let name = value;` inside a function."""

    name: str
    value: Expr

    def children(self) -> tuple[Node, ...]:
        return (self.value,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Function(Node):
    """`function name(params) { let ...; return result; }`."""

    name: str
    params: tuple[str, ...]
    lets: tuple[Let, ...]
    result: Expr

    def children(self) -> tuple[Node, ...]:
        return (*self.lets, self.result)


@dataclass(frozen=True, slots=True, kw_only=True)
class Match(Node):
    """`match /pattern { ... }` with its functions, allows and nested matches."""

    segments: tuple[PatternSegment, ...]
    functions: tuple[Function, ...]
    allows: tuple[Allow, ...]
    matches: tuple[Match, ...]

    def children(self) -> tuple[Node, ...]:
        return (*self.segments, *self.functions, *self.allows, *self.matches)

    @property
    def pattern(self) -> str:
        """The path pattern as written: `/users/{userId}/{rest=**}`."""
        parts = []
        for segment in self.segments:
            if segment.kind == "literal":
                parts.append(segment.value)
            elif segment.kind == "wildcard":
                parts.append("{" + segment.value + "}")
            else:
                parts.append("{" + segment.value + "=**}")
        return "/" + "/".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Service(Node):
    """`service cloud.firestore { ... }` or `service firebase.storage { ... }`."""

    name: str
    functions: tuple[Function, ...]
    matches: tuple[Match, ...]

    def children(self) -> tuple[Node, ...]:
        return (*self.functions, *self.matches)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ruleset(Node):
    """A parsed rules file: its optional `rules_version` and its one service."""

    filename: str
    source: str
    rules_version: str | None
    service: Service

    def children(self) -> tuple[Node, ...]:
        return (self.service,)


def walk(root: Node) -> Iterator[Node]:
    """Every node under `root` (included), depth first in source order, without recursion."""
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))
