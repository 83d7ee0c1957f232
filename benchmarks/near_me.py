""" "Open requests near me, most urgent first" on a city of 100,000 (or 1,000,000) requests: what
a page costs, beside the old design.

Seeds the requests across Lyon into a local firelab server that enforces the committed
firestore.indexes.json and firestore.rules, with realistic density variation (dense central
districts, lighter inner suburbs, a thin background over the whole metropolitan area) and a
realistic lifecycle mix (about a third open; the rest in progress, fulfilled, closed or expired,
a few private or hidden), and the near-me entries the `nearby_request_written` trigger keeps
(written here from the same `request_listing`, since running a million trigger events would
measure the trigger, not the search). Then, from a dense, a medium and a sparse neighbourhood
at 1, 2, 5 and 10 km, a signed-in member's client reads the first and the second page of 20
(`mitche.queries.near_me`, through the rules) and the benchmark prints per search: the cells
and query streams of the circle, the findable requests within it, the first and second page's
billed reads (entries and counts found + one get per result) and queries, the median latency,
and the old design's reads (the geohash-range queries of the geoqueries guide, which read
every findable request in their ranges; counted from the generated city, and checked against
count() on the server up to 200,000 requests). Up to 200,000 requests it also checks each
first page against the exhaustive search (the old design's full result, sorted); above, each
request is stored with only the fields the page shows and the rules read, so a million fit in
the time and memory of this 2-core machine. Last, the write amplification: the trigger's handler
run on sample changes of each kind, with its billed reads and writes per change. Run:

    .venv/bin/python benchmarks/near_me.py [--count 100000] [--runs 5] [--json]

Latency is the local server's (Python, in-process indexes, rules evaluated on every query and
get) through the real client library, gRPC and TLS; production latency differs, reads do not.

Measured on this 2-core machine (shared with other work, so latencies are loose), seed 2026.
"st" is the circle's query streams, "found" the findable requests within it, "p.1" and "p.2"
the billed reads of the first and second page (entries and counts the pager read, plus one get
per result), "q" the queries and gets made, "ms" the median first page, "exact" whether it
equals the exhaustive search's, and "old" what the geohash-range search bills for any page
(it reads everything in its ranges). 100,000 requests, 31,222 findable:

    search                km cells st  found | p.1  q p.2  q     ms exact |    old
    dense (Presqu'île)     1     6  1   3306 |  41 21  43 22    207   yes |   6964
    dense (Presqu'île)     2    23  1   9057 |  41 21  43 22    116   yes |  18733
    dense (Presqu'île)     5   152  4  20856 |  60 25  58 25    230   yes |  26367
    dense (Presqu'île)    10   605 11  29290 |  70 32  70 32    616   yes |  31222
    medium (Villeurbanne)  1     6  1    950 |  41 21  43 22    215   yes |   6810
    medium (Villeurbanne)  2    24  1   3345 |  41 21  43 22    111   yes |  12142
    medium (Villeurbanne)  5   154  4  18590 |  59 25  59 26    219   yes |  28878
    medium (Villeurbanne) 10   608  9  29465 |  68 30  68 30   2296   yes |  31222
    sparse (Écully)        1     6  1    137 |  44 27  46 29    801   yes |   1720
    sparse (Écully)        2    22  1    666 |  41 21  48 31    711   yes |   6753
    sparse (Écully)        5   151  4   8117 |  56 25  56 25    701   yes |  26462
    sparse (Écully)       10   604  9  23868 |  66 30  80 31    610   yes |  28315
    near-me: max first-page reads 70 (goal 100)

Write amplification per request change (the trigger's billed reads and writes, 20 samples
of each kind): created open 1/1, title edited 0/0, urgency raised 1/1, accepted 1/1,
fulfilled 1/1, expired 1/1, hidden by moderation 1/1. Entries are one document per request,
written only when that request changes: no hot document to shard.

1,000,000 requests, 313,438 findable (a large run: the entries and the 250 requests its pages
show are stored; peak memory 1.2 GB, seeding at 492 documents/s); every page exact again:

    search                km cells st  found | p.1  q p.2  q     ms exact |    old
    dense (Presqu'île)     1     6  1  32940 |  41 21  43 22    265   yes |  68697
    dense (Presqu'île)     2    23  1  89835 |  41 21  43 22    213   yes | 188383
    dense (Presqu'île)     5   152  4 208888 |  57 25  58 25    370   yes | 264341
    dense (Presqu'île)    10   605 11 293678 |  72 32  72 32    909   yes | 313438
    medium (Villeurbanne)  1     6  1   9093 |  41 21  43 22    518   yes |  68395
    medium (Villeurbanne)  2    24  1  33621 |  41 21  43 22    229   yes | 121612
    medium (Villeurbanne)  5   154  4 187040 |  58 25  59 25    285   yes | 289588
    medium (Villeurbanne) 10   608  9 295410 |  74 30  74 30    629   yes | 313438
    sparse (Écully)        1     6  1   1353 |  41 21  43 22    463   yes |  17009
    sparse (Écully)        2    22  1   6539 |  41 21  43 22    216   yes |  66842
    sparse (Écully)        5   151  4  80315 |  59 25  59 25    779   yes | 265190
    sparse (Écully)       10   604  9 239424 |  72 31  79 32    613   yes | 284194
    near-me: max first-page reads 74 (goal 100)

Write amplification at 1,000,000 (10 samples of each kind): the same, 1/1 or 0/0.

How it scales: a first page reads its 20 gets plus 21-54 entries and counts, growing with
the number of query streams the circle needs (1 up to about 3 km, 4 at 5 km, 9-11 at 10 km:
each stream reads a few entries it does not show), and not with the density: ten times the
requests leave the dense 1 km page at 41 reads while the old design goes from 6,964 to 68,697.
The old design reads every findable request in its ranges, 40-4,400 times more.

"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import pygeohash
from google.cloud import firestore
from google.cloud.firestore_v1 import FieldFilter, GeoPoint
from google.cloud.firestore_v1.types import document as document_types
from google.cloud.firestore_v1.types import firestore as firestore_types
from google.cloud.firestore_v1.types import write as write_types
from google.protobuf import timestamp_pb2
from google.type import latlng_pb2  # type: ignore[import-untyped]

from firelab.pytest_plugin import FirestoreTestServer
from firelab.server import FirestoreServer, UserClients
from firelab.server.core import Emulator, IndexConfig
from mitche.domain.geo import (
    PUBLIC_GEOHASH_PRECISION,
    LatLng,
    distance_m,
    geohash_query_bounds,
)
from mitche.domain.nearby import Entry, covering, order_of, request_listing
from mitche.handlers import DocumentChange, default_deps, entry_data, sync_nearby
from mitche.models import (
    NEAR_ME_GEOHASH_PRECISION,
    PUBLIC_AREA_GEOHASH_PRECISION,
    HelpCategory,
    HelpRequest,
    NearbyList,
    nearby_entries_path,
)
from mitche.queries import near_me
from mitche.services import recording_costs

ROOT: Final = Path(__file__).resolve().parents[1]
PROJECT: Final = "demo-near-me-benchmark"
NOW: Final = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
BATCH: Final = 500

# (name, centre, share of all requests, spread in metres): Lyon's districts and suburbs.
DISTRICTS: Final = (
    ("Presqu'île", LatLng(45.7597, 4.8330), 0.13, 900),
    ("Croix-Rousse", LatLng(45.7745, 4.8290), 0.08, 900),
    ("Guillotière", LatLng(45.7530, 4.8440), 0.10, 1000),
    ("Part-Dieu", LatLng(45.7606, 4.8590), 0.09, 1100),
    ("Villeurbanne", LatLng(45.7719, 4.8902), 0.12, 1600),
    ("Vaise", LatLng(45.7740, 4.8050), 0.05, 1000),
    ("Gerland", LatLng(45.7300, 4.8320), 0.06, 1300),
    ("Monplaisir", LatLng(45.7450, 4.8700), 0.07, 1200),
    ("Vénissieux", LatLng(45.6975, 4.8867), 0.06, 1800),
    ("Vaulx-en-Velin", LatLng(45.7786, 4.9203), 0.05, 1700),
    ("Bron", LatLng(45.7380, 4.9130), 0.04, 1500),
)
BACKGROUND: Final = 0.15
"""Share spread uniformly over the metropolitan area (about 21 km x 20 km)."""
AREA: Final = ((45.66, 45.85), (4.74, 5.00))

SEARCHES: Final = (
    ("dense (Presqu'île)", LatLng(45.7597, 4.8330)),
    ("medium (Villeurbanne)", LatLng(45.7719, 4.8902)),
    ("sparse (Écully)", LatLng(45.7746, 4.7772)),
)
RADII_M: Final = (1_000, 2_000, 5_000, 10_000)

STATUSES: Final = (
    ("open", 0.33),
    ("inProgress", 0.10),
    ("fulfilled", 0.32),
    ("closed", 0.10),
    ("expired", 0.15),
)
VISIBILITIES: Final = (("community", 0.85), ("public", 0.12), ("private", 0.03))
MODERATION: Final = (
    ("approved", 0.94),
    ("pending", 0.02),
    ("flagged", 0.02),
    ("hidden", 0.01),
    ("removed", 0.01),
)
URGENCIES: Final = (("low", 0.35), ("medium", 0.35), ("high", 0.22), ("critical", 0.08))


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def _point(rng: random.Random) -> LatLng:
    if rng.random() < BACKGROUND:
        (south, north), (west, east) = AREA
        return LatLng(rng.uniform(south, north), rng.uniform(west, east))
    weights = [share for _, _, share, _ in DISTRICTS]
    _, centre, _, spread = rng.choices(DISTRICTS, weights)[0]
    north_m, east_m = rng.gauss(0, spread), rng.gauss(0, spread)
    latitude = centre.latitude + north_m / 111_320
    longitude = centre.longitude + east_m / (111_320 * math.cos(math.radians(centre.latitude)))
    return LatLng(latitude, longitude)


def _location(point: LatLng) -> dict[str, Any]:
    geohash = pygeohash.encode(point.latitude, point.longitude, NEAR_ME_GEOHASH_PRECISION)
    centre = pygeohash.decode_exactly(geohash)
    return {
        "area": {"geohash": geohash[:PUBLIC_AREA_GEOHASH_PRECISION], "label": "Lyon"},
        "geohash": geohash,
        "point": GeoPoint(float(centre.latitude), float(centre.longitude)),
    }


def request_document(rng: random.Random, n: int) -> tuple[dict[str, Any], LatLng]:
    """One request as the apps store it, and its true point."""
    point = _point(rng)
    status = _pick(rng, STATUSES)
    created = NOW - dt.timedelta(minutes=rng.randint(10, 60 * 24 * 60))
    data: dict[str, Any] = {
        "requesterId": f"member{rng.randrange(20_000):05d}",
        "title": f"Help needed nearby #{n}",
        "description": "Groceries, a lift, or someone to talk to: details in the request.",
        "category": rng.choice(list(HelpCategory)).value,
        "tags": [],
        "urgency": _pick(rng, URGENCIES),
        "visibility": _pick(rng, VISIBILITIES),
        "location": _location(point),
        "remoteOk": False,
        "attachments": [],
        "status": status,
        "acceptedHelperIds": [f"member{rng.randrange(20_000):05d}"]
        if status in ("inProgress", "fulfilled")
        else [],
        "moderation": {"status": _pick(rng, MODERATION), "reportCount": 0},
        "createdAt": created,
        "updatedAt": created,
    }
    if rng.random() < 0.6:
        data["deadline"] = created + dt.timedelta(hours=rng.randint(2, 24 * 14))
    if status in ("fulfilled", "closed"):
        data["completion"] = {
            "completedAt": created + dt.timedelta(hours=rng.randint(1, 72)),
            "fulfilledBy": data["acceptedHelperIds"],
        }
    return data, point


def _check_shape(data: dict[str, Any]) -> None:
    """The generated document is one the data model accepts (ValidationError if not)."""
    HelpRequest.model_validate(data)


def documents(count: int, seed: int = 2026) -> Iterator[tuple[str, dict[str, Any], LatLng]]:
    """`count` requests with ids, reproducibly."""
    rng = random.Random(seed)
    for n in range(count):
        data, point = request_document(rng, n)
        yield f"req{n:06d}", data, point


ENTRIES: Final = nearby_entries_path(NearbyList.REQUESTS)
SHOWN: Final = ("pending", "approved", "flagged")
OLD_INDEX: Final = {
    "collectionGroup": "requests",
    "queryScope": "COLLECTION",
    "fields": [
        {"fieldPath": "status", "order": "ASCENDING"},
        {"fieldPath": "visibility", "order": "ASCENDING"},
        {"fieldPath": "moderation.status", "order": "ASCENDING"},
        {"fieldPath": "location.geohash", "order": "ASCENDING"},
    ],
}
"""The composite index of the old design's range query (no longer in the catalog)."""
VERIFY_UP_TO: Final = 200_000


def findable(data: dict[str, Any]) -> bool:
    """What a signed-in member may find: open, not private, not hidden or removed."""
    return request_listing(data) is not None


def _old_query(client: firestore.Client, start: str, end: str) -> Any:
    """The old design's catalog query `requests.nearMe` (open, audience, shown, one range)."""
    return (
        client.collection("requests")
        .where(filter=FieldFilter("status", "==", "open"))
        .where(filter=FieldFilter("visibility", "in", ["public", "community"]))
        .where(filter=FieldFilter("moderation.status", "in", list(SHOWN)))
        .where(filter=FieldFilter("location.geohash", ">=", start))
        .where(filter=FieldFilter("location.geohash", "<", end))
        .order_by("location.geohash")
    )


def old_reads(client: firestore.Client, centre: LatLng, radius_m: float) -> int:
    """What the old design bills for one search: every document its ranges return (one read
    for a range returning none)."""
    total = 0
    for bounds in geohash_query_bounds(centre, radius_m, max_precision=PUBLIC_GEOHASH_PRECISION):
        found = _old_query(client, bounds.start, bounds.end).count().get()[0][0].value
        total += max(1, int(found))
    return total


def offline_old_reads(cells: list[str]) -> dict[tuple[str, float], int]:
    """The old design's reads for every search, counted from the findable requests' cells:
    those falling in each of its ranges (what its range queries return), one read for a range
    returning none. Equal to `old_reads` on the stored city (checked up to 200,000 requests),
    and what the large runs use instead of a million-document count on the server."""
    searches = {
        (label, radius): geohash_query_bounds(
            centre, radius, max_precision=PUBLIC_GEOHASH_PRECISION
        )
        for label, centre in SEARCHES
        for radius in RADII_M
    }
    counts = {key: [0] * len(ranges) for key, ranges in searches.items()}
    for cell in cells:
        for key, ranges in searches.items():
            for index, bounds in enumerate(ranges):
                if bounds.start <= cell < bounds.end:
                    counts[key][index] += 1
    return {key: sum(max(1, found) for found in found_list) for key, found_list in counts.items()}


LEAN_FIELDS: Final = frozenset(
    {
        "requesterId",
        "title",
        "category",
        "urgency",
        "deadline",
        "visibility",
        "location",
        "status",
        "acceptedHelperIds",
        "moderation",
        "createdAt",
        "updatedAt",
    }
)
"""What a large run stores of each request: the fields the page shows and the rules read."""


def exhaustive_first_page(client: firestore.Client, centre: LatLng, radius_m: float) -> list[str]:
    """The old design's full result, sorted as the feed orders it: the first 20 ids."""
    found = []
    ranks = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    for bounds in geohash_query_bounds(centre, radius_m, max_precision=PUBLIC_GEOHASH_PRECISION):
        for snapshot in _old_query(client, bounds.start, bounds.end).stream():
            data = snapshot.to_dict() or {}
            point = data["location"]["point"]
            distance = distance_m(centre, LatLng(point.latitude, point.longitude))
            if distance <= radius_m:
                key = (ranks[data["urgency"]], data.get("deadline") or far, distance, snapshot.id)
                found.append(key)
    return [key[3] for key in sorted(found)[:20]]


@dataclass(frozen=True, slots=True)
class Row:
    """One search: where, how far, what a page costs, and the old design beside it."""

    search: str
    radius_km: float
    cells: int
    streams: int
    findable: int
    """Requests a member may find within the radius."""
    first_reads: int
    first_queries: int
    second_reads: int
    second_queries: int
    old_reads: int
    median_ms: float
    exact: bool
    """Both pages equal the exhaustive search's (sorted entries in memory, and up to 200,000
    requests also the old design's full result, sorted)."""


def _value(value: Any) -> Any:
    """A Firestore Value protobuf built directly (proto-plus costs more than the server)."""
    pb = document_types.Value.pb()
    if value is None:
        return pb(null_value=0)
    if isinstance(value, bool):
        return pb(boolean_value=value)
    if isinstance(value, int):
        return pb(integer_value=value)
    if isinstance(value, float):
        return pb(double_value=value)
    if isinstance(value, str):
        return pb(string_value=value)
    if isinstance(value, dt.datetime):
        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(value)
        return pb(timestamp_value=stamp)
    if isinstance(value, GeoPoint):
        return pb(
            geo_point_value=latlng_pb2.LatLng(latitude=value.latitude, longitude=value.longitude)
        )
    if isinstance(value, dict):
        return pb(
            map_value=document_types.MapValue.pb()(fields={k: _value(v) for k, v in value.items()})
        )
    if isinstance(value, list):
        return pb(array_value=document_types.ArrayValue.pb()(values=[_value(v) for v in value]))
    raise TypeError(f"cannot encode {value!r}")


class _Seeder:
    """Writes documents in batches of 500, committed in the server's process: the protobufs a
    client would send, built directly and without the network (a million documents through
    the client library take hours on this machine)."""

    def __init__(self, local: FirestoreServer) -> None:
        self.database = local.emulator.database(PROJECT)
        self.root = f"projects/{PROJECT}/databases/(default)/documents"
        self.writes: list[Any] = []
        self.written = 0

    def set(self, path: str, data: dict[str, Any]) -> None:
        document = document_types.Document.pb()(
            name=f"{self.root}/{path}", fields={k: _value(v) for k, v in data.items()}
        )
        self.writes.append(write_types.Write.pb()(update=document))
        if len(self.writes) == BATCH:
            self.flush()

    def flush(self) -> None:
        if self.writes:
            request = firestore_types.CommitRequest.pb()(
                database=f"projects/{PROJECT}/databases/(default)", writes=self.writes
            )
            self.database.commit(request)
            self.written += len(self.writes)
            self.writes = []


@dataclass
class City:
    """What was stored: the entries (as the pager sees them) and, for large runs, the lean
    requests kept aside until the pages they appear on are known."""

    entries: list[Entry]
    aside: dict[str, dict[str, Any]]
    rate: float


def seed(local: FirestoreServer, count: int, *, large: bool) -> City:
    """Write the city's findable requests and their entries.

    Requests nobody may find (closed, in progress, private, hidden) are generated, so the city
    is the same, but not stored: neither design can read them (the entries list only findable
    requests, and the old design's range queries filter open, audience and shown), so their
    absence changes no read count. A large run stores only the entries at first: the pages'
    requests are stored once the exhaustive order says which they are (`store_pages`), since
    the pager reads no other request.
    """
    start = time.perf_counter()
    seeder = _Seeder(local)
    entries: list[Entry] = []
    aside: dict[str, dict[str, Any]] = {}
    for request_id, data, _ in documents(count):
        if request_id.endswith("000"):
            _check_shape(data)
        listing = request_listing(data)
        if listing is None:
            continue
        if large:
            aside[request_id] = {k: v for k, v in data.items() if k in LEAN_FIELDS}
        else:
            seeder.set(f"requests/{request_id}", data)
        seeder.set(f"{ENTRIES}/{request_id}", entry_data(listing) | {"updatedAt": NOW})
        entries.append(Entry(request_id, listing.cell, listing.key))
    seeder.flush()
    return City(entries, aside, seeder.written / (time.perf_counter() - start))


def expected_pages(city: City) -> dict[tuple[str, float], tuple[list[str], list[str]]]:
    """The exhaustive search's first two pages of every search, from the entries in memory."""
    pages = {}
    for label, centre in SEARCHES:
        for radius in RADII_M:
            circle = covering(centre, radius)
            inside = sorted(
                (e for e in city.entries if e.cell in circle.distances),
                key=lambda entry, c=circle: order_of(c, entry),
            )
            pages[(label, radius)] = ([e.id for e in inside[:20]], [e.id for e in inside[20:40]])
    return pages


def store_pages(local: FirestoreServer, city: City, pages: dict[Any, Any]) -> int:
    """Store the requests the expected pages show (a large run's only stored requests)."""
    seeder = _Seeder(local)
    wanted = {request_id for first, second in pages.values() for request_id in first + second}
    for request_id in sorted(wanted):
        seeder.set(f"requests/{request_id}", city.aside[request_id])
    seeder.flush()
    return len(wanted)


def _findable_within(client: firestore.Client, centre: LatLng, radius_m: float) -> int:
    circle = covering(centre, radius_m)
    total = 0
    for stream in circle.streams:
        query = client.collection(ENTRIES).where(
            filter=FieldFilter(stream.field, "in", list(stream.values))
        )
        total += int(query.count().get()[0][0].value)
    return total


def measure(
    owner: firestore.Client,
    member: firestore.Client,
    runs: int,
    verify: bool,
    old: dict[tuple[str, float], int],
    pages: dict[tuple[str, float], tuple[list[str], list[str]]],
) -> list[Row]:
    """Every search at every radius: pages 1 and 2 (`runs` timed first pages), the old design."""
    rows = []
    for label, centre in SEARCHES:
        for radius in RADII_M:
            timings = []
            first = None
            for _ in range(runs):
                started = time.perf_counter()
                first = near_me(member, NearbyList.REQUESTS, centre, radius)
                timings.append((time.perf_counter() - started) * 1000)
            assert first is not None
            second = (
                near_me(member, NearbyList.REQUESTS, centre, radius, after=first.cursor)
                if first.cursor is not None
                else None
            )
            later = [] if second is None else [d.id for d in second.documents]
            shown = ([d.id for d in first.documents], later)
            exact = shown == pages[(label, radius)]
            if verify:
                exact = exact and shown[0] == exhaustive_first_page(owner, centre, radius)
            circle = covering(centre, radius)
            rows.append(
                Row(
                    search=label,
                    radius_km=radius / 1000,
                    cells=circle.cell_count,
                    streams=len(circle.streams),
                    findable=_findable_within(owner, centre, radius),
                    first_reads=first.reads,
                    first_queries=first.queries + len(first.documents),
                    second_reads=0 if second is None else second.reads,
                    second_queries=0 if second is None else second.queries + len(later),
                    old_reads=old[(label, radius)],
                    median_ms=round(statistics.median(timings), 1),
                    exact=exact,
                )
            )
    return rows


CHANGES: Final = {
    "created (open)": lambda d: d,
    "title edited": lambda d: d | {"title": d["title"] + " (edited)"},
    "urgency raised": lambda d: (
        d | {"urgency": "critical" if d["urgency"] != "critical" else "high"}
    ),
    "accepted (in progress)": lambda d: (
        d | {"status": "inProgress", "acceptedHelperIds": ["helper00001"]}
    ),
    "fulfilled": lambda d: d | {"status": "fulfilled"},
    "expired": lambda d: d | {"status": "expired"},
    "hidden by moderation": lambda d: d | {"moderation": {"status": "hidden", "reportCount": 3}},
}
"""Request changes, each from an open, findable request."""


def write_amplification(client: firestore.Client, samples: int) -> dict[str, tuple[float, float]]:
    """The trigger's billed reads and writes per change of each kind (average of `samples`)."""
    deps = default_deps()
    saved = deps.client_factory
    deps.client_factory = lambda: client
    rng = random.Random(7)
    result = {}
    try:
        for kind, change in CHANGES.items():
            reads = writes = 0
            for n in range(samples):
                data, _ = request_document(rng, n)
                data |= {"status": "open", "visibility": "community", "acceptedHelperIds": []}
                data |= {"moderation": {"status": "approved", "reportCount": 0}}
                data.pop("completion", None)
                path = f"requests/amp-{kind.split()[0]}-{n}"
                before = None if kind == "created (open)" else data
                after = change(dict(data))
                client.document(path).set(after)
                event = DocumentChange(f"amp-{kind}-{n}", NOW, path, before, after)
                with recording_costs() as recorder:
                    sync_nearby(deps, event, NearbyList.REQUESTS)
                spent = recorder.totals()
                reads, writes = reads + spent[0], writes + spent[1]
            result[kind] = (reads / samples, writes / samples)
    finally:
        deps.client_factory = saved
    return result


def _table(rows: list[Row]) -> str:
    header = (
        f"{'search':21} {'km':>2} {'cells':>5} {'st':>2} {'found':>6} | {'p.1':>3} {'q':>2} "
        f"{'p.2':>3} {'q':>2} {'ms':>6} {'exact':>5} | {'old':>6}"
    )
    lines = [header]
    for r in rows:
        exact = "yes" if r.exact else "NO"
        lines.append(
            f"{r.search:21} {r.radius_km:>2g} {r.cells:>5} {r.streams:>2} {r.findable:>6} | "
            f"{r.first_reads:>3} {r.first_queries:>2} {r.second_reads:>3} "
            f"{r.second_queries:>2} {r.median_ms:>6.0f} {exact:>5} | {r.old_reads:>6}"
        )
    return "\n".join(lines)


def _server() -> tuple[FirestoreTestServer, FirestoreServer, UserClients]:
    text = json.loads((ROOT / "firestore.indexes.json").read_text(encoding="utf-8"))
    text["indexes"].append(OLD_INDEX)
    config = IndexConfig.from_json(json.dumps(text), enforce=True)
    local = FirestoreServer(emulator=Emulator(indexes=config)).start()
    os.environ["FIRESTORE_EMULATOR_HOST"] = local.address
    users = UserClients(local.address).start()
    wrapped = FirestoreTestServer(host=local.address, project=PROJECT, users=users, local=local)
    wrapped.load_rules((ROOT / "firestore.rules").read_text(encoding="utf-8"))
    return wrapped, local, users


def main(argv: list[str] | None = None) -> int:
    """Seed, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="requests in the city")
    parser.add_argument("--runs", type=int, default=5, help="timed first pages per search")
    parser.add_argument("--samples", type=int, default=20, help="changes of each kind")
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines")
    parser.add_argument(
        "--large",
        action="store_true",
        help="store only the entries and the pages' requests (automatic above 200,000)",
    )
    args = parser.parse_args(argv)
    wrapped, local, users = _server()
    try:
        owner = wrapped.owner_client()
        small = args.count <= VERIFY_UP_TO and not args.large
        city = seed(local, args.count, large=not small)
        pages = expected_pages(city)
        stored = len(city.entries) if small else store_pages(local, city, pages)
        print(
            f"generated {args.count} requests; stored {len(city.entries)} entries (the findable "
            f"requests) and {stored} requests at {city.rate:,.0f} documents/s; peak memory "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.1f} GB",
            file=sys.stderr,
        )
        member = wrapped.user_client("bench-member")
        old = offline_old_reads([entry.cell for entry in city.entries])
        if small:
            for label, centre in SEARCHES:
                for radius in RADII_M:
                    assert old[(label, radius)] == old_reads(owner, centre, radius), label
        rows = measure(owner, member, args.runs, small, old, pages)
        amplification = write_amplification(owner, args.samples)
    finally:
        users.close()
        local.stop()
    if args.json:
        for row in rows:
            print(json.dumps(asdict(row)))
        print(json.dumps({"write_amplification": amplification}))
    else:
        print(_table(rows))
        print()
        print("write amplification per request change (trigger reads, writes):")
        for kind, (reads, writes) in amplification.items():
            print(f"  {kind:24} {reads:.2f} {writes:.2f}")
    if not all(row.exact for row in rows):
        print("near-me: a first page differs from the exhaustive search", file=sys.stderr)
        return 1
    print(f"near-me: max first-page reads {max(r.first_reads for r in rows)} (goal 100)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
