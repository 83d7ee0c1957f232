"""The Python representation of every Security Rules type, and the language's equality.

Plain Python values stand for the primitive types so the evaluator's hot path does no wrapping:
null is ``None``, bool ``bool``, int ``int`` (64-bit, checked by the operators), float
``float``, string ``str``, bytes ``bytes``, list ``list`` (``tuple`` accepted as input) and map
``dict[str, Value]``. The other types are small frozen classes defined here. An error is a value
(``RulesError``), never a raised exception, so ``error || true`` can short-circuit the way
Firestore does.

Reference: https://firebase.google.com/docs/reference/rules/rules (one page per type).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias, Union

__all__ = [
    "DURATION_MAX_NANOS",
    "INT64_MAX",
    "INT64_MIN",
    "NANOS_PER_SECOND",
    "TIMESTAMP_MAX_NANOS",
    "TIMESTAMP_MIN_NANOS",
    "TYPE_NAMES",
    "ListValue",
    "RulesDuration",
    "RulesError",
    "RulesLatLng",
    "RulesMapDiff",
    "RulesPath",
    "RulesSet",
    "RulesTimestamp",
    "Value",
    "from_firestore",
    "is_type",
    "reference_value_path",
    "set_key",
    "type_name",
    "values_equal",
]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
NANOS_PER_SECOND = 1_000_000_000
#: rules.Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
TIMESTAMP_MIN_NANOS = -62_135_596_800 * NANOS_PER_SECOND
TIMESTAMP_MAX_NANOS = 253_402_300_799 * NANOS_PER_SECOND + 999_999_999
#: rules.Duration: seconds portion from -315,576,000,000 to +315,576,000,000 inclusive.
DURATION_MAX_NANOS = 315_576_000_000 * NANOS_PER_SECOND + 999_999_999

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


@dataclass(frozen=True, slots=True)
class RulesError:
    """An evaluation error carried as a value; it propagates through operators and calls."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True, order=True)
class RulesTimestamp:
    """rules.Timestamp: an instant in UTC, as integer nanoseconds since the Unix epoch."""

    nanos: int

    @classmethod
    def from_datetime(cls, value: _dt.datetime) -> RulesTimestamp:
        """Convert a datetime (naive means UTC); keeps a ``nanosecond`` attribute if present.

        google-cloud-firestore decodes timestamps as ``DatetimeWithNanoseconds``, a datetime
        subclass with an extra ``nanosecond`` field, so nanosecond precision survives.
        """
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.UTC)
        delta = value - _EPOCH
        seconds = delta.days * 86_400 + delta.seconds
        sub = delta.microseconds * 1_000
        nanosecond = getattr(value, "nanosecond", None)
        if isinstance(nanosecond, int) and nanosecond // 1_000 == delta.microseconds:
            sub = nanosecond
        return cls(seconds * NANOS_PER_SECOND + sub)

    @classmethod
    def from_seconds(cls, seconds: int, nanos: int = 0) -> RulesTimestamp:
        """Build from a protobuf-style (seconds, nanos) pair."""
        return cls(seconds * NANOS_PER_SECOND + nanos)

    def to_datetime(self) -> _dt.datetime:
        """The instant as an aware UTC datetime (microsecond precision)."""
        return _EPOCH + _dt.timedelta(microseconds=self.nanos // 1_000)

    def __repr__(self) -> str:
        seconds, sub = divmod(self.nanos, NANOS_PER_SECOND)
        stamp = (_EPOCH + _dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
        return f"timestamp({stamp}.{sub:09d}Z)"


@dataclass(frozen=True, slots=True, order=True)
class RulesDuration:
    """rules.Duration: a signed span of time in integer nanoseconds."""

    nanos: int

    def __repr__(self) -> str:
        return f"duration({self.nanos}ns)"


@dataclass(frozen=True, slots=True)
class RulesLatLng:
    """rules.LatLng: a geopoint in degrees."""

    lat: float
    lng: float


@dataclass(frozen=True, slots=True)
class RulesPath:
    """rules.Path: a resource location as a tuple of segments.

    ``bindings`` hold values addressable by field name (``p.f``, ``p['f']``): the evaluator
    fills them from wildcard matches, and ``bind()`` adds to them. A segment spelled
    ``$(name)`` is an unbound placeholder that ``bind({'name': ...})`` substitutes. Equality
    and hashing look at the segments only.
    """

    segments: tuple[str, ...]
    bindings: Mapping[str, Value] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def parse(cls, text: str) -> RulesPath:
        """Split ``/a/b`` or ``a/b`` into segments; empty segments are dropped."""
        return cls(tuple(part for part in text.split("/") if part))

    def __str__(self) -> str:
        return "/" + "/".join(self.segments)

    def __repr__(self) -> str:
        return f"path({self})"


class RulesSet:
    """rules.Set: an unordered collection without duplicates, under the rules' equality.

    Elements are stored by ``set_key`` so that ``1`` and ``1.0`` are the same element while
    ``true`` and ``1`` are not; the first of several equal elements is the one kept.
    """

    __slots__ = ("_items",)

    def __init__(self, items: dict[Hashable, Value]) -> None:
        self._items = items

    @classmethod
    def of(cls, values: Iterable[Value]) -> RulesSet:
        """Build a set from values, keeping the first of equal elements."""
        items: dict[Hashable, Value] = {}
        for value in values:
            cls_ = value.__class__
            key = value if cls_ is str or cls_ is int else set_key(value)
            items.setdefault(key, value)  # type: ignore[arg-type]
        return cls(items)

    @classmethod
    def of_strings(cls, values: Iterable[str]) -> RulesSet:
        """Build a set of strings (a string is its own key)."""
        return cls({value: value for value in values})

    @property
    def items(self) -> Mapping[Hashable, Value]:
        """Elements by key."""
        return self._items

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, value: object) -> bool:
        return set_key(value) in self._items  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RulesSet) and self._items.keys() == other._items.keys()

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __repr__(self) -> str:
        return f"set({list(self._items.values())!r})"


class RulesMapDiff:
    """rules.MapDiff: the result of ``after.diff(before)`` (receiver is ``after``).

    A plain slotted class rather than a frozen dataclass: ``diff()`` sits on the hot path of
    update rules and a frozen dataclass's ``__init__`` costs several times more.
    """

    __slots__ = ("after", "before")

    def __init__(self, before: dict[str, Value], after: dict[str, Value]) -> None:
        self.before = before
        self.after = after

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RulesMapDiff)
            and values_equal(self.before, other.before)
            and values_equal(self.after, other.after)
        )

    def __hash__(self) -> int:
        return hash((set_key(self.before), set_key(self.after)))

    def __repr__(self) -> str:
        return f"RulesMapDiff(before={self.before!r}, after={self.after!r})"


Value: TypeAlias = Union[  # noqa: UP007 - a recursive alias needs the Union spelling.
    bool,
    int,
    float,
    str,
    bytes,
    list["Value"],
    tuple["Value", ...],
    dict[str, "Value"],
    RulesPath,
    RulesTimestamp,
    RulesDuration,
    RulesLatLng,
    RulesSet,
    RulesMapDiff,
    RulesError,
    None,
]

ListValue: TypeAlias = list[Value] | tuple[Value, ...]

_NoneType = type(None)
_LIST_TAG = object()
_MAP_TAG = object()
_SET_TAG = object()
_DIFF_TAG = object()
_TRUE_KEY = object()
_FALSE_KEY = object()


def set_key(value: Value) -> Hashable:
    """A hashable key equal for exactly the values the rules' ``==`` calls equal.

    Strings, ints, floats, bytes and null are their own key (Python already equates ``1`` and
    ``1.0``); booleans get sentinels so ``true`` differs from ``1``; lists and maps become
    tagged tuples and frozensets.
    """
    cls = value.__class__
    if cls is str or cls is int or cls is float or cls is bytes or cls is _NoneType:
        return value  # type: ignore[return-value]
    if cls is bool:
        return _TRUE_KEY if value else _FALSE_KEY
    if cls is list or cls is tuple:
        return (_LIST_TAG, tuple(set_key(item) for item in value))  # type: ignore[union-attr]
    if cls is dict:
        mapping: dict[str, Value] = value  # type: ignore[assignment]
        return (_MAP_TAG, frozenset((key, set_key(item)) for key, item in mapping.items()))
    if cls is RulesSet:
        return (_SET_TAG, frozenset(value._items))  # type: ignore[union-attr]
    if cls is RulesMapDiff:
        diff: RulesMapDiff = value  # type: ignore[assignment]
        return (_DIFF_TAG, set_key(diff.before), set_key(diff.after))
    if isinstance(value, Hashable):
        return value
    return id(value)


# Types whose Python ``==`` is exactly the rules' equality when both sides share the type.
_NATIVE_EQ: frozenset[type] = frozenset(
    {str, int, float, bool, bytes, _NoneType, RulesTimestamp, RulesDuration, RulesPath}
)


def values_equal(left: Value, right: Value) -> bool:
    """The rules' ``==`` on two non-error values.

    Different types are unequal, except int and float, which compare by value (the int is
    coerced to float). Lists compare element-wise, maps key-wise, sets by membership.
    """
    lcls = left.__class__
    rcls = right.__class__
    if lcls is rcls:
        if lcls in _NATIVE_EQ:
            return left == right
        if lcls is list or lcls is tuple:
            return _lists_equal(left, right)  # type: ignore[arg-type]
        if lcls is dict:
            return _maps_equal(left, right)  # type: ignore[arg-type]
        return left == right
    if lcls is int and rcls is float:
        return float(left) == right  # type: ignore[arg-type]
    if lcls is float and rcls is int:
        return left == float(right)  # type: ignore[arg-type]
    if (lcls is list and rcls is tuple) or (lcls is tuple and rcls is list):
        return _lists_equal(left, right)  # type: ignore[arg-type]
    return False


def _lists_equal(
    left: list[Value] | tuple[Value, ...], right: list[Value] | tuple[Value, ...]
) -> bool:
    if len(left) != len(right):
        return False
    return all(values_equal(a, b) for a, b in zip(left, right, strict=True))


def _maps_equal(left: dict[str, Value], right: dict[str, Value]) -> bool:
    if len(left) != len(right):
        return False
    for key, item in left.items():
        if key not in right or not values_equal(item, right[key]):
            return False
    return True


_TYPE_NAMES: dict[type, str] = {
    _NoneType: "null",
    bool: "bool",
    int: "int",
    float: "float",
    str: "string",
    bytes: "bytes",
    list: "list",
    tuple: "list",
    dict: "map",
    RulesPath: "path",
    RulesTimestamp: "timestamp",
    RulesDuration: "duration",
    RulesLatLng: "latlng",
    RulesSet: "set",
    RulesMapDiff: "map_diff",
    RulesError: "error",
}

#: Names accepted on the right of ``is`` (rules-language operator table, plus the types that
#: only built-ins produce: bytes, set and map_diff).
TYPE_NAMES: frozenset[str] = frozenset(
    {
        "bool",
        "bytes",
        "duration",
        "float",
        "int",
        "latlng",
        "list",
        "map",
        "map_diff",
        "number",
        "path",
        "set",
        "string",
        "timestamp",
    }
)


def type_name(value: Value) -> str:
    """The rules type name of a value (``null``, ``int``, ``string``, ``map`` ...)."""
    name = _TYPE_NAMES.get(value.__class__)
    if name is not None:
        return name
    for cls, candidate in _TYPE_NAMES.items():
        if cls is not _NoneType and isinstance(value, cls):
            return candidate
    return value.__class__.__name__


def is_type(value: Value, name: str) -> Value:
    """``value is name``: true when the value has that type; ``number`` is int or float.

    An error operand propagates; an unknown type name is an error.
    """
    if value.__class__ is RulesError:
        return value
    if name not in TYPE_NAMES:
        known = ", ".join(sorted(TYPE_NAMES))
        return RulesError(f"unknown type '{name}' after 'is'; expected one of {known}")
    actual = type_name(value)
    if name == "number":
        return actual == "int" or actual == "float"
    return actual == name


def from_firestore(value: object) -> Value:
    """Convert a value as google-cloud-firestore decodes it, or a raw ``google.firestore.v1.Value``.

    Handles None, bool, int, float, str, bytes, datetime (``DatetimeWithNanoseconds`` keeps its
    nanoseconds), GeoPoint, DocumentReference (a path ``/databases/{db}/documents/...``), dict,
    list/tuple, proto-plus ``Value`` wrappers and protobuf ``Value``/``MapValue``/``ArrayValue``
    messages. Anything else becomes a ``RulesError`` naming the unsupported type.
    """
    cls = value.__class__
    if cls is str or cls is int or cls is float or cls is bool or cls is bytes or value is None:
        return value  # type: ignore[return-value]
    if isinstance(value, dict):
        return {str(key): from_firestore(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [from_firestore(item) for item in value]
    if isinstance(value, _dt.datetime):
        return RulesTimestamp.from_datetime(value)
    if isinstance(value, bool | int | float | str | bytes):
        return _plain(value)
    if isinstance(value, RulesTimestamp | RulesDuration | RulesLatLng | RulesPath | RulesSet):
        return value
    pb = getattr(value, "_pb", None)
    if pb is not None and hasattr(pb, "WhichOneof"):
        return _from_message(pb)
    if hasattr(value, "WhichOneof") and hasattr(value, "DESCRIPTOR"):
        return _from_message(value)
    latitude = getattr(value, "latitude", None)
    longitude = getattr(value, "longitude", None)
    if isinstance(latitude, int | float) and isinstance(longitude, int | float):
        return RulesLatLng(float(latitude), float(longitude))
    if hasattr(value, "_path") and hasattr(value, "_client"):
        return _reference_path(value)
    return RulesError(f"cannot convert a {cls.__name__} to a rules value")


def _plain(value: bool | int | float | str | bytes) -> Value:
    """Strip subclasses (IntEnum, str enums) down to the builtin type."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return bytes(value)


def _reference_path(reference: object) -> Value:
    try:
        full = str(reference._document_path)  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        parts = tuple(str(part) for part in reference._path)  # type: ignore[attr-defined]
        return RulesPath(("databases", "(default)", "documents", *parts))
    return reference_value_path(full)


def reference_value_path(name: str) -> RulesPath:
    """``projects/p/databases/d/documents/c/x`` → path ``/databases/d/documents/c/x``."""
    segments = tuple(part for part in name.split("/") if part)
    if len(segments) >= 2 and segments[0] == "projects":
        segments = segments[2:]
    return RulesPath(segments)


def _from_message(message: object) -> Value:
    descriptor = getattr(message, "DESCRIPTOR", None)
    full_name = getattr(descriptor, "full_name", "")
    if full_name == "google.firestore.v1.MapValue":
        fields = message.fields  # type: ignore[attr-defined]
        return {str(key): _from_message(item) for key, item in fields.items()}
    if full_name == "google.firestore.v1.ArrayValue":
        return [_from_message(item) for item in message.values]  # type: ignore[attr-defined]
    kind = message.WhichOneof("value_type")  # type: ignore[attr-defined]
    if kind is None or kind == "null_value":
        return None
    item = getattr(message, kind)
    if kind == "boolean_value":
        return bool(item)
    if kind == "integer_value":
        return int(item)
    if kind == "double_value":
        return float(item)
    if kind == "string_value":
        return str(item)
    if kind == "bytes_value":
        return bytes(item)
    if kind == "timestamp_value":
        return RulesTimestamp.from_seconds(int(item.seconds), int(item.nanos))
    if kind == "geo_point_value":
        return RulesLatLng(float(item.latitude), float(item.longitude))
    if kind == "reference_value":
        return reference_value_path(str(item))
    if kind == "array_value":
        return [_from_message(element) for element in item.values]
    if kind == "map_value":
        return {str(key): _from_message(element) for key, element in item.fields.items()}
    return RulesError(f"unsupported Firestore value kind '{kind}'")
