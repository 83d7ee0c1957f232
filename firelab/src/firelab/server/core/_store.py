"""The document store of one database: documents in name order, ordered indexes, old versions.

Documents are kept serialized (a `Document` holding only `fields`) in a `SortedDict` keyed by
their name-ordered byte key, so collection and descendant scans are range scans. Every field
path of every document (nested map fields included) has an automatic single-field index per
collection: a `SortedList` of `collection prefix + value encoding + document ID` keys, scanned
forwards for ascending and backwards for descending order; array elements go to a separate
array-contains index. Indexes for collection-group scope and the composite indexes declared in
firestore.indexes.json are built on first use and kept up to date from then on. Replaced and
deleted versions are kept for `retention_us` so reads at an earlier time (read-only
transactions, `read_time`) see a consistent snapshot.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sortedcontainers import SortedDict, SortedList  # type: ignore[import-untyped]

from firelab.server.core._fieldpaths import FieldPath
from firelab.server.core._keys import (
    AFTER,
    END,
    document_key,
    pack_suffix,
    segment_end,
    segments_key,
    unpack_suffix,
)
from firelab.server.core._names import DatabaseId, Path
from firelab.server.core._protos import Document
from firelab.server.core._timeutil import set_micros
from firelab.server.core._values import encode_segment, encode_value, is_vector
from firelab.server.core._vector_table import VectorTable
from firelab.server.core._vectors import decode_vector

__all__ = ["Record", "Store"]

HOUR_US = 3_600_000_000


class Record:
    """One stored document version: its path, key, serialized fields and times (µs)."""

    __slots__ = ("blob", "create_us", "key", "path", "update_us", "vectors")

    def __init__(self, path: Path, key: bytes, blob: bytes, create_us: int, update_us: int):
        self.path = path
        self.key = key
        self.blob = blob
        self.create_us = create_us
        self.update_us = update_us
        self.vectors: dict[FieldPath, Any] | None = None
        """Vectors decoded from this version by field, filled by find_nearest (`_vectors`)."""

    def fields_document(self) -> Document:
        """A fresh `Document` holding only this version's fields."""
        return Document.FromString(self.blob)

    def document(self, database: DatabaseId) -> Document:
        """The full `Document` message (name, fields, create and update times)."""
        document = Document.FromString(self.blob)
        document.name = database.name(self.path)
        set_micros(document.create_time, self.create_us)
        set_micros(document.update_time, self.update_us)
        return document


def index_entries(
    document: Document,
) -> tuple[set[tuple[FieldPath, bytes]], set[tuple[FieldPath, bytes]]]:
    """The (field path, value encoding) pairs a document contributes to the value indexes and
    to the array-contains indexes."""
    values: set[tuple[FieldPath, bytes]] = set()
    contains: set[tuple[FieldPath, bytes]] = set()
    _walk(document.fields, (), values, contains)
    return values, contains


def _walk(
    fields: object,
    prefix: FieldPath,
    values: set[tuple[FieldPath, bytes]],
    contains: set[tuple[FieldPath, bytes]],
) -> None:
    for name, value in fields.items():  # type: ignore[attr-defined]
        path = (*prefix, name)
        values.add((path, encode_value(value)))
        kind = value.WhichOneof("value_type")
        if kind == "map_value" and not is_vector(value):
            _walk(value.map_value.fields, path, values, contains)
        elif kind == "array_value":
            for element in value.array_value.values:
                contains.add((path, encode_value(element)))


@dataclass(frozen=True, slots=True)
class Change:
    """One stored change, for the change feed: the record before and after (None: absent)."""

    before: Record | None
    after: Record | None


class Store:
    """Documents and indexes of one database; not thread-safe (the engine serializes access)."""

    def __init__(self, database: DatabaseId, retention_us: int = HOUR_US) -> None:
        self.database = database
        self.retention_us = retention_us
        self.docs: SortedDict = SortedDict()
        self.values: dict[FieldPath, SortedList] = {}
        self.contains: dict[FieldPath, SortedList] = {}
        self.group_names: dict[str, SortedList] = {}
        self.group_values: dict[tuple[str, FieldPath], SortedList] = {}
        self.group_contains: dict[tuple[str, FieldPath], SortedList] = {}
        self.composites: dict[object, SortedList] = {}
        self._composite_builders: dict[object, CompositeKeyer] = {}
        self._history: dict[bytes, list[tuple[int, Record | None]]] = {}
        self._log_times: array[int] = array("q")
        self._log_keys: list[bytes] = []
        self._log_start = 0
        self.generation = 0
        """Counts changes to the documents, so data derived from them can tell it is current."""
        self.memo: dict[object, tuple[int, Any]] = {}
        """Data derived from the documents, with the generation it was derived at."""
        self.vector_tables: dict[tuple[str, FieldPath, int], VectorTable] = {}
        """The vectors of a collection ID's documents at a field, by dimension (built on first
        use by find_nearest, kept current on every write from then on)."""

    # Reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.docs)

    def get(self, path: Path) -> Record | None:
        """The current version of the document at `path`."""
        found: Record | None = self.docs.get(document_key(path))
        return found

    def get_key(self, key: bytes) -> Record | None:
        """The current version of the document with store key `key`."""
        found: Record | None = self.docs.get(key)
        return found

    def state_at(self, key: bytes, time_us: int) -> Record | None:
        """The version of document `key` that a read at `time_us` sees."""
        history = self._history.get(key)
        if history:
            index = bisect.bisect_right(history, time_us, key=lambda entry: entry[0])
            if index < len(history):
                before = history[index][1]
                if before is None or before.create_us > time_us:
                    return None
                return before
        current: Record | None = self.docs.get(key)
        if current is None or current.create_us > time_us:
            return None
        return current

    def changed_since(self, time_us: int) -> set[bytes]:
        """Keys of documents changed by commits after `time_us` (within the retention)."""
        index = bisect.bisect_right(self._log_times, time_us, lo=self._log_start)
        return set(self._log_keys[index:])

    def oldest_readable_us(self, now_us: int) -> int:
        """The earliest read time still served."""
        return now_us - self.retention_us

    def collection_records(self, collection: Path, start: bytes | None = None) -> Iterator[Record]:
        """Documents directly in `collection`, in name order, from doc key `start` on."""
        prefix = segments_key(collection)
        lower = start if start is not None and start > prefix else prefix
        while True:
            advanced = False
            for key in self.docs.irange(lower, prefix + AFTER, inclusive=(True, False)):
                end = segment_end(key, len(prefix))
                if end + 1 == len(key):
                    yield self.docs[key]
                    continue
                lower = key[:end] + AFTER
                advanced = True
                break
            if not advanced:
                return

    def child_records(self, parent: Path, descendants: bool) -> Iterator[Record]:
        """Documents under the document `parent` (the root when empty): in any collection
        directly below it, or at any depth when `descendants`, in name order."""
        prefix = segments_key(parent)
        depth = len(parent) + 2
        lower = prefix + b"\x01"
        while True:
            advanced = False
            for key in self.docs.irange(lower, prefix + AFTER, inclusive=(True, False)):
                record: Record = self.docs[key]
                if descendants or len(record.path) == depth:
                    yield record
                    continue
                cut = _prefix_of_segments(key, len(prefix), 2)
                lower = cut + AFTER
                advanced = True
                break
            if not advanced:
                return

    def keys_under(self, parent: Path) -> Iterator[bytes]:
        """Keys of every document strictly below `parent` (at any depth), in name order."""
        prefix = segments_key(parent)
        return iter(self.docs.irange(prefix + b"\x01", prefix + AFTER, inclusive=(True, False)))

    # Index scans ------------------------------------------------------------------------

    def value_index(self, field: FieldPath) -> SortedList | None:
        """The collection-scope index of `field` (None when no document ever had it)."""
        return self.values.get(field)

    def contains_index(self, field: FieldPath) -> SortedList | None:
        """The collection-scope array-contains index of `field`."""
        return self.contains.get(field)

    def record_for_suffix(self, collection_prefix: bytes, index_key: bytes) -> Record:
        """The document of a collection-scope index key."""
        record: Record = self.docs[collection_prefix + unpack_suffix(index_key) + END]
        return record

    def record_for_group(self, index_key: bytes) -> Record:
        """The document of a group-scope or composite index key (full key packed at the end)."""
        record: Record = self.docs[unpack_suffix(index_key)]
        return record

    def group_name_index(self, collection_id: str) -> SortedList:
        """Keys of every document in a collection named `collection_id`, in name order."""
        index = self.group_names.get(collection_id)
        if index is None:
            index = SortedList(
                record.key for record in self.docs.values() if record.path[-2] == collection_id
            )
            self.group_names[collection_id] = index
        return index

    def group_value_index(self, collection_id: str, field: FieldPath, contains: bool) -> SortedList:
        """The collection-group-scope index of `field` for `collection_id` (built on first use)."""
        indexes = self.group_contains if contains else self.group_values
        index = indexes.get((collection_id, field))
        if index is None:
            index = SortedList()
            head = encode_segment(collection_id)
            for record in self.docs.values():
                if record.path[-2] != collection_id:
                    continue
                entries = index_entries(record.fields_document())[1 if contains else 0]
                for path, encoded in entries:
                    if path == field:
                        index.add(head + encoded + pack_suffix(record.key))
            indexes[(collection_id, field)] = index
        return index

    def vector_table(
        self, collection_id: str, field: FieldPath, dimension: int, coded: list[FieldPath]
    ) -> VectorTable:
        """The vectors of `dimension` at `field` in documents of `collection_id` (built on
        first use, with the values of the `coded` fields read in the same pass)."""
        table = self.vector_tables.get((collection_id, field, dimension))
        if table is None:
            table = VectorTable(collection_id, field, dimension, decode_vector, coded)
            for record in self.docs.values():
                if record.path[-2] == collection_id:
                    table.update(record.key, record.path, record.fields_document())
            self.vector_tables[(collection_id, field, dimension)] = table
        return table

    def composite_index(self, keyer: CompositeKeyer) -> SortedList:
        """The composite index computed by `keyer` (built on first use)."""
        index = self.composites.get(keyer.identity)
        if index is None:
            index = SortedList()
            for record in self.docs.values():
                for key in keyer.keys_for(record.path, record.key, record.fields_document()):
                    index.add(key)
            self.composites[keyer.identity] = index
            self._composite_builders[keyer.identity] = keyer
        return index

    # Writing ----------------------------------------------------------------------------

    def put(self, path: Path, fields: Document | None, time_us: int) -> Change:
        """Store `fields` (a Document with fields only) at `path`, or delete it when None."""
        key = document_key(path)
        self.generation += 1
        before: Record | None = self.docs.get(key)
        old_document = before.fields_document() if before is not None else None
        if fields is None:
            if before is None:
                return Change(None, None)
            del self.docs[key]
            after = None
        else:
            create_us = before.create_us if before is not None else time_us
            after = Record(path, key, fields.SerializeToString(), create_us, time_us)
            self.docs[key] = after
        self._reindex(path, key, old_document, fields)
        self._remember(key, before, time_us)
        return Change(before, after)

    def touch(self, record: Record, update_us: int) -> Record:
        """Replace a record's version by one with the same fields and a new update time."""
        after = Record(record.path, record.key, record.blob, record.create_us, update_us)
        self.generation += 1
        self.docs[record.key] = after
        self._remember(record.key, record, update_us)
        return after

    def restore(self, record: Record) -> None:
        """Insert a record as is (import), replacing any current version."""
        before: Record | None = self.docs.get(record.key)
        old_document = before.fields_document() if before is not None else None
        self.generation += 1
        self.docs[record.key] = record
        self._reindex(record.path, record.key, old_document, record.fields_document())
        self._remember(record.key, before, record.update_us)

    def clear(self) -> list[Record]:
        """Remove every document and index; returns the removed records."""
        removed = list(self.docs.values())
        self.generation += 1
        self.memo.clear()
        self.docs.clear()
        self.values.clear()
        self.contains.clear()
        self.group_names.clear()
        self.group_values.clear()
        self.group_contains.clear()
        self.composites.clear()
        self._composite_builders.clear()
        self.vector_tables.clear()
        self._history.clear()
        self._log_times = array("q")
        self._log_keys = []
        self._log_start = 0
        return removed

    def _remember(self, key: bytes, before: Record | None, time_us: int) -> None:
        if before is not None:
            self._history.setdefault(key, []).append((time_us, before))
        self._log_times.append(time_us)
        self._log_keys.append(key)
        if len(self._log_keys) - self._log_start > 4096 and len(self._log_keys) % 4096 == 0:
            self._prune(time_us - self.retention_us)

    def _prune(self, cutoff_us: int) -> None:
        index = bisect.bisect_left(self._log_times, cutoff_us, lo=self._log_start)
        for key in self._log_keys[self._log_start : index]:
            history = self._history.get(key)
            if history is None:
                continue
            keep = [entry for entry in history if entry[0] >= cutoff_us]
            if keep:
                self._history[key] = keep
            else:
                del self._history[key]
        if index > len(self._log_keys) // 2:
            self._log_times = self._log_times[index:]
            self._log_keys = self._log_keys[index:]
            self._log_start = 0
        else:
            self._log_start = index

    def _reindex(self, path: Path, key: bytes, old: Document | None, new: Document | None) -> None:
        old_values, old_contains = index_entries(old) if old is not None else (set(), set())
        new_values, new_contains = index_entries(new) if new is not None else (set(), set())
        collection_prefix = segments_key(path[:-1]) + END
        suffix = pack_suffix(encode_segment(path[-1]))
        _apply(
            self.values,
            old_values - new_values,
            new_values - old_values,
            lambda encoded: collection_prefix + encoded + suffix,
        )
        _apply(
            self.contains,
            old_contains - new_contains,
            new_contains - old_contains,
            lambda encoded: collection_prefix + encoded + suffix,
        )
        collection_id = path[-2]
        for (group, _, _), table in self.vector_tables.items():
            if group == collection_id:
                table.update(key, path, new)
        names = self.group_names.get(collection_id)
        if names is not None:
            if old is not None and new is None:
                names.discard(key)
            elif old is None and new is not None:
                names.add(key)
        head = encode_segment(collection_id)
        group_suffix = pack_suffix(key)
        for (group, field), index in self.group_values.items():
            if group == collection_id:
                _apply_one(
                    index,
                    field,
                    old_values - new_values,
                    new_values - old_values,
                    lambda encoded: head + encoded + group_suffix,
                )
        for (group, field), index in self.group_contains.items():
            if group == collection_id:
                _apply_one(
                    index,
                    field,
                    old_contains - new_contains,
                    new_contains - old_contains,
                    lambda encoded: head + encoded + group_suffix,
                )
        for identity, keyer in self._composite_builders.items():
            if keyer.collection_id != collection_id:
                continue
            index = self.composites[identity]
            old_keys = set(keyer.keys_for(path, key, old)) if old is not None else set()
            new_keys = set(keyer.keys_for(path, key, new)) if new is not None else set()
            for stale in old_keys - new_keys:
                index.discard(stale)
            for fresh in new_keys - old_keys:
                index.add(fresh)


def _apply(
    indexes: dict[FieldPath, SortedList],
    removed: set[tuple[FieldPath, bytes]],
    added: set[tuple[FieldPath, bytes]],
    make: object,
) -> None:
    for field, encoded in removed:
        indexes[field].discard(make(encoded))  # type: ignore[operator]
    for field, encoded in added:
        index = indexes.get(field)
        if index is None:
            index = indexes[field] = SortedList()
        index.add(make(encoded))  # type: ignore[operator]


def _apply_one(
    index: SortedList,
    field: FieldPath,
    removed: set[tuple[FieldPath, bytes]],
    added: set[tuple[FieldPath, bytes]],
    make: object,
) -> None:
    for path, encoded in removed:
        if path == field:
            index.discard(make(encoded))  # type: ignore[operator]
    for path, encoded in added:
        if path == field:
            index.add(make(encoded))  # type: ignore[operator]


def _prefix_of_segments(key: bytes, offset: int, count: int) -> bytes:
    for _ in range(count):
        offset = segment_end(key, offset)
    return key[:offset]


class CompositeKeyer(Protocol):
    """Computes the keys a document contributes to one composite index (see `_indexes`)."""

    @property
    def collection_id(self) -> str:
        """The collection ID whose documents the index holds."""
        ...

    @property
    def identity(self) -> object:
        """A hashable identity of the index definition."""
        ...

    def keys_for(self, path: Path, key: bytes, fields: Document) -> list[bytes]:
        """Keys of the document at `path` with store key `key` and fields `fields`."""
        ...
