"""Which indexes production Firestore needs to serve a query, and whether a file provides them.

The official emulator serves every query; production refuses one without its index
("The query requires an index"). The model here follows Firestore's documented rules and errs
on the side of demanding an index:

* equality filters alone (`==`, `in`, `is null`, `is NaN`, on any number of fields) are served
  by merging the automatic single-field indexes;
* one ordered field (an order-by or inequality filters on one field), or one array-contains
  filter, with nothing else, is served by that field's single-field index;
* anything else needs a composite index: the array-contains field, then the equality fields
  (in any order, any direction), then the ordered fields in the query's order and directions
  (a composite index is not used for the reversed directions);
* an OR query is served disjunct by disjunct;
* automatic single-field indexes exist for collection scope only: collection-group queries,
  and fields whose automatic indexes a field override disabled, need an override that lists
  the index;
* find_nearest always needs a vector index: the pre-filters' array-contains fields, equality
  fields (any order and direction) and other filtered fields, then the vector field with the
  query vector's dimension last (firebase.google.com/docs/firestore/vector-search, "Create
  and manage vector indexes" and "Pre-filtering"). Production names it as a gcloud command
  ("Missing vector index configuration. Please create the required index with the following
  gcloud command: ...", as clients report it, e.g. firebase/extensions#3163).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from firelab.server.core._fieldpaths import FieldPath, format_field_path
from firelab.server.core._filters import (
    ARRAY_CONTAINS,
    ARRAY_CONTAINS_ANY,
    EQUAL,
    IN,
    IS_NAN,
    IS_NULL,
    Leaf,
    disjuncts,
)
from firelab.server.core._index_file import (
    ARRAY_CONTAINS as CONTAINS_MODE,
)
from firelab.server.core._index_file import (
    ASCENDING,
    COLLECTION,
    COLLECTION_GROUP,
    DESCENDING,
    VECTOR,
    CompositeIndexDefinition,
    IndexField,
    IndexFile,
    SingleFieldIndex,
)
from firelab.server.core._query import CompiledQuery

__all__ = ["IndexNeed", "MissingIndex", "index_needs", "missing_index"]

_EQUALITY_OPS = frozenset({EQUAL, IN, IS_NULL, IS_NAN})
_ARRAY_OPS = frozenset({ARRAY_CONTAINS, ARRAY_CONTAINS_ANY})


@dataclass(frozen=True, slots=True)
class IndexNeed:
    """What one conjunction of a query needs: a composite index, or single-field indexes."""

    composite: CompositeIndexDefinition | None
    """The composite index to create, in firestore.indexes.json form, when one is needed."""
    equality: frozenset[str]
    """Equality fields (any order and direction may serve them in a composite)."""
    single_fields: tuple[tuple[str, str], ...]
    """(field path, mode) single-field indexes used when no composite is needed; mode is
    ASCENDING, DESCENDING, CONTAINS, or "ANY" for equality (either direction serves)."""


@dataclass(frozen=True, slots=True)
class MissingIndex:
    """A query production would refuse, and the index definition that would serve it."""

    collection_group: str
    query_scope: str
    composite: CompositeIndexDefinition | None
    single_field: tuple[str, SingleFieldIndex] | None
    project: str = "PROJECT_ID"

    def message(self) -> str:
        """The error a client sees, naming the definition to add to firestore.indexes.json
        (for a vector index, production's own words: the gcloud command creating it)."""
        if self.composite is not None and any(f.mode == VECTOR for f in self.composite.fields):
            configs = " ".join(_gcloud_field(f) for f in self.composite.fields)
            return (
                "Missing vector index configuration. Please create the required index with the "
                "following gcloud command: gcloud firestore indexes composite create "
                f"--project={self.project} --collection-group={self.collection_group} "
                f"--query-scope={self.query_scope} {configs}"
            )
        if self.composite is not None:
            definition = json.dumps(self.composite.to_json(), separators=(", ", ": "))
            return (
                "The query requires an index. Add this composite index to the "
                f'"indexes" of firestore.indexes.json: {definition}'
            )
        assert self.single_field is not None
        field_path, index = self.single_field
        override = {
            "collectionGroup": self.collection_group,
            "fieldPath": field_path,
            "indexes": [index.to_json()],
        }
        return (
            "The query requires an index. Add (or extend) this field override in the "
            f'"fieldOverrides" of firestore.indexes.json: {json.dumps(override)}'
        )


def _gcloud_field(field: IndexField) -> str:
    """One `--field-config` of `gcloud firestore indexes composite create`."""
    if field.mode == VECTOR:
        dimension = f'{{"dimension":"{field.dimension}","flat": "{{}}"}}'
        config = f"vector-config='{dimension}'"
    elif field.mode == CONTAINS_MODE:
        config = "array-config=CONTAINS"
    else:
        config = f"order={field.mode}"
    return f"--field-config={config},field-path={field.field_path}"


def _vector_need(query: CompiledQuery, conjunction: list[Leaf]) -> IndexNeed:
    nearest = query.nearest
    assert nearest is not None
    scope = COLLECTION_GROUP if query.is_group else COLLECTION
    arrays: dict[str, None] = {}
    equality: dict[str, None] = {}
    others: dict[str, None] = {}
    for leaf in conjunction:
        if leaf.is_key:
            continue
        name = format_field_path(leaf.field)
        if leaf.op in _ARRAY_OPS:
            arrays[name] = None
        elif leaf.op in _EQUALITY_OPS:
            equality[name] = None
        else:
            others[name] = None
    fields = [IndexField(name, CONTAINS_MODE) for name in arrays]
    fields += [IndexField(name, ASCENDING) for name in sorted(equality)]
    fields += [IndexField(name, ASCENDING) for name in others if name not in equality]
    vector = IndexField(format_field_path(nearest.field), VECTOR, len(nearest.vector))
    definition = CompositeIndexDefinition(query.collection_id, scope, (*fields, vector))
    return IndexNeed(definition, frozenset(equality) | frozenset(others), ())


def _serves_vector(index: CompositeIndexDefinition, need: IndexNeed) -> bool:
    """A vector index serves a find_nearest whose vector field and dimension it ends with,
    when its other fields are the pre-filter's (array fields as CONTAINS, the rest in any
    order and direction)."""
    wanted = need.composite
    assert wanted is not None
    if (index.collection_group, index.query_scope) != (wanted.collection_group, wanted.query_scope):
        return False
    have = [f for f in index.fields if f.field_path != "__name__" or f.mode == VECTOR]
    if not have or have[-1] != wanted.fields[-1]:
        return False
    contains = {f.field_path for f in wanted.fields if f.mode == CONTAINS_MODE}
    head = have[:-1]
    if {f.field_path for f in head} != contains | need.equality or len(head) != len(
        wanted.fields[:-1]
    ):
        return False
    return all((f.mode == CONTAINS_MODE) == (f.field_path in contains) for f in head)


def _mode(descending: bool) -> str:
    return DESCENDING if descending else ASCENDING


def _need(query: CompiledQuery, conjunction: list[Leaf]) -> IndexNeed:
    if query.nearest is not None:
        return _vector_need(query, conjunction)
    scope = COLLECTION_GROUP if query.is_group else COLLECTION
    equality: dict[FieldPath, None] = {}
    arrays: dict[FieldPath, None] = {}
    for leaf in conjunction:
        if leaf.is_key:
            continue
        if leaf.op in _EQUALITY_OPS:
            equality[leaf.field] = None
        elif leaf.op in _ARRAY_OPS:
            arrays[leaf.field] = None
    orders = [order for order in query.orders if not order.is_key and order.field not in equality]
    name_order = query.orders[-1] if query.orders and query.orders[-1].is_key else None
    names = frozenset(format_field_path(path) for path in equality)
    if not orders and not arrays:
        singles = tuple((name, "ANY") for name in sorted(names))
        return IndexNeed(None, names, singles)
    if not equality and not arrays and len(orders) == 1:
        only = orders[0]
        return IndexNeed(None, names, ((format_field_path(only.field), _mode(only.descending)),))
    if not equality and not orders and len(arrays) == 1:
        return IndexNeed(None, names, ((format_field_path(next(iter(arrays))), CONTAINS_MODE),))
    fields = [IndexField(format_field_path(path), CONTAINS_MODE) for path in arrays]
    fields += [IndexField(name, ASCENDING) for name in sorted(names)]
    fields += [IndexField(format_field_path(o.field), _mode(o.descending)) for o in orders]
    if name_order is not None and name_order.descending != (bool(orders) and orders[-1].descending):
        fields.append(IndexField("__name__", _mode(name_order.descending)))
    definition = CompositeIndexDefinition(query.collection_id, scope, tuple(fields))
    return IndexNeed(definition, names, ())


def index_needs(query: CompiledQuery) -> list[IndexNeed]:
    """What each disjunct of the query needs (one entry for a query without OR)."""
    needs: list[IndexNeed] = []
    for conjunction in disjuncts(query.filter):
        need = _need(query, conjunction)
        if need not in needs:
            needs.append(need)
    return needs


def _serves(index: CompositeIndexDefinition, need: IndexNeed) -> bool:
    wanted = need.composite
    assert wanted is not None
    if (index.collection_group, index.query_scope) != (
        wanted.collection_group,
        wanted.query_scope,
    ):
        return False
    have = list(index.without_name().fields)
    want = list(wanted.without_name().fields)
    prefix_modes = {f.field_path: f.mode for f in want if f.mode == CONTAINS_MODE}
    prefix = len(prefix_modes) + len(need.equality)
    head, tail = have[:prefix], have[prefix:]
    for field in head:
        if field.field_path in prefix_modes:
            if field.mode != CONTAINS_MODE:
                return False
        elif field.field_path not in need.equality or field.mode == CONTAINS_MODE:
            return False
    if len({f.field_path for f in head}) != prefix:
        return False
    if tail != want[prefix:]:
        return False
    trailing = [f for f in index.fields if f.field_path == "__name__"]
    wanted_name = [f for f in wanted.fields if f.field_path == "__name__"]
    return not trailing or not wanted_name or trailing == wanted_name


def _single_field_available(
    indexes: IndexFile, collection_group: str, scope: str, field_path: str, mode: str
) -> SingleFieldIndex | None:
    """None if the single-field index exists; else the index an override must list."""
    modes = (ASCENDING, DESCENDING) if mode == "ANY" else (mode,)
    override = indexes.override_for(collection_group, field_path)
    if override is None:
        if scope == COLLECTION:
            return None
        return SingleFieldIndex(modes[0], scope)
    for index in override.indexes:
        if index.query_scope == scope and index.mode in modes:
            return None
    return SingleFieldIndex(modes[0], scope)


def missing_index(query: CompiledQuery, indexes: IndexFile) -> MissingIndex | None:
    """The first index production would need and `indexes` lacks, or None if all exist."""
    scope = COLLECTION_GROUP if query.is_group else COLLECTION
    if not query.collection_id:
        return None
    for need in index_needs(query):
        if need.composite is not None:
            serves = _serves_vector if query.nearest is not None else _serves
            if not any(serves(index, need) for index in indexes.indexes):
                return MissingIndex(
                    query.collection_id, scope, need.composite, None, query.database.project
                )
            continue
        for field_path, mode in need.single_fields:
            lacking = _single_field_available(indexes, query.collection_id, scope, field_path, mode)
            if lacking is not None:
                return MissingIndex(query.collection_id, scope, None, (field_path, lacking))
    return None
