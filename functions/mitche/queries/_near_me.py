""" "Open requests near me, most urgent first": geohash ranges, merged, false positives dropped.

Firestore cannot filter by distance or order by a computed rank, so, as the Firebase geoqueries
guide describes, the circle is covered by a few geohash ranges (`geohash_query_bounds`, never
finer than the 6 characters requests publish), each range is one `requests.nearMe` catalog
query run concurrently, and the merged results are filtered by their real distance to the
published cell centre. Ordering by urgency happens here, after filtering: a range query must
order by the geohash it ranges over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from google.cloud.firestore_v1 import Client

from mitche.domain.geo import (
    PUBLIC_GEOHASH_PRECISION,
    GeohashRange,
    LatLng,
    distance_m,
    geohash_query_bounds,
)
from mitche.models import UrgencyLevel
from mitche.queries._catalog import query_for

__all__ = ["NEAR_ME_QUERY", "NearMeResult", "NearbyRequest", "near_me", "urgency_rank"]

NEAR_ME_QUERY: Final = "requests.nearMe"
"""The catalog query run once per geohash range."""
_RANK: Final = {level.value: rank for rank, level in enumerate(UrgencyLevel)}
_NO_DEADLINE: Final = dt.datetime.max.replace(tzinfo=dt.UTC)


def urgency_rank(urgency: str) -> int:
    """Higher is more urgent (`critical` highest), following UrgencyLevel's order."""
    return _RANK.get(urgency, -1)


@dataclass(frozen=True, slots=True)
class NearbyRequest:
    """An open request within the radius."""

    id: str
    data: Mapping[str, Any]
    distance_m: float
    """Distance from the searcher to the request's published cell centre."""


@dataclass(frozen=True, slots=True)
class NearMeResult:
    """Requests within the radius, most urgent first, and what finding them cost."""

    requests: tuple[NearbyRequest, ...]
    ranges: tuple[GeohashRange, ...]
    within_radius: int
    """Requests found within the radius, before `limit`."""
    documents_read: int
    """Documents the range queries returned (false positives included)."""
    billed_reads: int
    """Reads Firestore bills: one per document, and one for each query that returned none."""

    @property
    def false_positives(self) -> int:
        """Documents read that lay outside the radius."""
        return self.documents_read - self.within_radius


def _within(data: Mapping[str, Any], center: LatLng, radius_m: float) -> float | None:
    point = (data.get("location") or {}).get("point")
    if point is None:
        return None
    distance = distance_m(center, LatLng(point.latitude, point.longitude))
    return distance if distance <= radius_m else None


def _sort_key(found: NearbyRequest) -> tuple[int, dt.datetime, float, str]:
    deadline = found.data.get("deadline") or _NO_DEADLINE
    return (-urgency_rank(str(found.data.get("urgency"))), deadline, found.distance_m, found.id)


def near_me(
    client: Client, center: LatLng, radius_m: float, *, limit: int | None = None
) -> NearMeResult:
    """Open requests whose published cell centre lies within `radius_m` of `center`: most urgent
    first, then soonest deadline, then nearest; at most `limit` of them."""
    ranges = tuple(geohash_query_bounds(center, radius_m, max_precision=PUBLIC_GEOHASH_PRECISION))

    def fetch(bounds: GeohashRange) -> list[tuple[str, dict[str, Any]]]:
        query = query_for(client, NEAR_ME_QUERY, start=bounds.start, end=bounds.end)
        return [(snapshot.id, snapshot.to_dict() or {}) for snapshot in query.stream()]

    with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
        pages = list(pool.map(fetch, ranges))
    found: dict[str, NearbyRequest] = {}
    for page in pages:
        for request_id, data in page:
            distance = _within(data, center, radius_m)
            if distance is not None:
                found[request_id] = NearbyRequest(request_id, data, distance)
    ordered = sorted(found.values(), key=_sort_key)
    return NearMeResult(
        requests=tuple(ordered if limit is None else ordered[:limit]),
        ranges=ranges,
        within_radius=len(ordered),
        documents_read=sum(len(page) for page in pages),
        billed_reads=sum(max(1, len(page)) for page in pages),
    )
