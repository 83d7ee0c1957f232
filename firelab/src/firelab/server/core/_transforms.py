"""Field transforms (server time, increment, maximum, minimum, array union and remove), with
the emulator's arithmetic as transforms.json records it: integer increments saturate at the
int64 bounds, an integer meets a double as a double, a non-numeric or missing field takes the
operand, NaN wins in maximum and minimum (and +0.0 beats -0.0 in maximum, as Java's
Math.max does), equal values keep the stored one, array union skips elements already present
(by Firestore equality) and array remove drops every equal element; array transforms report
null as their result."""

from __future__ import annotations

import math

from firelab.server.core._errors import invalid
from firelab.server.core._fieldpaths import FieldPath, get_field, parse_field_path, set_field
from firelab.server.core._protos import Document, FieldTransform, Value
from firelab.server.core._timeutil import set_micros
from firelab.server.core._values import encode_value

__all__ = ["apply_transforms", "check_transform", "server_time_us"]

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_REQUEST_TIME = FieldTransform.ServerValue.Value("REQUEST_TIME")


def check_transform(transform: FieldTransform) -> FieldPath:
    """Validate one field transform; returns its parsed field path."""
    path = parse_field_path(transform.field_path)
    kind = transform.WhichOneof("transform_type")
    if kind in ("increment", "maximum", "minimum"):
        operand = getattr(transform, kind)
        if operand.WhichOneof("value_type") not in ("integer_value", "double_value"):
            raise invalid("Input must be int64 or double.")
    elif kind == "set_to_server_value":
        if transform.set_to_server_value != _REQUEST_TIME:
            raise invalid("Unknown server value.")
    elif kind is None:
        raise invalid("Transform type is not set.")
    return path


def server_time_us(request_us: int) -> int:
    """The value a server timestamp takes for a request at `request_us`: the emulator keeps
    millisecond precision. Rules see the same instant as `request.time`."""
    return request_us - request_us % 1000


def apply_transforms(
    document: Document, transforms: list[FieldTransform], request_us: int
) -> list[Value]:
    """Apply transforms in order to `document`'s fields; returns their transform results."""
    results = []
    for transform in transforms:
        path = parse_field_path(transform.field_path)
        current = get_field(document.fields, path)
        kind = transform.WhichOneof("transform_type")
        result = Value()
        if kind == "set_to_server_value":
            set_micros(result.timestamp_value, server_time_us(request_us))
            new = result
        elif kind == "increment":
            new = _increment(current, transform.increment)
            result = new
        elif kind == "maximum":
            new = _extreme(current, transform.maximum, maximum=True)
            result = new
        elif kind == "minimum":
            new = _extreme(current, transform.minimum, maximum=False)
            result = new
        elif kind == "append_missing_elements":
            new = _union(current, list(transform.append_missing_elements.values))
            result.null_value = 0
        else:
            new = _remove(current, list(transform.remove_all_from_array.values))
            result.null_value = 0
        set_field(document.fields, path, new)
        results.append(result)
    return results


def _number(value: Value | None) -> int | float | None:
    if value is None:
        return None
    kind = value.WhichOneof("value_type")
    if kind == "integer_value":
        return int(value.integer_value)
    if kind == "double_value":
        return float(value.double_value)
    return None


def _make(number: int | float) -> Value:
    value = Value()
    if isinstance(number, int):
        value.integer_value = number
    else:
        value.double_value = number
    return value


def _increment(current: Value | None, operand: Value) -> Value:
    base = _number(current)
    step = _number(operand)
    assert step is not None
    if base is None:
        return _make(step)
    if isinstance(base, int) and isinstance(step, int):
        return _make(min(max(base + step, INT64_MIN), INT64_MAX))
    return _make(float(base) + float(step))


def _extreme(current: Value | None, operand: Value, *, maximum: bool) -> Value:
    base = _number(current)
    other = _number(operand)
    assert other is not None
    if base is None:
        return _make(other)
    if (isinstance(base, float) and math.isnan(base)) or (
        isinstance(other, float) and math.isnan(other)
    ):
        return _make(math.nan)
    if isinstance(base, float) and isinstance(other, float) and base == other == 0.0:
        negative = math.copysign(1.0, base) < 0 and math.copysign(1.0, other) < 0
        positive = math.copysign(1.0, base) > 0 and math.copysign(1.0, other) > 0
        if maximum:
            return _make(-0.0 if negative else 0.0)
        return _make(0.0 if positive else -0.0)
    if (other > base) if maximum else (other < base):
        return _make(other)
    return _make(base)


def _elements(current: Value | None) -> list[Value]:
    if current is None or current.WhichOneof("value_type") != "array_value":
        return []
    return list(current.array_value.values)


def _union(current: Value | None, operand: list[Value]) -> Value:
    elements = _elements(current)
    seen = {encode_value(element) for element in elements}
    result = Value()
    result.array_value.SetInParent()
    result.array_value.values.extend(elements)
    for element in operand:
        encoded = encode_value(element)
        if encoded not in seen:
            seen.add(encoded)
            result.array_value.values.append(element)
    return result


def _remove(current: Value | None, operand: list[Value]) -> Value:
    drop = {encode_value(element) for element in operand}
    result = Value()
    result.array_value.SetInParent()
    result.array_value.values.extend(
        element for element in _elements(current) if encode_value(element) not in drop
    )
    return result
