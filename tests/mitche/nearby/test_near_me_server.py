""" "Near me" on a Firestore server enforcing firestore.indexes.json and firestore.rules, as a
signed-in member: every page is exactly the exhaustive search's page, the list is paged without
repeats or gaps, and each result is read through the document's own rules."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pygeohash
import pytest
from google.cloud.firestore_v1 import GeoPoint
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from firelab.pytest_plugin import FirestoreTestServer
from firelab.server import FirestoreServer, UserClients
from firelab.server.core import Emulator, IndexConfig
from mitche.domain.geo import LatLng
from mitche.domain.nearby import (
    Entry,
    cell_centre,
    covering,
    event_listing,
    offering_listing,
    request_listing,
    resource_listing,
)
from mitche.handlers import entry_data
from mitche.models import NearbyList, nearby_entries_path
from mitche.queries import NearMeFeed, near_me
from tests.mitche.domain.nearby_source import reference

pytestmark = pytest.mark.server

PROJECT: Final = "demo-near-me"
REPO_ROOT: Final = Path(__file__).resolve().parents[3]
INDEX_FILE: Final = REPO_ROOT / "firestore.indexes.json"
LYON: Final = LatLng(45.7597, 4.8330)
NOW: Final = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
ENTRIES: Final = nearby_entries_path(NearbyList.REQUESTS)


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreTestServer]:
    """A server of its own: index enforcement, the committed rules, member clients."""
    config = IndexConfig.from_file(INDEX_FILE, enforce=True)
    local = FirestoreServer(emulator=Emulator(indexes=config)).start()
    users = UserClients(local.address).start()
    wrapped = FirestoreTestServer(host=local.address, project=PROJECT, users=users, local=local)
    patch = pytest.MonkeyPatch()
    patch.setenv("FIRESTORE_EMULATOR_HOST", local.address)
    try:
        wrapped.load_rules((REPO_ROOT / "firestore.rules").read_text(encoding="utf-8"))
        yield wrapped
    finally:
        patch.undo()
        users.close()
        local.stop()


def cell_of(latitude: float, longitude: float) -> str:
    """The 6-character cell of a point."""
    return str(pygeohash.encode(latitude, longitude, 6))


def make_request(rng: random.Random, n: int) -> dict[str, Any]:
    """An open, hidden or closed request somewhere within ~4 km of the Presqu'île."""
    point = LatLng(
        LYON.latitude + rng.uniform(-0.035, 0.035), LYON.longitude + rng.uniform(-0.05, 0.05)
    )
    import pygeohash

    from mitche.domain.nearby import CELL_PRECISION

    cell = str(pygeohash.encode(point.latitude, point.longitude, CELL_PRECISION))
    centre = cell_centre(cell)
    data: dict[str, Any] = {
        "requesterId": f"member{n}",
        "title": f"Help needed #{n}",
        "urgency": rng.choice(["low", "medium", "high", "critical"]),
        "visibility": rng.choice(["community", "community", "public", "private"]),
        "status": rng.choice(["open", "open", "open", "inProgress", "fulfilled"]),
        "moderation": {"status": rng.choice(["approved", "approved", "pending", "hidden"])},
        "location": {
            "area": {"geohash": cell[:5], "label": "Lyon"},
            "geohash": cell,
            "point": GeoPoint(centre.latitude, centre.longitude),
        },
        "createdAt": NOW,
        "updatedAt": NOW,
    }
    if rng.random() < 0.5:
        data["deadline"] = NOW + dt.timedelta(hours=rng.choice([2, 5, 5, 30, 48]))
    return data


def seed_city(server: FirestoreTestServer, seed: int, count: int) -> list[Entry]:
    """Requests and the entries the trigger keeps for them; the listed entries."""
    server.clear()
    owner = server.owner_client()
    rng = random.Random(seed)
    listed = []
    batch = owner.batch()
    for n in range(count):
        data = make_request(rng, n)
        request_id = f"r{seed}-{n:04d}"
        batch.set(owner.document(f"requests/{request_id}"), data)
        listing = request_listing(data)
        if listing is not None:
            batch.set(owner.document(f"{ENTRIES}/{request_id}"), entry_data(listing))
            listed.append(Entry(request_id, listing.cell, listing.key))
    batch.commit()
    return listed


@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    radius=st.sampled_from([700.0, 1_500.0, 3_000.0]),
    size=st.sampled_from([3, 7, 20]),
    dx=st.floats(-0.02, 0.02),
)
def test_pages_are_the_exhaustive_search_pages(server, seed, radius, size, dx):
    """Paging a random city to its end gives exactly the brute-force order, page by page, as
    a member reading through the rules (hidden, private and closed requests never listed)."""
    listed = seed_city(server, seed, 120)
    member = server.user_client("alice")
    center = LatLng(LYON.latitude + dx, LYON.longitude - dx)
    circle = covering(center, radius)
    cursor = None
    while True:
        page = near_me(member, NearbyList.REQUESTS, center, radius, size=size, after=cursor)
        expected = reference(listed, circle, size, cursor)
        assert [doc.id for doc in page.documents] == [entry.id for entry in expected]
        assert all(doc.data["status"] == "open" for doc in page.documents)
        cursor = page.cursor
        if cursor is None:
            break


def test_a_first_page_reads_its_results_and_a_few_entries(server):
    """The first page of 20 costs its 20 gets plus a few more entries than it shows."""
    seed_city(server, 7, 300)
    member = server.user_client("alice")
    page = near_me(member, NearbyList.REQUESTS, LYON, 3_000)
    assert len(page.documents) == 20
    assert page.document_reads == 20
    assert page.entry_reads <= 40


def test_an_entry_whose_request_the_member_may_not_read_is_skipped(server):
    """A request hidden a moment ago, its entry not yet removed, is skipped and replaced: the
    member reads only what the rules let them."""
    listed = seed_city(server, 11, 80)
    owner = server.owner_client()
    member = server.user_client("alice")
    first = near_me(member, NearbyList.REQUESTS, LYON, 5_000, size=5)
    hidden = first.documents[0].id
    owner.document(f"requests/{hidden}").update({"moderation.status": "hidden"})
    again = near_me(member, NearbyList.REQUESTS, LYON, 5_000, size=5)
    assert hidden not in [doc.id for doc in again.documents]
    assert len(again.documents) == 5
    expected = [e.id for e in reference(listed, covering(LYON, 5_000), 6) if e.id != hidden]
    assert [doc.id for doc in again.documents] == expected[:5]


def test_a_feed_never_shows_a_request_twice(server):
    """A request whose deadline moves later while the member scrolls is not shown again."""
    seed_city(server, 3, 150)
    owner = server.owner_client()
    feed = NearMeFeed(server.user_client("alice"), NearbyList.REQUESTS, LYON, 5_000)
    first = feed.next(size=5)
    moved = first[0].id
    entry = owner.document(f"{ENTRIES}/{moved}")
    key = entry.get().to_dict()["key"]
    entry.update({"key": key[0] + "~"})
    seen = [doc.id for doc in first]
    while page := feed.next(size=5):
        seen.extend(doc.id for doc in page)
    assert len(seen) == len(set(seen))


def test_resources_of_a_category_nearest_first(server):
    """Resources near me: one category only, nearest first, read through the rules."""
    server.clear()
    owner = server.owner_client()
    listed = []
    for n, (dlat, category) in enumerate(
        [(0.001, "food"), (0.004, "food"), (0.002, "health"), (0.02, "food"), (0.3, "food")]
    ):
        cell = cell_of(LYON.latitude + dlat, LYON.longitude)
        data = {
            "name": f"Service {n}",
            "category": category,
            "status": "active",
            "visibility": "community",
            "submittedBy": "erin",
            "location": {"geohash": cell + "000"},
        }
        owner.document(f"resources/res{n}").set(data)
        listing = resource_listing(data)
        assert listing is not None
        owner.document(f"{nearby_entries_path(NearbyList.RESOURCES)}/res{n}").set(
            entry_data(listing)
        )
        if category == "food":
            listed.append(Entry(f"res{n}", listing.cell, listing.key))
    member = server.user_client("alice")
    page = near_me(member, NearbyList.RESOURCES, LYON, 5_000, category="food")
    circle = covering(LYON, 5_000)
    assert [doc.id for doc in page.documents] == [e.id for e in reference(listed, circle, 20)]
    assert [doc.id for doc in page.documents] == ["res0", "res1", "res3"]


def test_events_not_started_soonest_first(server):
    """Upcoming events near me: published, scheduled, starting from now on, soonest first."""
    server.clear()
    owner = server.owner_client()
    cell = cell_of(LYON.latitude, LYON.longitude)
    for n, hours in enumerate([-2, 5, 1, 30]):
        data = {
            "title": f"Event {n}",
            "organizerId": "carol",
            "status": "scheduled",
            "approval": {"state": "approved"},
            "visibility": "community",
            "startsAt": NOW + dt.timedelta(hours=hours),
            "location": {"geohash": cell, "area": {"geohash": cell[:5], "label": "Lyon"}},
        }
        owner.document(f"communityEvents/evt{n}").set(data)
        listing = event_listing(data)
        assert listing is not None
        owner.document(f"{nearby_entries_path(NearbyList.EVENTS)}/evt{n}").set(entry_data(listing))
    member = server.user_client("alice")
    page = near_me(member, NearbyList.EVENTS, LYON, 2_000, now=NOW)
    assert [doc.id for doc in page.documents] == ["evt2", "evt1", "evt3"]


def test_standing_offerings_nearest_first(server):
    """Standing offerings near me: nearest first; answers to requests are never listed."""
    server.clear()
    owner = server.owner_client()
    for n, dlat in enumerate([0.01, 0.001]):
        cell = cell_of(LYON.latitude + dlat, LYON.longitude)
        data = {
            "helperId": "bob",
            "requestPath": None,
            "status": "offered",
            "visibility": "community",
            "category": "household",
            "location": {"geohash": cell, "area": {"geohash": cell[:5], "label": "Lyon"}},
        }
        owner.document(f"offerings/off{n}").set(data)
        listing = offering_listing(data)
        assert listing is not None
        owner.document(f"{nearby_entries_path(NearbyList.OFFERINGS)}/off{n}").set(
            entry_data(listing)
        )
    member = server.user_client("alice")
    page = near_me(member, NearbyList.OFFERINGS, LYON, 3_000)
    assert [doc.id for doc in page.documents] == ["off1", "off0"]
