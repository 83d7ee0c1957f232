"""Document validation and limits, with the official emulator's checks and messages.

The emulator stores documents as Datastore entities, so its limits read in Datastore terms
(pinned by limits.json): a string or bytes value holds at most 1,048,487 bytes; a field name
at most 1,500 bytes, a nested name counting its dotted path from the top-level field (an array
counting as `array`); IDs at most 1,500 bytes; at most 20 levels of maps and arrays; and the
whole document at most 1 MiB. A problem anywhere inside a map is reported as the top-level
property containing "an invalid nested entity"; a top-level array is named `array`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from firelab._errors import FirelabError
from firelab.server.core._errors import invalid
from firelab.server.core._names import (
    Path,
    check_document_id,
    check_key_lengths,
    check_path_ids,
    parse_any_name,
)
from firelab.server.core._protos import Value
from firelab.server.core._values import vector_doubles

MAX_VALUE_BYTES = 1_048_487
MAX_NAME_BYTES = 1500
MAX_DEPTH = 20
MAX_DOCUMENT_BYTES = 1_048_576

_RESERVED = re.compile(r"__.*__", re.DOTALL)


class _NestedError(FirelabError):
    """A problem inside a map: reported against the top-level property."""


def check_fields(fields: Mapping[str, Value]) -> None:
    """Firestore-level checks of a document's fields: reserved names, nested arrays, refs."""
    for name, value in fields.items():
        if _RESERVED.fullmatch(name):
            raise invalid(f"field name {name} is reserved")
        _check_value(value, in_array=False)


def _check_value(value: Value, in_array: bool) -> None:
    kind = value.WhichOneof("value_type")
    if kind == "map_value":
        doubles = vector_doubles(value) is not None
        for name, inner in value.map_value.fields.items():
            if _RESERVED.fullmatch(name) and not (name == "__type__"):
                raise invalid(f"field name '{name}' is reserved.")
            if doubles and name == "value":
                continue  # a vector's doubles: nothing to check, one by one
            _check_value(inner, in_array=False)
    elif kind == "array_value":
        for inner in value.array_value.values:
            if inner.WhichOneof("value_type") == "array_value":
                raise invalid("Nested arrays are not allowed")
            _check_value(inner, in_array=True)
    elif kind == "reference_value":
        check_reference(value.reference_value)


def check_reference(reference: str) -> None:
    """A reference value must name a document with valid IDs."""
    _, path = parse_any_name(reference)
    if len(path) % 2 != 0 or not path:
        raise invalid(f'Document name "{reference}" lacks "/" at index {len(reference)}.')
    for index, segment in enumerate(path):
        if index % 2 == 1:
            check_document_id(segment)


def check_document(path: Path, fields: Mapping[str, Value]) -> None:
    """Every check of a document about to be stored at `path`, in the emulator's order."""
    check_path_ids(path)
    check_fields(fields)
    check_key_lengths(path)
    for name, value in fields.items():
        _check_property(name, value)
    if document_size(path, fields) > MAX_DOCUMENT_BYTES:
        raise invalid(f"maximum entity size is {MAX_DOCUMENT_BYTES} bytes")


def _check_property(name: str, value: Value) -> None:
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise invalid(f"The property.name is longer than {MAX_NAME_BYTES} bytes.")
    kind = value.WhichOneof("value_type")
    label = "array" if kind == "array_value" else name
    try:
        if kind == "array_value":
            for element in value.array_value.values:
                _check_nested(element, "array", depth=1, top=True)
        else:
            _check_nested(value, name, depth=0, top=True)
    except _NestedError:
        raise invalid(f"Property {label} contains an invalid nested entity.") from None
    except _TooLongError:
        raise invalid(
            f'The value of property "{label}" is longer than {MAX_VALUE_BYTES} bytes.'
        ) from None


class _TooLongError(FirelabError):
    """A string or bytes value over the limit outside any map."""


def _check_nested(value: Value, path: str, depth: int, top: bool) -> None:
    kind = value.WhichOneof("value_type")
    if kind in ("string_value", "bytes_value"):
        size = (
            len(value.string_value.encode("utf-8"))
            if kind == "string_value"
            else len(value.bytes_value)
        )
        if size > MAX_VALUE_BYTES:
            raise _TooLongError if top else _NestedError
        return
    if kind == "map_value":
        depth += 1
        if depth > MAX_DEPTH:
            raise _NestedError
        doubles = vector_doubles(value) is not None
        for name, inner in value.map_value.fields.items():
            inner_path = f"{path}.{name}"
            if len(inner_path.encode("utf-8")) > MAX_NAME_BYTES:
                raise _NestedError
            if inner.WhichOneof("value_type") == "array_value":
                array_path = f"{path}.array"
                if depth + 1 > MAX_DEPTH:
                    raise _NestedError
                if doubles and name == "value":
                    continue  # a vector's doubles: neither strings nor nested entities
                for element in inner.array_value.values:
                    _check_nested(element, array_path, depth + 1, top=False)
            else:
                _check_nested(inner, inner_path, depth, top=False)
    elif kind == "array_value":
        depth += 1
        if depth > MAX_DEPTH:
            raise _NestedError
        for element in value.array_value.values:
            _check_nested(element, path, depth, top=top)


def document_size(path: Path, fields: Mapping[str, Value]) -> int:
    """Firestore's storage size of a document: name, field names and values, plus 32."""
    name = sum(len(segment.encode("utf-8")) + 1 for segment in path) + 16
    return (
        name + sum(len(key.encode("utf-8")) + 1 + value_size(v) for key, v in fields.items()) + 32
    )


def value_size(value: Value) -> int:
    """Firestore's storage size of a value."""
    kind = value.WhichOneof("value_type")
    if kind == "string_value":
        return len(value.string_value.encode("utf-8")) + 1
    if kind == "bytes_value":
        return len(value.bytes_value)
    if kind == "map_value":
        doubles = vector_doubles(value)
        return sum(
            len(key.encode("utf-8"))
            + 1
            + (8 * doubles if doubles is not None and key == "value" else value_size(inner))
            for key, inner in value.map_value.fields.items()
        )
    if kind == "array_value":
        return sum(value_size(inner) for inner in value.array_value.values)
    if kind == "reference_value":
        return len(value.reference_value.encode("utf-8")) + 1
    if kind == "geo_point_value":
        return 16
    if kind in ("boolean_value", "null_value") or kind is None:
        return 1
    return 8


__all__ = ["check_document", "check_fields"]
