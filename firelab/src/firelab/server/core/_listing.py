"""ListDocuments and ListCollectionIds over the store, with the emulator's checks and paging.

A ListDocuments request is a query: one collection (or every collection under the parent when
the collection ID is empty) in name order or in `order_by` order. With `show_missing`, IDs of
documents that do not exist but have documents below them are listed too, with only a name.
Page tokens are opaque: base64 of (last name, position), a page that is full always has one.
"""

from __future__ import annotations

import base64
import bisect
import struct
from collections.abc import Iterator
from dataclasses import replace

from firelab.server.core._errors import failed_precondition, invalid
from firelab.server.core._execute import execute
from firelab.server.core._fieldpaths import KEY_PATH, FieldPath, parse_field_path
from firelab.server.core._keys import AFTER, END, segment_end, segments_key
from firelab.server.core._names import DatabaseId, Path
from firelab.server.core._query import CompiledQuery, Order
from firelab.server.core._store import Record, Store

__all__ = ["collection_ids", "decode_token", "encode_token", "list_page", "list_query"]


def encode_token(last: str, position: int) -> str:
    """A page token: field 1 the last name returned, field 2 the position (fixed64)."""
    name = last.encode("utf-8")
    raw = b"\x0a" + _varint(len(name)) + name + b"\x11" + struct.pack("<Q", position)
    return base64.b64encode(raw).decode("ascii")


def decode_token(token: str) -> int:
    """The position stored in a page token (INVALID_ARGUMENT if it does not parse)."""
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=False)
        return int(struct.unpack("<Q", raw[-8:])[0])
    except (ValueError, struct.error) as error:
        raise invalid("Invalid page token.") from error


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def parse_order_by(text: str) -> list[Order]:
    """`order_by` of ListDocuments: `field [asc|desc], …`."""
    orders = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        field: FieldPath = parse_field_path(words[0])
        descending = len(words) > 1 and words[1].lower() == "desc"
        orders.append(Order(field, descending))
    return orders


def list_query(
    database: DatabaseId,
    parent: Path,
    collection_id: str,
    order_by: str,
    page_size: int,
    show_missing: bool,
) -> CompiledQuery:
    """Validate a ListDocuments request (in the emulator's order) and build its query."""
    if page_size < 0:
        raise invalid("Page size must be nonnegative.")
    if show_missing and not collection_id:
        raise invalid("collection id must be set when show_missing is true")
    if show_missing and order_by:
        raise invalid("cannot specify an order when show_missing is true")
    orders = parse_order_by(order_by) if order_by else []
    if not orders or orders[-1].field != KEY_PATH:
        direction = orders[-1].descending if orders else False
        orders.append(Order(KEY_PATH, direction))
    if len(orders) == 1 and orders[0].descending:
        raise failed_precondition("Firestore does not support descending key scans")
    if not collection_id and len(orders) != 1:
        raise invalid("kind is required for all orders except __key__ ascending")
    return CompiledQuery(
        database=database,
        parent=parent,
        collection_id=collection_id,
        all_descendants=False,
        filter=None,
        orders=tuple(orders),
        explicit_orders=len(orders),
        start=None,
        end=None,
        offset=0,
        limit=None,
        projection=None,
    )


def list_page(
    store: Store,
    query: CompiledQuery,
    *,
    page_size: int,
    position: int,
    show_missing: bool,
    snapshot_us: int | None,
) -> tuple[list[Record | Path], bool]:
    """One page: records (or paths of missing documents) and whether a next page token is due."""
    if show_missing:
        entries = _with_missing(store, query, snapshot_us)
        page = entries[position : position + page_size] if page_size else entries[position:]
    else:
        limited = replace(query, offset=position, limit=page_size or None)
        result = execute(store, limited, snapshot_us=snapshot_us)
        page = [hit.record for hit in result.hits]
    return list(page), bool(page_size) and len(page) == page_size


def _with_missing(
    store: Store, query: CompiledQuery, snapshot_us: int | None
) -> list[Record | Path]:
    found = {
        hit.record.key: hit.record for hit in execute(store, query, snapshot_us=snapshot_us).hits
    }
    collection = (*query.parent, query.collection_id)
    prefix = segments_key(collection)
    keys = _keys_at(store, prefix, snapshot_us)
    entries: dict[bytes, Record | Path] = dict(found)
    lower = prefix + b"\x01"
    while True:
        advanced = False
        for key in _key_range(store, keys, lower, prefix + AFTER):
            end = segment_end(key, len(prefix))
            document_key = key[:end] + END
            if document_key not in entries:
                record = _record(store, key, snapshot_us)
                entries[document_key] = record.path[: len(collection) + 1]
            lower = key[:end] + AFTER
            advanced = True
            break
        if not advanced:
            break
    return [entries[key] for key in sorted(entries)]


def collection_ids(store: Store, parent: Path, snapshot_us: int | None = None) -> list[str]:
    """IDs of the collections directly under `parent` that hold a document at any depth, as of
    `snapshot_us` (None: now)."""
    prefix = segments_key(parent)
    keys = _keys_at(store, prefix, snapshot_us)
    depth = len(parent)
    ids = []
    lower = prefix + b"\x01"
    while True:
        advanced = False
        for key in _key_range(store, keys, lower, prefix + AFTER):
            ids.append(_record(store, key, snapshot_us).path[depth])
            end = segment_end(key, len(prefix))
            lower = key[:end] + AFTER
            advanced = True
            break
        if not advanced:
            return ids


def _keys_at(store: Store, prefix: bytes, snapshot_us: int | None) -> list[bytes] | None:
    """The sorted keys of documents under `prefix` that existed at `snapshot_us`, or None when
    nothing under it changed since (the current keys answer). Reading the past costs a pass over
    the keys under `prefix`, like the query fallback for old read times."""
    if snapshot_us is None:
        return None
    lower, upper = prefix + b"\x01", prefix + AFTER
    changed = {key for key in store.changed_since(snapshot_us) if lower <= key < upper}
    if not changed:
        return None
    keys = [
        key
        for key in store.docs.irange(lower, upper, inclusive=(True, False))
        if key not in changed
    ]
    keys.extend(key for key in changed if store.state_at(key, snapshot_us) is not None)
    keys.sort()
    return keys


def _key_range(
    store: Store, keys: list[bytes] | None, lower: bytes, upper: bytes
) -> Iterator[bytes]:
    if keys is None:
        return iter(store.docs.irange(lower, upper, inclusive=(True, False)))
    return iter(keys[bisect.bisect_left(keys, lower) : bisect.bisect_left(keys, upper)])


def _record(store: Store, key: bytes, snapshot_us: int | None) -> Record:
    """The version of an existing document a read at `snapshot_us` sees."""
    record = store.get_key(key) if snapshot_us is None else store.state_at(key, snapshot_us)
    assert record is not None
    return record
