"""Which published cells lie within a radius, nearest first, and how to ask for them in groups.

Public documents carry a 6-character cell (about 0.9 km x 0.6 km at Lyon's latitude) and are
placed at the cell's centre, so a cell lies wholly inside or wholly outside any circle: the
cells whose centre is within the radius are exactly the places the search must look, with no
false positive to read and drop. Firestore's `in` takes at most 30 values, so the cells become
query groups ("streams") of at most 30 values: a 5-character area whose 32 cells are all inside
counts as one value (the entry's `area` field), every other cell as one value of `cell`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, Literal

import pygeohash

from mitche.domain.geo import LatLng, distance_m

__all__ = [
    "AREA_PRECISION",
    "CELL_PRECISION",
    "MAX_IN_VALUES",
    "Covering",
    "Ring",
    "Stream",
    "cell_centre",
    "covering",
]

CELL_PRECISION: Final = 6
"""Characters of the cell public documents publish (`location.geohash`)."""
AREA_PRECISION: Final = 5
"""Characters of the area an entry also carries, so 32 cells can be asked for as one value."""
MAX_IN_VALUES: Final = 30
"""Firestore's limit on the values of one `in` filter (and on a query's disjunctions)."""
_CELL_BITS: Final = CELL_PRECISION * 5 // 2
"""Bits of latitude and of longitude in a 6-character geohash (15 each)."""
_LAT_STEP: Final = 180.0 / (1 << _CELL_BITS)
_LNG_STEP: Final = 360.0 / (1 << _CELL_BITS)
_METRES_PER_DEGREE: Final = 111_320.0
_CELLS_PER_AREA: Final = 32
_MAX_RADIUS_M: Final = 50_000.0


def cell_centre(cell: str) -> LatLng:
    """The centre of a geohash cell: where a public document published in it is placed."""
    centre = pygeohash.decode_exactly(cell)
    return LatLng(float(centre.latitude), float(centre.longitude))


@dataclass(frozen=True, slots=True)
class Ring:
    """Cells at exactly the same distance from the searcher (usually one cell)."""

    distance_m: float
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stream:
    """One query group: entries whose `field` is one of `values` (at most 30)."""

    field: Literal["cell", "area"]
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Covering:
    """The cells within `radius_m` of `center`, by distance, and the streams that cover them."""

    center: LatLng
    radius_m: float
    rings: tuple[Ring, ...]
    """Cells within the radius grouped by equal distance, nearest first."""
    streams: tuple[Stream, ...]
    distances: dict[str, float] = field(repr=False, compare=False)
    """Distance of each covered cell's centre from `center`."""

    def distance(self, cell: str) -> float | None:
        """Distance to the cell's centre, or None when the cell is outside the radius."""
        return self.distances.get(cell)

    @property
    def cell_count(self) -> int:
        """How many cells the circle holds."""
        return len(self.distances)


def _candidate_cells(center: LatLng, radius_m: float) -> Iterator[str]:
    """Every cell of the bounding box of the circle (a little more, never less)."""
    lat_span = radius_m / _METRES_PER_DEGREE * 1.01 + _LAT_STEP
    cos_lat = max(0.01, math.cos(math.radians(min(89.0, abs(center.latitude) + lat_span))))
    lng_span = radius_m / (_METRES_PER_DEGREE * cos_lat) * 1.01 + _LNG_STEP
    first_row = math.floor((max(-90.0, center.latitude - lat_span) + 90.0) / _LAT_STEP)
    last_row = math.floor((min(90.0, center.latitude + lat_span) + 90.0) / _LAT_STEP)
    first_column = math.floor((center.longitude - lng_span + 180.0) / _LNG_STEP)
    last_column = math.floor((center.longitude + lng_span + 180.0) / _LNG_STEP)
    columns = 1 << _CELL_BITS
    for row in range(max(0, first_row), min(columns - 1, last_row) + 1):
        latitude = -90.0 + (row + 0.5) * _LAT_STEP
        for column in range(first_column, last_column + 1):
            longitude = -180.0 + ((column % columns) + 0.5) * _LNG_STEP
            yield str(pygeohash.encode(latitude, longitude, CELL_PRECISION))


def _streams(cells: set[str]) -> tuple[Stream, ...]:
    by_area: dict[str, list[str]] = {}
    for cell in cells:
        by_area.setdefault(cell[:AREA_PRECISION], []).append(cell)
    areas = sorted(area for area, inside in by_area.items() if len(inside) == _CELLS_PER_AREA)
    loose = sorted(cell for cell in cells if cell[:AREA_PRECISION] not in set(areas))
    streams = [
        Stream("area", tuple(areas[i : i + MAX_IN_VALUES]))
        for i in range(0, len(areas), MAX_IN_VALUES)
    ]
    streams += [
        Stream("cell", tuple(loose[i : i + MAX_IN_VALUES]))
        for i in range(0, len(loose), MAX_IN_VALUES)
    ]
    return tuple(streams)


def covering(center: LatLng, radius_m: float) -> Covering:
    """The covering of the circle: rings of cells nearest first, and its query streams."""
    if not 0 < radius_m <= _MAX_RADIUS_M:
        raise ValueError(
            f"radius is {radius_m} m, must be more than 0 and at most {_MAX_RADIUS_M:.0f} m"
        )
    distances: dict[str, float] = {}
    for cell in set(_candidate_cells(center, radius_m)):
        distance = distance_m(center, cell_centre(cell))
        if distance <= radius_m:
            distances[cell] = distance
    by_distance: dict[float, list[str]] = {}
    for cell, distance in distances.items():
        by_distance.setdefault(distance, []).append(cell)
    rings = tuple(Ring(d, tuple(sorted(by_distance[d]))) for d in sorted(by_distance))
    return Covering(center, radius_m, rings, _streams(set(distances)), distances)
