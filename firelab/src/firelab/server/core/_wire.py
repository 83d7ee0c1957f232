"""Just enough of the protobuf wire format to read and write Datastore export files
(EntityProto and the export metadata), whose message types no installed package defines."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from firelab._errors import FirelabError

__all__ = [
    "Field",
    "WireError",
    "decode",
    "field_bytes",
    "field_double",
    "field_varint",
    "first",
    "group",
]

VARINT = 0
FIXED64 = 1
BYTES = 2
START_GROUP = 3
END_GROUP = 4
FIXED32 = 5

_MASK64 = (1 << 64) - 1


class WireError(FirelabError, ValueError):
    """The bytes are not a well-formed message."""


def varint(number: int) -> bytes:
    """A varint (negative numbers as 64-bit two's complement)."""
    number &= _MASK64
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def tag(field: int, wire: int) -> bytes:
    """A field key."""
    return varint((field << 3) | wire)


def field_varint(field: int, number: int) -> bytes:
    """A varint field."""
    return tag(field, VARINT) + varint(number)


def field_bytes(field: int, data: bytes) -> bytes:
    """A length-delimited field."""
    return tag(field, BYTES) + varint(len(data)) + data


def field_double(field: int, number: float) -> bytes:
    """A double (fixed64) field."""
    return tag(field, FIXED64) + struct.pack("<d", number)


def group(field: int, body: bytes) -> bytes:
    """A group field."""
    return tag(field, START_GROUP) + body + tag(field, END_GROUP)


@dataclass(frozen=True, slots=True)
class Field:
    """One decoded field: varints as int, fixed64 and length-delimited as bytes, groups as
    lists of fields."""

    number: int
    wire: int
    value: int | bytes | list[Field]

    @property
    def integer(self) -> int:
        """The varint value as a signed 64-bit integer."""
        assert isinstance(self.value, int)
        number = self.value
        return number - (1 << 64) if number >= 1 << 63 else number

    @property
    def data(self) -> bytes:
        """The bytes of a length-delimited or fixed field."""
        assert isinstance(self.value, bytes)
        return self.value

    @property
    def fields(self) -> list[Field]:
        """The fields of a group."""
        assert isinstance(self.value, list)
        return self.value

    @property
    def double(self) -> float:
        """A fixed64 field read as a double."""
        value: float = struct.unpack("<d", self.data)[0]
        return value


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise WireError("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, position


def decode(data: bytes) -> list[Field]:
    """Every field of a message, in order."""
    fields, _, end_group = _decode(data, 0, None)
    if end_group is not None:
        raise WireError("unexpected end of group")
    return fields


def _decode(
    data: bytes, position: int, open_group: int | None
) -> tuple[list[Field], int, int | None]:
    fields: list[Field] = []
    while position < len(data):
        key, position = _read_varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, position = _read_varint(data, position)
            fields.append(Field(number, wire, value))
        elif wire == FIXED64:
            if position + 8 > len(data):
                raise WireError("truncated fixed64")
            fields.append(Field(number, wire, data[position : position + 8]))
            position += 8
        elif wire == FIXED32:
            if position + 4 > len(data):
                raise WireError("truncated fixed32")
            fields.append(Field(number, wire, data[position : position + 4]))
            position += 4
        elif wire == BYTES:
            length, position = _read_varint(data, position)
            if position + length > len(data):
                raise WireError("truncated bytes")
            fields.append(Field(number, wire, data[position : position + length]))
            position += length
        elif wire == START_GROUP:
            inner, position, closed = _decode(data, position, number)
            if closed != number:
                raise WireError("unterminated group")
            fields.append(Field(number, wire, inner))
        elif wire == END_GROUP:
            if open_group != number:
                raise WireError("unexpected end of group")
            return fields, position, number
        else:
            raise WireError(f"unknown wire type {wire}")
    if open_group is not None:
        raise WireError("unterminated group")
    return fields, position, None


def first(fields: list[Field], number: int) -> Field | None:
    """The first field with `number`, if any."""
    for item in fields:
        if item.number == number:
            return item
    return None
