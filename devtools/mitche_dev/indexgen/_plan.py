"""firestore.indexes.json, derived from the catalog: nothing declared by hand.

Each catalog query is built with sample parameters and compiled by firelab.indexes, which says
what production needs to serve it: a composite index, or single-field indexes. From those
needs come

* the composite indexes, one per distinct need (array-contains fields first, then equality
  fields, then the orderings);
* a field override for every field a collection-group query needs a single-field index on
  (automatic indexes exist for collection scope only); it lists exactly the single-field
  indexes catalog queries use on that field, in both scopes, so none is kept unused;
* an exemption (an override without indexes) for every large-text field, write-time stamp and
  dynamic-key map that no catalog query needs a single-field index on (`_exemptions`);
* the TTL policies: an override with `ttl: true` on every TTL field, exempt from indexing too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from google.auth.credentials import AnonymousCredentials
from google.cloud.firestore_v1 import Client

from firelab.indexes import (
    ASCENDING,
    COLLECTION,
    COLLECTION_GROUP,
    CompositeIndexDefinition,
    FieldOverride,
    IndexFile,
    SingleFieldIndex,
    compile_structured_query,
    index_needs,
    missing_index,
)
from mitche.errors import InternalError
from mitche.queries._build import structured_query
from mitche.queries._declarations import CatalogQuery
from mitche_dev.indexgen._exemptions import FieldShape, candidates

__all__ = ["IndexPlan", "QueryNeeds", "index_file", "plan_indexes", "query_needs"]

_PROJECT: Final = "mitche-index-plan"


@dataclass(frozen=True, slots=True)
class QueryNeeds:
    """What one catalog query needs from production's indexes."""

    query: CatalogQuery
    collection_group: str
    composites: tuple[CompositeIndexDefinition, ...]
    single_fields: tuple[tuple[str, SingleFieldIndex], ...]
    """(field path, index) single-field indexes, ANY-direction equality needs as ASCENDING."""


@dataclass(frozen=True, slots=True)
class IndexPlan:
    """The generated file and the reasoning behind it."""

    needs: tuple[QueryNeeds, ...]
    exempted: tuple[FieldShape, ...]
    """Exemption candidates left without indexes (TTL fields included)."""
    kept: tuple[FieldShape, ...] = field(default=())
    """Exemption candidates a catalog query needs, so left indexed."""
    file: IndexFile = field(default_factory=IndexFile)


def _client() -> Client:
    # google-auth ships no annotations for AnonymousCredentials.__init__.
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    return Client(project=_PROJECT, credentials=credentials)


def query_needs(query: CatalogQuery, client: Client | None = None) -> QueryNeeds:
    """Compile the query (sample parameters) and read off the indexes it needs."""
    protobuf, parent = structured_query(client or _client(), query)
    compiled = compile_structured_query(protobuf, parent)
    scope = COLLECTION_GROUP if compiled.is_group else COLLECTION
    composites: list[CompositeIndexDefinition] = []
    singles: list[tuple[str, SingleFieldIndex]] = []
    for need in index_needs(compiled):
        if need.composite is not None:
            composites.append(need.composite)
            continue
        for field_path, mode in need.single_fields:
            single = (field_path, SingleFieldIndex(ASCENDING if mode == "ANY" else mode, scope))
            if single not in singles:
                singles.append(single)
    return QueryNeeds(query, compiled.collection_id, tuple(composites), tuple(singles))


def _composites(needs: Iterable[QueryNeeds]) -> tuple[CompositeIndexDefinition, ...]:
    """Distinct composite needs (a trailing `__name__` field does not make another index)."""
    chosen: dict[CompositeIndexDefinition, CompositeIndexDefinition] = {}
    for definition in sorted({c for need in needs for c in need.composites}):
        chosen.setdefault(definition.without_name(), definition)
    return tuple(chosen.values())


def _overrides(
    needs: Iterable[QueryNeeds], shapes: Iterable[FieldShape]
) -> tuple[tuple[FieldOverride, ...], tuple[FieldShape, ...], tuple[FieldShape, ...]]:
    used: dict[tuple[str, str], set[SingleFieldIndex]] = defaultdict(set)
    for need in needs:
        for field_path, index in need.single_fields:
            used[(need.collection_group, field_path)].add(index)
    overrides: dict[tuple[str, str], FieldOverride] = {}
    for (group, field_path), indexes in used.items():
        if any(index.query_scope == COLLECTION_GROUP for index in indexes):
            overrides[(group, field_path)] = FieldOverride(
                group, field_path, tuple(sorted(indexes))
            )
    exempted: list[FieldShape] = []
    kept: list[FieldShape] = []
    for shape in shapes:
        key = (shape.collection_group, shape.field_path)
        prefix = f"{shape.field_path}."
        needed = any(
            group == shape.collection_group
            and (path == shape.field_path or path.startswith(prefix))
            for group, path in used
        )
        if shape.kind == "ttl":
            overrides[key] = FieldOverride(*key, tuple(sorted(used.get(key, set()))), ttl=True)
            exempted.append(shape)
        elif needed:
            kept.append(shape)
        else:
            overrides[key] = FieldOverride(*key, ())
            exempted.append(shape)
    return tuple(overrides[key] for key in sorted(overrides)), tuple(exempted), tuple(kept)


def plan_indexes(queries: Iterable[CatalogQuery]) -> IndexPlan:
    """The index file the queries need, with the exemptions and TTL policies of the models."""
    client = _client()
    needs = tuple(query_needs(query, client) for query in queries)
    overrides, exempted, kept = _overrides(needs, candidates())
    file = IndexFile(_composites(needs), overrides)
    for need in needs:
        lacking = missing_index(
            compile_structured_query(*structured_query(client, need.query)), file
        )
        if lacking is not None:
            raise InternalError(f"{need.query.name}: the plan lacks {lacking.message()}")
    return IndexPlan(needs, exempted, kept, file)


def index_file(queries: Iterable[CatalogQuery]) -> IndexFile:
    """The firestore.indexes.json the queries need."""
    return plan_indexes(queries).file
