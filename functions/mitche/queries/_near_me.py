""" "Near me" at the cost of its results: a page of a near-me list in a bounded number of reads.

Why this design. The old search (geohash ranges from the geoqueries guide, merged and sorted
in the client) read every open request in its ranges, 26,000-29,000 documents per 5 km search
on the 100,000-request benchmark city, because a range query is ordered by the geohash it
ranges over and "most urgent first" can only be sorted after everything is read. Here:

1. Functions keep one small entry per listable document (mitche.models.nearby): its published
   cell, its area and a searcher-independent sort key (urgency then deadline for requests, the
   start time for events, `~` for lists ranked by distance alone). Listed means readable by
   every signed-in member, so entry queries need no audience filters and `in` gets all 30
   values for cells.
2. Published places are cell centres, so the circle is exactly the set of cells whose centre is
   within the radius (mitche.domain.nearby.covering): no false positive is ever read.
3. The order is (key, distance, id). The pager (mitche.domain.nearby.next_page) merges a few
   `in` streams (up to 30 cells or 5-character areas each) in key order, reading a few
   entries per stream at a time, and reads keys shared by many entries (no deadline, nearest
   first) ring by ring with counts; a page reads about 20-60 entries, and then the page's
   documents, one get each, through firestore.rules (a document the member may not read, for
   instance hidden a moment ago and its entry not yet removed, is skipped and replaced).

Paging guarantee: the cursor is the last entry shown (key, cell, id), and the next page starts
strictly after it in the same order. A document listed, unchanged (same key and cell), for the
whole paging appears exactly once; one that changes appears at its new place or not at all
(its move may carry it behind the cursor), and `NearMeFeed` never shows an id twice. Within a
page the queries are not one snapshot: a change racing a page is seen by the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

from google.api_core.exceptions import NotFound, PermissionDenied
from google.cloud.firestore_v1 import Client

from mitche.domain.geo import LatLng
from mitche.domain.nearby import (
    NEAREST_KEY,
    TOP_KEY,
    URGENCY_LETTERS,
    Band,
    Covering,
    Cursor,
    Entry,
    Scan,
    bands,
    covering,
    next_page,
    successor,
    time_key,
)
from mitche.models import Collection, NearbyList
from mitche.queries._catalog import query_for
from mitche.queries._client_nearby import nearby_query_name

__all__ = [
    "PAGE_SIZE",
    "SOURCE_COLLECTIONS",
    "FirestoreEntries",
    "NearMeFeed",
    "NearMePage",
    "NearbyDocument",
    "list_bands",
    "near_me",
]

PAGE_SIZE: Final = 20
"""Results a phone shows at a time."""
SOURCE_COLLECTIONS: Final = {
    NearbyList.REQUESTS: Collection.REQUESTS.value,
    NearbyList.EVENTS: Collection.COMMUNITY_EVENTS.value,
    NearbyList.RESOURCES: Collection.RESOURCES.value,
    NearbyList.OFFERINGS: Collection.OFFERINGS.value,
}
"""Where each list's documents live (an entry's id is its document's id)."""
_REQUEST_RINGS: Final = tuple(letter + NEAREST_KEY for letter in URGENCY_LETTERS.values())


def list_bands(kind: NearbyList, now: dt.datetime | None = None) -> tuple[Band, ...]:
    """The key bands of a list, in order (events: those starting at `now` or later)."""
    if kind is NearbyList.REQUESTS:
        return bands(_REQUEST_RINGS, low="!", high=successor(_REQUEST_RINGS[-1]))
    if kind is NearbyList.EVENTS:
        if now is None:
            raise ValueError("the events list needs `now`: it shows events not yet started")
        return bands((), low=time_key(now), high=TOP_KEY)
    return bands((NEAREST_KEY,), low=NEAREST_KEY, high=successor(NEAREST_KEY))


@dataclass
class FirestoreEntries:
    """The pager's queries on a list's entries, through the catalog, with Firestore's bill:
    one read per document returned, one per query returning none, one per 1,000 entries a
    count matches."""

    client: Client
    kind: NearbyList
    filters: Mapping[str, object] = field(default_factory=dict)
    """Extra catalog parameters (`category` for resources)."""
    reads: int = 0
    queries: int = 0

    def _bill(self, returned: int) -> None:
        self.queries += 1
        self.reads += max(1, returned)

    def _run(self, scan: Scan) -> list[Entry]:
        shape = "cells" if scan.stream.field == "cell" else "areas"
        start = None if scan.after is None else {"key": scan.after[0], "__name__": scan.after[1]}
        query = query_for(
            self.client,
            nearby_query_name(self.kind, shape),
            start_after=start,
            **{shape: list(scan.stream.values)},
            low=scan.low,
            high=scan.high,
            limit=scan.limit,
            **self.filters,
        )
        return [_entry(snapshot.id, snapshot.to_dict() or {}) for snapshot in query.stream()]

    def scan(self, scans: Sequence[Scan]) -> list[list[Entry]]:
        if len(scans) == 1:
            results = [self._run(scans[0])]
        else:
            with ThreadPoolExecutor(max_workers=min(8, len(scans))) as pool:
                results = list(pool.map(self._run, scans))
        for rows in results:
            self._bill(len(rows))
        return results

    def _ring_query(self, key: str, cells: Sequence[str], after_id: str | None, limit: int) -> Any:
        return query_for(
            self.client,
            nearby_query_name(self.kind, "ring"),
            start_after=None if after_id is None else {"__name__": after_id},
            key=key,
            cells=list(cells),
            limit=limit,
            **self.filters,
        )

    def count(self, key: str, cells: Sequence[str], limit: int) -> int:
        result = self._ring_query(key, cells, None, limit).count().get()
        found = min(limit, int(result[0][0].value))
        self.queries += 1
        self.reads += max(1, -(-found // 1000))
        return found

    def ring(self, key: str, cells: Sequence[str], after_id: str | None, limit: int) -> list[Entry]:
        rows = [
            _entry(snapshot.id, snapshot.to_dict() or {})
            for snapshot in self._ring_query(key, cells, after_id, limit).stream()
        ]
        self._bill(len(rows))
        return rows


def _entry(entry_id: str, data: Mapping[str, Any]) -> Entry:
    return Entry(entry_id, str(data.get("cell", "")), str(data.get("key", "")))


@dataclass(frozen=True, slots=True)
class NearbyDocument:
    """A document of the page, as the member may read it."""

    id: str
    data: Mapping[str, Any]
    distance_m: float
    """Distance from the searcher to the document's published cell centre."""


@dataclass(frozen=True, slots=True)
class NearMePage:
    """One page, where the next starts (None: the list ends here), and what it cost."""

    documents: tuple[NearbyDocument, ...]
    cursor: Cursor | None
    entry_reads: int
    """Entries and counts read to find the page."""
    document_reads: int
    """Documents read (one get per result, plus any skipped as unreadable)."""
    queries: int

    @property
    def reads(self) -> int:
        """Everything Firestore bills for the page."""
        return self.entry_reads + self.document_reads


def _get(client: Client, path: str) -> dict[str, Any] | None:
    try:
        snapshot = client.document(path).get()
    except (PermissionDenied, NotFound):
        return None
    return snapshot.to_dict() if snapshot.exists else None


def near_me(
    client: Client,
    kind: NearbyList,
    center: LatLng,
    radius_m: float,
    *,
    size: int = PAGE_SIZE,
    after: Cursor | None = None,
    now: dt.datetime | None = None,
    category: str | None = None,
) -> NearMePage:
    """The page of `kind` within `radius_m` of `center` that follows `after`: at most `size`
    documents the caller may read, in the list's order."""
    if (kind is NearbyList.RESOURCES) != (category is not None):
        raise ValueError("resources are listed by category; the other lists take none")
    circle = covering(center, radius_m)
    entries = FirestoreEntries(client, kind, {"category": category} if category else {})
    collection = SOURCE_COLLECTIONS[kind]
    documents: list[NearbyDocument] = []
    document_reads = 0
    cursor = after
    while len(documents) < size:
        page = next_page(entries, circle, list_bands(kind, now), size - len(documents), cursor)
        paths = [f"{collection}/{entry.id}" for entry in page.entries]
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(paths)))) as pool:
            found = list(pool.map(lambda path: _get(client, path), paths))
        document_reads += len(paths)
        for entry, data in zip(page.entries, found, strict=True):
            if data is not None:
                documents.append(NearbyDocument(entry.id, data, _distance(circle, entry)))
        cursor = page.cursor
        if cursor is None:
            break
    return NearMePage(tuple(documents), cursor, entries.reads, document_reads, entries.queries)


def _distance(circle: Covering, entry: Entry) -> float:
    distance = circle.distance(entry.cell)
    return distance if distance is not None else float("nan")


@dataclass
class NearMeFeed:
    """A member scrolling one list: pages in order, never the same document twice."""

    client: Client
    kind: NearbyList
    center: LatLng
    radius_m: float
    now: dt.datetime | None = None
    category: str | None = None
    cursor: Cursor | None = None
    shown: set[str] = field(default_factory=set)
    ended: bool = False

    def next(self, size: int = PAGE_SIZE) -> list[NearbyDocument]:
        """The next page (empty once the list has ended)."""
        fresh: list[NearbyDocument] = []
        while not self.ended and len(fresh) < size:
            page = near_me(
                self.client,
                self.kind,
                self.center,
                self.radius_m,
                size=size - len(fresh),
                after=self.cursor,
                now=self.now,
                category=self.category,
            )
            fresh.extend(doc for doc in page.documents if doc.id not in self.shown)
            self.shown.update(doc.id for doc in page.documents)
            self.cursor = page.cursor
            self.ended = page.cursor is None
        return fresh
