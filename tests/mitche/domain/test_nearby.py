"""The near-me pager against the brute-force reference: over random cities, radii, page sizes
and changes between pages, every page is the exhaustive search's page, and paging neither
repeats nor skips an entry that stayed unchanged."""

from __future__ import annotations

import datetime as dt
import random

import pygeohash
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.geo import LatLng, distance_m
from mitche.domain.nearby import (
    NEAREST_KEY,
    Entry,
    cell_centre,
    covering,
    event_listing,
    next_page,
    offering_listing,
    request_key,
    request_listing,
    resource_listing,
)
from mitche.models import NearbyList
from mitche.queries import list_bands

from .nearby_source import MemorySource, reference

LYON = LatLng(45.7597, 4.8330)
T0 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
REQUESTS = list_bands(NearbyList.REQUESTS)
NEAREST = list_bands(NearbyList.RESOURCES)


def make_entry(rng: random.Random, n: int, spread: float, nearest_only: bool) -> Entry:
    """An entry in a random cell near Lyon, with a key drawn so that ties are common."""
    lat = LYON.latitude + rng.gauss(0, spread)
    lng = LYON.longitude + rng.gauss(0, spread * 1.4)
    cell = str(pygeohash.encode(lat, lng, 6))
    if nearest_only:
        return Entry(f"e{n:05d}", cell, NEAREST_KEY)
    deadline = None if rng.random() < 0.4 else T0 + dt.timedelta(hours=rng.randint(1, 6))
    urgency = rng.choice(["low", "medium", "high", "critical"])
    return Entry(f"e{n:05d}", cell, request_key(urgency, deadline))


cities = st.builds(
    lambda seed, count, spread, nearest: (seed, count, spread, nearest),
    st.integers(0, 1_000_000),
    st.integers(0, 400),
    st.sampled_from([0.005, 0.02, 0.06]),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    city=cities,
    radius=st.sampled_from([300.0, 1_000.0, 2_500.0, 6_000.0]),
    size=st.integers(1, 25),
    shift=st.tuples(st.floats(-0.03, 0.03), st.floats(-0.03, 0.03)),
)
def test_every_page_is_the_exhaustive_search_page(city, radius, size, shift):
    """Paged to its end, the list is the reference order cut into pages."""
    seed, count, spread, nearest = city
    rng = random.Random(seed)
    source = MemorySource()
    for n in range(count):
        source.put(make_entry(rng, n, spread, nearest))
    circle = covering(LatLng(LYON.latitude + shift[0], LYON.longitude + shift[1]), radius)
    bands = NEAREST if nearest else REQUESTS
    cursor = None
    for _ in range(count // size + 2):
        page = next_page(source, circle, bands, size, cursor)
        assert list(page.entries) == reference(source.entries.values(), circle, size, cursor)
        cursor = page.cursor
        if cursor is None:
            return
    pytest.fail("paging did not end")


@settings(max_examples=40, deadline=None)
@given(city=cities, size=st.integers(1, 15), changes=st.integers(0, 30), seed=st.integers())
def test_paging_under_change_shows_unchanged_entries_exactly_once(city, size, changes, seed):
    """Entries added, removed or re-keyed between pages never make an entry that stayed
    unchanged the whole time appear twice or not at all."""
    city_seed, count, spread, nearest = city
    rng = random.Random(city_seed)
    source = MemorySource()
    for n in range(count):
        source.put(make_entry(rng, n, spread, nearest))
    original = dict(source.entries)
    circle = covering(LYON, 2_000.0)
    bands = NEAREST if nearest else REQUESTS
    touched: set[str] = set()
    shown: list[str] = []
    cursor = None
    mutate = random.Random(seed)
    fresh = count
    while True:
        page = next_page(source, circle, bands, size, cursor)
        shown.extend(entry.id for entry in page.entries)
        cursor = page.cursor
        if cursor is None:
            break
        for _ in range(mutate.randint(0, max(0, changes // 3))):
            action = mutate.random()
            if action < 0.4 and source.entries:
                victim = mutate.choice(sorted(source.entries))
                source.remove(victim)
                touched.add(victim)
            elif action < 0.7 and source.entries:
                victim = mutate.choice(sorted(source.entries))
                source.put(make_entry(mutate, int(victim[1:]), spread, nearest))
                touched.add(victim)
            else:
                source.put(make_entry(mutate, fresh, spread, nearest))
                touched.add(f"e{fresh:05d}")
                fresh += 1
    steady = [
        e.id
        for e in original.values()
        if e.id not in touched and circle.distance(e.cell) is not None
    ]
    assert sorted(i for i in shown if i in set(steady)) == sorted(steady)


@given(st.floats(-60, 60), st.floats(-170, 170), st.sampled_from([200.0, 900.0, 3_000.0]))
@settings(max_examples=30, deadline=None)
def test_the_covering_is_exactly_the_cells_whose_centre_is_within_the_radius(lat, lng, radius):
    """No cell with its centre inside is missed, none outside is included, rings are ordered."""
    center = LatLng(lat, lng)
    circle = covering(center, radius)
    step = 0.0005
    found = set()
    span = radius / 111_000 + 0.02
    import math

    lng_span = span / max(0.05, math.cos(math.radians(abs(lat) + span)))
    for i in range(-int(span / step) - 1, int(span / step) + 2, 5):
        for j in range(-int(lng_span / step) - 1, int(lng_span / step) + 2, 5):
            cell = str(pygeohash.encode(lat + i * step, lng + j * step, 6))
            if distance_m(center, cell_centre(cell)) <= radius:
                found.add(cell)
    assert found <= set(circle.distances)
    assert all(distance_m(center, cell_centre(c)) <= radius for c in circle.distances)
    distances = [ring.distance_m for ring in circle.rings]
    assert distances == sorted(distances)
    streamed = [v for s in circle.streams for v in s.values]
    assert all(len(s.values) <= 30 for s in circle.streams)
    assert len(streamed) == len(set(streamed))


def test_request_keys_sort_most_urgent_then_soonest_deadline_then_none():
    """Critical before high before medium before low; within a level, deadlines in time order
    and requests without a deadline last."""
    soon, later = T0, T0 + dt.timedelta(hours=1)
    ordered = [
        request_key("critical", soon),
        request_key("critical", later),
        request_key("critical", None),
        request_key("high", soon),
        request_key("low", None),
    ]
    assert ordered == sorted(ordered)


@pytest.mark.parametrize(
    ("change", "listed"),
    [
        ({}, True),
        ({"status": "inProgress"}, False),
        ({"status": "fulfilled"}, False),
        ({"status": "expired"}, False),
        ({"visibility": "private"}, False),
        ({"moderation": {"status": "hidden"}}, False),
        ({"moderation": {"status": "removed"}}, False),
        ({"moderation": {"status": "flagged"}}, True),
        ({"visibility": "public"}, True),
        ({"location": None, "remoteOk": True}, False),
    ],
)
def test_a_request_is_listed_while_every_member_may_read_it_open(change, listed):
    """Open, public or community, not hidden or removed, with a place: listed; else not."""
    data = {
        "status": "open",
        "urgency": "high",
        "visibility": "community",
        "location": {"geohash": "u05kq4", "area": {"geohash": "u05kq", "label": "Lyon"}},
    } | change
    assert (request_listing(data) is not None) is listed


PLACE = {"geohash": "u05kq4", "area": {"geohash": "u05kq", "label": "Lyon"}}


@pytest.mark.parametrize(
    ("listing", "data", "listed"),
    [
        (
            event_listing,
            {"status": "scheduled", "approval": {"state": "approved"}, "startsAt": T0},
            True,
        ),
        (
            event_listing,
            {"status": "scheduled", "approval": {"state": "pending"}, "startsAt": T0},
            False,
        ),
        (
            event_listing,
            {"status": "completed", "approval": {"state": "approved"}, "startsAt": T0},
            False,
        ),
        (resource_listing, {"status": "active", "category": "food"}, True),
        (resource_listing, {"status": "draft", "category": "food"}, False),
        (offering_listing, {"status": "offered", "requestPath": None}, True),
        (offering_listing, {"status": "offered", "requestPath": "requests/r1"}, False),
        (offering_listing, {"status": "withdrawn", "requestPath": None}, False),
    ],
)
def test_events_resources_and_offerings_are_listed_while_current(listing, data, listed):
    """A published scheduled event, an active resource, a standing offering still offered."""
    assert (listing(data | {"location": PLACE}) is not None) is listed
    assert listing(data | {"location": PLACE, "visibility": "private"}) is None
    assert listing(data | {"location": PLACE, "moderation": {"status": "hidden"}}) is None


def test_an_event_sorts_by_its_start_and_resources_by_distance_alone():
    """Events: soonest start first; resources and standing offerings: every key is `~`."""
    sooner = event_listing(
        {"status": "scheduled", "approval": {"state": "approved"}, "startsAt": T0}
        | {"location": PLACE}
    )
    later = event_listing(
        {"status": "scheduled", "approval": {"state": "approved"}}
        | {"startsAt": T0 + dt.timedelta(days=1), "location": PLACE}
    )
    assert sooner is not None
    assert later is not None
    assert sooner.key < later.key
    resource = resource_listing({"status": "active", "category": "food", "location": PLACE})
    assert resource is not None
    assert resource.key == NEAREST_KEY
    assert resource.category == "food"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
def test_a_large_run_of_one_deadline_is_ordered_by_distance_across_pages(size):
    """Forty requests share one deadline in cells at many distances, their ids in the reverse
    order of their distances: every page still follows distance, across fills and cursors."""
    circle = covering(LYON, 2_500.0)
    cells = [cell for ring in circle.rings for cell in ring.cells]
    key = request_key("high", T0)
    source = MemorySource()
    for n in range(40):
        source.put(Entry(f"e{99 - n:03d}", cells[n % len(cells)], key))
    cursor = None
    seen: list[Entry] = []
    while True:
        page = next_page(source, circle, REQUESTS, size, cursor)
        assert list(page.entries) == reference(source.entries.values(), circle, size, cursor)
        seen.extend(page.entries)
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == reference(source.entries.values(), circle, 100)


@settings(max_examples=150, deadline=None)
@given(
    layout=st.lists(st.integers(0, 40), min_size=1, max_size=60),
    size=st.integers(1, 6),
    streams=st.sampled_from([600.0, 2_500.0, 6_000.0]),
)
def test_one_shared_deadline_pages_exactly_whatever_the_ids_and_cells(layout, size, streams):
    """Entries sharing one key, in cells chosen at random (ids in random relation to their
    distance), one or several streams: paging follows (distance, id) exactly."""
    circle = covering(LYON, streams)
    cells = [cell for ring in circle.rings for cell in ring.cells]
    key = request_key("critical", T0)
    source = MemorySource()
    for n, choice in enumerate(layout):
        source.put(Entry(f"e{n:03d}", cells[choice % len(cells)], key))
    cursor = None
    for _ in range(len(layout) + 2):
        page = next_page(source, circle, REQUESTS, size, cursor)
        assert list(page.entries) == reference(source.entries.values(), circle, size, cursor)
        cursor = page.cursor
        if cursor is None:
            return
    pytest.fail("paging did not end")
