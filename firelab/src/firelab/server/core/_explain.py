"""Query explain: the plan production would use and what running a query cost.

Production answers `explain_options` (RunQuery and RunAggregationQuery, vector queries too)
with `ExplainMetrics`: without `analyze`, only the plan summary (the indexes used) and no
results; with `analyze`, the results and, on the last response, the plan plus execution stats
(results returned, read operations, execution duration, debug stats with documents and index
entries scanned). The official emulator ignores the option (unsupported.json); clients and
their system tests expect production's answer (google-cloud-firestore tests/system
`test_query_stream_or_get_w_explain_options_*`, nodejs-firestore system-test "can plan a
query" / "can profile a query").

The plan names the index production would use: a composite index when the query needs one,
else each automatic single-field index it merges, else the collection's name index, always
ending in `__name__`; a vector query's index is its equality fields, `__name__`, then the
vector field (`(color ASC, __name__ ASC, embedding VECTOR<3>)`). Reads are billed as Firestore
bills them: one per document returned or skipped by an offset, at least one per query, and one
per batch of up to 1,000 index entries for an aggregation.

The same profile of every query run is what a `QueryObserver` receives, so a local stack can
point out queries that would be slow or expensive in production.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from firelab.server.core._fieldpaths import format_field_path
from firelab.server.core._index_file import ARRAY_CONTAINS, DESCENDING
from firelab.server.core._index_requirements import index_needs
from firelab.server.core._names import DatabaseId
from firelab.server.core._query import CompiledQuery

__all__ = [
    "AGGREGATION_ENTRIES_PER_READ",
    "IndexUsed",
    "QueryObserver",
    "QueryProfile",
    "aggregation_reads",
    "fill_metrics",
    "plan_of",
    "query_reads",
]

AGGREGATION_ENTRIES_PER_READ = 1000
"""An aggregation is billed one read per batch of up to 1,000 index entries it scans."""

COLLECTION = "Collection"
COLLECTION_GROUP = "Collection group"


@dataclass(frozen=True, slots=True)
class IndexUsed:
    """One entry of a plan summary's `indexes_used`."""

    query_scope: str
    """`Collection` or `Collection group`."""
    properties: str
    """The index's fields and modes, e.g. `(a ASC, __name__ ASC)`."""


@dataclass(frozen=True, slots=True)
class QueryProfile:
    """What one query (or aggregation) run cost, with the plan that served it."""

    database: DatabaseId
    target: str
    """The queried collection path (or `group <id>` / `all collections`), for messages."""
    kind: str
    """`query`, `aggregation` or `vector query`."""
    plan: tuple[IndexUsed, ...]
    results_returned: int
    documents_scanned: int
    index_entries_scanned: int
    read_operations: int
    duration_ns: int


QueryObserver = Callable[[QueryProfile], None]
"""Called with the profile of every query and aggregation a database runs."""


def _mode(mode: str) -> str:
    if mode == ARRAY_CONTAINS:
        return "CONTAINS"
    return "DESC" if mode == DESCENDING else "ASC"


def _properties(fields: list[tuple[str, str]]) -> str:
    return "(" + ", ".join(f"{path} {mode}" for path, mode in fields) + ")"


def plan_of(query: CompiledQuery) -> tuple[IndexUsed, ...]:
    """The indexes production would use to serve `query`."""
    scope = COLLECTION_GROUP if query.is_group else COLLECTION
    name_mode = "DESC" if query.orders and query.orders[-1].descending else "ASC"
    if query.nearest is not None:
        equality = sorted({name for need in index_needs(query) for name in need.equality})
        fields = [(path, "ASC") for path in equality] + [("__name__", "ASC")]
        dimensions = len(query.nearest.vector)
        fields.append((format_field_path(query.nearest.field), f"VECTOR<{dimensions}>"))
        return (IndexUsed(scope, _properties(fields)),)
    if not query.collection_id:
        return (IndexUsed(COLLECTION, _properties([("__name__", name_mode)])),)
    plan: list[IndexUsed] = []
    for need in index_needs(query):
        if need.composite is not None:
            fields = [(f.field_path, _mode(f.mode)) for f in need.composite.fields]
            if not any(path == "__name__" for path, _ in fields):
                fields.append(("__name__", name_mode))
            entries = [IndexUsed(scope, _properties(fields))]
        elif need.single_fields:
            entries = [
                IndexUsed(scope, _properties([(path, _mode(mode)), ("__name__", name_mode)]))
                for path, mode in need.single_fields
            ]
        else:
            entries = [IndexUsed(scope, _properties([("__name__", name_mode)]))]
        for entry in entries:
            if entry not in plan:
                plan.append(entry)
    return tuple(plan)


def query_reads(returned: int, skipped: int) -> int:
    """Billed reads of a query: its documents, those an offset skipped, at least one."""
    return max(1, returned + skipped)


def aggregation_reads(index_entries: int) -> int:
    """Billed reads of an aggregation: one per 1,000 index entries scanned, at least one."""
    return max(1, math.ceil(index_entries / AGGREGATION_ENTRIES_PER_READ))


def fill_metrics(
    metrics: object, plan: tuple[IndexUsed, ...], profile: QueryProfile | None
) -> None:
    """Fill an `ExplainMetrics` message: the plan, and the execution stats when analysed."""
    summary = metrics.plan_summary  # type: ignore[attr-defined]
    for index in plan:
        entry = summary.indexes_used.add()
        entry.update({"query_scope": index.query_scope, "properties": index.properties})
    if profile is None:
        return
    stats = metrics.execution_stats  # type: ignore[attr-defined]
    stats.results_returned = profile.results_returned
    stats.read_operations = profile.read_operations
    nanos = max(profile.duration_ns, 1)
    stats.execution_duration.seconds = nanos // 1_000_000_000
    stats.execution_duration.nanos = nanos % 1_000_000_000
    stats.debug_stats.update(
        {
            "documents_scanned": str(profile.documents_scanned),
            "index_entries_scanned": str(profile.index_entries_scanned),
            "billing_details": {
                "documents_billable": str(
                    profile.read_operations if profile.kind != "aggregation" else 0
                ),
                "index_entries_billable": str(
                    profile.index_entries_scanned if profile.kind == "aggregation" else 0
                ),
                "small_ops": "0",
                "min_query_cost": "0",
            },
        }
    )
