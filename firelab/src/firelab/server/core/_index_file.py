"""The firestore.indexes.json format, read strictly and written the way the Firebase CLI does.

One model serves three jobs: the store builds composite indexes from it, `--enforce-indexes`
checks queries against it, and projects generate it from their query catalogs. Reading rejects
unknown keys and bad values with the JSON path of the problem, so a typo fails here rather than
on deploy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from firelab._errors import FirelabError
from firelab.server.core._fieldpaths import format_field_path, parse_field_path

__all__ = [
    "ARRAY_CONTAINS",
    "ASCENDING",
    "COLLECTION",
    "COLLECTION_GROUP",
    "DESCENDING",
    "MAX_VECTOR_DIMENSION",
    "VECTOR",
    "CompositeIndexDefinition",
    "FieldOverride",
    "IndexField",
    "IndexFile",
    "IndexFileError",
    "SingleFieldIndex",
]

ASCENDING: Final = "ASCENDING"
DESCENDING: Final = "DESCENDING"
ARRAY_CONTAINS: Final = "CONTAINS"
VECTOR: Final = "VECTOR"
"""The mode of a vector index field (`vectorConfig` in the file), which carries a dimension."""
MAX_VECTOR_DIMENSION: Final = 2048
COLLECTION: Final = "COLLECTION"
COLLECTION_GROUP: Final = "COLLECTION_GROUP"
_ORDERS: Final = (ASCENDING, DESCENDING)
_SCOPES: Final = (COLLECTION, COLLECTION_GROUP)


class IndexFileError(FirelabError, ValueError):
    """firestore.indexes.json is malformed; the message names the JSON path."""


@dataclass(frozen=True, slots=True, order=True)
class IndexField:
    """One field of a composite index: ordered, an array-contains field, or a vector field
    (`{"vectorConfig": {"dimension": N, "flat": {}}}`, the only index kind Firestore offers)."""

    field_path: str
    mode: str
    """ASCENDING, DESCENDING, CONTAINS or VECTOR."""
    dimension: int | None = None
    """The vector dimension of a VECTOR field."""

    def to_json(self) -> dict[str, Any]:
        if self.mode == VECTOR:
            config: dict[str, Any] = {"dimension": self.dimension, "flat": {}}
            return {"fieldPath": self.field_path, "vectorConfig": config}
        key = "arrayConfig" if self.mode == ARRAY_CONTAINS else "order"
        return {"fieldPath": self.field_path, key: self.mode}


@dataclass(frozen=True, slots=True, order=True)
class CompositeIndexDefinition:
    """A composite index of a collection group, scoped to single collections or the group."""

    collection_group: str
    query_scope: str
    fields: tuple[IndexField, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "collectionGroup": self.collection_group,
            "queryScope": self.query_scope,
            "fields": [f.to_json() for f in self.fields],
        }

    def without_name(self) -> CompositeIndexDefinition:
        """The same index without a trailing `__name__` field (Firestore adds it implicitly)."""
        fields = self.fields
        while fields and fields[-1].field_path == "__name__":
            fields = fields[:-1]
        return CompositeIndexDefinition(self.collection_group, self.query_scope, fields)


@dataclass(frozen=True, slots=True, order=True)
class SingleFieldIndex:
    """One single-field index an override enables (anything it does not list is disabled)."""

    mode: str
    query_scope: str

    def to_json(self) -> dict[str, str]:
        key = "arrayConfig" if self.mode == ARRAY_CONTAINS else "order"
        return {key: self.mode, "queryScope": self.query_scope}


@dataclass(frozen=True, slots=True, order=True)
class FieldOverride:
    """Replaces the automatic single-field indexes of one field in one collection group."""

    collection_group: str
    field_path: str
    indexes: tuple[SingleFieldIndex, ...]
    ttl: bool = False
    """Whether the field is the collection group's TTL field (documents expire at its time)."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "collectionGroup": self.collection_group,
            "fieldPath": self.field_path,
        }
        if self.ttl:
            data["ttl"] = True
        data["indexes"] = [index.to_json() for index in self.indexes]
        return data


@dataclass(frozen=True, slots=True)
class IndexFile:
    """The whole file: composite indexes and field overrides."""

    indexes: tuple[CompositeIndexDefinition, ...] = field(default=())
    field_overrides: tuple[FieldOverride, ...] = field(default=())

    @classmethod
    def parse(cls, text: str, source: str = "firestore.indexes.json") -> IndexFile:
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as error:
            raise IndexFileError(f"{source}: not JSON: {error}") from error
        reader = _Reader(source)
        top = reader.mapping(data, "$", required=(), optional=("indexes", "fieldOverrides"))
        indexes = tuple(
            reader.composite(entry, f"$.indexes[{i}]")
            for i, entry in enumerate(reader.array(top.get("indexes", []), "$.indexes"))
        )
        overrides = tuple(
            reader.override(entry, f"$.fieldOverrides[{i}]")
            for i, entry in enumerate(
                reader.array(top.get("fieldOverrides", []), "$.fieldOverrides")
            )
        )
        return cls(indexes, overrides)

    @classmethod
    def read(cls, path: Path) -> IndexFile:
        return cls.parse(path.read_text(encoding="utf-8"), str(path))

    def to_json(self) -> str:
        """The file's text, as the Firebase CLI writes it (two-space indent, final newline)."""
        data = {
            "indexes": [index.to_json() for index in self.indexes],
            "fieldOverrides": [override.to_json() for override in self.field_overrides],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def override_for(self, collection_group: str, field_path: str) -> FieldOverride | None:
        """The override of a field, or of its nearest overridden parent map (inherited)."""
        path = parse_field_path(field_path)
        by_key = {(o.collection_group, o.field_path): o for o in self.field_overrides}
        for length in range(len(path), 0, -1):
            found = by_key.get((collection_group, format_field_path(path[:length])))
            if found is not None:
                return found
        return None


class _Reader:
    """Validation helpers that name the JSON path of every problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> IndexFileError:
        return IndexFileError(f"{self.source}: {where}: {message}")

    def mapping(
        self, value: object, where: str, *, required: Sequence[str], optional: Sequence[str]
    ) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object")
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            allowed = ", ".join(sorted((*required, *optional)))
            raise self.fail(where, f"unknown key(s) {unknown}; allowed: {allowed}")
        missing = [key for key in required if key not in value]
        if missing:
            raise self.fail(where, f"missing required key(s) {missing}")
        return value

    def array(self, value: object, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be an array")
        return value

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(where, "must be a non-empty string")
        return value

    def choice(self, value: object, where: str, choices: Sequence[str]) -> str:
        if value not in choices:
            raise self.fail(where, f"is {value!r}, must be one of {list(choices)}")
        return str(value)

    def field_path(self, value: object, where: str) -> str:
        text = self.text(value, where)
        try:
            return format_field_path(parse_field_path(text))
        except Exception as error:  # the core's FirestoreError: re-raised with our context
            raise self.fail(where, f"{text!r} is not a valid field path") from error

    def composite(self, value: object, where: str) -> CompositeIndexDefinition:
        entry = self.mapping(
            value, where, required=("collectionGroup", "fields"), optional=("queryScope", "density")
        )
        scope = self.choice(entry.get("queryScope", COLLECTION), f"{where}.queryScope", _SCOPES)
        raw_fields = self.array(entry["fields"], f"{where}.fields")
        fields = tuple(
            self.index_field(item, f"{where}.fields[{i}]") for i, item in enumerate(raw_fields)
        )
        vectors = [f for f in fields if f.mode == VECTOR]
        if len(vectors) > 1:
            raise self.fail(f"{where}.fields", "a vector index has exactly one vector field")
        if vectors and fields[-1].mode != VECTOR:
            raise self.fail(f"{where}.fields", "the vector field must come last")
        named = [f for f in fields if f.field_path != "__name__"]
        if len(named) < 2 and not vectors:
            raise self.fail(where, "a composite index needs at least two fields")
        paths = [f.field_path for f in fields]
        if len(set(paths)) != len(paths):
            raise self.fail(f"{where}.fields", "lists a field twice")
        group = self.text(entry["collectionGroup"], f"{where}.collectionGroup")
        return CompositeIndexDefinition(group, scope, fields)

    def index_field(self, value: object, where: str) -> IndexField:
        entry = self.mapping(
            value, where, required=("fieldPath",), optional=("order", "arrayConfig", "vectorConfig")
        )
        path = self.field_path(entry["fieldPath"], f"{where}.fieldPath")
        if sum(key in entry for key in ("order", "arrayConfig", "vectorConfig")) != 1:
            raise self.fail(where, "needs exactly one of order, arrayConfig or vectorConfig")
        if "vectorConfig" in entry:
            return IndexField(path, VECTOR, self.vector_dimension(entry, f"{where}.vectorConfig"))
        if "order" in entry:
            return IndexField(path, self.choice(entry["order"], f"{where}.order", _ORDERS))
        self.choice(entry["arrayConfig"], f"{where}.arrayConfig", (ARRAY_CONTAINS,))
        return IndexField(path, ARRAY_CONTAINS)

    def vector_dimension(self, entry: Mapping[str, Any], where: str) -> int:
        config = self.mapping(
            entry["vectorConfig"], where, required=("dimension", "flat"), optional=()
        )
        if config["flat"] != {}:
            raise self.fail(f"{where}.flat", "must be {} (flat is the only vector index type)")
        dimension = config["dimension"]
        if (
            not isinstance(dimension, int)
            or isinstance(dimension, bool)
            or not 1 <= dimension <= MAX_VECTOR_DIMENSION
        ):
            raise self.fail(
                f"{where}.dimension",
                f"is {dimension!r}, must be an integer from 1 to {MAX_VECTOR_DIMENSION}",
            )
        return dimension

    def override(self, value: object, where: str) -> FieldOverride:
        entry = self.mapping(
            value, where, required=("collectionGroup", "fieldPath"), optional=("indexes", "ttl")
        )
        ttl = entry.get("ttl", False)
        if not isinstance(ttl, bool):
            raise self.fail(f"{where}.ttl", "must be true or false")
        indexes = []
        for i, item in enumerate(self.array(entry.get("indexes", []), f"{where}.indexes")):
            spot = f"{where}.indexes[{i}]"
            index = self.mapping(
                item, spot, required=(), optional=("order", "arrayConfig", "queryScope")
            )
            scope = self.choice(index.get("queryScope", COLLECTION), f"{spot}.queryScope", _SCOPES)
            if ("order" in index) == ("arrayConfig" in index):
                raise self.fail(spot, "needs exactly one of order or arrayConfig")
            if "order" in index:
                mode = self.choice(index["order"], f"{spot}.order", _ORDERS)
            else:
                mode = self.choice(index["arrayConfig"], f"{spot}.arrayConfig", (ARRAY_CONTAINS,))
            indexes.append(SingleFieldIndex(mode, scope))
        return FieldOverride(
            self.text(entry["collectionGroup"], f"{where}.collectionGroup"),
            self.field_path(entry["fieldPath"], f"{where}.fieldPath"),
            tuple(indexes),
            ttl,
        )
