""" "Near me" search on Firestore: geohash range queries plus distance filtering.

Firestore cannot query by distance, so a point is stored with its geohash and a circle becomes
a handful of geohash ranges (`where geohash >= start and geohash < end`) that together cover it,
as the Firebase geoqueries guide describes. The ranges over-cover: callers drop the false
positives by computing the real distance.

Requests publish only a coarse geohash (`PUBLIC_GEOHASH_PRECISION` characters, a cell of about
1.2 km x 0.6 km) and that cell's centre, never the exact address; ranges are therefore never
finer than the stored precision, and distances are measured to the cell centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import pygeohash

__all__ = [
    "PUBLIC_GEOHASH_PRECISION",
    "GeohashRange",
    "LatLng",
    "distance_m",
    "encode",
    "geohash_query_bounds",
    "public_cell",
]

BASE32: Final = "0123456789bcdefghjkmnpqrstuvwxyz"
BITS_PER_CHAR: Final = 5
MAX_PRECISION: Final = 22
EARTH_RADIUS_M: Final = 6_371_008.8
"""Mean Earth radius (IUGG), used for haversine distances."""
_EQUATORIAL_RADIUS_M: Final = 6_378_137.0
_METERS_PER_DEGREE_LATITUDE: Final = 110_574.0
_ECCENTRICITY_SQUARED: Final = 0.00669447819799
PUBLIC_GEOHASH_PRECISION: Final = 6
"""Characters of geohash a request shows publicly (about 1.2 km x 0.6 km)."""


@dataclass(frozen=True, slots=True)
class LatLng:
    """A point in degrees."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.latitude <= 90.0 and -180.0 <= self.longitude <= 180.0):
            raise ValueError(
                f"({self.latitude}, {self.longitude}) is not a valid point: latitude must be "
                "within [-90, 90] and longitude within [-180, 180]"
            )


@dataclass(frozen=True, slots=True, order=True)
class GeohashRange:
    """Half-open range of geohash strings: `start <= geohash < end`."""

    start: str
    end: str


def encode(point: LatLng, precision: int = 10) -> str:
    """The point's geohash with `precision` characters."""
    if not 1 <= precision <= MAX_PRECISION:
        raise ValueError(f"geohash precision is {precision}, must be within 1..{MAX_PRECISION}")
    return str(pygeohash.encode(point.latitude, point.longitude, precision))


def public_cell(point: LatLng) -> tuple[str, LatLng]:
    """The coarse geohash and cell centre a request may show to strangers."""
    geohash = encode(point, PUBLIC_GEOHASH_PRECISION)
    centre = pygeohash.decode_exactly(geohash)
    return geohash, LatLng(centre.latitude, centre.longitude)


def distance_m(a: LatLng, b: LatLng) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    d_lat = lat2 - lat1
    d_lng = math.radians(b.longitude - a.longitude)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _longitude_degrees(distance: float, latitude: float) -> float:
    """How many degrees of longitude `distance` metres span at `latitude` (WGS84 ellipsoid)."""
    radians = math.radians(latitude)
    per_degree = (math.cos(radians) * _EQUATORIAL_RADIUS_M * math.pi / 180) / math.sqrt(
        1 - _ECCENTRICITY_SQUARED * math.sin(radians) ** 2
    )
    if per_degree < 1e-12:
        return 360.0 if distance > 0 else 0.0
    return min(360.0, distance / per_degree)


def _wrap_longitude(longitude: float) -> float:
    if -180.0 <= longitude <= 180.0:
        return longitude
    return (longitude + 180.0) % 360.0 - 180.0


def _bits_for_radius(center: LatLng, radius_m: float) -> int:
    """The most geohash bits whose cells are still at least `radius_m` wide around `center`."""
    lat_delta = radius_m / _METERS_PER_DEGREE_LATITUDE
    north = min(90.0, center.latitude + lat_delta)
    south = max(-90.0, center.latitude - lat_delta)
    # Cell height in degrees must be at least the box's half-height in the same degrees the
    # box is built from; deriving it from the meridian length instead leaves cells a hair too
    # small at the equator, and points near the centre then fall between the sampled cells.
    lat_bits = math.floor(min(math.log2(180.0 / lat_delta), 55)) * 2

    def longitude_bits(latitude: float) -> int:
        degrees = _longitude_degrees(radius_m, latitude)
        bits = max(1.0, math.log2(360.0 / degrees)) if abs(degrees) > 1e-6 else 1.0
        return math.floor(bits) * 2 - 1

    return max(1, min(lat_bits, longitude_bits(north), longitude_bits(south), 110))


def _range_for(geohash: str, bits: int) -> GeohashRange:
    """The range of geohashes sharing the first `bits` bits of `geohash`."""
    precision = math.ceil(bits / BITS_PER_CHAR)
    geohash = geohash[:precision]
    base = geohash[:-1]
    last = BASE32.index(geohash[-1])
    unused = BITS_PER_CHAR - (bits - len(base) * BITS_PER_CHAR)
    start = (last >> unused) << unused
    end = start + (1 << unused)
    upper = base + BASE32[end] if end < len(BASE32) else base + "~"
    return GeohashRange(base + BASE32[start], upper)


def geohash_query_bounds(
    center: LatLng, radius_m: float, *, max_precision: int = MAX_PRECISION
) -> list[GeohashRange]:
    """Geohash ranges that together contain every point within `radius_m` of `center`.

    `max_precision` is the precision of the stored geohashes: a range never needs more
    characters than the values it compares against.
    """
    if not radius_m > 0 or math.isinf(radius_m):
        raise ValueError(f"radius is {radius_m} m, must be a positive, finite number of metres")
    bits = min(_bits_for_radius(center, radius_m), max_precision * BITS_PER_CHAR)
    precision = math.ceil(bits / BITS_PER_CHAR)
    lat_delta = radius_m / _METERS_PER_DEGREE_LATITUDE
    north = min(90.0, center.latitude + lat_delta)
    south = max(-90.0, center.latitude - lat_delta)
    lng_delta = max(_longitude_degrees(radius_m, north), _longitude_degrees(radius_m, south))
    west = _wrap_longitude(center.longitude - lng_delta)
    east = _wrap_longitude(center.longitude + lng_delta)
    ranges = {
        _range_for(encode(LatLng(latitude, longitude), precision), bits)
        for latitude in (center.latitude, north, south)
        for longitude in (center.longitude, west, east)
    }
    return sorted(ranges)
