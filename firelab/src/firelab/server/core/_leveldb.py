"""LevelDB log files (the record format of Datastore exports): 32 KiB blocks of fragments,
each behind a 7-byte header (masked CRC-32C of type and data, length, type)."""

from __future__ import annotations

import struct

import google_crc32c

from firelab.server.core._errors import invalid

__all__ = ["read_log", "write_log"]

BLOCK = 32768
HEADER = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def _masked_crc(kind: int, data: bytes) -> int:
    crc = int(google_crc32c.value(bytes((kind,)) + data))
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def write_log(records: list[bytes]) -> bytes:
    """A log holding `records`, fragmented across blocks as LevelDB writes it."""
    out = bytearray()
    for record in records:
        remaining = record
        begin = True
        while True:
            left = BLOCK - len(out) % BLOCK
            if left < HEADER:
                out.extend(b"\x00" * left)
                left = BLOCK
            size = min(len(remaining), left - HEADER)
            end = size == len(remaining)
            if begin and end:
                kind = FULL
            elif begin:
                kind = FIRST
            elif end:
                kind = LAST
            else:
                kind = MIDDLE
            fragment = remaining[:size]
            out.extend(struct.pack("<IHB", _masked_crc(kind, fragment), size, kind))
            out.extend(fragment)
            remaining = remaining[size:]
            begin = False
            if end:
                break
    return bytes(out)


def read_log(data: bytes) -> list[bytes]:
    """The records of a log; INVALID_ARGUMENT with the emulator's message when damaged."""
    records: list[bytes] = []
    pending: bytearray | None = None
    position = 0
    while position < len(data):
        left = BLOCK - position % BLOCK
        if left < HEADER:
            position += left
            continue
        if position + HEADER > len(data):
            raise invalid("Invalid record")
        crc, size, kind = struct.unpack("<IHB", data[position : position + HEADER])
        if kind == 0 and size == 0 and crc == 0:
            position += left
            continue
        start = position + HEADER
        if start + size > len(data) or size > left - HEADER:
            raise invalid("Invalid record")
        fragment = data[start : start + size]
        if _masked_crc(kind, fragment) != crc:
            raise invalid("Checksum doesn't validate.")
        position = start + size
        if kind == FULL:
            records.append(fragment)
        elif kind == FIRST:
            pending = bytearray(fragment)
        elif kind in (MIDDLE, LAST):
            if pending is None:
                raise invalid("Invalid record")
            pending.extend(fragment)
            if kind == LAST:
                records.append(bytes(pending))
                pending = None
        else:
            raise invalid("Invalid record")
    if pending is not None:
        raise invalid("Invalid record")
    return records
