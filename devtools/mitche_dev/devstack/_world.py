"""Where and when the demo happens: neighbourhoods of Lyon, and times relative to a given now.

Every timestamp of the dataset is computed from the `now` the caller passes, so the demo always
looks current (a request created two days ago, an event next week) and two calls with the same
`now` build identical documents.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Final

import pygeohash
from google.cloud.firestore_v1 import GeoPoint

from mitche.errors import InvalidArgumentError
from mitche.models.common import (
    EXACT_GEOHASH_PRECISION,
    ExactLocation,
    PublicArea,
    PublicLocation,
    public_location,
)

__all__ = [
    "BELLECOUR",
    "CITY_TIME_ZONE",
    "CROIX_ROUSSE",
    "DEMO_NOW",
    "GERLAND",
    "GRANGE_BLANCHE",
    "GUILLOTIERE",
    "PART_DIEU",
    "VIEUX_LYON",
    "VILLEURBANNE",
    "Clock",
    "Place",
]

CITY_TIME_ZONE: Final = "Europe/Paris"
"""Time zone of the demo city; events and schedules are announced in it."""

DEMO_NOW: Final = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
"""The default 'now' of the demo (the seed command passes the real time instead)."""


@dataclass(frozen=True, slots=True)
class Place:
    """A spot in Lyon: exact coordinates and address, and the area label strangers see."""

    latitude: float
    longitude: float
    address: str
    """Street address (fictional house numbers), only ever stored in private documents."""
    area_label: str
    """Coarse, public name of the neighbourhood."""

    @property
    def point(self) -> GeoPoint:
        """The exact coordinates."""
        return GeoPoint(self.latitude, self.longitude)

    def exact(self) -> ExactLocation:
        """The exact location, for private documents."""
        geohash = pygeohash.encode(self.latitude, self.longitude, EXACT_GEOHASH_PRECISION)
        return ExactLocation(point=self.point, geohash=geohash, address=self.address)

    def public(self) -> PublicLocation:
        """The snapped, public location (about a 1 km cell), for public documents."""
        return public_location(self.point, self.area_label)

    def area(self) -> PublicArea:
        """The coarse area (about 5 km) of profiles and tapestry threads."""
        return self.public().area


CROIX_ROUSSE: Final = Place(
    45.7743, 4.8312, "14 rue d'Austerlitz, 69004 Lyon", "Croix-Rousse, Lyon"
)
GUILLOTIERE: Final = Place(
    45.7551, 4.8423, "31 rue de Marseille, 69007 Lyon", "La Guillotière, Lyon"
)
VIEUX_LYON: Final = Place(45.7622, 4.8271, "8 rue Saint-Jean, 69005 Lyon", "Vieux Lyon, Lyon")
PART_DIEU: Final = Place(45.7605, 4.8597, "20 rue Servient, 69003 Lyon", "Part-Dieu, Lyon")
VILLEURBANNE: Final = Place(
    45.7667, 4.8803, "5 avenue Henri Barbusse, 69100 Villeurbanne", "Gratte-Ciel, Villeurbanne"
)
GERLAND: Final = Place(45.7275, 4.8300, "60 avenue Jean Jaurès, 69007 Lyon", "Gerland, Lyon")
GRANGE_BLANCHE: Final = Place(
    45.7427, 4.8813, "5 place d'Arsonval, 69003 Lyon", "Grange Blanche, Lyon"
)
BELLECOUR: Final = Place(45.7578, 4.8320, "2 place Bellecour, 69002 Lyon", "Bellecour, Lyon")


@dataclass(frozen=True, slots=True)
class Clock:
    """Times of the demo, relative to `now` (UTC, timezone-aware)."""

    now: dt.datetime

    def __post_init__(self) -> None:
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise InvalidArgumentError(
                f"the demo's now must be timezone-aware, not {self.now.isoformat()}"
            )
        object.__setattr__(self, "now", self.now.astimezone(dt.UTC))

    def ago(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """A moment before now."""
        return self.now - dt.timedelta(days=days, hours=hours, minutes=minutes)

    def ahead(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
        """A moment after now."""
        return self.now + dt.timedelta(days=days, hours=hours, minutes=minutes)

    def local(self, days: int, hour: int, minute: int = 0) -> dt.datetime:
        """Wall-clock `hour:minute` in Lyon, `days` after (or before) today's date in Lyon,
        as a UTC timestamp: how events are announced."""
        zone = zoneinfo.ZoneInfo(CITY_TIME_ZONE)
        day = self.now.astimezone(zone).date() + dt.timedelta(days=days)
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
        return moment.astimezone(dt.UTC)

    def day(self, days_ago: int) -> dt.date:
        """The UTC calendar day `days_ago` days before today."""
        return self.now.date() - dt.timedelta(days=days_ago)
