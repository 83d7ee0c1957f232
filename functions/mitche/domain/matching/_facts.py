"""What matching knows about a request and a helper: plain data, built from documents.

A request's facts come from the request (category, published cell, remote help, urgency,
deadline) and its requester's languages; a helper's from their user document (languages,
skills text, home area, how far they go: `notifications.nearbyRadiusKm`, standing) and their
open standing offerings (categories offered, weekly hours, remote help). Places are the
published cells only (about 1 km), never an exact address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from mitche.domain.geo import LatLng

__all__ = ["ANY_CATEGORY", "HelperFacts", "Rating", "RequestFacts", "WeeklyWindow"]

ANY_CATEGORY: Final = "other"
"""A request of this category is compatible with every helper."""


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """A recurring weekly window: weekday (0 = Monday) and minutes since midnight, UTC."""

    weekday: int
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6 or not 0 <= self.start_minute < self.end_minute <= 1440:
            raise ValueError(f"{self} is not a window within one day")


@dataclass(frozen=True, slots=True)
class Rating:
    """The ratings a helper received: mean stars (1-5) over `count` ratings."""

    average: float = 0.0
    count: int = 0


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """A request as matching sees it."""

    request_id: str
    requester_id: str
    category: str
    point: LatLng | None
    """Centre of the published cell; None for remote-only help."""
    remote_ok: bool = False
    urgency: str = "medium"
    deadline: dt.datetime | None = None
    languages: frozenset[str] = frozenset()
    """The requester's languages (primary subtags); empty when they named none."""


@dataclass(frozen=True, slots=True)
class HelperFacts:
    """A helper as matching sees them."""

    uid: str
    alias: str
    categories: frozenset[str] = frozenset()
    """Categories of their open standing offerings; empty: they did not narrow what they do."""
    point: LatLng | None = None
    """Centre of their home area; None when they gave none (remote help only)."""
    travel_km: float = 5.0
    remote_ok: bool = False
    languages: frozenset[str] = frozenset()
    windows: tuple[WeeklyWindow, ...] = ()
    """When they are available each week; empty means any time."""
    ratings: Mapping[str, Rating] = field(default_factory=dict)
    """Ratings received per category (`*`: all categories together)."""
    open_commitments: int = 0
    """Accepted offerings not yet completed or cancelled."""
    active: bool = True
    """False when suspended, banned or deactivated."""
    blocked: frozenset[str] = frozenset()
    """Members this helper blocked or who blocked them."""
