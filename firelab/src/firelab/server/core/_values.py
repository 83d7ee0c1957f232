"""Firestore value order and equality, as one order-preserving byte encoding.

`encode_value` maps a value to bytes whose lexicographic order is Firestore's cross-type order
(null < booleans < numbers < timestamps < strings < bytes < references < geo points < arrays <
vectors < maps), and whose equality is Firestore's equality: integers and doubles compare by
exact numeric value (so `1 == 1.0`, `-0.0 == 0`), NaN equals NaN and sorts before every other
number, timestamps compare at microsecond precision, strings by UTF-8 bytes, document names
segment by segment with numeric IDs (`__id7__`) first. Every encoding is prefix-free, so
encodings can be concatenated into composite index keys, and a descending component is the
byte-wise complement of its encoding.
"""

from __future__ import annotations

import math
import re
import struct

import numpy as np

from firelab.server.core._protos import Value

__all__ = [
    "TYPE_NULL",
    "TYPE_NUMBER",
    "VECTOR_TYPE",
    "compare_values",
    "descending",
    "encode_double",
    "encode_segment",
    "encode_value",
    "is_nan",
    "is_vector",
    "numeric_id",
    "type_ceiling",
    "type_floor",
    "type_rank",
    "values_equal",
    "vector_doubles",
]

_NULL = b"\x05"
_FALSE = b"\x0a"
_TRUE = b"\x0b"
_NUMBER = 0x10
_TIMESTAMP = b"\x14"
_STRING = b"\x19"
_BYTES = b"\x1e"
_REFERENCE = b"\x23"
_GEO = b"\x28"
_ARRAY = b"\x2d"
_VECTOR = b"\x32"
_MAP = b"\x37"

_NAN = b"\x10\x00"
_NEG_INF = b"\x10\x01"
_NEGATIVE = 0x02
_ZERO = b"\x10\x03"
_POSITIVE = 0x04
_POS_INF = b"\x10\x05"

_TERMINATOR = b"\x00\x01"
_END = b"\x00"
_SEGMENT_NUMERIC = b"\x01"
_SEGMENT_STRING = b"\x02"
_MAP_KEY = b"\x01"
_TIME_BIAS = 1 << 63
_INVERT = bytes(255 - i for i in range(256))

_NUMERIC_ID = re.compile(r"__id(-?[0-9]+)__")

VECTOR_TYPE = "__vector__"

# Type ranks, for the type filters of inequalities (a `<` filter on a number matches numbers).
TYPE_NULL = 0
TYPE_BOOLEAN = 1
TYPE_NUMBER = 2
TYPE_TIMESTAMP = 3
TYPE_STRING = 4
TYPE_BYTES = 5
TYPE_REFERENCE = 6
TYPE_GEO = 7
TYPE_ARRAY = 8
TYPE_VECTOR = 9
TYPE_MAP = 10


def is_vector(value: Value) -> bool:
    """Whether a map value is a vector: `{__type__: "__vector__", value: [...]}`."""
    fields = value.map_value.fields
    kind = fields.get("__type__")
    if kind is None or kind.WhichOneof("value_type") != "string_value":
        return False
    if kind.string_value != VECTOR_TYPE:
        return False
    inner = fields.get("value")
    return inner is not None and inner.WhichOneof("value_type") == "array_value"


def type_rank(value: Value) -> int:
    """The rank of the value's type in the cross-type order."""
    kind = value.WhichOneof("value_type")
    if kind == "map_value":
        return TYPE_VECTOR if is_vector(value) else TYPE_MAP
    return _RANKS.get(kind or "null_value", TYPE_NULL)


_RANKS = {
    "null_value": TYPE_NULL,
    "boolean_value": TYPE_BOOLEAN,
    "integer_value": TYPE_NUMBER,
    "double_value": TYPE_NUMBER,
    "timestamp_value": TYPE_TIMESTAMP,
    "string_value": TYPE_STRING,
    "bytes_value": TYPE_BYTES,
    "reference_value": TYPE_REFERENCE,
    "geo_point_value": TYPE_GEO,
    "array_value": TYPE_ARRAY,
}


def is_nan(value: Value) -> bool:
    """Whether `value` is the double NaN."""
    return value.WhichOneof("value_type") == "double_value" and math.isnan(value.double_value)


def _escape(data: bytes) -> bytes:
    """Prefix-free, order-preserving: 0x00 becomes 0x00 0xFF, and 0x00 0x01 ends the run."""
    return data.replace(b"\x00", b"\x00\xff") + _TERMINATOR


def encode_string(text: str) -> bytes:
    """The escaped UTF-8 of `text` (no type tag), as used for map keys and path segments."""
    return _escape(text.encode("utf-8"))


def _encode_magnitude(mantissa: int, exponent: int, negative: bool) -> bytes:
    body = struct.pack(">HQ", exponent + 0x8000, mantissa)
    if negative:
        return bytes((_NUMBER, _NEGATIVE)) + body.translate(_INVERT)
    return bytes((_NUMBER, _POSITIVE)) + body


def encode_integer(number: int) -> bytes:
    """The number encoding of a 64-bit integer (equal to that of the same-valued double)."""
    if number == 0:
        return _ZERO
    magnitude = abs(number)
    exponent = magnitude.bit_length()
    return _encode_magnitude(magnitude << (64 - exponent), exponent, number < 0)


def encode_double(number: float) -> bytes:
    """The number encoding of a double."""
    if math.isnan(number):
        return _NAN
    if number == 0:
        return _ZERO
    if math.isinf(number):
        return _POS_INF if number > 0 else _NEG_INF
    fraction, exponent = math.frexp(abs(number))
    return _encode_magnitude(int(fraction * 18446744073709551616.0), exponent, number < 0)


def _sortable_double(number: float) -> bytes:
    if number == 0:
        number = 0.0
    (bits,) = struct.unpack(">Q", struct.pack(">d", number))
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | (1 << 63)
    return struct.pack(">Q", bits)


def encode_timestamp(seconds: int, nanos: int) -> bytes:
    """The encoding of a timestamp, at the microsecond precision Firestore compares."""
    return _TIMESTAMP + struct.pack(">QI", seconds + _TIME_BIAS, nanos // 1000)


def numeric_id(segment: str) -> int | None:
    """The integer of a numeric document ID `__id{n}__`, or None for a string ID."""
    match = _NUMERIC_ID.fullmatch(segment)
    if match is None:
        return None
    number = int(match.group(1))
    if -(1 << 63) <= number < (1 << 63):
        return number
    return None


def encode_segment(segment: str) -> bytes:
    """One path segment: numeric IDs first (by number), then string IDs by UTF-8 bytes."""
    number = numeric_id(segment)
    if number is not None:
        return _SEGMENT_NUMERIC + struct.pack(">Q", number + _TIME_BIAS)
    return _SEGMENT_STRING + encode_string(segment)


def encode_path(segments: tuple[str, ...]) -> bytes:
    """A document path in Firestore's name order (segment by segment), prefix-free."""
    return b"".join(map(encode_segment, segments)) + _END


def encode_reference(name: str) -> bytes:
    """The encoding of a reference value (a full document resource name)."""
    return _REFERENCE + encode_path(tuple(name.split("/")))


def encode_value(value: Value) -> bytes:
    """The order-preserving, prefix-free encoding of a Firestore value."""
    kind = value.WhichOneof("value_type")
    if kind == "integer_value":
        return encode_integer(value.integer_value)
    if kind == "double_value":
        return encode_double(value.double_value)
    if kind == "string_value":
        return _STRING + encode_string(value.string_value)
    if kind == "boolean_value":
        return _TRUE if value.boolean_value else _FALSE
    if kind == "timestamp_value":
        stamp = value.timestamp_value
        return encode_timestamp(stamp.seconds, stamp.nanos)
    if kind == "map_value":
        if is_vector(value):
            return _encode_vector(value)
        return _encode_map(value)
    if kind == "array_value":
        return _ARRAY + b"".join(map(encode_value, value.array_value.values)) + _END
    if kind == "reference_value":
        return encode_reference(value.reference_value)
    if kind == "bytes_value":
        return _BYTES + _escape(value.bytes_value)
    if kind == "geo_point_value":
        point = value.geo_point_value
        return _GEO + _sortable_double(point.latitude) + _sortable_double(point.longitude)
    return _NULL


def _encode_map(value: Value) -> bytes:
    fields = value.map_value.fields
    parts = [_MAP]
    for key in sorted(fields):
        parts.append(_MAP_KEY + encode_string(key))
        parts.append(encode_value(fields[key]))
    parts.append(_END)
    return b"".join(parts)


def _encode_vector(value: Value) -> bytes:
    array = value.map_value.fields["value"].array_value
    elements = array.values
    numbers = _doubles(array.SerializeToString())
    if numbers is not None:
        fast = _encode_doubles(numbers)
        if fast is not None:
            return _VECTOR + struct.pack(">Q", len(elements)) + fast + _END
    return _VECTOR + struct.pack(">Q", len(elements)) + b"".join(map(encode_value, elements)) + _END


# A vector of 512 doubles costs 512 Python-level encodings per write (most of a write's time);
# arrays of finite non-zero doubles, what clients write, are encoded at once below.
# An array of doubles serializes as one 11-byte record per element: `values` (field 1,
# length-delimited, 9 bytes), then `double_value` (field 3, fixed64) and its 8 bytes.
_WIRE_DOUBLE = np.dtype([("head", "S3"), ("value", "<f8")])
_WIRE_HEAD = b"\x0a\x09\x19"
_ENCODED_DOUBLE = np.dtype(
    [("tag", "u1"), ("sign", "u1"), ("exponent", ">u2"), ("mantissa", ">u8")]
)


def vector_doubles(value: Value) -> int | None:
    """How many elements a vector value holds when every one is a double (None otherwise, or
    when the value is no vector): such a vector has nothing a per-element walk would check,
    truncate or size other than 8 bytes an element."""
    if value.WhichOneof("value_type") != "map_value" or not is_vector(value):
        return None
    numbers = _doubles(value.map_value.fields["value"].array_value.SerializeToString())
    return None if numbers is None else int(numbers.shape[0])


def _doubles(wire: bytes) -> np.ndarray | None:
    """The elements of a serialized array value when every one is a double."""
    if not wire or len(wire) % _WIRE_DOUBLE.itemsize:
        return None
    records = np.frombuffer(wire, dtype=_WIRE_DOUBLE)
    if not bool(np.all(records["head"] == _WIRE_HEAD)):
        return None
    return records["value"].astype(np.float64)


def _encode_doubles(numbers: np.ndarray) -> bytes | None:
    """`encode_double` of each number, concatenated; None when one is zero, NaN or infinite
    (their encodings have another length: the caller encodes those one by one)."""
    if not bool(np.all(np.isfinite(numbers))) or bool(np.any(numbers == 0)):
        return None
    fraction, exponent = np.frexp(np.abs(numbers))
    negative = numbers < 0
    encoded = np.empty(numbers.shape[0], dtype=_ENCODED_DOUBLE)
    encoded["tag"] = _NUMBER
    encoded["sign"] = np.where(negative, _NEGATIVE, _POSITIVE)
    biased = (exponent + 0x8000).astype(np.uint16)
    mantissa = (fraction * 18446744073709551616.0).astype(np.uint64)
    encoded["exponent"] = np.where(negative, ~biased, biased)
    encoded["mantissa"] = np.where(negative, ~mantissa, mantissa)
    return encoded.tobytes()


def descending(encoded: bytes) -> bytes:
    """The complement of an encoding: sorts in the reverse order (encodings are prefix-free)."""
    return encoded.translate(_INVERT)


def compare_values(left: Value, right: Value) -> int:
    """-1, 0 or 1 as `left` sorts before, with or after `right` in Firestore's order."""
    a = encode_value(left)
    b = encode_value(right)
    return (a > b) - (a < b)


def values_equal(left: Value, right: Value) -> bool:
    """Firestore equality (`1 == 1.0`, NaN equals NaN, microsecond timestamps)."""
    return encode_value(left) == encode_value(right)


def type_floor(rank: int) -> bytes:
    """The smallest encoding of any value of type `rank` (inclusive bound)."""
    return _TYPE_FLOORS[rank]


def type_ceiling(rank: int) -> bytes:
    """A bound above every encoding of type `rank` and below every later type (exclusive)."""
    return _TYPE_FLOORS[rank + 1] if rank + 1 < len(_TYPE_FLOORS) else b"\xff"


_TYPE_FLOORS = (
    _NULL,
    _FALSE,
    bytes((_NUMBER,)),
    _TIMESTAMP,
    _STRING,
    _BYTES,
    _REFERENCE,
    _GEO,
    _ARRAY,
    _VECTOR,
    _MAP,
)
