"""The stored vectors of one (collection ID, field, dimension) as a matrix kept current on write.

A find_nearest over 100,000 documents cannot afford to parse 100,000 documents to evaluate its
pre-filters and gather their vectors: that costs about 0.2 ms a document. A `VectorTable` holds,
for every document of a collection ID whose field holds a vector of the dimension, a row of a
numpy matrix with the vector, its norm, the document's parent collection and key, and, for each
field a pre-filter has named so far, a code of the document's value there. The store updates
the rows of every table of a collection ID on each put, restore and clear (under the engine's
lock, like the indexes), so a query costs one vectorised pass:

* scope: the rows whose parent is the query's collection (or every row for a collection group
  at the root; a group under a document checks each row's path);
* pre-filters: each filter leaf is evaluated once per distinct value its field holds (a value's
  code indexes a lookup table of the leaf's answers), so any filter is evaluated exactly as on
  the document (`Leaf.matches_value`), and a conjunction or disjunction of leaves combines masks;
* distances over the surviving rows, the `limit` nearest (equal distances in name order), and
  only those documents are read from the store.

Tables are built on first use by a query (one parse per document of the collection ID) and kept
until the store is cleared; field codes are added the first time a filter names the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from firelab.server.core._fieldpaths import FieldPath, get_field
from firelab.server.core._filters import Filter, Leaf
from firelab.server.core._names import Path
from firelab.server.core._protos import Document, Value

if TYPE_CHECKING:
    from firelab.server.core._query import CompiledQuery
    from firelab.server.core._store import Record

__all__ = ["VectorTable"]

_Array = npt.NDArray[np.float64]
_Mask = npt.NDArray[np.bool_]
_Codes = npt.NDArray[np.int32]
_MISSING: Final = -1
"""The code of a missing field: index -1 of a lookup table is the answer for a missing field."""


class _FieldCodes:
    """The value each row holds at one field, as a code into the distinct values seen."""

    __slots__ = ("codes", "interned", "values")

    def __init__(self, capacity: int) -> None:
        self.codes: _Codes = np.full(capacity, _MISSING, dtype=np.int32)
        self.interned: dict[bytes, int] = {}
        self.values: list[Value] = []

    def code(self, value: Value | None) -> int:
        if value is None:
            return _MISSING
        wire = value.SerializeToString(deterministic=True)
        found = self.interned.get(wire)
        if found is None:
            kept = Value()
            kept.CopyFrom(value)
            found = self.interned[wire] = len(self.values)
            self.values.append(kept)
        return found

    def lookup(self, answer: Callable[[Value | None], bool]) -> _Mask:
        """The answer for each code, the missing field's answer last (code -1)."""
        answers = [answer(value) for value in self.values]
        answers.append(answer(None))
        return np.array(answers, dtype=np.bool_)


class VectorTable:
    """Rows of the documents of `collection_id` holding a `dimension`-long vector at `field`."""

    def __init__(
        self,
        collection_id: str,
        field: FieldPath,
        dimension: int,
        decode: Callable[[Value], _Array | None],
        coded: Iterable[FieldPath] = (),
    ) -> None:
        self.collection_id = collection_id
        self.field = field
        self.dimension = dimension
        self._decode = decode
        capacity = 64
        self.matrix: _Array = np.zeros((capacity, dimension))
        self.norms: _Array = np.zeros(capacity)
        self.alive: _Mask = np.zeros(capacity, dtype=np.bool_)
        self.parents: _Codes = np.full(capacity, _MISSING, dtype=np.int32)
        self.keys: list[bytes | None] = []
        self.paths: list[Path | None] = []
        self.rows: dict[bytes, int] = {}
        self.free: list[int] = []
        self.parent_codes: dict[Path, int] = {}
        self.fields: dict[FieldPath, _FieldCodes] = {
            field: _FieldCodes(capacity) for field in coded
        }
        """Codes of the fields filters name: those given here are filled as rows are added."""

    @property
    def size(self) -> int:
        """Rows in use or freed (the high-water mark); live rows are `alive[:size]`."""
        return len(self.keys)

    # Writing ----------------------------------------------------------------------------

    def update(self, key: bytes, path: Path, fields: Document | None) -> None:
        """Bring the row of document `key` in line with its new fields (None: deleted)."""
        vector = None
        if fields is not None:
            value = get_field(fields.fields, self.field)
            if value is not None:
                vector = self._decode(value)
        row = self.rows.get(key)
        if vector is None or vector.shape[0] != self.dimension:
            if row is not None:
                self._release(key, row)
            return
        if row is None:
            row = self._allocate(key, path)
        self.matrix[row] = vector
        self.norms[row] = np.sqrt(
            np.einsum("ij,ij->i", self.matrix[row : row + 1], self.matrix[row : row + 1])
        )[0]
        assert fields is not None
        for field, codes in self.fields.items():
            codes.codes[row] = codes.code(get_field(fields.fields, field))

    def _allocate(self, key: bytes, path: Path) -> int:
        if self.free:
            row = self.free.pop()
            self.keys[row] = key
            self.paths[row] = path
        else:
            row = len(self.keys)
            if row == self.matrix.shape[0]:
                self._grow(row * 2)
            self.keys.append(key)
            self.paths.append(path)
        self.rows[key] = row
        self.alive[row] = True
        parent = path[:-1]
        code = self.parent_codes.get(parent)
        if code is None:
            code = self.parent_codes[parent] = len(self.parent_codes)
        self.parents[row] = code
        return row

    def _release(self, key: bytes, row: int) -> None:
        del self.rows[key]
        self.alive[row] = False
        self.keys[row] = None
        self.paths[row] = None
        self.free.append(row)

    def _grow(self, capacity: int) -> None:
        def grown(array: npt.NDArray[np.generic], fill: object) -> npt.NDArray[np.generic]:
            shape = (capacity, *array.shape[1:])
            bigger = np.full(shape, fill, dtype=array.dtype)
            bigger[: array.shape[0]] = array
            return bigger

        self.matrix = grown(self.matrix, 0.0)  # type: ignore[assignment]
        self.norms = grown(self.norms, 0.0)  # type: ignore[assignment]
        self.alive = grown(self.alive, False)  # type: ignore[assignment]
        self.parents = grown(self.parents, _MISSING)  # type: ignore[assignment]
        for codes in self.fields.values():
            codes.codes = grown(codes.codes, _MISSING)  # type: ignore[assignment]

    # Reading ----------------------------------------------------------------------------

    def prepare(
        self, fields: Iterable[FieldPath], current: Callable[[bytes], Record | None]
    ) -> None:
        """Compute the codes of the `fields` not yet coded, from the stored documents (one
        parse per row for all of them); `update` keeps them current from then on."""
        missing = [field for field in dict.fromkeys(fields) if field not in self.fields]
        if not missing:
            return
        added = {field: _FieldCodes(self.matrix.shape[0]) for field in missing}
        for row, key in enumerate(self.keys):
            record = current(key) if key is not None else None
            if record is not None:
                document = record.fields_document().fields
                for field, codes in added.items():
                    codes.codes[row] = codes.code(get_field(document, field))
        self.fields.update(added)

    def codes_of(self, field: FieldPath, current: Callable[[bytes], Record | None]) -> _Codes:
        """The codes of `field` for every row (computed on first use, see `prepare`)."""
        self.prepare((field,), current)
        return self.fields[field].codes[: self.size]

    def in_scope(self, query: CompiledQuery) -> _Mask:
        """The live rows inside the query's collection(s)."""
        size = self.size
        alive = self.alive[:size]
        if not query.all_descendants:
            code = self.parent_codes.get((*query.parent, query.collection_id))
            if code is None:
                return np.zeros(size, dtype=np.bool_)
            same: _Mask = alive & (self.parents[:size] == code)
            return same
        if not query.parent:
            return alive.copy()
        inside = np.fromiter(
            (path is not None and query.in_scope(path) for path in self.paths),
            dtype=np.bool_,
            count=size,
        )
        return alive & inside

    def passing(self, node: Filter, current: Callable[[bytes], Record | None]) -> _Mask:
        """The rows whose documents pass `node` (evaluated as `_filters.evaluate` does)."""
        if isinstance(node, Leaf):
            if node.is_key:
                return np.fromiter(
                    (key is not None and node.matches_key(key) for key in self.keys),
                    dtype=np.bool_,
                    count=self.size,
                )
            codes = self.codes_of(node.field, current)
            return self.fields[node.field].lookup(node.matches_value)[codes]
        parts = [self.passing(part, current) for part in node.parts]
        if node.conjunction:
            return np.logical_and.reduce(parts)  # type: ignore[no-any-return]
        return np.logical_or.reduce(parts)  # type: ignore[no-any-return]

    def present(self, field: FieldPath, current: Callable[[bytes], Record | None]) -> _Mask:
        """The rows whose documents hold a value at `field` (an ordering needs one)."""
        present: _Mask = self.codes_of(field, current) != _MISSING
        return present
