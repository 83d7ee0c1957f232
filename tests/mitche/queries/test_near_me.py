""" "Open requests near me, most urgent first": exactly the open, visible, shown requests whose
published cell centre lies within the radius, most urgent first, found through the catalog's
range query under index enforcement."""

from __future__ import annotations

import datetime as dt
import random
from typing import Final

import pytest
from google.cloud.firestore_v1 import GeoPoint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitche.domain.geo import LatLng, distance_m
from mitche.models import (
    HelpCategory,
    HelpRequest,
    Moderation,
    ModerationState,
    RequestStatus,
    UrgencyLevel,
    Visibility,
    public_location,
)
from mitche.queries import near_me, urgency_rank
from mitche.services.codec import to_document

from .conftest import make_client

pytestmark = pytest.mark.server

PROJECT: Final = "demo-mitche-near-me"
LYON: Final = LatLng(45.7640, 4.8357)
T0: Final = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
COUNT: Final = 400


def make_request(
    point: LatLng,
    *,
    urgency: UrgencyLevel = UrgencyLevel.MEDIUM,
    status: RequestStatus = RequestStatus.OPEN,
    visibility: Visibility = Visibility.COMMUNITY,
    moderation: ModerationState = ModerationState.APPROVED,
    deadline: dt.datetime | None = None,
) -> HelpRequest:
    """An open, approved community request at `point` (published as its 6-character cell)."""
    return HelpRequest(
        requester_id="someone",
        title="Help with shopping",
        description="Carrying bags up the stairs.",
        category=HelpCategory.FOOD,
        urgency=urgency,
        deadline=deadline,
        visibility=visibility,
        location=public_location(GeoPoint(point.latitude, point.longitude), "Lyon"),
        status=status,
        accepted_helper_ids=["helper"] if status is RequestStatus.IN_PROGRESS else [],
        moderation=Moderation(status=moderation),
        created_at=T0,
        updated_at=T0,
    )


def _world() -> dict[str, HelpRequest]:
    """Requests scattered over ~25 km around Lyon, three in ten not findable (expired,
    private, hidden)."""
    rng = random.Random(7)
    requests: dict[str, HelpRequest] = {}
    for n in range(COUNT):
        point = LatLng(
            LYON.latitude + rng.uniform(-0.12, 0.12), LYON.longitude + rng.uniform(-0.16, 0.16)
        )
        kind = n % 10
        requests[f"r{n:04d}"] = make_request(
            point,
            urgency=list(UrgencyLevel)[n % 4],
            status=RequestStatus.EXPIRED if kind == 0 else RequestStatus.OPEN,
            visibility=Visibility.PRIVATE if kind == 1 else Visibility.COMMUNITY,
            moderation=ModerationState.HIDDEN if kind == 2 else ModerationState.APPROVED,
            deadline=T0 + dt.timedelta(hours=rng.randint(1, 500)) if n % 3 else None,
        )
    return requests


WORLD: Final = _world()


@pytest.fixture(scope="module")
def near_client(enforcing_server):
    """An administrator's client of the enforcing server with the world seeded."""
    client = make_client(enforcing_server.address, PROJECT)
    batch = client.batch()
    for request_id, request in WORLD.items():
        batch.set(client.document(f"requests/{request_id}"), to_document(request, client))
    batch.commit()
    return client


def _expected(center: LatLng, radius_m: float) -> set[str]:
    """Brute force over the world: the findable requests within the radius."""
    found = set()
    for request_id, request in WORLD.items():
        findable = (
            request.status is RequestStatus.OPEN
            and request.visibility is not Visibility.PRIVATE
            and request.moderation.status is not ModerationState.HIDDEN
        )
        assert request.location is not None
        point = request.location.point
        if findable and distance_m(center, LatLng(point.latitude, point.longitude)) <= radius_m:
            found.add(request_id)
    return found


@pytest.mark.parametrize(
    ("level", "rank"), [("critical", 3), ("high", 2), ("medium", 1), ("low", 0), ("later", -1)]
)
def test_urgency_ranks_follow_the_levels(level, rank):
    """Critical is the most urgent; an unknown level ranks below every known one."""
    assert urgency_rank(level) == rank


@pytest.mark.parametrize("radius_m", [500, 2_000, 5_000, 12_000])
def test_near_me_finds_exactly_the_requests_within_the_radius(near_client, radius_m):
    """Every findable request within the radius, and nothing else: false positives of the
    geohash ranges are dropped, expired, private and hidden requests never appear."""
    result = near_me(near_client, LYON, radius_m)
    assert {found.id for found in result.requests} == _expected(LYON, radius_m)
    assert all(found.distance_m <= radius_m for found in result.requests)
    assert result.within_radius == len(result.requests)
    assert result.documents_read == result.within_radius + result.false_positives
    assert result.billed_reads >= max(result.documents_read, len(result.ranges))


def test_near_me_lists_the_most_urgent_first(near_client):
    """Critical before high before medium before low; within a level, the soonest deadline
    first (none last), then the nearest."""
    found = near_me(near_client, LYON, 5_000).requests
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    keys = [
        (-urgency_rank(f.data["urgency"]), f.data.get("deadline") or far_future, f.distance_m)
        for f in found
    ]
    assert keys == sorted(keys)
    assert found[0].data["urgency"] == "critical"


def test_near_me_stops_at_the_limit(near_client):
    """With a limit, the first results of the full ordering and no more."""
    everything = near_me(near_client, LYON, 5_000)
    first = near_me(near_client, LYON, 5_000, limit=5)
    assert first.requests == everything.requests[:5]
    assert first.within_radius == everything.within_radius


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dlat=st.floats(-0.1, 0.1),
    dlng=st.floats(-0.14, 0.14),
    radius_m=st.floats(200, 15_000),
)
def test_near_me_agrees_with_brute_force_anywhere(near_client, dlat, dlng, radius_m):
    """For any centre in the city and any radius, the result set is the brute-force set."""
    center = LatLng(LYON.latitude + dlat, LYON.longitude + dlng)
    result = near_me(near_client, center, radius_m)
    assert {found.id for found in result.requests} == _expected(center, radius_m)
