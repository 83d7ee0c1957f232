"""Query filters as the emulator evaluates them, and the index ranges each one can scan.

The emulator's semantics differ from a naive reading in a few places, all pinned by
queries.json: `== null`, `== NaN`, comparisons with null or NaN and `array-contains null/NaN`
match nothing (IS_NULL / IS_NAN are the way to ask); `!= x` and `not-in` leave out documents
whose field is missing or null (and `not-in` with a null element matches nothing); `!= NaN`
keeps NaN; range comparisons only match values of the operand's type, NaN excluded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from firelab.server.core._fieldpaths import FieldPath, get_field
from firelab.server.core._protos import Document, Value
from firelab.server.core._values import (
    TYPE_NULL,
    TYPE_NUMBER,
    encode_double,
    encode_value,
    is_nan,
    type_ceiling,
    type_floor,
    type_rank,
)

__all__ = [
    "ARRAY_CONTAINS",
    "ARRAY_CONTAINS_ANY",
    "EQUAL",
    "IN",
    "IS_NAN",
    "IS_NULL",
    "NOT_FILTERS",
    "NOT_IN",
    "Composite",
    "Filter",
    "KeyRange",
    "Leaf",
    "disjuncts",
    "evaluate",
    "leaves",
    "make_leaf",
]

EQUAL = "EQUAL"
NOT_EQUAL = "NOT_EQUAL"
LESS_THAN = "LESS_THAN"
LESS_THAN_OR_EQUAL = "LESS_THAN_OR_EQUAL"
GREATER_THAN = "GREATER_THAN"
GREATER_THAN_OR_EQUAL = "GREATER_THAN_OR_EQUAL"
ARRAY_CONTAINS = "ARRAY_CONTAINS"
IN = "IN"
ARRAY_CONTAINS_ANY = "ARRAY_CONTAINS_ANY"
NOT_IN = "NOT_IN"
IS_NAN = "IS_NAN"
IS_NULL = "IS_NULL"
IS_NOT_NAN = "IS_NOT_NAN"
IS_NOT_NULL = "IS_NOT_NULL"

INEQUALITIES = frozenset(
    {
        NOT_EQUAL,
        LESS_THAN,
        LESS_THAN_OR_EQUAL,
        GREATER_THAN,
        GREATER_THAN_OR_EQUAL,
        NOT_IN,
        IS_NOT_NAN,
        IS_NOT_NULL,
    }
)
NOT_FILTERS = frozenset({NOT_EQUAL, NOT_IN, IS_NOT_NAN, IS_NOT_NULL})

_NULL_KEY = type_floor(TYPE_NULL)
_NAN_KEY = encode_double(float("nan"))


@dataclass(frozen=True, slots=True)
class KeyRange:
    """A range of value encodings: `low` (inclusive) to `high` (exclusive); None is unbounded."""

    low: bytes | None
    high: bytes | None


def _point(encoded: bytes) -> KeyRange:
    return KeyRange(encoded, encoded + b"\xff")


def _usable(value: Value) -> bool:
    return type_rank(value) != TYPE_NULL and not is_nan(value)


NameKey = Callable[[Document | None], bytes]


@dataclass(frozen=True, slots=True)
class Leaf:
    """One field or unary filter, compiled."""

    field: FieldPath
    op: str
    targets: tuple[bytes, ...]
    """Encodings of the operand values that can match (null and NaN removed as the op says)."""
    never: bool
    """True when the filter can match no document at all (e.g. `== null`)."""
    rank: int
    """Type rank of a range operand."""
    is_key: bool = False

    @property
    def inequality(self) -> bool:
        """Whether the filter is an inequality (it orders the results by its field)."""
        return self.op in INEQUALITIES

    def matches_value(self, value: Value | None) -> bool:
        """Whether a document whose field holds `value` (None: missing) passes."""
        if self.never or value is None:
            return False
        op = self.op
        if op == IS_NULL:
            return type_rank(value) == TYPE_NULL
        if op == IS_NAN:
            return is_nan(value)
        if op == IS_NOT_NULL:
            return type_rank(value) != TYPE_NULL
        if op == IS_NOT_NAN:
            return type_rank(value) != TYPE_NULL and not is_nan(value)
        if op in (ARRAY_CONTAINS, ARRAY_CONTAINS_ANY):
            if value.WhichOneof("value_type") != "array_value":
                return False
            return any(
                encode_value(element) in self.targets for element in value.array_value.values
            )
        encoded = encode_value(value)
        if op in (EQUAL, IN):
            return encoded in self.targets
        if op in (NOT_EQUAL, NOT_IN):
            return encoded != _NULL_KEY and encoded not in self.targets
        if type_rank(value) != self.rank or is_nan(value):
            return False
        target = self.targets[0]
        if op == LESS_THAN:
            return encoded < target
        if op == LESS_THAN_OR_EQUAL:
            return encoded <= target
        if op == GREATER_THAN:
            return encoded > target
        return encoded >= target

    def matches_key(self, encoded: bytes) -> bool:
        """Whether a document whose name encodes to `encoded` passes (`__name__` filters)."""
        op = self.op
        if op in (EQUAL, IN):
            return encoded in self.targets
        if op in (NOT_EQUAL, NOT_IN):
            return encoded not in self.targets
        target = self.targets[0]
        if op == LESS_THAN:
            return encoded < target
        if op == LESS_THAN_OR_EQUAL:
            return encoded <= target
        if op == GREATER_THAN:
            return encoded > target
        return encoded >= target

    def ranges(self) -> list[KeyRange] | None:
        """Sorted disjoint ranges of the value index that hold every match (None: use the
        array-contains index with `targets` as points)."""
        if self.never:
            return []
        op = self.op
        if op in (ARRAY_CONTAINS, ARRAY_CONTAINS_ANY):
            return None
        if op == IS_NULL:
            return [_point(_NULL_KEY)]
        if op == IS_NAN:
            return [_point(_NAN_KEY)]
        if op in (EQUAL, IN):
            return [_point(target) for target in sorted(set(self.targets))]
        if op in (IS_NOT_NULL, IS_NOT_NAN, NOT_EQUAL, NOT_IN):
            excluded = sorted(set(self.targets) | ({_NAN_KEY} if op == IS_NOT_NAN else set()))
            ranges = []
            low = type_floor(TYPE_NULL + 1)
            for point in excluded:
                if point < low:
                    continue
                ranges.append(KeyRange(low, point))
                low = point + b"\xff"
            ranges.append(KeyRange(low, None))
            return ranges
        target = self.targets[0]
        floor = type_floor(self.rank)
        if self.rank == TYPE_NUMBER:
            floor = _NAN_KEY + b"\xff"
        ceiling = type_ceiling(self.rank)
        if op == LESS_THAN:
            return [KeyRange(floor, target)]
        if op == LESS_THAN_OR_EQUAL:
            return [KeyRange(floor, target + b"\xff")]
        if op == GREATER_THAN:
            return [KeyRange(target + b"\xff", ceiling)]
        return [KeyRange(target, ceiling)]


def make_leaf(field: FieldPath, op: str, operand: Value | None, *, is_key: bool = False) -> Leaf:
    """Compile one filter (operands already validated)."""
    if operand is None:
        return Leaf(field, op, (), False, 0, is_key)
    if op in (IN, NOT_IN, ARRAY_CONTAINS_ANY):
        elements: Sequence[Value] = operand.array_value.values
        if op == NOT_IN and any(type_rank(element) == TYPE_NULL for element in elements):
            return Leaf(field, op, (), True, 0, is_key)
        usable = tuple(encode_value(element) for element in elements if _usable(element))
        never = not usable and op != NOT_IN
        return Leaf(field, op, usable, never, 0, is_key)
    if op == NOT_EQUAL:
        if type_rank(operand) == TYPE_NULL:
            return Leaf(field, op, (), True, 0, is_key)
        targets = () if is_nan(operand) else (encode_value(operand),)
        return Leaf(field, op, targets, False, 0, is_key)
    if not _usable(operand):
        return Leaf(field, op, (), True, 0, is_key)
    return Leaf(field, op, (encode_value(operand),), False, type_rank(operand), is_key)


@dataclass(frozen=True, slots=True)
class Composite:
    """AND / OR of filters."""

    conjunction: bool
    parts: tuple[Filter, ...]


Filter = Leaf | Composite


def evaluate(node: Filter, document: Document, name_key: bytes) -> bool:
    """Whether a document (fields in `document`, name encoding `name_key`) passes `node`."""
    if isinstance(node, Leaf):
        if node.is_key:
            return node.matches_key(name_key)
        return node.matches_value(get_field(document.fields, node.field))
    if node.conjunction:
        return all(evaluate(part, document, name_key) for part in node.parts)
    return any(evaluate(part, document, name_key) for part in node.parts)


def disjuncts(node: Filter | None) -> list[list[Leaf]]:
    """The filter in disjunctive normal form: a list of conjunctions of leaves."""
    if node is None:
        return [[]]
    if isinstance(node, Leaf):
        return [[node]]
    if node.conjunction:
        result: list[list[Leaf]] = [[]]
        for part in node.parts:
            result = [left + right for left in result for right in disjuncts(part)]
        return result
    return [conjunct for part in node.parts for conjunct in disjuncts(part)]


def leaves(node: Filter | None) -> list[Leaf]:
    """Every leaf of a filter tree, in order."""
    if node is None:
        return []
    if isinstance(node, Leaf):
        return [node]
    return [leaf for part in node.parts for leaf in leaves(part)]
