"""Scale check of the local Firestore core: memory and the latency of 100-result queries as
the collection grows (10k, 100k, 1M documents).

Firestore's promise is that a query costs in proportion to its results, not to the size of
the collection; this prints, for each size, the resident memory, the load rate, and the median
latency of queries that return 100 documents through different index paths. Run:

    .venv/bin/python benchmarks/firestore_scale.py [--sizes 10000,100000,1000000]

Not a timed test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from collections.abc import Callable

from firelab.server.core import Database, Emulator, IndexConfig
from firelab.server.core._protos import CommitRequest, RunQueryRequest, StructuredQuery

BATCH = 500
RUNS = 25


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def load(database: Database, count: int) -> float:
    """Commit `count` documents `items/dNNNNNNN` in batches; returns documents per second."""
    rng = random.Random(7)
    start = time.perf_counter()
    for first in range(0, count, BATCH):
        request = CommitRequest(database=database.id.root)
        for index in range(first, min(first + BATCH, count)):
            write = request.writes.add()
            write.update.name = f"{database.id.documents_root}/items/d{index:07d}"
            fields = write.update.fields
            fields["n"].integer_value = index
            fields["group"].integer_value = index % 100
            fields["score"].double_value = rng.random()
            fields["tag"].string_value = f"tag{index % 7}"
        database.commit(request)
    return count / (time.perf_counter() - start)


def query(database: Database, body: Callable[[StructuredQuery], None]) -> RunQueryRequest:
    """A RunQuery request over `items` with `body` applied to its structured query."""
    request = RunQueryRequest(parent=database.id.documents_root)
    request.structured_query.from_.add().collection_id = "items"
    body(request.structured_query)
    return request


def equality(sq: StructuredQuery) -> None:
    """group == 7, in name order, limit 100 (single-field index point scan)."""
    flt = sq.where.field_filter
    flt.field.field_path = "group"
    flt.op = StructuredQuery.FieldFilter.Operator.EQUAL
    flt.value.integer_value = 7
    sq.limit.value = 100


def range_scan(sq: StructuredQuery) -> None:
    """n >= half, ordered by n, limit 100 (single-field index range scan)."""
    flt = sq.where.field_filter
    flt.field.field_path = "n"
    flt.op = StructuredQuery.FieldFilter.Operator.GREATER_THAN_OR_EQUAL
    flt.value.integer_value = 1 << 62
    sq.limit.value = 100


def ordered_desc(sq: StructuredQuery) -> None:
    """Ordered by score descending, limit 100 (index scanned backwards)."""
    order = sq.order_by.add()
    order.field.field_path = "score"
    order.direction = StructuredQuery.Direction.DESCENDING
    sq.limit.value = 100


def first_page(sq: StructuredQuery) -> None:
    """The first 100 documents by name (collection scan with a limit)."""
    sq.limit.value = 100


def equality_ordered(sq: StructuredQuery) -> None:
    """tag == 'tag3' ordered by score, limit 100 (scan of score, filtered by tag)."""
    flt = sq.where.field_filter
    flt.field.field_path = "tag"
    flt.op = StructuredQuery.FieldFilter.Operator.EQUAL
    flt.value.string_value = "tag3"
    order = sq.order_by.add()
    order.field.field_path = "score"
    sq.limit.value = 100


def composite(sq: StructuredQuery) -> None:
    """group == 7 ordered by score descending, limit 100 (composite index from JSON)."""
    equality(sq)
    order = sq.order_by.add()
    order.field.field_path = "score"
    order.direction = StructuredQuery.Direction.DESCENDING


QUERIES = {
    "group == 7": equality,
    "n >= x order by n": range_scan,
    "order by score desc": ordered_desc,
    "first 100 by name": first_page,
    "tag == t order by score": equality_ordered,
    "group == 7 order by score": composite,
}

INDEXES = IndexConfig.from_json(
    '{"indexes": [{"collectionGroup": "items", "queryScope": "COLLECTION", "fields": ['
    '{"fieldPath": "group", "order": "ASCENDING"}, {"fieldPath": "score", "order": "DESCENDING"}'
    "]}]}"
)


def median_ms(database: Database, request: RunQueryRequest) -> tuple[float, int]:
    """Median latency in ms of running `request` (and how many documents it returned)."""
    timings = []
    returned = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        returned = sum(1 for r in database.run_query(request) if r.HasField("document"))
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), returned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"{'documents':>10} {'RSS MiB':>8} {'load/s':>8}  query latency (median of {RUNS})")
    for size in sizes:
        gc.collect()
        before = rss_mib()
        emulator = Emulator(indexes=INDEXES)
        database = emulator.database("scale")
        rate = load(database, size)
        for name, body in QUERIES.items():
            half = size // 2
            request = query(database, body)
            if body is range_scan:
                request.structured_query.where.field_filter.value.integer_value = half
            latency, returned = median_ms(database, request)
            print(
                f"{size:>10} {rss_mib() - before:>8.0f} {rate:>8.0f}  "
                f"{name:<26} {latency:7.2f} ms  ({returned} docs)"
            )
        del database, emulator
        gc.collect()


if __name__ == "__main__":
    main()
