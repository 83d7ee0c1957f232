"""Whether a document belongs on a near-me list, and its entry there: plain data in and out.

A document is listed only while every signed-in member may read it (the reads firestore.rules
allow through `inAudience` and `isShown`) and it is current: an open request, a published
scheduled event, an active resource, a standing offering still offered. Its entry holds the
published 6-character cell (a resource's exact geohash is cut to it), never a finer place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.domain._calendar import stored_moment
from mitche.domain.nearby._cover import AREA_PRECISION, CELL_PRECISION
from mitche.domain.nearby._order import NEAREST_KEY, URGENCY_LETTERS, request_key, time_key

__all__ = [
    "AUDIENCE",
    "SHOWN",
    "Listing",
    "event_listing",
    "offering_listing",
    "request_listing",
    "resource_listing",
]

AUDIENCE: Final = frozenset({"public", "community"})
"""Visibilities every signed-in member may read."""
SHOWN: Final = frozenset({"pending", "approved", "flagged"})
"""Moderation states whose content stays with its audience (no moderation map reads as
pending, as in the rules)."""
_GEOHASH: Final = frozenset("0123456789bcdefghjkmnpqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class Listing:
    """A document's entry on a list."""

    key: str
    cell: str
    category: str | None = None

    @property
    def area(self) -> str:
        """The cell's 5-character area."""
        return self.cell[:AREA_PRECISION]


def _for_everyone(data: Mapping[str, Any]) -> bool:
    moderation = data.get("moderation")
    state = moderation.get("status", "pending") if isinstance(moderation, Mapping) else "pending"
    return data.get("visibility", "community") in AUDIENCE and state in SHOWN


def _cell(data: Mapping[str, Any]) -> str | None:
    location = data.get("location")
    geohash = location.get("geohash") if isinstance(location, Mapping) else None
    if not isinstance(geohash, str) or len(geohash) < CELL_PRECISION:
        return None
    cell = geohash[:CELL_PRECISION]
    return cell if set(cell) <= _GEOHASH else None


def request_listing(data: Mapping[str, Any] | None) -> Listing | None:
    """An open request every member may read, with a place: most urgent, soonest first."""
    if data is None or data.get("status", "open") != "open" or not _for_everyone(data):
        return None
    cell = _cell(data)
    urgency = data.get("urgency", "medium")
    if cell is None or urgency not in URGENCY_LETTERS:
        return None
    return Listing(request_key(str(urgency), stored_moment(data.get("deadline"))), cell)


def event_listing(data: Mapping[str, Any] | None) -> Listing | None:
    """A published, scheduled event with a place: soonest start first."""
    if data is None or data.get("status") != "scheduled" or not _for_everyone(data):
        return None
    approval = data.get("approval")
    if not isinstance(approval, Mapping) or approval.get("state") != "approved":
        return None
    cell, starts = _cell(data), stored_moment(data.get("startsAt"))
    if cell is None or starts is None:
        return None
    return Listing(time_key(starts), cell, _text(data.get("category")))


def resource_listing(data: Mapping[str, Any] | None) -> Listing | None:
    """An active service with a place: nearest first, by category."""
    if data is None or data.get("status") != "active" or not _for_everyone(data):
        return None
    cell, category = _cell(data), _text(data.get("category"))
    if cell is None or category is None:
        return None
    return Listing(NEAREST_KEY, cell, category)


def offering_listing(data: Mapping[str, Any] | None) -> Listing | None:
    """A standing offering (no request) still offered, with a place: nearest first."""
    if data is None or data.get("requestPath") is not None or data.get("status") != "offered":
        return None
    if not _for_everyone(data):
        return None
    cell = _cell(data)
    if cell is None:
        return None
    return Listing(NEAREST_KEY, cell, _text(data.get("category")))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
