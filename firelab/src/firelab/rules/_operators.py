"""Operators of the rules language: arithmetic, comparison, ``in``, index, slice, field access.

Each binary operator is a function ``(left, right) -> Value`` found through a dict keyed by the
operands' exact Python types, so the evaluator's hot path is one dict lookup and one call; the
evaluator can also fetch the function once per AST node with ``binary_operator(op)``. Any
``RulesError`` operand propagates (left first). Failures are ``RulesError`` values, never
exceptions.

Semantics (https://firebase.google.com/docs/reference/rules/rules.Integer, rules.Float,
rules.String, rules.List, rules.Map, rules.Timestamp, rules.Duration):
- ``==``/``!=`` across different types is false/true, except int and float (int coerced).
- int arithmetic is 64-bit; overflow and division or remainder by zero are errors; ``/``
  truncates toward zero and ``%`` takes the dividend's sign (Java semantics, where the
  official emulator runs). Float arithmetic is IEEE 754 (``1.0 / 0`` is infinity).
- ``<`` and friends order numbers, strings (UTF-16 code units), bytes, timestamps and
  durations; ordering other or mixed types is an error.
- ``+`` concatenates strings and lists; timestamps and durations add and subtract.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from firelab.rules._strings import utf16_index, utf16_less, utf16_size, utf16_slice
from firelab.rules._values import (
    DURATION_MAX_NANOS,
    INT64_MAX,
    INT64_MIN,
    TIMESTAMP_MAX_NANOS,
    TIMESTAMP_MIN_NANOS,
    RulesDuration,
    RulesError,
    RulesPath,
    RulesSet,
    RulesTimestamp,
    Value,
    type_name,
    values_equal,
)

__all__ = [
    "BINARY_OPERATORS",
    "binary_op",
    "binary_operator",
    "check_duration",
    "check_int",
    "check_timestamp",
    "index",
    "member",
    "slice_",
    "unary_op",
]

BinaryFn = Callable[[Any, Any], Value]
_NoneType = type(None)
# Failures of Python arithmetic that the rules report as errors (e.g. int too large for float).
_ARITHMETIC_FAILURES = (ArithmeticError, ValueError, TypeError)


def check_int(result: int) -> Value:
    """``result`` if it fits in a signed 64-bit integer, else an overflow error."""
    if INT64_MIN <= result <= INT64_MAX:
        return result
    return RulesError(f"integer overflow: {result} is outside the 64-bit range")


def check_timestamp(nanos: int) -> Value:
    """A timestamp if within 0001-01-01 .. 9999-12-31, else an error."""
    if TIMESTAMP_MIN_NANOS <= nanos <= TIMESTAMP_MAX_NANOS:
        return RulesTimestamp(nanos)
    return RulesError("timestamp out of range: must be between 0001-01-01 and 9999-12-31")


def check_duration(nanos: int) -> Value:
    """A duration if within ±315,576,000,000 seconds, else an error."""
    if -DURATION_MAX_NANOS <= nanos <= DURATION_MAX_NANOS:
        return RulesDuration(nanos)
    return RulesError("duration out of range: at most 315,576,000,000 seconds either way")


def _describe(value: Value) -> str:
    return type_name(value)


def _type_error(op: str, left: Value, right: Value) -> RulesError:
    return RulesError(
        f"operator '{op}' cannot be applied to {_describe(left)} and {_describe(right)}"
    )


# --- arithmetic -------------------------------------------------------------------------


def _add_int(left: int, right: int) -> Value:
    return check_int(left + right)


def _sub_int(left: int, right: int) -> Value:
    return check_int(left - right)


def _mul_int(left: int, right: int) -> Value:
    return check_int(left * right)


def _div_int(left: int, right: int) -> Value:
    if right == 0:
        return RulesError("integer division by zero")
    quotient = abs(left) // abs(right)
    return check_int(-quotient if (left < 0) != (right < 0) else quotient)


def _mod_int(left: int, right: int) -> Value:
    if right == 0:
        return RulesError("integer modulo by zero")
    remainder = abs(left) % abs(right)
    return -remainder if left < 0 else remainder


def _add_float(left: float, right: float) -> Value:
    return float(left) + float(right)


def _sub_float(left: float, right: float) -> Value:
    return float(left) - float(right)


def _mul_float(left: float, right: float) -> Value:
    return float(left) * float(right)


def _div_float(left: float, right: float) -> Value:
    dividend = float(left)
    divisor = float(right)
    if divisor == 0.0:
        if dividend == 0.0 or math.isnan(dividend):
            return math.nan
        sign = math.copysign(1.0, dividend) * math.copysign(1.0, divisor)
        return math.copysign(math.inf, sign)
    return dividend / divisor


def _mod_float(left: float, right: float) -> Value:
    dividend = float(left)
    divisor = float(right)
    if divisor == 0.0 or math.isinf(dividend) or math.isnan(divisor):
        return math.nan
    if math.isinf(divisor):
        return dividend
    return math.fmod(dividend, divisor)


def _concat_str(left: str, right: str) -> Value:
    return left + right


def _concat_list(left: list[Value], right: list[Value]) -> Value:
    return [*left, *right]


def _add_durations(left: RulesDuration, right: RulesDuration) -> Value:
    return check_duration(left.nanos + right.nanos)


def _sub_durations(left: RulesDuration, right: RulesDuration) -> Value:
    return check_duration(left.nanos - right.nanos)


def _timestamp_plus(left: RulesTimestamp, right: RulesDuration) -> Value:
    return check_timestamp(left.nanos + right.nanos)


def _duration_plus(left: RulesDuration, right: RulesTimestamp) -> Value:
    return check_timestamp(left.nanos + right.nanos)


def _timestamp_minus(left: RulesTimestamp, right: RulesDuration) -> Value:
    return check_timestamp(left.nanos - right.nanos)


def _timestamp_diff(left: RulesTimestamp, right: RulesTimestamp) -> Value:
    return check_duration(left.nanos - right.nanos)


_NUMERIC_PAIRS = ((int, float), (float, int), (float, float))
_LIST_PAIRS = ((list, list), (list, tuple), (tuple, list), (tuple, tuple))


def _arith_table(int_fn: BinaryFn, float_fn: BinaryFn) -> dict[tuple[type, type], BinaryFn]:
    table: dict[tuple[type, type], BinaryFn] = {(int, int): int_fn}
    for pair in _NUMERIC_PAIRS:
        table[pair] = float_fn
    return table


_ADD = _arith_table(_add_int, _add_float)
_ADD[(str, str)] = _concat_str
for _pair in _LIST_PAIRS:
    _ADD[_pair] = _concat_list
_ADD[(RulesDuration, RulesDuration)] = _add_durations
_ADD[(RulesTimestamp, RulesDuration)] = _timestamp_plus
_ADD[(RulesDuration, RulesTimestamp)] = _duration_plus

_SUB = _arith_table(_sub_int, _sub_float)
_SUB[(RulesTimestamp, RulesDuration)] = _timestamp_minus
_SUB[(RulesTimestamp, RulesTimestamp)] = _timestamp_diff
_SUB[(RulesDuration, RulesDuration)] = _sub_durations

_MUL = _arith_table(_mul_int, _mul_float)
_DIV = _arith_table(_div_int, _div_float)
_MOD = _arith_table(_mod_int, _mod_float)


def _table_operator(op: str, table: dict[tuple[type, type], BinaryFn]) -> BinaryFn:
    def apply(left: Value, right: Value) -> Value:
        fn = table.get((left.__class__, right.__class__))
        if fn is not None:
            try:
                return fn(left, right)
            except _ARITHMETIC_FAILURES as exc:
                return RulesError(f"operator '{op}' failed: {exc}")
        return _no_operator(op, left, right)

    apply.__name__ = apply.__qualname__ = f"rules_operator_{op}"
    return apply


def _no_operator(op: str, left: Any, right: Any) -> Value:
    if left.__class__ is RulesError:
        return left
    if right.__class__ is RulesError:
        return right
    return _type_error(op, left, right)


# --- equality and ordering --------------------------------------------------------------

_NATIVE_EQ = frozenset({str, int, float, bool, bytes, _NoneType, RulesTimestamp, RulesDuration})


def _eq(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__ and cls in _NATIVE_EQ:
        return left == right  # type: ignore[no-any-return]
    if cls is RulesError:
        return left  # type: ignore[no-any-return]
    if right.__class__ is RulesError:
        return right
    return values_equal(left, right)


def _ne(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__ and cls in _NATIVE_EQ:
        return left != right  # type: ignore[no-any-return]
    if cls is RulesError:
        return left  # type: ignore[no-any-return]
    if right.__class__ is RulesError:
        return right
    return not values_equal(left, right)


_NATIVE_ORDER = frozenset({int, float, bytes, RulesTimestamp, RulesDuration})


def _ordering_operands(op: str, left: Any, right: Any) -> tuple[Any, Any] | RulesError:
    """Operands made comparable by Python's operators, or the error to return."""
    lcls = left.__class__
    rcls = right.__class__
    if lcls is RulesError:
        return left  # type: ignore[no-any-return]
    if rcls is RulesError:
        return right  # type: ignore[no-any-return]
    if (lcls is int or lcls is float) and (rcls is int or rcls is float):
        try:
            return float(left), float(right)
        except OverflowError:
            return RulesError(f"cannot compare {left} and {right}: integer too large")
    if lcls is str and rcls is str:
        if left.isascii() and right.isascii():
            return left, right
        return left.encode("utf-16-be", "surrogatepass"), right.encode("utf-16-be", "surrogatepass")
    return _type_error(op, left, right)


def _lt(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__:
        if cls in _NATIVE_ORDER:
            return left < right  # type: ignore[no-any-return]
        if cls is str:
            return utf16_less(left, right)
    operands = _ordering_operands("<", left, right)
    if isinstance(operands, RulesError):
        return operands
    a, b = operands
    return bool(a < b)


def _le(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__ and cls in _NATIVE_ORDER:
        return left <= right  # type: ignore[no-any-return]
    operands = _ordering_operands("<=", left, right)
    if isinstance(operands, RulesError):
        return operands
    a, b = operands
    return bool(a <= b)


def _gt(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__:
        if cls in _NATIVE_ORDER:
            return left > right  # type: ignore[no-any-return]
        if cls is str:
            return utf16_less(right, left)
    operands = _ordering_operands(">", left, right)
    if isinstance(operands, RulesError):
        return operands
    a, b = operands
    return bool(a > b)


def _ge(left: Any, right: Any) -> Value:
    cls = left.__class__
    if cls is right.__class__ and cls in _NATIVE_ORDER:
        return left >= right  # type: ignore[no-any-return]
    operands = _ordering_operands(">=", left, right)
    if isinstance(operands, RulesError):
        return operands
    a, b = operands
    return bool(a >= b)


# --- membership -------------------------------------------------------------------------

# Needles whose Python ``==`` against any value is exactly the rules' equality.
_EXACT_NEEDLES = frozenset({str, bytes, _NoneType})


def _in(left: Any, right: Any) -> Value:
    rcls = right.__class__
    lcls = left.__class__
    if lcls is RulesError:
        return left  # type: ignore[no-any-return]
    if rcls is list or rcls is tuple:
        if lcls in _EXACT_NEEDLES:
            return left in right
        return any(values_equal(left, item) for item in right)
    if rcls is dict:
        if lcls is str:
            return left in right
        return RulesError(f"map keys are strings; cannot look for a {_describe(left)} key")
    if rcls is RulesSet:
        return left in right
    if rcls is RulesError:
        return right  # type: ignore[no-any-return]
    return RulesError(f"'in' needs a list, set or map on the right, not {_describe(right)}")


BINARY_OPERATORS: dict[str, BinaryFn] = {
    "+": _table_operator("+", _ADD),
    "-": _table_operator("-", _SUB),
    "*": _table_operator("*", _MUL),
    "/": _table_operator("/", _DIV),
    "%": _table_operator("%", _MOD),
    "==": _eq,
    "!=": _ne,
    "<": _lt,
    "<=": _le,
    ">": _gt,
    ">=": _ge,
    "in": _in,
}


def _unknown_operator(op: str) -> BinaryFn:
    def apply(left: Value, right: Value) -> Value:
        return RulesError(f"unknown binary operator '{op}'")

    return apply


def binary_operator(op: str) -> BinaryFn:
    """The function implementing ``op``, for the evaluator to resolve once per AST node."""
    fn = BINARY_OPERATORS.get(op)
    return fn if fn is not None else _unknown_operator(op)


def binary_op(op: str, left: Value, right: Value) -> Value:
    """Apply binary operator ``op`` (``+ - * / % < <= > >= == != in``)."""
    fn = BINARY_OPERATORS.get(op)
    if fn is None:
        return RulesError(f"unknown binary operator '{op}'")
    return fn(left, right)


def unary_op(op: str, operand: Any) -> Value:
    """``!operand`` (bool only) or ``-operand`` (int, with overflow check, or float)."""
    cls = operand.__class__
    if cls is RulesError:
        return operand  # type: ignore[no-any-return]
    if op == "!":
        if cls is bool:
            return not operand
        return RulesError(f"operator '!' needs a bool, not {_describe(operand)}")
    if op == "-":
        if cls is int:
            return check_int(-operand)
        if cls is float:
            return -operand  # type: ignore[no-any-return]
        return RulesError(f"operator '-' needs a number, not {_describe(operand)}")
    return RulesError(f"unknown unary operator '{op}'")


# --- index, slice, member ---------------------------------------------------------------


def index(container: Any, key: Any) -> Value:
    """``container[key]``: list or string by int, map by string, path by int or binding name."""
    cls = container.__class__
    kcls = key.__class__
    if cls is dict:
        if kcls is str:
            try:
                return container[key]  # type: ignore[no-any-return]
            except KeyError:
                return RulesError(f"map has no key '{key}'")
        return _index_error(container, key)
    if cls is list or cls is tuple:
        if kcls is int:
            if 0 <= key < len(container):
                return container[key]  # type: ignore[no-any-return]
            return RulesError(f"index {key} out of range for a list of size {len(container)}")
        return _index_error(container, key)
    if cls is str:
        if kcls is int:
            unit = utf16_index(container, key)
            if unit is not None:
                return unit
            size = utf16_size(container)
            return RulesError(f"index {key} out of range for a string of size {size}")
        return _index_error(container, key)
    if cls is RulesPath:
        return _path_index(container, key)
    return _index_error(container, key)


def _path_index(path: RulesPath, key: Any) -> Value:
    if key.__class__ is int:
        position: int = key
        if 0 <= position < len(path.segments):
            return path.segments[position]
        return RulesError(f"index {position} out of range for a path of {len(path.segments)}")
    if key.__class__ is str:
        return _path_binding(path, key)
    return _index_error(path, key)


def _path_binding(path: RulesPath, name: str) -> Value:
    try:
        return path.bindings[name]
    except KeyError:
        return RulesError(f"path {path} has no binding '{name}'")


def _index_error(container: Any, key: Any) -> Value:
    if container.__class__ is RulesError:
        return container
    if key.__class__ is RulesError:
        return key
    return RulesError(f"cannot index a {_describe(container)} with a {_describe(key)}")


def slice_(container: Any, start: Any, end: Any) -> Value:
    """``container[start:end]`` on a list or string; ``None`` bounds mean the ends.

    Bounds must satisfy ``0 <= start <= end <= size`` (string sizes in UTF-16 code units).
    """
    for operand in (container, start, end):
        if operand.__class__ is RulesError:
            return operand
    cls = container.__class__
    if cls is str:
        size = utf16_size(container)
    elif cls is list or cls is tuple:
        size = len(container)
    else:
        return RulesError(f"cannot slice a {_describe(container)}; only lists and strings")
    low = 0 if start is None else start
    high = size if end is None else end
    if low.__class__ is not int or high.__class__ is not int:
        return RulesError("slice bounds must be integers")
    lo: int = low
    hi: int = high
    if not 0 <= lo <= hi <= size:
        return RulesError(f"slice [{lo}:{hi}] out of range for size {size}")
    if cls is str:
        part = utf16_slice(container, lo, hi)
        return part if part is not None else RulesError("slice out of range")
    return list(container[lo:hi])


def member(value: Any, name: str) -> Value:
    """``value.name``: a map's key (missing key is an error) or a path's binding."""
    if value.__class__ is dict:
        try:
            return value[name]  # type: ignore[no-any-return]
        except KeyError:
            return RulesError(f"map has no key '{name}'")
    if value.__class__ is RulesError:
        return value
    if value.__class__ is RulesPath:
        return _path_binding(value, name)
    return RulesError(f"a {_describe(value)} has no field '{name}'")
