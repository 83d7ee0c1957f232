"""Vector values and the nearest-neighbour stage of find_nearest, computed exactly.

Production serves find_nearest from a flat vector index (exact k-nearest-neighbour search);
here the candidates that pass the pre-filters are scored in one numpy pass: the rows of a
`VectorTable` (`nearest_rows`, the usual path), or, for reads at an older time, the records the
scans select, each stored version's vector decoded once and kept on its record (`Candidates`).

What production does, and where it is written down:

* documents whose field is missing, is not a vector, or has another dimension than the query
  vector are skipped, not refused (nodejs-firestore system tests "supports findNearest skipping
  fields of wrong types", "findNearest ignores mismatching dimensions", "supports findNearest on
  non-existent field");
* EUCLIDEAN and COSINE distances grow as vectors differ, DOT_PRODUCT grows as they agree, so the
  threshold keeps `distance <= threshold` for the first two and `distance >= threshold` for
  the last (the FindNearest reference of google.firestore.v1, `distance_threshold`);
* COSINE is `1 - cos(angle)`; a zero vector has no angle, so it never matches (unverified
  against production, which does not document it);
* ties keep document name order (production promises no order among equal distances).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from firelab.server.core._errors import invalid
from firelab.server.core._fieldpaths import FieldPath, get_field
from firelab.server.core._protos import Value
from firelab.server.core._values import is_vector

if TYPE_CHECKING:
    from firelab.server.core._query import Nearest
    from firelab.server.core._store import Record

__all__ = [
    "LIMIT_MESSAGE",
    "MAX_DIMENSION",
    "MAX_NEAREST_LIMIT",
    "Candidates",
    "decode_vector",
    "nearest_distances",
    "nearest_rows",
    "query_vector",
    "stored_vector",
    "vector_elements",
]

MAX_DIMENSION: Final = 2048
"""The largest vector a query or a vector index takes (FindNearest.query_vector reference)."""
MAX_NEAREST_LIMIT: Final = 1000
LIMIT_MESSAGE: Final = "FindNearest.limit must be a positive integer of no more than 1000."

_Array = npt.NDArray[np.float64]
_NUMBERS = frozenset({"double_value", "integer_value"})


def vector_elements(value: Value) -> tuple[float, ...] | None:
    """The components of a vector value, or None for any other value (a vector holding
    something other than numbers is not a vector)."""
    if value.WhichOneof("value_type") != "map_value" or not is_vector(value):
        return None
    elements = value.map_value.fields["value"].array_value.values
    numbers = []
    for element in elements:
        kind = element.WhichOneof("value_type")
        if kind not in _NUMBERS:
            return None
        numbers.append(
            element.double_value if kind == "double_value" else float(element.integer_value)
        )
    return tuple(numbers)


def query_vector(value: Value) -> tuple[float, ...]:
    """The query vector of a find_nearest stage, refused when it is not a usable vector."""
    elements = vector_elements(value)
    if elements is None:
        raise invalid("FindNearest.query_vector must be a vector value of numbers.")
    if not elements:
        raise invalid("Cannot have a zero length vector.")
    if len(elements) > MAX_DIMENSION:
        raise invalid(
            f"FindNearest.query_vector has {len(elements)} dimensions, "
            f"must be a vector of no more than {MAX_DIMENSION} dimensions."
        )
    if not all(np.isfinite(elements)):
        raise invalid("FindNearest.query_vector must hold finite numbers.")
    return elements


_NOT_A_VECTOR: Final = np.empty(0)
# An array of doubles serializes as one 11-byte record per element: `values` (field 1,
# length-delimited, 9 bytes), then `double_value` (field 3, fixed64) and its 8 bytes.
_DOUBLE_ELEMENT: Final = np.dtype([("head", "S3"), ("value", "<f8")])
_DOUBLE_HEAD: Final = b"\x0a\x09\x19"


def _decode(value: Value) -> _Array:
    """A stored vector as an array (`_NOT_A_VECTOR` when it is none); arrays of doubles, what
    every client writes, are read straight from their wire bytes."""
    if value.WhichOneof("value_type") != "map_value" or not is_vector(value):
        return _NOT_A_VECTOR
    wire = value.map_value.fields["value"].array_value.SerializeToString()
    if wire and len(wire) % _DOUBLE_ELEMENT.itemsize == 0:
        elements = np.frombuffer(wire, dtype=_DOUBLE_ELEMENT)
        if bool(np.all(elements["head"] == _DOUBLE_HEAD)):
            return elements["value"].astype(np.float64)
    numbers = vector_elements(value)
    return _NOT_A_VECTOR if not numbers else np.array(numbers, dtype=np.float64)


def decode_vector(value: Value) -> _Array | None:
    """A stored vector value as an array, None when the value is no vector."""
    found = _decode(value)
    return None if found is _NOT_A_VECTOR else found


def stored_vector(record: Record, field: FieldPath) -> _Array | None:
    """The vector a stored version holds at `field` (decoded once, kept on the record)."""
    cache = record.vectors
    if cache is None:
        cache = record.vectors = {}
    found = cache.get(field)
    if found is None:
        value = get_field(record.fields_document().fields, field)
        found = _NOT_A_VECTOR if value is None else _decode(value)
        cache[field] = found
    return None if found is _NOT_A_VECTOR else found


@dataclass(frozen=True, slots=True)
class Candidates:
    """The records holding a vector of one dimension at one field, in name order, with their
    vectors as one matrix and their norms (built once, searched by any query vector)."""

    records: list[Record]
    matrix: _Array
    norms: _Array

    @classmethod
    def of(cls, field: FieldPath, dimension: int, records: Iterable[Record]) -> Candidates:
        kept = []
        vectors = []
        for record in records:
            vector = stored_vector(record, field)
            if vector is not None and vector.shape[0] == dimension:
                kept.append(record)
                vectors.append(vector)
        matrix = np.stack(vectors) if vectors else np.empty((0, dimension))
        norms: _Array = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
        return cls(kept, matrix, norms)


def nearest_distances(nearest: Nearest, candidates: Candidates) -> list[tuple[float, Record]]:
    """The `limit` nearest candidates within the threshold, nearest first, with their
    distances; equal distances keep name order."""
    if not candidates.records:
        return []
    query = np.array(nearest.vector, dtype=np.float64)
    distances = _distances(nearest.measure, candidates.matrix, candidates.norms, query)
    positions, rank = _within_threshold(nearest, distances)
    order = positions[np.argsort(rank, kind="stable")][: nearest.limit]
    return [(float(distances[i]), candidates.records[i]) for i in order]


def _within_threshold(nearest: Nearest, distances: _Array) -> tuple[npt.NDArray[np.intp], _Array]:
    """The positions of the distances within the threshold (NaN, a zero vector's cosine, never
    is), and their rank keys: smaller is nearer (a dot product ranks by its negation)."""
    valid = ~np.isnan(distances)
    if nearest.threshold is not None:
        if nearest.measure == "DOT_PRODUCT":
            valid &= distances >= nearest.threshold
        else:
            valid &= distances <= nearest.threshold
    positions = np.flatnonzero(valid)
    rank = -distances[positions] if nearest.measure == "DOT_PRODUCT" else distances[positions]
    return positions, rank


def _distances(measure: str, matrix: _Array, norms: _Array, query: _Array) -> _Array:
    if measure == "EUCLIDEAN":
        difference = matrix - query
        euclidean: _Array = np.sqrt(np.einsum("ij,ij->i", difference, difference))
        return euclidean
    dots = matrix @ query
    if measure == "DOT_PRODUCT":
        return dots
    norms = norms * float(np.sqrt(query @ query))
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(norms > 0, dots / np.where(norms > 0, norms, 1.0), np.nan)
    distances: _Array = 1.0 - np.clip(cosine, -1.0, 1.0)
    return distances


_CHUNK: Final = 4096
"""Rows scored at a time, so the temporaries of a Euclidean distance stay small."""


def nearest_rows(
    nearest: Nearest,
    matrix: _Array,
    norms: _Array,
    rows: npt.NDArray[np.intp],
    keys: list[bytes | None],
) -> list[tuple[float, int]]:
    """The `limit` nearest of `rows` (of a `VectorTable`'s matrix) within the threshold, nearest
    first, as (distance, row); equal distances in document name order (`keys`)."""
    if rows.size == 0:
        return []
    query = np.array(nearest.vector, dtype=np.float64)
    dense = rows.size * 2 > matrix.shape[0]
    parts = []
    if dense:
        # Most rows survive: score contiguous slices (views, no copy), then pick the rows.
        end = int(rows[-1]) + 1
        for start in range(0, end, _CHUNK):
            stop = min(start + _CHUNK, end)
            parts.append(_distances(nearest.measure, matrix[start:stop], norms[start:stop], query))
        distances = np.concatenate(parts)[rows]
    else:
        for start in range(0, rows.size, _CHUNK):
            chosen = rows[start : start + _CHUNK]
            parts.append(_distances(nearest.measure, matrix[chosen], norms[chosen], query))
        distances = np.concatenate(parts)
    positions, rank = _within_threshold(nearest, distances)
    if positions.size > nearest.limit:
        # Every row as near as the limit-th nearest (ties included), then ordered exactly.
        cutoff = np.partition(rank, nearest.limit - 1)[nearest.limit - 1]
        kept = rank <= cutoff
        positions, rank = positions[kept], rank[kept]
    order = sorted(
        range(positions.size), key=lambda i: (float(rank[i]), keys[int(rows[positions[i]])])
    )[: nearest.limit]
    return [(float(distances[positions[i]]), int(rows[positions[i]])) for i in order]
