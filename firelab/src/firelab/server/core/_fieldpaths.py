"""Field paths (`a.b`, `` `a b`.c ``): parsing with the emulator's messages, and access to the
value at a path inside a document's fields."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

from firelab.server.core._errors import invalid
from firelab.server.core._protos import Value

__all__ = [
    "KEY_PATH",
    "NAME_FIELD",
    "FieldPath",
    "delete_field",
    "format_field_path",
    "get_field",
    "is_prefix",
    "parse_field_path",
    "set_field",
]

FieldPath = tuple[str, ...]

NAME_FIELD = "__name__"
KEY_PATH: FieldPath = (NAME_FIELD,)

_UNQUOTED = re.compile(r"[a-zA-Z_][a-zA-Z_0-9]*")
_QUOTED = re.compile(r"`((?:[^`\\]|(?:\\.))+)`")
_UNESCAPE = re.compile(r"\\(.)")
_SIMPLE = re.compile(r"[a-zA-Z_][a-zA-Z_0-9]*(?:\.[a-zA-Z_][a-zA-Z_0-9]*)*")


def _invalid_path(text: str) -> Exception:
    return invalid(
        f'Invalid property path "{text}". Unquoted property paths must match regex '
        "([a-zA-Z_][a-zA-Z_0-9]*), and quoted property paths must match regex "
        "(`(?:[^`\\\\]|(?:\\\\.))+`)"
    )


def parse_field_path(text: str) -> FieldPath:
    """Parse a field path string; INVALID_ARGUMENT with the emulator's message if malformed."""
    if not text:
        raise invalid("Invalid empty property path string.")
    if _SIMPLE.fullmatch(text):
        return tuple(text.split("."))
    segments: list[str] = []
    position = 0
    while True:
        if text.startswith("`", position):
            match = _QUOTED.match(text, position)
            if match is None:
                raise _invalid_path(text)
            segments.append(_UNESCAPE.sub(r"\1", match.group(1)))
        else:
            match = _UNQUOTED.match(text, position)
            if match is None:
                raise _invalid_path(text)
            segments.append(match.group(0))
        position = match.end()
        if position == len(text):
            return tuple(segments)
        if text[position] != ".":
            raise _invalid_path(text)
        position += 1


def format_field_path(path: FieldPath) -> str:
    """The canonical string of a path: segments quoted with backticks where needed."""
    parts = []
    for segment in path:
        if _UNQUOTED.fullmatch(segment):
            parts.append(segment)
        else:
            escaped = segment.replace("\\", "\\\\").replace("`", "\\`")
            parts.append(f"`{escaped}`")
    return ".".join(parts)


def get_field(fields: MutableMapping[str, Value], path: FieldPath) -> Value | None:
    """The value at `path` inside a fields map, or None when any step is absent or not a map."""
    current = fields
    last = len(path) - 1
    for index, segment in enumerate(path):
        if segment not in current:
            return None
        value = current[segment]
        if index == last:
            return value
        if value.WhichOneof("value_type") != "map_value":
            return None
        current = value.map_value.fields
    return None


def set_field(fields: MutableMapping[str, Value], path: FieldPath, value: Value) -> None:
    """Store `value` at `path`, creating (or replacing non-map values by) maps on the way."""
    current = fields
    for segment in path[:-1]:
        step = current[segment]
        if step.WhichOneof("value_type") != "map_value":
            step.map_value.SetInParent()
        current = step.map_value.fields
    current[path[-1]].CopyFrom(value)


def delete_field(fields: MutableMapping[str, Value], path: FieldPath) -> None:
    """Remove the value at `path` if present (parents are kept)."""
    current = fields
    for segment in path[:-1]:
        if segment not in current:
            return
        step = current[segment]
        if step.WhichOneof("value_type") != "map_value":
            return
        current = step.map_value.fields
    if path[-1] in current:
        del current[path[-1]]


def is_prefix(prefix: FieldPath, path: FieldPath) -> bool:
    """Whether `prefix` equals `path` or is one of its ancestors."""
    return path[: len(prefix)] == prefix
