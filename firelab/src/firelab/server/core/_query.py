"""StructuredQuery validation and compilation, with the emulator's error messages.

`compile_query` turns a `StructuredQuery` under a parent into a `CompiledQuery`: its scope
(one collection, a collection group, or every collection under the parent), a filter tree, the
full ordering (explicit orders, then inequality fields in path order, then `__name__`, all in
the direction of the last explicit order), encoded cursors, offset, limit and projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from firelab.server.core._errors import failed_precondition, invalid
from firelab.server.core._fieldpaths import (
    KEY_PATH,
    FieldPath,
    format_field_path,
    parse_field_path,
)
from firelab.server.core._filters import (
    ARRAY_CONTAINS,
    ARRAY_CONTAINS_ANY,
    EQUAL,
    IN,
    NOT_FILTERS,
    NOT_IN,
    Composite,
    Filter,
    Leaf,
    disjuncts,
    evaluate,
    leaves,
    make_leaf,
)
from firelab.server.core._keys import document_key
from firelab.server.core._names import DatabaseId, Path, check_collection_id, parse_any_name
from firelab.server.core._protos import (
    Document,
    QueryFieldFilter,
    QueryFilter,
    StructuredQuery,
    Value,
)
from firelab.server.core._values import descending, encode_value
from firelab.server.core._vectors import LIMIT_MESSAGE, MAX_NEAREST_LIMIT, query_vector

MAX_DISJUNCTIONS = 30
MAX_IN = 30
MAX_NOT_IN = 10

_FIELD_OPS = dict(StructuredQuery.FieldFilter.Operator.items())
_FIELD_NAMES = {number: name for name, number in _FIELD_OPS.items()}
_UNARY_NAMES = {number: name for name, number in StructuredQuery.UnaryFilter.Operator.items()}
_DESCENDING = StructuredQuery.Direction.Value("DESCENDING")
_AND = StructuredQuery.CompositeFilter.Operator.Value("AND")
_OR = StructuredQuery.CompositeFilter.Operator.Value("OR")


@dataclass(frozen=True, slots=True)
class Order:
    """One ordering: a field path (`("__name__",)` for the document name) and direction."""

    field: FieldPath
    descending: bool

    @property
    def is_key(self) -> bool:
        """Whether this orders by document name."""
        return self.field == KEY_PATH


@dataclass(frozen=True, slots=True)
class Bound:
    """A cursor: the encoded position (concatenated, direction applied) and `before`."""

    key: bytes
    before: bool
    width: int
    """How many orderings the cursor covers."""
    values: tuple[bytes, ...] = ()
    """Each covered ordering's value encoding (names as store keys), direction not applied."""


@dataclass(frozen=True, slots=True)
class Nearest:
    """A find_nearest stage."""

    field: FieldPath
    vector: tuple[float, ...]
    measure: str
    limit: int
    result_field: FieldPath | None
    threshold: float | None


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A validated query, ready to run against a store (see `_execute`)."""

    database: DatabaseId
    parent: Path
    collection_id: str
    """Empty for a query over every collection under the parent."""
    all_descendants: bool
    filter: Filter | None
    orders: tuple[Order, ...]
    explicit_orders: int
    start: Bound | None
    end: Bound | None
    offset: int
    limit: int | None
    projection: tuple[FieldPath, ...] | None
    nearest: Nearest | None = None
    required: tuple[FieldPath, ...] = ()
    """Fields a document must have to count (sum and avg aggregations)."""

    @property
    def is_group(self) -> bool:
        """Whether the query spans every collection with its ID under the parent."""
        return self.all_descendants and bool(self.collection_id)

    def name_key(self, path: Path) -> bytes:
        """The encoding `__name__` filters and cursors compare a document's name by."""
        return document_key(path)

    def order_key(self, path: Path, document: Document) -> bytes | None:
        """The document's position in the query's order (None: an ordered field is missing)."""
        parts = []
        for order in self.orders:
            if order.is_key:
                encoded = document_key(path)
            else:
                value = _lookup(document, order.field)
                if value is None:
                    return None
                encoded = encode_value(value)
            parts.append(descending(encoded) if order.descending else encoded)
        return b"".join(parts)

    def matches(self, document: Document) -> bool:
        """Whether a document (with its `name` set) is in the query's scope and passes its
        filters and orderings; the Listen stream uses this to route changes."""
        from firelab.server.core._names import parse_document_name

        _, path = parse_document_name(document.name)
        if not self.in_scope(path):
            return False
        if self.order_key(path, document) is None:
            return False
        return self.filter is None or evaluate(self.filter, document, self.name_key(path))

    def in_scope(self, path: Path) -> bool:
        """Whether a document path is inside the query's collection(s)."""
        parent = self.parent
        if len(path) <= len(parent) or path[: len(parent)] != parent:
            return False
        if not self.all_descendants and len(path) != len(parent) + 2:
            return False
        return not self.collection_id or path[-2] == self.collection_id


def _lookup(document: Document, field: FieldPath) -> Value | None:
    from firelab.server.core._fieldpaths import get_field

    return get_field(document.fields, field)


def compile_query(database: DatabaseId, parent: Path, query: StructuredQuery) -> CompiledQuery:
    """Validate `query` under `parent` and compile it; FirestoreError on invalid input."""
    selectors = list(query.from_)
    if len(selectors) > 1:
        raise invalid("StructuredQuery.from cannot have more than one collection selector.")
    collection_id = selectors[0].collection_id if selectors else ""
    all_descendants = bool(selectors[0].all_descendants) if selectors else False
    if collection_id:
        check_collection_id(collection_id)
    root = _compile_filter(database, query.where) if query.HasField("where") else None
    filters = leaves(root)
    _check_combinations(root, filters)
    explicit = _explicit_orders(query)
    kindless = not collection_id
    if kindless:
        for leaf in filters:
            if not leaf.is_key:
                raise invalid(f"kind is required for filter: {format_field_path(leaf.field)}")
    orders = _full_orders(explicit, filters)
    if len(orders) == 1 and orders[0].descending and all(leaf.is_key for leaf in filters):
        raise failed_precondition("Firestore does not support descending key scans")
    if kindless and (len(orders) != 1 or orders[0].descending):
        raise invalid("kind is required for all orders except __key__ ascending")
    start = (
        _bound(database, query.start_at, orders, len(explicit))
        if query.HasField("start_at")
        else None
    )
    end = (
        _bound(database, query.end_at, orders, len(explicit)) if query.HasField("end_at") else None
    )
    if query.HasField("limit") and query.limit.value < 0:
        raise invalid("limit is negative")
    if query.offset < 0:
        raise invalid("offset is negative")
    projection = None
    if query.HasField("select"):
        projection = tuple(
            parse_field_path(reference.field_path) for reference in query.select.fields
        )
    nearest = _nearest(query) if query.HasField("find_nearest") else None
    return CompiledQuery(
        database=database,
        parent=parent,
        collection_id=collection_id,
        all_descendants=all_descendants,
        filter=root,
        orders=orders,
        explicit_orders=len(explicit),
        start=start,
        end=end,
        offset=query.offset,
        limit=query.limit.value if query.HasField("limit") else None,
        projection=projection,
        nearest=nearest,
    )


def _compile_filter(database: DatabaseId, node: QueryFilter) -> Filter:
    kind = node.WhichOneof("filter_type")
    if kind == "composite_filter":
        composite = node.composite_filter
        if composite.op not in (_AND, _OR):
            raise invalid("Unsupported CompositeFilter operator.")
        parts = tuple(_compile_filter(database, part) for part in composite.filters)
        if composite.op == _AND:
            flat: list[Filter] = []
            for part in parts:
                if isinstance(part, Composite) and part.conjunction:
                    flat.extend(part.parts)
                else:
                    flat.append(part)
            return Composite(True, tuple(flat))
        return Composite(False, parts)
    if kind == "field_filter":
        return _compile_field_filter(database, node.field_filter)
    if kind == "unary_filter":
        unary = node.unary_filter
        op = _UNARY_NAMES.get(unary.op, "OPERATOR_UNSPECIFIED")
        if op == "OPERATOR_UNSPECIFIED":
            raise invalid("Unknown UnaryFilter operator.")
        field = parse_field_path(unary.field.field_path)
        if field == KEY_PATH:
            raise invalid("__key__ filter value must be a Key")
        return make_leaf(field, op, None)
    return Composite(True, ())


def _compile_field_filter(database: DatabaseId, node: QueryFieldFilter) -> Leaf:
    op = _FIELD_NAMES.get(node.op, "OPERATOR_UNSPECIFIED")
    if op == "OPERATOR_UNSPECIFIED":
        raise invalid("Unknown FieldFilter operator.")
    field = parse_field_path(node.field.field_path)
    value = node.value
    if op in (IN, NOT_IN, ARRAY_CONTAINS_ANY):
        if value.WhichOneof("value_type") != "array_value":
            raise invalid(f"'{op}' requires an ArrayValue.")
        count = len(value.array_value.values)
        if count == 0:
            raise invalid(f"'{op}' requires an non-empty ArrayValue.")
        limit = MAX_NOT_IN if op == NOT_IN else MAX_IN
        if count > limit:
            raise invalid(f"'{op}' supports up to {limit} comparison values.")
    if field == KEY_PATH:
        if op in (ARRAY_CONTAINS, ARRAY_CONTAINS_ANY):
            raise invalid("the name __key__ is reserved")
        operands = list(value.array_value.values) if op in (IN, NOT_IN) else [value]
        keys = tuple(_key_of(database, operand) for operand in operands)
        return Leaf(field, op, keys, False, 0, True)
    return make_leaf(field, op, value)


def _key_of(database: DatabaseId, value: Value) -> bytes:
    """The name encoding of a reference used in a `__name__` filter."""
    if value.WhichOneof("value_type") != "reference_value":
        raise invalid("__key__ filter value must be a Key")
    return _reference_key(database, value.reference_value)


def _reference_key(database: DatabaseId, reference: str) -> bytes:
    other, path = parse_any_name(reference)
    if len(path) % 2 != 0:
        raise invalid(f'Document parent name "{reference}" lacks "/" at index {len(reference)}.')
    if other != database:
        return (
            b""
            if (other.project, other.database) < (database.project, database.database)
            else b"\xff"
        )
    return document_key(path)


def _check_combinations(root: Filter | None, filters: list[Leaf]) -> None:
    negations = [leaf for leaf in filters if leaf.op in NOT_FILTERS]
    if len(negations) > 1:
        raise invalid(
            "Only a single 'NOT_EQUAL', 'NOT_IN', 'IS_NOT_NAN', or 'IS_NOT_NULL' filter allowed "
            "per query."
        )
    if any(leaf.op == NOT_IN for leaf in filters) and (
        any(leaf.op in (IN, ARRAY_CONTAINS_ANY) for leaf in filters) or _has_or(root)
    ):
        raise invalid(
            "'NOT_IN' cannot be used in the same query with 'IN', 'ARRAY_CONTAINS_ANY' or 'OR'."
        )
    if sum(leaf.op in (ARRAY_CONTAINS, ARRAY_CONTAINS_ANY) for leaf in filters) > 1:
        raise failed_precondition("Only a single array-contains clause is allowed in a query")
    for conjunction in disjuncts(root):
        _check_key_equality(conjunction)
    count = _disjunction_count(root)
    if count > MAX_DISJUNCTIONS:
        raise invalid(
            f"Too many disjunctions after normalization. Result had {count} disjunctions which "
            f"is more than the maximum of {MAX_DISJUNCTIONS}"
        )


KEY_EQUALITY_WITH_INEQUALITY = (
    "Equality on key is not allowed if there are other inequality fields and key does not "
    "appear in inequalities."
)
"""Production's INVALID_ARGUMENT for `key != 42` with `__name__ == doc1` (firebase-js-sdk
composite_index_query.test.ts, "inequality query will reject if document key appears only in
equality filter")."""


def _check_key_equality(conjunction: list[Leaf]) -> None:
    if not any(leaf.is_key and leaf.op == EQUAL for leaf in conjunction):
        return
    inequalities = [leaf for leaf in conjunction if leaf.inequality]
    if inequalities and not any(leaf.is_key for leaf in inequalities):
        raise invalid(KEY_EQUALITY_WITH_INEQUALITY)


def _has_or(node: Filter | None) -> bool:
    if node is None or isinstance(node, Leaf):
        return False
    return not node.conjunction or any(_has_or(part) for part in node.parts)


def _disjunction_count(node: Filter | None) -> int:
    if node is None:
        return 1
    if isinstance(node, Leaf):
        return max(len(node.targets), 1) if node.op in (IN, ARRAY_CONTAINS_ANY) else 1
    if node.conjunction:
        product = 1
        for part in node.parts:
            product *= _disjunction_count(part)
        return product
    return sum(_disjunction_count(part) for part in node.parts)


def _explicit_orders(query: StructuredQuery) -> list[Order]:
    orders: list[Order] = []
    seen: set[FieldPath] = set()
    for order in query.order_by:
        field = parse_field_path(order.field.field_path)
        if field in seen:
            raise invalid(
                f"order by clause cannot contain duplicate fields {format_field_path(field)}"
            )
        seen.add(field)
        orders.append(Order(field, order.direction == _DESCENDING))
    return orders


def _full_orders(explicit: list[Order], filters: list[Leaf]) -> tuple[Order, ...]:
    orders = list(explicit)
    direction = explicit[-1].descending if explicit else False
    named = {order.field for order in explicit}
    implicit = sorted(
        {leaf.field for leaf in filters if leaf.inequality and not leaf.is_key} - named,
        key=format_field_path,
    )
    orders.extend(Order(field, direction) for field in implicit)
    if KEY_PATH not in named:
        orders.append(Order(KEY_PATH, direction))
    for index, order in enumerate(orders):
        if order.is_key and index != len(orders) - 1:
            raise invalid("order by clause cannot contain more fields after the key")
    return tuple(orders)


def _bound(database: DatabaseId, cursor: object, orders: tuple[Order, ...], explicit: int) -> Bound:
    values = list(cursor.values)  # type: ignore[attr-defined]
    if len(values) > explicit:
        raise invalid("Cursor has too many values.")
    parts = []
    raw: list[bytes] = []
    for order, value in zip(orders, values, strict=False):
        if order.is_key:
            if value.WhichOneof("value_type") != "reference_value":
                raise invalid("Cursor __key__ value is not a document reference.")
            encoded = _reference_key(database, value.reference_value)
        else:
            encoded = encode_value(value)
        raw.append(encoded)
        parts.append(descending(encoded) if order.descending else encoded)
    before = bool(cursor.before)  # type: ignore[attr-defined]
    return Bound(b"".join(parts), before, len(values), tuple(raw))


def _nearest(query: StructuredQuery) -> Nearest:
    """Validate a find_nearest stage the way production does (limits from the FindNearest
    reference of google.firestore.v1: at most 2048 dimensions, a limit of 1 to 1000)."""
    stage = query.find_nearest
    if not stage.vector_field.field_path:
        raise invalid("FindNearest.vector_field is required.")
    field = parse_field_path(stage.vector_field.field_path)
    vector = query_vector(stage.query_vector)
    if stage.distance_measure == StructuredQuery.FindNearest.DISTANCE_MEASURE_UNSPECIFIED:
        raise invalid("FindNearest.distance_measure is required.")
    measure = StructuredQuery.FindNearest.DistanceMeasure.Name(stage.distance_measure)
    if not stage.HasField("limit") or not 1 <= stage.limit.value <= MAX_NEAREST_LIMIT:
        raise invalid(LIMIT_MESSAGE)
    result_field = (
        parse_field_path(stage.distance_result_field) if stage.distance_result_field else None
    )
    if result_field == ("__name__",):
        raise invalid('The distanceResultField.property.name "__name__" is reserved.')
    threshold = stage.distance_threshold.value if stage.HasField("distance_threshold") else None
    if threshold is not None and not math.isfinite(threshold):
        raise invalid("FindNearest.distance_threshold must be a finite number.")
    return Nearest(
        field=field,
        vector=vector,
        measure=measure,
        limit=stage.limit.value,
        result_field=result_field,
        threshold=threshold,
    )


__all__ = ["CompiledQuery", "Nearest", "Order", "compile_query"]
