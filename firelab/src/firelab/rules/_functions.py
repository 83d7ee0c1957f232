"""Global functions: ``int()``, ``float()``, ``string()``, ``bool()``, ``path()``, ``debug()``,
plus the namespaced ones from ``_namespaces`` (``math.*``, ``hashing.*``, ``timestamp.*``,
``duration.*``, ``latlng.*``).

``call_function`` returns ``None`` for a name that is not a built-in, so the evaluator can look
for a user-defined function; ``lookup_function`` lets it resolve a call once per AST node.
Conversions follow rules.Integer, rules.Float, rules.String, rules.Boolean and rules.Path
(https://firebase.google.com/docs/reference/rules/); text forms of floats follow Java's
``Double.toString`` (``string(2.0) == "2.0"``, ``string(1e21) == "1.0E21"``).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from firelab.rules._namespaces import FUNCTIONS as _NAMESPACED
from firelab.rules._namespaces import FunctionTable
from firelab.rules._operators import check_int
from firelab.rules._values import (
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesMapDiff,
    RulesPath,
    RulesSet,
    RulesTimestamp,
    Value,
    type_name,
)

__all__ = [
    "DEBUG_LOGGER",
    "FUNCTIONS",
    "call_function",
    "debug_text",
    "format_float",
    "lookup_function",
]

#: ``debug()`` writes here at DEBUG level, one line per call, like firestore-debug.log.
DEBUG_LOGGER = logging.getLogger("firelab.rules.debug")

_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?"
)
_JAVA_TRIM = "".join(chr(code) for code in range(0x21))
_FAILURES = (ArithmeticError, ValueError, TypeError, UnicodeError, RecursionError)


def _expect(function: str, expected: str, got: Any) -> RulesError:
    return RulesError(f"{function}() expects {expected}, got {type_name(got)}")


def _int(value: Any) -> Value:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[no-any-return]
    if cls is float:
        if math.isnan(value) or math.isinf(value):
            return RulesError(f"int() cannot convert {format_float(value)} to an integer")
        return check_int(int(value))
    if cls is str:
        if _INT_TEXT.fullmatch(value) is None:
            return RulesError(f"int() cannot parse {value!r} as an integer")
        return check_int(int(value))
    return _expect("int", "a string or a number", value)


def _float(value: Any) -> Value:
    cls = value.__class__
    if cls is float:
        return value  # type: ignore[no-any-return]
    if cls is int:
        return float(value)
    if cls is str:
        text = value.strip(_JAVA_TRIM)
        if _FLOAT_TEXT.fullmatch(text) is None:
            return RulesError(f"float() cannot parse {value!r} as a float")
        if text[-1] in "fFdD" and not text.endswith("Infinity"):
            text = text[:-1]
        return float(text.replace("Infinity", "inf"))
    return _expect("float", "a string or a number", value)


def format_float(value: float) -> str:
    """Java's ``Double.toString``: shortest digits, ``E`` notation outside [1e-3, 1e7)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0.0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    parts = Decimal(repr(magnitude)).as_tuple()
    digits = "".join(str(digit) for digit in parts.digits)
    stripped = digits.rstrip("0") or "0"
    exponent = int(parts.exponent) + len(digits) - len(stripped)
    point = len(stripped) + exponent - 1  # Decimal exponent of the leading digit.
    if 1e-3 <= magnitude < 1e7:
        if point >= 0:
            whole = stripped[: point + 1].ljust(point + 1, "0")
            fraction = stripped[point + 1 :] or "0"
            return f"{sign}{whole}.{fraction}"
        return f"{sign}0.{'0' * (-point - 1)}{stripped}"
    return f"{sign}{stripped[0]}.{stripped[1:] or '0'}E{point}"


def _string(value: Any) -> Value:
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[no-any-return]
    if cls is bool:
        return "true" if value else "false"
    if cls is int:
        return str(value)
    if cls is float:
        return format_float(value)
    if value is None:
        return "null"
    return _expect("string", "a bool, int, float, string or null", value)


def _bool(value: Any) -> Value:
    if value.__class__ is bool:
        return value
    if value.__class__ is str:
        if value == "true":
            return True
        if value == "false":
            return False
        return RulesError(f"bool() cannot parse {value!r}; expected 'true' or 'false'")
    return _expect("bool", "a string", value)


def _path(value: Any) -> Value:
    if value.__class__ is str:
        return RulesPath.parse(value)
    if value.__class__ is RulesPath:
        return value
    return _expect("path", "a string", value)


def debug_text(value: Any) -> str:
    """The firestore-debug.log form of a value: ``string_value: "alice"``, ``bool_value: true``."""
    cls = value.__class__
    if value is None:
        return "null_value: NULL_VALUE"
    if cls is bool:
        return f"bool_value: {'true' if value else 'false'}"
    if cls is int:
        return f"int_value: {value}"
    if cls is float:
        return f"float_value: {format_float(value)}"
    if cls is str:
        return f"string_value: {json.dumps(value, ensure_ascii=False)}"
    if cls is bytes:
        return f"bytes_value: {value!r}"
    if cls is list or cls is tuple:
        return "list_value { " + " ".join(f"values {{ {debug_text(v)} }}" for v in value) + " }"
    if cls is dict:
        fields = (
            f"fields {{ key: {json.dumps(k)} value {{ {debug_text(v)} }} }}"
            for k, v in value.items()
        )
        return "map_value { " + " ".join(fields) + " }"
    if cls is RulesSet:
        return "set_value { " + " ".join(debug_text(v) for v in value.items.values()) + " }"
    if cls is RulesMapDiff:
        return f"map_diff_value {{ {debug_text(value.after)} diff {debug_text(value.before)} }}"
    if cls is RulesLatLng:
        return f"latlng_value {{ latitude: {value.lat} longitude: {value.lng} }}"
    if cls is RulesTimestamp or cls is RulesDuration or cls is RulesPath:
        return f"{type_name(value)}_value: {value!r}"
    return f"error: {value}"


def _debug(value: Any) -> Value:
    if DEBUG_LOGGER.isEnabledFor(logging.DEBUG):
        DEBUG_LOGGER.debug("%s", debug_text(value))
    return value  # type: ignore[no-any-return]


FUNCTIONS: FunctionTable = {
    "int": (1, _int),
    "float": (1, _float),
    "string": (1, _string),
    "bool": (1, _bool),
    "path": (1, _path),
    **_NAMESPACED,
}


def _bind(name: str, arity: int, fn: Callable[..., Value]) -> Callable[[Sequence[Value]], Value]:
    def call(args: Sequence[Value]) -> Value:
        if len(args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            return RulesError(f"{name}() takes {arity} {plural}, got {len(args)}")
        for arg in args:
            if arg.__class__ is RulesError:
                return arg
        try:
            return fn(*args)
        except _FAILURES as exc:
            return RulesError(f"{name}() failed: {exc}")

    call.__name__ = call.__qualname__ = f"rules_function_{name.replace('.', '_')}"
    return call


_BOUND: dict[str, Callable[[Sequence[Value]], Value]] = {
    name: _bind(name, arity, fn) for name, (arity, fn) in FUNCTIONS.items()
}


def _debug_call(args: Sequence[Value]) -> Value:
    """``debug(x)`` returns x, even an error, after logging it (it never changes a result)."""
    if len(args) != 1:
        return RulesError(f"debug() takes 1 argument, got {len(args)}")
    return _debug(args[0])


_BOUND["debug"] = _debug_call


def lookup_function(qualified_name: str) -> Callable[[Sequence[Value]], Value] | None:
    """The built-in called ``qualified_name`` (``int``, ``math.abs``), or None if there is none."""
    return _BOUND.get(qualified_name)


def call_function(qualified_name: str, args: Sequence[Value]) -> Value | None:
    """Call a built-in; None means no such built-in (the evaluator then tries user functions).

    ``debug(null)`` also returns None (null): to tell the two apart, resolve the name first
    with ``lookup_function``, which is also the faster way to call a built-in repeatedly.
    """
    call = _BOUND.get(qualified_name)
    if call is None:
        return None
    return call(args)
