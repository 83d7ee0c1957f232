"""An in-memory `EntrySource` with Firestore's billing, and the brute-force reference order.

The source answers the pager's queries from a dictionary of entries exactly as the catalog's
Firestore queries do (filters, (key, id) order, cursors, limits) and bills like Firestore:
one read per document returned, one for a query returning none, one per 1,000 entries a count
matches (at least one).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mitche.domain.geo import LatLng
from mitche.domain.nearby import (
    AREA_PRECISION,
    Covering,
    Cursor,
    Entry,
    Scan,
    covering,
    order_of,
)


@dataclass
class MemorySource:
    """Entries by id, and the reads the pager's queries would be billed."""

    entries: dict[str, Entry] = field(default_factory=dict)
    reads: int = 0
    queries: int = 0

    def put(self, entry: Entry) -> None:
        self.entries[entry.id] = entry

    def remove(self, entry_id: str) -> None:
        self.entries.pop(entry_id, None)

    def _bill(self, returned: int) -> None:
        self.queries += 1
        self.reads += max(1, returned)

    def scan(self, scans: Sequence[Scan]) -> list[list[Entry]]:
        results = []
        for scan in scans:
            values = set(scan.stream.values)
            rows = sorted(
                (
                    e
                    for e in self.entries.values()
                    if (e.cell if scan.stream.field == "cell" else e.cell[:AREA_PRECISION])
                    in values
                    and scan.low <= e.key < scan.high
                    and (scan.after is None or (e.key, e.id) > scan.after)
                ),
                key=lambda e: (e.key, e.id),
            )[: scan.limit]
            self._bill(len(rows))
            results.append(rows)
        return results

    def count(self, key: str, cells: Sequence[str], limit: int) -> int:
        wanted = set(cells)
        found = sum(1 for e in self.entries.values() if e.key == key and e.cell in wanted)
        found = min(found, limit)
        self.queries += 1
        self.reads += max(1, math.ceil(found / 1000))
        return found

    def ring(self, key: str, cells: Sequence[str], after_id: str | None, limit: int) -> list[Entry]:
        wanted = set(cells)
        rows = sorted(
            (
                e
                for e in self.entries.values()
                if e.key == key and e.cell in wanted and (after_id is None or e.id > after_id)
            ),
            key=lambda e: e.id,
        )[:limit]
        self._bill(len(rows))
        return rows


def reference(
    entries: Iterable[Entry], circle: Covering, size: int, after: Cursor | None = None
) -> list[Entry]:
    """The exhaustive search: the entries in the circle, sorted, after the cursor, at most
    `size` of them."""
    inside = sorted(
        (e for e in entries if circle.distance(e.cell) is not None),
        key=lambda e: order_of(circle, e),
    )
    if after is not None:
        mark = order_of(circle, Entry(after.id, after.cell, after.key))
        inside = [e for e in inside if order_of(circle, e) > mark]
    return inside[:size]


def circle(latitude: float, longitude: float, radius_m: float) -> Covering:
    return covering(LatLng(latitude, longitude), radius_m)
