"""Invariants of the built-ins: nothing raises; set, list and map-diff algebra holds."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from firelab.rules._functions import FUNCTIONS, call_function, lookup_function
from firelab.rules._methods import METHODS, call_method
from firelab.rules._operators import BINARY_OPERATORS, binary_op, index, member, slice_, unary_op
from firelab.rules._values import (
    DURATION_MAX_NANOS,
    INT64_MAX,
    INT64_MIN,
    TIMESTAMP_MAX_NANOS,
    TIMESTAMP_MIN_NANOS,
    TYPE_NAMES,
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesMapDiff,
    RulesPath,
    RulesSet,
    RulesTimestamp,
    is_type,
    set_key,
    type_name,
    values_equal,
)

KNOWN_TYPES = {*TYPE_NAMES, "null", "error"}

# Text with astral characters and lone surrogates, the cases UTF-16 handling must survive.
texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["😀", "\ud83d", "\ufffd", "é", "/", ".", "$", "\\", "(", "*"]),
    ),
    max_size=8,
)
keys = st.text(alphabet="abcxyz", min_size=1, max_size=3)
ints = st.integers(min_value=INT64_MIN, max_value=INT64_MAX)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    ints,
    st.sampled_from([0, 1, -1, 2, 3, INT64_MAX, INT64_MIN]),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.binary(max_size=6),
    st.integers(TIMESTAMP_MIN_NANOS, TIMESTAMP_MAX_NANOS).map(RulesTimestamp),
    st.integers(-DURATION_MAX_NANOS, DURATION_MAX_NANOS).map(RulesDuration),
    st.builds(
        RulesLatLng,
        st.floats(-90, 90, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
    ),
    st.lists(keys, max_size=3).map(lambda parts: RulesPath(tuple(parts))),
    st.just(RulesError("boom")),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=4),
        st.lists(children, max_size=4).map(RulesSet.of),
        st.builds(
            RulesMapDiff,
            st.dictionaries(keys, children, max_size=3),
            st.dictionaries(keys, children, max_size=3),
        ),
    ),
    max_leaves=8,
)
method_names = st.sampled_from(sorted({name for _, name in METHODS} | {"nosuch"}))
function_names = st.sampled_from(sorted({*FUNCTIONS, "debug", "nosuch"}))
operators = st.sampled_from(sorted({*BINARY_OPERATORS, "**"}))
hashables = st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "c"]), st.booleans())


def is_value(result: Any) -> bool:
    """A result is a rules value (or an error value), never a stray Python object."""
    return type_name(result) in KNOWN_TYPES


@settings(max_examples=300)
@given(operators, values, values)
def test_binary_operators_never_raise(op: str, left: Any, right: Any) -> None:
    """Every operator on every pair of values returns a value or a RulesError."""
    assert is_value(binary_op(op, left, right))


@settings(max_examples=200)
@given(
    st.sampled_from(["!", "-", "+"]),
    values,
    values,
    values,
    keys,
    st.sampled_from([*KNOWN_TYPES, "x"]),
)
def test_unary_index_slice_member_is_never_raise(
    op: str, value: Any, key: Any, end: Any, name: str, type_: str
) -> None:
    """Unary operators, indexing, slicing, field access and `is` return values on any input."""
    assert is_value(unary_op(op, value))
    assert is_value(index(value, key))
    assert is_value(slice_(value, key, end))
    assert is_value(member(value, name))
    assert is_value(is_type(value, type_))


@settings(max_examples=400)
@given(values, method_names, st.lists(values, max_size=3))
def test_methods_never_raise(receiver: Any, name: str, args: list[Any]) -> None:
    """Every method on every receiver with any arguments returns a value or a RulesError."""
    assert is_value(call_method(receiver, name, args))


@settings(max_examples=400)
@given(function_names, st.lists(values, max_size=4))
def test_functions_never_raise(name: str, args: list[Any]) -> None:
    """Every built-in with any arguments returns a value or a RulesError; others are None."""
    result = call_function(name, args)
    assert (lookup_function(name) is None) == (name == "nosuch")
    if name == "nosuch":
        assert result is None
    else:
        assert is_value(result)


@given(st.lists(hashables), st.lists(hashables))
def test_set_algebra(left_items: list[Any], right_items: list[Any]) -> None:
    """union, intersection and difference obey the usual set identities."""
    left = RulesSet.of(left_items)
    right = RulesSet.of(right_items)
    union = call_method(left, "union", [right])
    intersection = call_method(left, "intersection", [right])
    difference = call_method(left, "difference", [right])
    assert union == call_method(right, "union", [left])
    assert intersection == call_method(right, "intersection", [left])
    assert len(union) == len(left) + len(right) - len(intersection)  # type: ignore[arg-type]
    assert call_method(union, "hasAll", [left]) is True
    assert call_method(intersection, "hasOnly", [right]) is True
    assert call_method(difference, "hasAny", [right]) is False
    assert call_method(difference, "union", [intersection]) == left


@given(st.lists(hashables), st.lists(hashables))
def test_list_algebra(items: list[Any], other: list[Any]) -> None:
    """hasAll, hasOnly, removeAll, concat and toSet agree with each other."""
    assert call_method(items, "hasAll", [items]) is True
    assert call_method(items, "hasOnly", [call_method(items, "concat", [other])]) is True
    removed = call_method(items, "removeAll", [other])
    assert call_method(removed, "hasAny", [other]) is False
    assert call_method(items, "hasAny", [other]) is (len(removed) < len(items))  # type: ignore[arg-type]
    as_set = call_method(items, "toSet", [])
    assert call_method(as_set, "size", []) <= len(items)  # type: ignore[operator]
    assert call_method(as_set, "hasOnly", [items]) is True


@given(st.dictionaries(keys, hashables), st.dictionaries(keys, hashables))
def test_map_diff_algebra(after: dict[str, Any], before: dict[str, Any]) -> None:
    """affected = added ∪ removed ∪ changed, and unchanged ∪ changed = the common keys."""
    diff = call_method(after, "diff", [before])
    added, removed, changed, unchanged, affected = (
        call_method(diff, name, [])
        for name in ("addedKeys", "removedKeys", "changedKeys", "unchangedKeys", "affectedKeys")
    )
    union = call_method(call_method(added, "union", [removed]), "union", [changed])
    assert affected == union
    assert call_method(unchanged, "intersection", [affected]) == RulesSet.of([])
    common = RulesSet.of(key for key in after if key in before)
    assert call_method(unchanged, "union", [changed]) == common
    assert call_method(call_method(after, "diff", [after]), "affectedKeys", []) == RulesSet.of([])


@given(values)
def test_equality_is_reflexive_and_keys_agree(value: Any) -> None:
    """A value without NaN equals itself; equal values share a set key."""
    if "nan" in repr(value) or isinstance(value, RulesError):
        return
    assert values_equal(value, value)
    assert binary_op("==", value, value) is True
    assert set_key(value) == set_key(value)


@given(values, values)
def test_equality_is_symmetric(left: Any, right: Any) -> None:
    """a == b exactly when b == a, and != is its negation."""
    forward = binary_op("==", left, right)
    backward = binary_op("==", right, left)
    if isinstance(forward, RulesError):
        assert isinstance(backward, RulesError)
        return
    assert forward is backward
    assert binary_op("!=", left, right) is (not forward)
    if forward and "nan" not in repr(left):
        assert set_key(left) == set_key(right)


@given(texts, texts)
def test_strings_measure_and_order_in_utf16(left: str, right: str) -> None:
    """size() counts UTF-16 units, + adds sizes, slicing everything is identity, < is UTF-16."""
    size = call_method(left, "size", [])
    assert size == len(left.encode("utf-16-le", "surrogatepass")) // 2
    joined = binary_op("+", left, right)
    assert call_method(joined, "size", []) == size + call_method(right, "size", [])  # type: ignore[operator]
    assert slice_(left, 0, size) == left
    left_units = left.encode("utf-16-be", "surrogatepass")
    right_units = right.encode("utf-16-be", "surrogatepass")
    assert binary_op("<", left, right) is (left_units < right_units)
    assert binary_op("<=", left, right) is (left_units <= right_units)
    assert binary_op(">", left, right) is (left_units > right_units)
    assert binary_op(">=", left, right) is (left_units >= right_units)


@given(ints, ints, st.sampled_from(["+", "-", "*", "/", "%"]))
def test_integer_arithmetic_is_64_bit(left: int, right: int, op: str) -> None:
    """Integer results are exact when they fit in 64 bits, and errors otherwise."""
    result = binary_op(op, left, right)
    if op in "/%" and right == 0:
        assert isinstance(result, RulesError)
        return
    if op == "/":
        quotient = abs(left) // abs(right)
        exact = -quotient if (left < 0) != (right < 0) else quotient
    elif op == "%":
        remainder = abs(left) % abs(right)
        exact = -remainder if left < 0 else remainder
    else:
        exact = {"+": left + right, "-": left - right, "*": left * right}[op]
    if INT64_MIN <= exact <= INT64_MAX:
        assert result == exact
        assert type(result) is int
    else:
        assert isinstance(result, RulesError)


@given(st.one_of(ints, st.floats(allow_nan=False)), st.one_of(ints, st.floats(allow_nan=False)))
def test_number_ordering_is_total_without_nan(left: Any, right: Any) -> None:
    """Without NaN exactly one of <, == and > holds between two numbers."""
    outcomes = [binary_op(op, left, right) for op in ("<", "==", ">")]
    assert outcomes.count(True) == 1
