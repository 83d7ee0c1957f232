"""Byte keys of documents and collections in the store's ordered maps.

A document's key is `encode_path(path)`: segments in Firestore's name order, then 0x00. A
collection's prefix is the encoding of its segments without the final 0x00, so the keys of its
documents are `prefix + segment(id) + 0x00`; descendants of a document `d` follow `d`'s key and
sort before `prefix + segment(id) + 0xFF`.
"""

from __future__ import annotations

from firelab.server.core._names import Path
from firelab.server.core._values import encode_segment

__all__ = [
    "AFTER",
    "END",
    "document_key",
    "pack_suffix",
    "segment_end",
    "segments_key",
    "unpack_suffix",
]

END = b"\x00"
AFTER = b"\xff"


def segments_key(path: Path) -> bytes:
    """The concatenated segment encodings of `path` (no terminator)."""
    return b"".join(map(encode_segment, path))


def document_key(path: Path) -> bytes:
    """The store key of the document at `path`."""
    return segments_key(path) + END


def segment_end(key: bytes, offset: int) -> int:
    """The offset just past the encoded segment that starts at `offset`."""
    if key[offset] == 1:
        return offset + 9
    return key.index(b"\x00\x01", offset + 1) + 2


def segment_count(key: bytes, offset: int = 0) -> int:
    """The number of segments encoded in `key` from `offset` up to its terminator."""
    count = 0
    while key[offset] != 0:
        offset = segment_end(key, offset)
        count += 1
    return count


def pack_suffix(segment: bytes) -> bytes:
    """An index-key suffix: the segment, then its length in two bytes (decodable from the end)."""
    return segment + len(segment).to_bytes(2, "big")


def unpack_suffix(key: bytes) -> bytes:
    """The segment packed at the end of an index key by `pack_suffix`."""
    length = int.from_bytes(key[-2:], "big")
    return key[-2 - length : -2]
