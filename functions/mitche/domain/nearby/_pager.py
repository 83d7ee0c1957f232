"""One page of a near-me list: the first entries after a cursor in (key, distance, id) order.

The source is a set of small queries over the list's entries (`EntrySource`: Firestore in
production, a list in the unit tests). A page walks the list's bands in key order:

* a merge band (deadlines, start times) keeps one buffer per stream of the covering, read in
  key order a few entries at a time; the smallest key among the buffers' heads is complete once
  every buffer holding it has read past it, and its entries are sorted by distance and id. At
  most a few entries per stream are read and not shown;
* a ring key (no deadline, nearest first) is read ring by ring from the nearest cells out: a
  count over a growing group of rings says whether the page ends inside it; when it does,
  halving the group finds the ring where it ends, so only the entries shown are read, plus one
  count per group.

The cursor is the last entry shown (key, cell, id): the next page starts strictly after it in
the same order, so pages of an unchanging list partition it exactly.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mitche.domain.nearby._cover import Covering, Ring, Stream
from mitche.domain.nearby._order import Band

__all__ = ["Cursor", "Entry", "EntrySource", "Page", "Scan", "next_page", "order_of"]


@dataclass(frozen=True, slots=True)
class Entry:
    """What the pager knows of one listed document."""

    id: str
    cell: str
    key: str


@dataclass(frozen=True, slots=True)
class Cursor:
    """The last entry of a page; the next page starts after it."""

    key: str
    cell: str
    id: str


@dataclass(frozen=True, slots=True)
class Scan:
    """Entries of `stream` with low <= key < high, after (key, id) `after`, in (key, id)
    order, at most `limit`."""

    stream: Stream
    low: str
    high: str
    after: tuple[str, str] | None
    limit: int


class EntrySource(Protocol):
    """The queries a page is built from."""

    def scan(self, scans: Sequence[Scan]) -> list[list[Entry]]:
        """Run the scans (concurrently, where the source can), one result list per scan."""
        ...

    def count(self, key: str, cells: Sequence[str], limit: int) -> int:
        """How many entries with exactly `key` lie in `cells` (a result above `limit` may be
        reported as `limit`)."""
        ...

    def ring(self, key: str, cells: Sequence[str], after_id: str | None, limit: int) -> list[Entry]:
        """Entries with exactly `key` in `cells`, by id, after `after_id`, at most `limit`."""
        ...


@dataclass(frozen=True, slots=True)
class Page:
    """Entries in order, and where the next page starts (None: the list ends here)."""

    entries: tuple[Entry, ...]
    cursor: Cursor | None


def order_of(covering: Covering, entry: Entry) -> tuple[str, float, str]:
    """An entry's place in the list: key, distance, id."""
    distance = covering.distance(entry.cell)
    if distance is None:
        raise ValueError(f"entry {entry.id} lies in cell {entry.cell}, outside the circle")
    return (entry.key, distance, entry.id)


@dataclass(slots=True)
class _Buffer:
    stream: Stream
    rows: deque[Entry] = field(default_factory=deque)
    last: tuple[str, str] | None = None
    done: bool = False


class _Merge:
    """The merge of one band across the covering's streams."""

    def __init__(
        self, source: EntrySource, covering: Covering, band: Band, after: Cursor | None
    ) -> None:
        self.source = source
        self.covering = covering
        self.band = band
        self.after = after if after is not None and band.low <= after.key < band.high else None
        self.low = self.after.key if self.after is not None else band.low
        self.buffers = [_Buffer(stream) for stream in covering.streams]

    def _past_cursor(self, entry: Entry) -> bool:
        if self.after is None or entry.key != self.after.key:
            return True
        cursor = order_of(self.covering, Entry(self.after.id, self.after.cell, self.after.key))
        return order_of(self.covering, entry) > cursor

    def _fill(self, buffers: list[_Buffer], limit: int) -> None:
        if not buffers:
            return
        scans = [Scan(b.stream, self.low, self.band.high, b.last, limit) for b in buffers]
        for buffer, rows in zip(buffers, self.source.scan(scans), strict=True):
            if rows:
                buffer.last = (rows[-1].key, rows[-1].id)
            buffer.done = len(rows) < limit
            buffer.rows.extend(
                row
                for row in rows
                if row.cell in self.covering.distances and self._past_cursor(row)
            )

    def take(self, need: int) -> list[Entry]:
        shown: list[Entry] = []
        first = max(2, math.ceil(need / max(1, len(self.buffers))) + 1)
        self._fill(self.buffers, first)
        while len(shown) < need:
            while empty := [b for b in self.buffers if not b.done and not b.rows]:
                open_ = sum(1 for b in self.buffers if not b.done)
                self._fill(empty, self._refill(need - len(shown), open_))
            heads = [b.rows[0].key for b in self.buffers if b.rows]
            if not heads:
                break
            key = min(heads)
            while True:
                partial = [
                    b for b in self.buffers if not b.done and (not b.rows or b.rows[-1].key == key)
                ]
                if not partial:
                    break
                self._fill(partial, self._refill(need - len(shown), len(partial)))
            group: list[Entry] = []
            for buffer in self.buffers:
                while buffer.rows and buffer.rows[0].key == key:
                    group.append(buffer.rows.popleft())
            group.sort(key=lambda entry: order_of(self.covering, entry))
            shown.extend(group[: need - len(shown)])
        return shown

    @staticmethod
    def _refill(need: int, streams: int) -> int:
        return max(2, math.ceil(need / max(1, streams)) + 1)


def _cells(rings: Sequence[Ring]) -> list[str]:
    return [cell for ring in rings for cell in ring.cells]


def _ring_take(
    source: EntrySource, covering: Covering, key: str, need: int, after: Cursor | None
) -> list[Entry]:
    """Entries with `key`, nearest first (then by id), after the cursor, at most `need`."""
    rings = list(covering.rings)
    shown: list[Entry] = []
    if after is not None and after.key == key:
        at = covering.distance(after.cell)
        rings = [ring for ring in rings if at is None or ring.distance_m >= at]
        if rings and at is not None and rings[0].distance_m == at:
            shown.extend(source.ring(key, rings[0].cells, after.id, need))
            rings = rings[1:]
    width = 1
    while len(shown) < need and rings:
        group = [rings[0]]
        while len(group) < len(rings) and len(_cells([*group, rings[len(group)]])) <= width:
            group.append(rings[len(group)])
        left = need - len(shown)
        found = source.count(key, _cells(group), left + 1)
        if found <= left:
            if found:
                rows = source.ring(key, _cells(group), None, left)
                shown.extend(sorted(rows, key=lambda entry: order_of(covering, entry)))
            rings = rings[len(group) :]
            width = min(30, width * 2)
            continue
        # The page ends inside the group: the shortest prefix of it holding more than `left`.
        low, high = 1, len(group)
        while low < high:
            middle = (low + high) // 2
            if source.count(key, _cells(group[:middle]), left + 1) > left:
                high = middle
            else:
                low = middle + 1
        before = group[: low - 1]
        if before:
            rows = source.ring(key, _cells(before), None, left)
            shown.extend(sorted(rows, key=lambda entry: order_of(covering, entry)))
        left = need - len(shown)
        if left > 0:
            shown.extend(source.ring(key, group[low - 1].cells, None, left))
        break
    return shown[:need]


def next_page(
    source: EntrySource,
    covering: Covering,
    bands: Sequence[Band],
    size: int,
    after: Cursor | None = None,
) -> Page:
    """The `size` entries that follow `after` (from the start when None) within the circle."""
    if size < 1:
        raise ValueError(f"page size is {size}, must be at least 1")
    shown: list[Entry] = []
    for band in bands:
        if len(shown) == size:
            break
        if after is not None and band.high <= after.key:
            continue
        start = after if not shown else None
        need = size - len(shown)
        if band.ring:
            shown.extend(_ring_take(source, covering, band.low, need, start))
        else:
            shown.extend(_Merge(source, covering, band, start).take(need))
    last = shown[-1] if len(shown) == size else None
    cursor = Cursor(last.key, last.cell, last.id) if last is not None else None
    return Page(tuple(shown), cursor)
