"""The near-me triggers keep each list's entry in step with its document: a request moves in
when it opens and out when it is accepted, fulfilled, expired, hidden or made private; edits
that move nothing cost nothing; a late redelivery of an old change never resurrects an entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.cloud.firestore_v1 import GeoPoint

from mitche.domain.nearby import cell_centre
from mitche.models import NearbyList, nearby_entries_path
from mitche.services import recording_costs

T0 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
CELL = "u05kq4"
REQUEST = "requests/req-near"
ENTRY = f"{nearby_entries_path(NearbyList.REQUESTS)}/req-near"


def make_request(**changes: Any) -> dict[str, Any]:
    """An open community request in a Croix-Rousse cell, due in two hours."""
    centre = cell_centre(CELL)
    return {
        "requesterId": "alice",
        "title": "Groceries for my neighbour",
        "description": "Two bags from the market.",
        "category": "food",
        "urgency": "high",
        "deadline": T0 + dt.timedelta(hours=2),
        "visibility": "community",
        "location": {
            "area": {"geohash": CELL[:5], "label": "Croix-Rousse"},
            "geohash": CELL,
            "point": GeoPoint(centre.latitude, centre.longitude),
        },
        "status": "open",
        "acceptedHelperIds": [],
        "moderation": {"status": "approved", "reportCount": 0},
        "createdAt": T0,
        "updatedAt": T0,
    } | changes


def write(store, data: dict[str, Any] | None, before, n: int) -> Any:
    """Store the request (None: delete it) and deliver its written event."""
    if data is None:
        store.client.document(REQUEST).delete()
        after = None
    else:
        after = store.put(REQUEST, data)
    store.deliver(
        "nearby_request_written",
        store.event(REQUEST, before, after, event_id=f"evt-{n}", at=T0),
    )
    return after


def test_an_open_request_gets_its_entry(store):
    """Posting an open request lists it: its cell, area and urgency-then-deadline key."""
    write(store, make_request(), None, 1)
    entry = store.get(ENTRY)
    assert entry is not None
    assert (entry["cell"], entry["area"]) == (CELL, CELL[:5])
    assert entry["key"] == "b2026-11-24T11:00:00.000000Z"


@pytest.mark.parametrize(
    "change",
    [
        {"status": "inProgress", "acceptedHelperIds": ["bob"]},
        {"status": "fulfilled"},
        {"status": "closed"},
        {"status": "expired"},
        {"visibility": "private"},
        {"moderation": {"status": "hidden", "reportCount": 3}},
        {"moderation": {"status": "removed", "reportCount": 3}},
    ],
    ids=["accepted", "fulfilled", "closed", "expired", "private", "hidden", "removed"],
)
def test_a_request_that_stops_being_findable_leaves_the_list(store, change):
    """Accepted, fulfilled, closed, expired, made private, hidden or removed: no entry."""
    opened = write(store, make_request(), None, 1)
    write(store, make_request(**change), opened, 2)
    assert store.get(ENTRY) is None


def test_an_edit_that_moves_nothing_costs_nothing(store):
    """A new title changes no listing: the handler reads and writes nothing."""
    opened = write(store, make_request(), None, 1)
    with recording_costs() as recorder:
        write(store, make_request(title="Groceries for two neighbours"), opened, 2)
    assert recorder.of("nearby.nearbyRequests") == []


def test_a_listing_change_costs_one_read_and_one_write(store):
    """Raising the urgency re-keys the entry for one read (the request) and one write."""
    opened = write(store, make_request(), None, 1)
    with recording_costs() as recorder:
        write(store, make_request(urgency="critical"), opened, 2)
    assert recorder.totals() == (1, 1)
    assert store.get(ENTRY)["key"].startswith("a")


def test_a_late_redelivery_of_the_opening_does_not_resurrect_the_entry(store):
    """The request is hidden, then the opening event arrives again: the entry follows the
    request as it is now, so it stays out."""
    opened = write(store, make_request(), None, 1)
    write(store, make_request(moderation={"status": "hidden", "reportCount": 3}), opened, 2)
    store.deliver(
        "nearby_request_written", store.event(REQUEST, None, opened, event_id="evt-1", at=T0)
    )
    assert store.get(ENTRY) is None


def test_a_deleted_request_leaves_the_list(store):
    """A request deleted by an operator takes its entry with it."""
    opened = write(store, make_request(), None, 1)
    write(store, None, opened, 2)
    assert store.get(ENTRY) is None


PLACE = {"geohash": CELL, "area": {"geohash": CELL[:5], "label": "Croix-Rousse"}}


@pytest.mark.parametrize(
    ("function", "path", "kind", "listed", "unlisted"),
    [
        (
            "nearby_event_written",
            "communityEvents/evt-near",
            NearbyList.EVENTS,
            {"status": "scheduled", "approval": {"state": "approved"}, "startsAt": T0},
            {"status": "cancelled", "approval": {"state": "approved"}, "startsAt": T0},
        ),
        (
            "nearby_resource_written",
            "resources/res-near",
            NearbyList.RESOURCES,
            {"status": "active", "category": "food"},
            {"status": "inactive", "category": "food"},
        ),
        (
            "nearby_offering_written",
            "offerings/off-near",
            NearbyList.OFFERINGS,
            {"status": "offered", "requestPath": None, "category": "household"},
            {"status": "withdrawn", "requestPath": None, "category": "household"},
        ),
    ],
    ids=["event", "resource", "offering"],
)
def test_events_resources_and_offerings_move_in_and_out(
    store, function, path, kind, listed, unlisted
):
    """A published event, an active resource, a standing offering get an entry on their list,
    and lose it once cancelled, deactivated or withdrawn."""
    entry = f"{nearby_entries_path(kind)}/{path.rsplit('/', 1)[-1]}"
    base = {"visibility": "community", "location": PLACE}
    opened = store.put(path, base | listed)
    store.deliver(function, store.event(path, None, opened, event_id="evt-a", at=T0))
    assert store.get(entry)["cell"] == CELL
    closed = store.put(path, base | unlisted)
    store.deliver(function, store.event(path, opened, closed, event_id="evt-b", at=T0))
    assert store.get(entry) is None
