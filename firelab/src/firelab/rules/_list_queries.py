"""Rules are not filters: judging a list query by its constraints, not by the data.

https://firebase.google.com/docs/firestore/security/rules-query: "Cloud Firestore evaluates a
query against its potential result set instead of the actual field values for all of your
documents. If a query could potentially return documents that the client does not have
permission to read, the entire request fails." And for `or`, `in` and `array-contains-any`:
"Cloud Firestore evaluates each comparison value separately. Each comparison value must meet the
security rule constraints."

So a query's filters are put in disjunctive normal form (`in` and `array-contains-any` split into
one branch per value, `or` into one branch per operand) and the rules are evaluated once per
branch with `resource` standing for *any* document the branch can return: a field fixed by an
equality filter reads as that value; a field bounded by range, `!=`, `not-in` or
`array-contains` filters is a `SymbolicField` that comparisons decide from the bounds when they
can; anything else cannot be known for every document and is an error value. Errors deny, so a
condition grants only when it is provably true for every document of every branch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn

from firelab.rules import _ast as ast
from firelab.rules._context import CompositeFilter, FieldFilter, Filter, ListQuery
from firelab.rules._evaluator import Evaluator, Frame
from firelab.rules._operators import binary_op, index, member
from firelab.rules._values import (
    RulesError,
    Value,
    from_firestore,
    is_type,
    type_name,
    values_equal,
)

__all__ = [
    "MAX_BRANCHES",
    "Branch",
    "FieldConstraint",
    "QueryEvaluator",
    "SymbolicDocument",
    "SymbolicField",
    "SymbolicMap",
    "query_branches",
]

#: More disjunctions than this (after splitting `in` values) are not analysed: the query is
#: denied. Firestore itself limits a query to 30 disjunctions.
MAX_BRANCHES = 100

_UNSET: Any = object()
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(slots=True)
class FieldConstraint:
    """What one branch's filters say about one field of every document it returns."""

    equals: Value = _UNSET
    lower: tuple[Value, bool] | None = None
    upper: tuple[Value, bool] | None = None
    excluded: list[Value] = field(default_factory=list)
    contains: list[Value] = field(default_factory=list)

    def describe(self, path: str) -> list[str]:
        """The constraint as filter-like text, for traces."""
        parts = []
        if self.equals is not _UNSET:
            parts.append(f"{path} == {_show(self.equals)}")
        if self.lower is not None:
            parts.append(f"{path} {'>=' if self.lower[1] else '>'} {_show(self.lower[0])}")
        if self.upper is not None:
            parts.append(f"{path} {'<=' if self.upper[1] else '<'} {_show(self.upper[0])}")
        parts.extend(f"{path} != {_show(value)}" for value in self.excluded)
        parts.extend(f"{path} array-contains {_show(value)}" for value in self.contains)
        if not parts:
            parts.append(f"{path} exists")
        return parts


def _show(value: Value) -> str:
    """A value as the rules would write it: `true`, `null`, `'text'`, `[1, 2]`."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return repr(value)


@dataclass(slots=True)
class Branch:
    """One conjunction of field constraints; `empty` when the filters contradict each other."""

    fields: dict[tuple[str, ...], FieldConstraint]
    empty: bool = False

    def describe(self) -> str:
        """`ownerId == 'alice' and score > 5`, or empty when nothing is constrained."""
        parts = [
            text
            for path, constraint in self.fields.items()
            for text in constraint.describe(".".join(path))
        ]
        return " and ".join(parts)


def query_branches(query: ListQuery) -> list[Branch] | RulesError:
    """The query's filters as a list of branches (disjunctive normal form), or why not."""
    conjunctions: list[list[FieldFilter]] = [[]]
    for item in query.filters:
        conjunctions = [a + b for a in conjunctions for b in _dnf(item)]
        if len(conjunctions) > MAX_BRANCHES:
            return RulesError(f"query has more than {MAX_BRANCHES} disjunctions to check")
    if not conjunctions:
        return RulesError("query has an empty 'in' or 'or' filter")
    ordered = tuple(_field_path(order.field) for order in query.order_by)
    return [_branch(conjunction, ordered) for conjunction in conjunctions]


def _dnf(item: Filter) -> list[list[FieldFilter]]:
    if isinstance(item, CompositeFilter):
        if item.op == "or":
            return [branch for part in item.filters for branch in _dnf(part)]
        branches: list[list[FieldFilter]] = [[]]
        for part in item.filters:
            branches = [a + b for a in branches for b in _dnf(part)]
        return branches
    if item.op == "in":
        return [[FieldFilter(item.field, "==", value)] for value in _values_of(item.value)]
    if item.op == "array-contains-any":
        values = _values_of(item.value)
        return [[FieldFilter(item.field, "array-contains", value)] for value in values]
    return [[item]]


def _values_of(value: object) -> list[object]:
    """The comparison values of an `in` / `array-contains-any` filter, whether the caller
    passed a Python list or a Firestore array value (a protobuf `Value`)."""
    if not isinstance(value, list | tuple):
        value = from_firestore(value)
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _field_path(text: str) -> tuple[str, ...]:
    return tuple(text.split("."))


def _branch(conjunction: Sequence[FieldFilter], ordered: Iterable[tuple[str, ...]]) -> Branch:
    branch = Branch({})
    for path in ordered:
        branch.fields.setdefault(path, FieldConstraint())
    for item in conjunction:
        constraint = branch.fields.setdefault(_field_path(item.field), FieldConstraint())
        value = from_firestore(item.value)
        if not _apply(constraint, item.op, value):
            branch.empty = True
    return branch


def _apply(constraint: FieldConstraint, op: str, value: Value) -> bool:
    """Tighten `constraint` by `field op value`; False when no document can satisfy both."""
    if op == "==":
        if constraint.equals is not _UNSET and not values_equal(constraint.equals, value):
            return False
        constraint.equals = value
    elif op in ("<", "<="):
        bound = (value, op == "<=")
        if constraint.upper is None or _tighter_upper(bound, constraint.upper):
            constraint.upper = bound
    elif op in (">", ">="):
        bound = (value, op == ">=")
        if constraint.lower is None or _tighter_lower(bound, constraint.lower):
            constraint.lower = bound
    elif op == "!=":
        constraint.excluded.append(value)
    elif op == "not-in":
        constraint.excluded.extend(value if isinstance(value, list) else [value])
    elif op == "array-contains":
        constraint.contains.append(value)
    return _satisfiable(constraint)


def _tighter_upper(new: tuple[Value, bool], old: tuple[Value, bool]) -> bool:
    if binary_op("<", new[0], old[0]) is True:
        return True
    return values_equal(new[0], old[0]) and not new[1]


def _tighter_lower(new: tuple[Value, bool], old: tuple[Value, bool]) -> bool:
    if binary_op(">", new[0], old[0]) is True:
        return True
    return values_equal(new[0], old[0]) and not new[1]


def _satisfiable(constraint: FieldConstraint) -> bool:
    if constraint.equals is not _UNSET:
        value = constraint.equals
        if any(values_equal(value, excluded) for excluded in constraint.excluded):
            return False
        if _outside(constraint, value):
            return False
    if constraint.lower is not None and constraint.upper is not None:
        low, low_inclusive = constraint.lower
        high, high_inclusive = constraint.upper
        if binary_op(">", low, high) is True:
            return False
        if values_equal(low, high) and not (low_inclusive and high_inclusive):
            return False
    return True


def _outside(constraint: FieldConstraint, value: Value) -> bool:
    """True when `value` is provably outside the constraint's range."""
    if constraint.lower is not None:
        bound, inclusive = constraint.lower
        below = binary_op("<", value, bound)
        if below is True or (not inclusive and values_equal(value, bound)):
            return True
        if isinstance(below, RulesError):
            return True
    if constraint.upper is not None:
        bound, inclusive = constraint.upper
        above = binary_op(">", value, bound)
        if above is True or (not inclusive and values_equal(value, bound)):
            return True
        if isinstance(above, RulesError):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Symbolic values


class _Symbolic:
    """Base of values standing for a part of any document a query branch returns.

    They refuse Python equality and hashing so that no code can compare them by accident and
    reach a conclusion about documents it cannot see (the failure becomes an error value).
    """

    __slots__ = ()

    def __eq__(self, other: object) -> NoReturn:
        raise TypeError("a query's documents cannot be compared here")

    def __hash__(self) -> NoReturn:
        raise TypeError("a query's documents cannot be hashed")


class SymbolicDocument(_Symbolic):
    """`resource` in a list request: any document of the branch."""

    __slots__ = ("branch",)

    def __init__(self, branch: Branch) -> None:
        self.branch = branch


class SymbolicMap(_Symbolic):
    """`resource.data` (or a map field below it) of any document of the branch."""

    __slots__ = ("branch", "prefix")

    def __init__(self, branch: Branch, prefix: tuple[str, ...]) -> None:
        self.branch = branch
        self.prefix = prefix

    def child(self, name: str) -> Value:
        """The field `name` of this map, as well as the filters tell it."""
        path = (*self.prefix, name)
        constraint = self.branch.fields.get(path)
        if constraint is not None:
            equals = constraint.equals
            if (
                equals is not _UNSET
                and equals.__class__ is not int
                and equals.__class__ is not float
            ):
                return equals
            return SymbolicField(path, constraint)  # type: ignore[return-value]
        if any(other[: len(path)] == path for other in self.branch.fields):
            return SymbolicMap(self.branch, path)  # type: ignore[return-value]
        return _unknown(path)

    def has(self, name: str) -> Value:
        """`name in map`: true when a filter guarantees the field exists."""
        path = (*self.prefix, name)
        if any(other[: len(path)] == path for other in self.branch.fields):
            return True
        return _unknown(path)


class SymbolicField(_Symbolic):
    """A field bounded, but not fixed to one value, by the branch's filters."""

    __slots__ = ("constraint", "path")

    def __init__(self, path: tuple[str, ...], constraint: FieldConstraint) -> None:
        self.path = path
        self.constraint = constraint


def _unknown(path: tuple[str, ...]) -> RulesError:
    name = ".".join(path)
    return RulesError(
        f"resource.data.{name} is not fixed by the query's filters, so the rule cannot be shown "
        "to hold for every document the query can return"
    )


_UNKNOWN_DOCUMENT = RulesError(
    "the document's id and name are not known for every document a query can return"
)


# ---------------------------------------------------------------------------------------------
# Evaluation


class QueryEvaluator(Evaluator):
    """An Evaluator where `resource` is a SymbolicDocument and operations on it are decided
    from the branch's constraints, or are errors when they cannot be."""

    def eval_member(self, node: ast.Member, frame: Frame) -> Value:
        """`postfix "." NAME` on a symbolic document or map reads through the constraints."""
        return _member(self.eval(node.target, frame), node.name)

    def eval_index(self, node: ast.Index, frame: Frame) -> Value:
        """`postfix "[" expr "]"` with a string key on a symbolic map is a field access."""
        container = self.eval(node.target, frame)
        key = self.eval(node.index, frame)
        if isinstance(container, _Symbolic) and key.__class__ is str:
            return _member(container, key)
        return index(container, key)

    def eval_binary(self, node: ast.Binary, frame: Frame) -> Value:
        """Comparisons and `in` involving a symbolic value are decided from the constraints."""
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        if isinstance(left, _Symbolic) or isinstance(right, _Symbolic):
            return _symbolic_binary(node.op, left, right)
        return binary_op(node.op, left, right)

    def eval_is(self, node: ast.IsType, frame: Frame) -> Value:
        """`is` on a symbolic value: known when the filters fix the field's type."""
        value = self.eval(node.operand, frame)
        if isinstance(value, _Symbolic):
            return _symbolic_is(value, node.type_name)
        return is_type(value, node.type_name)

    def method(self, receiver: Value, name: str, args: list[Value]) -> Value:
        """Methods of symbolic maps and fields that the constraints can answer."""
        if isinstance(receiver, _Symbolic):
            return _symbolic_method(receiver, name, args)
        return super().method(receiver, name, args)

    _DISPATCH: ClassVar[dict[type, Any]] = {
        **Evaluator._DISPATCH,
        ast.Member: eval_member,
        ast.Index: eval_index,
        ast.Binary: eval_binary,
        ast.IsType: eval_is,
    }


def _member(value: Value, name: str) -> Value:
    if isinstance(value, SymbolicDocument):
        if name == "data":
            return SymbolicMap(value.branch, ())
        return _UNKNOWN_DOCUMENT
    if isinstance(value, SymbolicMap):
        return value.child(name)
    if isinstance(value, SymbolicField):
        return _unknown((*value.path, name))
    return member(value, name)


def _symbolic_binary(op: str, left: Value, right: Value) -> Value:
    for operand in (left, right):
        if operand.__class__ is RulesError:
            return operand
    if op == "in":
        if isinstance(left, SymbolicField) and left.constraint.equals is not _UNSET:
            return binary_op("in", left.constraint.equals, right)
        if isinstance(right, SymbolicMap) and left.__class__ is str:
            return right.has(left)
        if (
            isinstance(right, SymbolicField)
            and not isinstance(left, _Symbolic)
            and any(_same(left, item) for item in right.constraint.contains)
        ):
            return True
        return _cannot(op)
    if isinstance(left, SymbolicDocument) or isinstance(right, SymbolicDocument):
        other = right if isinstance(left, SymbolicDocument) else left
        if other is None and op in ("==", "!="):
            return op == "!="
        return _cannot(op)
    if isinstance(left, SymbolicField) and not isinstance(right, _Symbolic):
        return _compare(op, left.constraint, right)
    if isinstance(right, SymbolicField) and not isinstance(left, _Symbolic):
        return _compare(_FLIP.get(op, op), right.constraint, left)
    return _cannot(op)


def _compare(op: str, constraint: FieldConstraint, value: Value) -> Value:
    """`field op value` for every value the constraint allows: true, false, or unknown."""
    if constraint.equals is not _UNSET:
        return binary_op(op, constraint.equals, value)
    if op == "==":
        if any(_same(value, excluded) for excluded in constraint.excluded):
            return False
        return False if _outside(constraint, value) else _cannot(op)
    if op == "!=":
        if any(_same(value, excluded) for excluded in constraint.excluded):
            return True
        return True if _outside(constraint, value) else _cannot(op)
    if op not in ("<", "<=", ">", ">="):
        return _cannot(op)
    lower, upper = constraint.lower, constraint.upper
    if lower is None and upper is None:
        return _cannot(op)
    for bound in (lower, upper):
        if bound is not None:
            check = binary_op("<", bound[0], value)
            if isinstance(check, RulesError):
                return check
    if op in ("<", "<="):
        if upper is not None and _ordered(upper, value, strict=op == "<", high=True):
            return True
        if lower is not None and _ordered(lower, value, strict=op == "<=", high=False):
            return False
    else:
        if lower is not None and _ordered(lower, value, strict=op == ">", high=False):
            return True
        if upper is not None and _ordered(upper, value, strict=op == ">=", high=True):
            return False
    return _cannot(op)


def _ordered(bound: tuple[Value, bool], value: Value, *, strict: bool, high: bool) -> bool:
    """For an upper bound (`high`): every field value is below `value` (strictly or not).

    For a lower bound: every field value is above `value` (strictly when `strict`). Used both to
    prove a comparison and, with the opposite bound, to refute it.
    """
    limit, inclusive = bound
    beyond = binary_op("<" if high else ">", limit, value) is True
    if beyond:
        return True
    if values_equal(limit, value):
        return not (strict and inclusive)
    return False


def _same(left: Value, right: Value) -> bool:
    try:
        return values_equal(left, right)
    except TypeError:
        return False


_NUMBER_TYPES = frozenset({"int", "float"})


def _symbolic_is(value: _Symbolic, name: str) -> Value:
    if isinstance(value, SymbolicDocument | SymbolicMap):
        return name == "map"
    if not isinstance(value, SymbolicField):
        return _cannot("is")
    constraint = value.constraint
    examples: list[Value] = []
    if constraint.equals is not _UNSET:
        examples.append(constraint.equals)
    examples.extend(bound[0] for bound in (constraint.lower, constraint.upper) if bound)
    if constraint.contains:
        return name == "list"
    if not examples:
        return _cannot("is")
    kinds = {type_name(example) for example in examples}
    if kinds <= _NUMBER_TYPES:
        if name == "number":
            return True
        if name in _NUMBER_TYPES:
            return _cannot("is")
        return False
    if len(kinds) == 1:
        return name == next(iter(kinds))
    return _cannot("is")


def _symbolic_method(receiver: _Symbolic, name: str, args: list[Value]) -> Value:
    for arg in args:
        if arg.__class__ is RulesError:
            return arg
    if isinstance(receiver, SymbolicMap) and name == "get" and len(args) == 2:
        key = args[0]
        if key.__class__ is str:
            return receiver.child(key)
        if isinstance(key, list) and key and all(part.__class__ is str for part in key):
            current: Value = receiver  # type: ignore[assignment]
            for part in key:
                current = _member(current, part)  # type: ignore[arg-type]
            return current
        return _cannot(name)
    if isinstance(receiver, SymbolicField) and name in ("hasAny", "hasAll") and len(args) == 1:
        wanted = args[0]
        if not isinstance(wanted, list):
            return _cannot(name)
        contains = receiver.constraint.contains
        found = [any(_same(item, have) for have in contains) for item in wanted]
        if (name == "hasAny" and any(found)) or (name == "hasAll" and all(found)):
            return True
    return _cannot(name)


def _cannot(op: str) -> RulesError:
    return RulesError(
        f"'{op}' on the queried documents cannot be decided from the query's filters; "
        "the rule must hold for every document the query can return"
    )
