"""Method calls on rules values, dispatched by (receiver type, method name).

One dict lookup finds ``(arity, function)``; the arguments are checked for count and for
errors (an error argument propagates), then the function runs. The tables live next to the
types they serve: ``_methods_string`` (String, Bytes), ``_methods_collections`` (List, Map,
Set, MapDiff) and ``_methods_time`` (Timestamp, Duration, LatLng, Path).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from firelab.rules import _methods_collections, _methods_string, _methods_time
from firelab.rules._methods_string import MethodTable
from firelab.rules._values import RulesError, Value, type_name

__all__ = ["METHODS", "call_method", "method_names"]

METHODS: MethodTable = {
    **_methods_string.METHODS,
    **_methods_collections.METHODS,
    **_methods_time.METHODS,
}

# Python failures a method may hit on unusual input (e.g. an int too large for a float).
_FAILURES = (ArithmeticError, ValueError, TypeError, UnicodeError, RecursionError)


def call_method(receiver: Any, name: str, args: Sequence[Value]) -> Value:
    """``receiver.name(*args)``; unknown methods, wrong arity and bad arguments are errors."""
    entry = METHODS.get((receiver.__class__, name))
    if entry is None:
        return _no_method(receiver, name, args)
    arity, fn = entry
    if len(args) != arity:
        plural = "argument" if arity == 1 else "arguments"
        return RulesError(f"{name}() takes {arity} {plural}, got {len(args)}")
    for arg in args:
        if arg.__class__ is RulesError:
            return arg
    try:
        return fn(receiver, *args)
    except _FAILURES as exc:
        return RulesError(f"{name}() failed: {exc}")


def _no_method(receiver: Any, name: str, args: Sequence[Value]) -> Value:
    if receiver.__class__ is RulesError:
        return receiver
    for builtin in _BUILTINS:
        if receiver.__class__ is not builtin and isinstance(receiver, builtin):
            # A subclass (str enum, OrderedDict): retry as the builtin the tables are keyed by.
            return call_method(builtin(receiver), name, args)
    return RulesError(f"a {type_name(receiver)} has no method '{name}'")


_BUILTINS: tuple[type, ...] = (str, bytes, dict, list, tuple, float, int)


def method_names(type_of: type) -> list[str]:
    """Sorted method names defined for a Python type (for static checks and messages)."""
    return sorted(name for cls, name in METHODS if cls is type_of)
