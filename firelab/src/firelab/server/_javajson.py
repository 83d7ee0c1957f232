"""REST response bodies laid out byte for byte as the official emulator prints them.

The emulator renders protobuf messages with protobuf-java's `JsonFormat`: two-space indent, an
empty object as `{` newline `}`, arrays of objects as `[{ … }, { … }]` at the field's indent,
scalars arrays on one line, 64-bit integers as strings, doubles as Java's `Double.toString`
("1.0E7"), strings escaped the way Gson escapes them without HTML escaping. Streaming methods
answer a JSON array of such objects. Error bodies use a second, compact writer that also
escapes `/`. Map entries are printed in key order (rest.json records name order).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from google.protobuf.descriptor import FieldDescriptor

__all__ = ["java_double", "json_string", "render_error", "render_message", "render_stream"]

_INDENT = "  "
_LONG_TYPES = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)
_WRAPPERS = frozenset(
    {
        "google.protobuf.Int32Value",
        "google.protobuf.Int64Value",
        "google.protobuf.UInt32Value",
        "google.protobuf.UInt64Value",
        "google.protobuf.BoolValue",
        "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
        "google.protobuf.DoubleValue",
        "google.protobuf.FloatValue",
    }
)
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def java_double(value: float) -> str:
    """`value` as Java's `Double.toString` prints it (shortest round-trip digits)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign, digits_tuple, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    # Value = 0.d1d2d3... x 10^point
    point = len(digits_tuple) + exponent
    prefix = "-" if sign else ""
    if 1e-3 <= abs(value) < 1e7:
        if point <= 0:
            return f"{prefix}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        fraction = digits[point:] or "0"
        return f"{prefix}{whole}.{fraction}"
    fraction = digits[1:] or "0"
    return f"{prefix}{digits[0]}.{fraction}E{point - 1}"


def json_string(text: str) -> str:
    """`text` as a JSON string literal, escaped as Gson escapes it (no HTML escaping)."""
    out = ['"']
    for char in text:
        escaped = _SHORT_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " " or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _scalar(field: FieldDescriptor, value: Any) -> str:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return json_string(value)
    if kind == FieldDescriptor.TYPE_BOOL:
        return "true" if value else "false"
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        text = java_double(float(value))
        return f'"{text}"' if text in ("NaN", "Infinity", "-Infinity") else text
    if kind in _LONG_TYPES:
        return f'"{value}"'
    if kind == FieldDescriptor.TYPE_BYTES:
        return json_string(base64.b64encode(value).decode("ascii"))
    if kind == FieldDescriptor.TYPE_ENUM:
        enum_type = field.enum_type
        assert enum_type is not None
        if enum_type.full_name == "google.protobuf.NullValue":
            return "null"
        enum_value = enum_type.values_by_number.get(value)
        return json_string(enum_value.name) if enum_value is not None else str(value)
    return str(value)


def _value(field: FieldDescriptor, value: Any, indent: str) -> str:
    message_type = field.message_type
    if message_type is None:
        return _scalar(field, value)
    full_name = message_type.full_name
    if full_name == "google.protobuf.Timestamp":
        return json_string(value.ToJsonString())
    if full_name in _WRAPPERS:
        inner = message_type.fields_by_name["value"]
        return _scalar(inner, value.value)
    return _object(value, indent)


def _map(field: FieldDescriptor, entries: Any, indent: str) -> str:
    if not entries:
        return "{\n" + indent + "}"
    assert field.message_type is not None
    value_field = field.message_type.fields_by_name["value"]
    inner = indent + _INDENT
    parts = [
        f"{inner}{json_string(str(key))}: {_value(value_field, entries[key], inner)}"
        for key in sorted(entries)
    ]
    return "{\n" + ",\n".join(parts) + "\n" + indent + "}"


def _object(message: Any, indent: str) -> str:
    inner = indent + _INDENT
    parts: list[str] = []
    for field, value in message.ListFields():
        key = f"{inner}{json_string(field.json_name)}: "
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            parts.append(key + _map(field, value, inner))
        elif field.is_repeated:
            items = ", ".join(_value(field, item, inner) for item in value)
            parts.append(f"{key}[{items}]")
        else:
            parts.append(key + _value(field, value, inner))
    if not parts:
        return "{\n" + indent + "}"
    return "{\n" + ",\n".join(parts) + "\n" + indent + "}"


def render_message(message: Any) -> str:
    """One message as the emulator's REST body (with the trailing newline)."""
    return _object(message, "") + "\n"


def render_stream(messages: Iterable[Any]) -> str:
    """A server-streaming method's responses as the emulator's REST body: a JSON array."""
    return "[\n" + ",\n".join(_object(message, "") for message in messages) + "\n]\n"


def _compactjson_string(text: str) -> str:
    return json_string(text).replace("/", "\\/")


def render_error(http_status: int, message: str, status: str) -> str:
    """The emulator's compact error body, e.g. `{"error":{"code":404,"message":…}}`."""
    body = f'{{"error":{{"code":{http_status}'
    if message:
        body += f',"message":{_compactjson_string(message)}'
    return body + f',"status":{_compactjson_string(status)}}}}}'
