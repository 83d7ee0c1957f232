"""Query execution: pick an index scan, then filter, order, apply cursors, offset and limit.

The planner prefers scans whose cost follows the size of the result:

- ordered by a field: a range scan of that field's index (the ranges come from the filters on
  the field), already in query order, so a limit stops the scan early; when the query has
  further orderings, runs of equal values are sorted as they stream past;
- ordered by name only: the most selective equality-like filter (==, in, array-contains(-any),
  is null / is NaN) as point scans of its index, merged in name order; without such a filter,
  a name-ordered scan of the collection;
- an equality filter much more selective than the ordering field's range is scanned instead,
  and its matches are sorted;
- a composite index from firestore.indexes.json serving the equalities and orderings is used
  when one exists.

The fallback (documented): queries with OR are run as the union of their disjunctions' scans
and sorted; queries at a read time older than the latest changes merge the changed documents'
old versions and sort. All of these cost in proportion to the documents matching the filters,
not to the limit.

find_nearest over a collection or collection group reads the store's `VectorTable` of the
collection ID and field (`_vector_table`): scope and pre-filters become masks over its rows, the
survivors are scored in one numpy pass (`_vectors`) and only the `limit` winners are read, so a
query costs a few arithmetic operations per stored vector, not a document parse. A query at a
read time older than the latest changes, or over every collection of a parent, scans the
documents its pre-filters select instead (the collection without them).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from sortedcontainers import SortedList  # type: ignore[import-untyped]

from firelab.server.core._fieldpaths import get_field
from firelab.server.core._filters import (
    ARRAY_CONTAINS,
    ARRAY_CONTAINS_ANY,
    EQUAL,
    IN,
    IS_NAN,
    IS_NULL,
    KeyRange,
    Leaf,
    disjuncts,
    evaluate,
    leaves,
)
from firelab.server.core._indexes import CompositeIndex, IndexConfig
from firelab.server.core._keys import AFTER, END, segments_key
from firelab.server.core._protos import Document
from firelab.server.core._query import CompiledQuery
from firelab.server.core._store import Record, Store
from firelab.server.core._values import encode_segment, encode_value
from firelab.server.core._vectors import Candidates, nearest_distances, nearest_rows

__all__ = ["FULL", "Hit", "Result", "execute"]

FULL = 2
FIRST = 1
UNORDERED = 0

_POINT_OPS = frozenset({EQUAL, IN, IS_NULL, IS_NAN, ARRAY_CONTAINS, ARRAY_CONTAINS_ANY})


@dataclass(slots=True)
class Hit:
    """A matching document version with its parsed fields."""

    record: Record
    fields: Document
    distance: float | None = None
    """The vector distance of a find_nearest result."""


@dataclass(slots=True)
class Result:
    """Query output: the matches in order (after offset and limit) and how many were skipped."""

    hits: list[Hit]
    skipped: int
    examined: int = 0
    """How many stored documents the scans read (the query's cost)."""


@dataclass(slots=True)
class _Source:
    records: Iterable[Record]
    quality: int
    exact: bool
    """Whether every record is inside the query's scope (no scope check needed)."""


def execute(
    store: Store,
    query: CompiledQuery,
    *,
    snapshot_us: int | None = None,
    indexes: IndexConfig | None = None,
) -> Result:
    """Run a compiled query against `store`, reading the state at `snapshot_us` (None: now)."""
    changed: set[bytes] = set()
    if snapshot_us is not None:
        changed = store.changed_since(snapshot_us)
    if query.nearest is not None:
        return _nearest(store, query, changed, snapshot_us, indexes)
    conjunctions = disjuncts(query.filter)
    if len(conjunctions) == 1:
        source = _plan(store, query, conjunctions[0], indexes)
    else:
        source = _Source(_union(store, query, conjunctions, indexes), UNORDERED, False)
    if changed:
        assert snapshot_us is not None
        source = _Source(
            _with_snapshot(store, source.records, changed, snapshot_us), UNORDERED, False
        )
    counter = [0]
    result = _finish(query, _matching(query, source, counter), source.quality)
    result.examined = counter[0]
    return result


def _matching(
    query: CompiledQuery, source: _Source, counter: list[int] | None = None
) -> Iterator[tuple[bytes, Hit]]:
    exact = source.exact
    root = query.filter
    required = query.required
    for record in source.records:
        if counter is not None:
            counter[0] += 1
        if not exact and not query.in_scope(record.path):
            continue
        fields = record.fields_document()
        key = query.order_key(record.path, fields)
        if key is None:
            continue
        if required and any(get_field(fields.fields, field) is None for field in required):
            continue
        if root is not None and not evaluate(root, fields, record.key):
            continue
        yield key, Hit(record, fields)


def _finish(query: CompiledQuery, matches: Iterator[tuple[bytes, Hit]], quality: int) -> Result:
    if quality == UNORDERED:
        matches = iter(sorted(matches, key=lambda item: item[0]))
    elif quality == FIRST:
        matches = _sort_runs(query, matches)
    start, end = query.start, query.end
    offset = query.offset
    limit = query.limit
    hits: list[Hit] = []
    skipped = 0
    if limit == 0:
        return Result(hits, 0)
    for key, hit in matches:
        if start is not None:
            position = _position(key, start.key)
            if position < 0 or (position == 0 and not start.before):
                continue
        if end is not None:
            position = _position(key, end.key)
            if position > 0 or (position == 0 and end.before):
                break
        if skipped < offset:
            skipped += 1
            continue
        hits.append(hit)
        if limit is not None and len(hits) >= limit:
            break
    return Result(hits, skipped)


def _position(key: bytes, cursor: bytes) -> int:
    """Compare an order key with a cursor covering its first components (prefix-free)."""
    if key.startswith(cursor):
        return 0
    return -1 if key < cursor else 1


def _sort_runs(
    query: CompiledQuery, matches: Iterator[tuple[bytes, Hit]]
) -> Iterator[tuple[bytes, Hit]]:
    """Sort runs of hits that share the first ordered value (the scan's own order)."""
    first = query.orders[0]
    run: list[tuple[bytes, Hit]] = []
    run_value: bytes | None = None
    for key, hit in matches:
        value = get_field(hit.fields.fields, first.field)
        encoded = encode_value(value) if value is not None else b""
        if encoded != run_value:
            run.sort(key=lambda item: item[0])
            yield from run
            run = []
            run_value = encoded
        run.append((key, hit))
    run.sort(key=lambda item: item[0])
    yield from run


# Planning ---------------------------------------------------------------------------------


def _plan(
    store: Store, query: CompiledQuery, conjunction: list[Leaf], indexes: IndexConfig | None
) -> _Source:
    if not query.collection_id:
        return _Source(store.child_records(query.parent, query.all_descendants), FULL, True)
    composite = _composite(store, query, conjunction, indexes)
    if composite is not None:
        return composite
    first = query.orders[0]
    points = _best_points(store, query, conjunction)
    if not first.is_key:
        ranges = _field_ranges(conjunction, first.field)
        scan_count = _range_count(store, query, first.field, ranges)
        if points is not None and points[0] < _expected_scan(query, scan_count, points[0]):
            return _Source(points[1], UNORDERED, _exact(query))
        quality = FULL if _name_follows(query) and len(query.orders) == 2 else FIRST
        records = _range_scan(store, query, first.field, ranges, first.descending)
        return _Source(records, quality, _exact(query))
    if points is not None:
        return _Source(points[1], FULL, _exact(query))
    return _Source(_name_scan(store, query, conjunction), FULL, _exact(query))


def _expected_scan(query: CompiledQuery, scan_count: int, matches: int) -> int:
    """How many index entries a scan of the ordering field reads before the limit is met,
    if the equality's matches are spread evenly over it."""
    if query.limit is None or query.start is not None or query.end is not None:
        return scan_count
    wanted = query.limit + query.offset
    return min(scan_count, wanted * scan_count // max(matches, 1))


def _exact(query: CompiledQuery) -> bool:
    return not query.is_group or not query.parent


def _name_follows(query: CompiledQuery) -> bool:
    return query.orders[-1].descending == query.orders[0].descending


def _field_ranges(conjunction: list[Leaf], field: tuple[str, ...]) -> list[KeyRange]:
    ranges = [KeyRange(None, None)]
    for leaf in conjunction:
        if leaf.is_key or leaf.field != field:
            continue
        own = leaf.ranges()
        if own is None:
            continue
        ranges = _intersect(ranges, own)
    return ranges


def _intersect(left: list[KeyRange], right: list[KeyRange]) -> list[KeyRange]:
    result = []
    for a in left:
        for b in right:
            low = _max_low(a.low, b.low)
            high = _min_high(a.high, b.high)
            if high is None or low is None or low < high:
                result.append(KeyRange(low, high))
    result.sort(key=lambda item: item.low or b"")
    return result


def _max_low(a: bytes | None, b: bytes | None) -> bytes | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min_high(a: bytes | None, b: bytes | None) -> bytes | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _scope_index(
    store: Store, query: CompiledQuery, field: tuple[str, ...], contains: bool
) -> tuple[SortedList | None, bytes]:
    if query.is_group:
        index = store.group_value_index(query.collection_id, field, contains)
        return index, encode_segment(query.collection_id)
    collection = (*query.parent, query.collection_id)
    found = store.contains_index(field) if contains else store.value_index(field)
    return found, segments_key(collection) + END


def _bounds(prefix: bytes, item: KeyRange) -> tuple[bytes, bytes]:
    low = prefix + (item.low or b"")
    high = prefix + item.high if item.high is not None else prefix + AFTER
    return low, high


def _range_count(
    store: Store, query: CompiledQuery, field: tuple[str, ...], ranges: list[KeyRange]
) -> int:
    index, prefix = _scope_index(store, query, field, False)
    if index is None:
        return 0
    total = 0
    for item in ranges:
        low, high = _bounds(prefix, item)
        total += index.bisect_left(high) - index.bisect_left(low)
    return total


def _resolver(store: Store, query: CompiledQuery):  # type: ignore[no-untyped-def]
    if query.is_group:
        return store.record_for_group
    collection_prefix = segments_key((*query.parent, query.collection_id))
    return lambda key: store.record_for_suffix(collection_prefix, key)


def _range_scan(
    store: Store,
    query: CompiledQuery,
    field: tuple[str, ...],
    ranges: list[KeyRange],
    reverse: bool,
) -> Iterator[Record]:
    index, prefix = _scope_index(store, query, field, False)
    if index is None:
        return
    if query.start is not None and query.start.values:
        first = query.start.values[0]
        bound = KeyRange(None, first + AFTER) if reverse else KeyRange(first, None)
        ranges = _intersect(ranges, [bound])
    resolve = _resolver(store, query)
    for item in reversed(ranges) if reverse else ranges:
        low, high = _bounds(prefix, item)
        for key in index.irange(low, high, inclusive=(True, False), reverse=reverse):
            yield resolve(key)


def _best_points(
    store: Store, query: CompiledQuery, conjunction: list[Leaf]
) -> tuple[int, Iterator[Record]] | None:
    """The cheapest equality-like filter as (match count, name-ordered record iterator)."""
    best: tuple[int, Leaf, list[bytes], bool] | None = None
    for leaf in conjunction:
        if leaf.is_key or leaf.op not in _POINT_OPS:
            continue
        contains = leaf.op in (ARRAY_CONTAINS, ARRAY_CONTAINS_ANY)
        index, prefix = _scope_index(store, query, leaf.field, contains)
        if contains:
            points = sorted(set(leaf.targets)) if not leaf.never else []
        else:
            ranges = leaf.ranges() or []
            points = [item.low for item in ranges if item.low is not None]
        count = 0
        if index is not None:
            for point in points:
                low = prefix + point
                count += index.bisect_left(low + AFTER) - index.bisect_left(low)
        if best is None or count < best[0]:
            best = (count, leaf, points, contains)
    if best is None:
        return None
    count, leaf, points, contains = best
    index, prefix = _scope_index(store, query, leaf.field, contains)
    descending = query.orders[-1].descending
    return count, _point_scan(store, query, index, prefix, points, descending)


def _point_scan(
    store: Store,
    query: CompiledQuery,
    index: SortedList | None,
    prefix: bytes,
    points: list[bytes],
    descending: bool,
) -> Iterator[Record]:
    if index is None:
        return
    resolve = _resolver(store, query)
    seek = (_name_seek(query) or b"") if not descending else b""
    streams = [
        (
            resolve(key)
            for key in index.irange(
                prefix + point + seek,
                prefix + point + AFTER,
                inclusive=(True, False),
                reverse=descending,
            )
        )
        for point in points
    ]
    merged = heapq.merge(*streams, key=lambda record: record.key, reverse=descending)
    last: bytes | None = None
    for record in merged:
        if record.key != last:
            last = record.key
            yield record


def _name_seek(query: CompiledQuery) -> bytes | None:
    """Where a name-ordered point scan may start, from a start cursor on the name."""
    start = query.start
    if start is None or not start.values or not query.orders[0].is_key:
        return None
    key = start.values[0]
    if query.is_group:
        return key
    collection_prefix = segments_key((*query.parent, query.collection_id))
    if key.startswith(collection_prefix) and len(key) > len(collection_prefix):
        return key[len(collection_prefix) : -1]
    return None


def _name_scan(store: Store, query: CompiledQuery, conjunction: list[Leaf]) -> Iterator[Record]:
    descending = query.orders[-1].descending
    if query.is_group:
        names = store.group_name_index(query.collection_id)
        for key in names.irange(reverse=descending):
            record = store.get_key(key)
            if record is not None:
                yield record
        return
    collection = (*query.parent, query.collection_id)
    start = None
    for leaf in conjunction:
        if leaf.is_key and leaf.op in ("GREATER_THAN", "GREATER_THAN_OR_EQUAL", EQUAL):
            start = leaf.targets[0] if start is None else max(start, leaf.targets[0])
    if query.start is not None and query.start.values and not descending:
        cursor = query.start.values[0]
        start = cursor if start is None else max(start, cursor)
    yield from store.collection_records(collection, start)


def _union(
    store: Store, query: CompiledQuery, conjunctions: list[list[Leaf]], indexes: IndexConfig | None
) -> Iterator[Record]:
    seen: set[bytes] = set()
    for conjunction in conjunctions:
        for record in _plan(store, query, conjunction, indexes).records:
            if record.key not in seen:
                seen.add(record.key)
                yield record


def _with_snapshot(
    store: Store, records: Iterable[Record], changed: set[bytes], snapshot_us: int
) -> Iterator[Record]:
    for record in records:
        if record.key not in changed:
            yield record
    for key in sorted(changed):
        old = store.state_at(key, snapshot_us)
        if old is not None:
            yield old


def _composite(
    store: Store, query: CompiledQuery, conjunction: list[Leaf], indexes: IndexConfig | None
) -> _Source | None:
    if indexes is None or not indexes.indexes:
        return None
    for index in indexes.indexes:
        plan = index.plan(query, conjunction)
        if plan is None:
            continue
        return _Source(_composite_scan(store, query, index, plan), FULL, _exact(query))
    return None


def _composite_scan(
    store: Store, query: CompiledQuery, index: CompositeIndex, plan: tuple[bytes, bool]
) -> Iterator[Record]:
    keys = store.composite_index(index.keyer())
    prefix, reverse = plan
    head = index.scope_prefix(query)
    for key in keys.irange(
        head + prefix, head + prefix + AFTER, inclusive=(True, False), reverse=reverse
    ):
        yield store.record_for_group(key)


def _nearest(
    store: Store,
    query: CompiledQuery,
    changed: set[bytes],
    snapshot_us: int | None,
    indexes: IndexConfig | None,
) -> Result:
    """Pre-filters first (served by the same scans as any query, so an equality pre-filter
    reads only its matches), then the exact nearest-neighbour stage over the survivors.
    Without pre-filters, the collection's vectors are gathered once per change of the store
    and reused by every search until the next write."""
    nearest = query.nearest
    assert nearest is not None
    if query.collection_id and not (changed and snapshot_us is not None):
        return _nearest_in_table(store, query)
    dimension = len(nearest.vector)
    counter = [0]
    if query.filter is None:
        if query.is_group:
            records: Iterable[Record] = _name_scan(store, query, [])
        elif query.collection_id:
            records = store.collection_records((*query.parent, query.collection_id))
        else:
            records = store.child_records(query.parent, query.all_descendants)
        if changed and snapshot_us is not None:
            records = _with_snapshot(store, records, changed, snapshot_us)
            survivors = sorted(_in_scope(query, records, counter), key=lambda record: record.key)
            candidates = Candidates.of(nearest.field, dimension, survivors)
        else:
            candidates, counter[0] = _current_candidates(store, query, records)
    else:
        conjunctions = disjuncts(query.filter)
        if len(conjunctions) == 1:
            source = _plan(store, query, conjunctions[0], indexes)
        else:
            source = _Source(_union(store, query, conjunctions, indexes), UNORDERED, False)
        if changed and snapshot_us is not None:
            source = _Source(
                _with_snapshot(store, source.records, changed, snapshot_us), UNORDERED, False
            )
        matches = sorted(_matching(query, source, counter), key=lambda item: item[1].record.key)
        candidates = Candidates.of(nearest.field, dimension, (hit.record for _, hit in matches))
    hits = [
        Hit(record, record.fields_document(), distance)
        for distance, record in nearest_distances(nearest, candidates)
    ]
    return Result(hits, 0, counter[0])


def _nearest_in_table(store: Store, query: CompiledQuery) -> Result:
    """A vector query over the current documents of a collection (or collection group), from
    the store's `VectorTable`: scope, pre-filters and orderings' fields as masks over its rows,
    one distance pass over the survivors, and only the winners read from the store."""
    nearest = query.nearest
    assert nearest is not None
    named = [leaf.field for leaf in leaves(query.filter) if not leaf.is_key]
    named += [order.field for order in query.orders if not order.is_key]
    table = store.vector_table(query.collection_id, nearest.field, len(nearest.vector), named)
    current = store.get_key
    table.prepare(named, current)
    mask = table.in_scope(query)
    if query.filter is not None:
        mask &= table.passing(query.filter, current)
    for order in query.orders:
        if not order.is_key:
            mask &= table.present(order.field, current)
    rows = np.flatnonzero(mask)
    hits = []
    for distance, row in nearest_rows(nearest, table.matrix, table.norms, rows, table.keys):
        key = table.keys[row]
        assert key is not None
        record = store.get_key(key)
        assert record is not None
        hits.append(Hit(record, record.fields_document(), distance))
    return Result(hits, 0, int(rows.size))


def _current_candidates(
    store: Store, query: CompiledQuery, records: Iterable[Record]
) -> tuple[Candidates, int]:
    """The vectors now in an unfiltered vector query's scope and how many documents were read
    to gather them, remembered until the next write."""
    nearest = query.nearest
    assert nearest is not None
    key = (
        "nearest",
        query.parent,
        query.collection_id,
        query.all_descendants,
        nearest.field,
        len(nearest.vector),
    )
    memo = store.memo.get(key)
    if memo is not None and memo[0] == store.generation:
        found: tuple[Candidates, int] = memo[1]
        return found
    counter = [0]
    scoped = list(records) if _exact(query) else list(_in_scope(query, records, counter))
    found = (
        Candidates.of(nearest.field, len(nearest.vector), scoped),
        counter[0] or len(scoped),
    )
    for stale in [k for k, (generation, _) in store.memo.items() if generation != store.generation]:
        del store.memo[stale]
    store.memo[key] = (store.generation, found)
    return found


def _in_scope(
    query: CompiledQuery, records: Iterable[Record], counter: list[int]
) -> Iterator[Record]:
    for record in records:
        counter[0] += 1
        if query.in_scope(record.path):
            yield record
