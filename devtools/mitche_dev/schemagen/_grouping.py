"""Which collection each shared definition belongs to, so renderers can place a type next to
the only collection that uses it, or among the shared types when several do."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mitche_dev.schemagen._schemaset import JsonSchema, SchemaSet, ref_name

__all__ = ["Grouping", "group_definitions", "references"]


def references(schema: Any) -> Iterator[str]:
    """Names of the definitions a schema refers to directly, in order of appearance."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                yield ref_name(value)
            elif key != "$defs":
                yield from references(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from references(item)


def _reachable(start: str, defs: Mapping[str, JsonSchema]) -> set[str]:
    seen = {start}
    pending = [start]
    while pending:
        for name in references(defs[pending.pop()]):
            if name not in seen:
                seen.add(name)
                pending.append(name)
    return seen


@dataclass(frozen=True, slots=True)
class Grouping:
    """Definitions in the order renderers declare them."""

    shared: tuple[str, ...]
    """Definitions reached from more than one collection, sorted by name."""
    by_collection: Mapping[str, tuple[str, ...]]
    """Each collection's document definitions (in document order), then the definitions only
    it reaches (sorted by name)."""


def group_definitions(schemas: SchemaSet) -> Grouping:
    """Place every definition in exactly one group."""
    users: dict[str, set[str]] = {}
    document_names: dict[str, list[str]] = {}
    for document in schemas.documents:
        name = schemas.document_defs[document.path]
        names = document_names.setdefault(document.collection, [])
        if name not in names:
            names.append(name)
        for reached in _reachable(name, schemas.defs):
            users.setdefault(reached, set()).add(document.collection)
    documents = {name for names in document_names.values() for name in names}
    shared = sorted(name for name, owners in users.items() if len(owners) > 1)
    placed = set(shared)
    by_collection: dict[str, tuple[str, ...]] = {}
    for collection, names in document_names.items():
        own = [name for name in names if name not in placed]
        placed.update(own)
        rest = sorted(
            name
            for name, owners in users.items()
            if owners == {collection} and name not in placed and name not in documents
        )
        placed.update(rest)
        by_collection[collection] = (*own, *rest)
    return Grouping(shared=tuple(shared), by_collection=by_collection)
