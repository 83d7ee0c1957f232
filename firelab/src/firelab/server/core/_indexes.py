"""Composite index definitions (firestore.indexes.json) and the keys they hold.

Single-field indexes are automatic (see `_store`); a composite index declared for a collection
group serves queries whose equality filters and orderings it covers exactly: the equality
fields (any order) followed by the ordered fields with the query's directions, or all inverted
(then it is scanned backwards). Its keys are the collection (or collection ID, for
collection-group scope), each field's encoding (complemented when descending, one key per
element for array-contains), the document name in the direction of the last field, and the
document's store key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

from firelab.server.core._fieldpaths import FieldPath, get_field, parse_field_path
from firelab.server.core._filters import ARRAY_CONTAINS, EQUAL, IS_NAN, IS_NULL, Leaf
from firelab.server.core._index_file import ARRAY_CONTAINS as CONTAINS
from firelab.server.core._index_file import COLLECTION_GROUP, DESCENDING, VECTOR, IndexFile
from firelab.server.core._keys import END, pack_suffix, segments_key
from firelab.server.core._names import Path
from firelab.server.core._protos import Document
from firelab.server.core._values import descending, encode_segment, encode_value

__all__ = ["CompositeIndex", "IndexConfig"]

if TYPE_CHECKING:
    from firelab.server.core._query import CompiledQuery


@dataclass(frozen=True, slots=True)
class IndexField:
    """One field of a composite index and its mode (ASCENDING, DESCENDING or CONTAINS)."""

    path: FieldPath
    mode: str


@dataclass(frozen=True, slots=True)
class CompositeIndex:
    """One composite index definition."""

    collection_id: str
    group_scope: bool
    fields: tuple[IndexField, ...]

    @property
    def identity(self) -> object:
        """A hashable identity (the definition itself)."""
        return self

    def keyer(self) -> CompositeIndex:
        """The object computing this index's keys (the definition itself)."""
        return self

    def scope_prefix(self, query: CompiledQuery) -> bytes:
        """The key prefix of the query's scope in this index."""
        if self.group_scope:
            return encode_segment(self.collection_id)
        return segments_key((*query.parent, query.collection_id)) + END

    def keys_for(self, path: Path, key: bytes, fields: Document) -> list[bytes]:
        """Keys the document at `path` (store key `key`) contributes."""
        if path[-2] != self.collection_id:
            return []
        head = (
            encode_segment(self.collection_id)
            if self.group_scope
            else (segments_key(path[:-1]) + END)
        )
        prefixes = [head]
        for index_field in self.fields:
            value = get_field(fields.fields, index_field.path)
            if value is None:
                return []
            if index_field.mode == CONTAINS:
                if value.WhichOneof("value_type") != "array_value":
                    return []
                parts = sorted({encode_value(element) for element in value.array_value.values})
            else:
                encoded = encode_value(value)
                parts = [descending(encoded) if index_field.mode == DESCENDING else encoded]
            prefixes = [prefix + part for prefix in prefixes for part in parts]
        name = descending(key) if self._name_descending else key
        return [prefix + name + pack_suffix(key) for prefix in prefixes]

    @property
    def _name_descending(self) -> bool:
        return bool(self.fields) and self.fields[-1].mode == DESCENDING

    def plan(self, query: CompiledQuery, conjunction: Sequence[Leaf]) -> tuple[bytes, bool] | None:
        """(key prefix after the scope, scan backwards) when this index serves the query."""
        if query.collection_id != self.collection_id or query.is_group != self.group_scope:
            return None
        points: dict[tuple[FieldPath, bool], bytes] = {}
        for leaf in conjunction:
            if leaf.is_key or leaf.never:
                continue
            if leaf.op == EQUAL and len(leaf.targets) == 1:
                points[(leaf.field, False)] = leaf.targets[0]
            elif leaf.op in (IS_NULL, IS_NAN):
                ranges = leaf.ranges() or []
                if ranges and ranges[0].low is not None:
                    points[(leaf.field, False)] = ranges[0].low
            elif leaf.op == ARRAY_CONTAINS and len(leaf.targets) == 1:
                points[(leaf.field, True)] = leaf.targets[0]
        orders = [order for order in query.orders if not order.is_key]
        equal_count = len(self.fields) - len(orders)
        if equal_count < 0 or not points:
            return None
        prefix = b""
        for index_field in self.fields[:equal_count]:
            point = points.get((index_field.path, index_field.mode == CONTAINS))
            if point is None:
                return None
            prefix += descending(point) if index_field.mode == DESCENDING else point
        tail = self.fields[equal_count:]
        if [f.path for f in tail] != [order.field for order in orders]:
            return None
        if any(f.mode == CONTAINS for f in tail):
            return None
        wanted = [order.descending for order in query.orders]
        have = [f.mode == DESCENDING for f in tail] + [self._name_descending]
        if have == wanted:
            return prefix, False
        if have == [not flag for flag in wanted]:
            return prefix, True
        return None


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Composite index definitions, usually read from firestore.indexes.json, and whether
    queries production would refuse for a missing index are refused here too."""

    indexes: tuple[CompositeIndex, ...] = field(default=())
    source: IndexFile = field(default_factory=IndexFile)
    """The file the indexes came from (field overrides included), for enforcement."""
    enforce: bool = False
    """Refuse, with FAILED_PRECONDITION, queries production would refuse for lack of an index."""

    @classmethod
    def from_index_file(cls, source: IndexFile, *, enforce: bool = False) -> IndexConfig:
        """The store's view of a parsed firestore.indexes.json."""
        indexes = []
        for definition in source.indexes:
            if any(f.mode == VECTOR for f in definition.fields):
                continue  # vector indexes serve find_nearest, which scans (see `_nearest`)
            fields = tuple(
                IndexField(parse_field_path(f.field_path), f.mode)
                for f in definition.without_name().fields
            )
            group = definition.query_scope == COLLECTION_GROUP
            indexes.append(CompositeIndex(definition.collection_group, group, fields))
        return cls(tuple(indexes), source, enforce)

    @classmethod
    def from_json(cls, text: str, *, enforce: bool = False) -> IndexConfig:
        """Parse the firestore.indexes.json format (IndexFileError when malformed)."""
        return cls.from_index_file(IndexFile.parse(text), enforce=enforce)

    @classmethod
    def from_file(cls, path: FilePath, *, enforce: bool = False) -> IndexConfig:
        """Read a firestore.indexes.json file."""
        return cls.from_index_file(IndexFile.read(path), enforce=enforce)
