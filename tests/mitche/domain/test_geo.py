"""Geohash range queries find every point within the radius and little else."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.geo import (
    PUBLIC_GEOHASH_PRECISION,
    GeohashRange,
    LatLng,
    distance_m,
    encode,
    geohash_query_bounds,
    public_cell,
)

PARIS = LatLng(48.8566, 2.3522)
LONDON = LatLng(51.5074, -0.1278)

latitudes = st.floats(min_value=-85.0, max_value=85.0, allow_nan=False)
longitudes = st.floats(min_value=-179.0, max_value=179.0, allow_nan=False)
radii = st.floats(min_value=50.0, max_value=50_000.0, allow_nan=False)
bearings = st.floats(min_value=0.0, max_value=2 * math.pi, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=0.999, allow_nan=False)


def _destination(origin: LatLng, distance: float, bearing: float) -> LatLng:
    """The point `distance` metres from `origin` along `bearing` (spherical Earth)."""
    angular = distance / 6_371_008.8
    lat1, lng1 = math.radians(origin.latitude), math.radians(origin.longitude)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angular) + math.cos(lat1) * math.sin(angular) * math.cos(bearing)
    )
    lng2 = lng1 + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(lat1),
        math.cos(angular) - math.sin(lat1) * math.sin(lat2),
    )
    lng = (math.degrees(lng2) + 540.0) % 360.0 - 180.0
    return LatLng(math.degrees(lat2), lng)


def _covered(geohash: str, ranges: list[GeohashRange]) -> bool:
    return any(r.start <= geohash < r.end for r in ranges)


def test_paris_to_london_is_about_344_km() -> None:
    """Distances are great-circle distances in metres."""
    assert distance_m(PARIS, LONDON) == pytest.approx(343_900, rel=0.005)


def test_encode_matches_the_reference_geohash() -> None:
    """Encoding follows the standard geohash alphabet and bit order."""
    assert encode(LatLng(57.64911, 10.40744), 11) == "u4pruydqqvj"


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(91.0, 0.0), (-90.5, 0.0), (0.0, 180.5), (0.0, -181.0)]
)
def test_points_outside_the_globe_are_rejected(latitude: float, longitude: float) -> None:
    """A point with an impossible latitude or longitude is refused with the valid bounds."""
    with pytest.raises(ValueError, match=r"latitude must be within \[-90, 90\]"):
        LatLng(latitude, longitude)


@pytest.mark.parametrize("radius", [0.0, -5.0, math.inf, math.nan])
def test_radius_must_be_positive_and_finite(radius: float) -> None:
    """A zero, negative, infinite or NaN radius is refused."""
    with pytest.raises(ValueError, match="positive, finite"):
        geohash_query_bounds(PARIS, radius)


def test_a_5_km_search_needs_at_most_nine_ranges() -> None:
    """A circle is covered by the ranges of its centre and eight compass points."""
    ranges = geohash_query_bounds(PARIS, 5_000)
    assert 1 <= len(ranges) <= 9
    assert all(r.start < r.end for r in ranges)


def test_ranges_never_exceed_the_stored_precision() -> None:
    """Ranges compared against 6-character geohashes never use more characters."""
    ranges = geohash_query_bounds(PARIS, 100, max_precision=PUBLIC_GEOHASH_PRECISION)
    assert all(len(r.start) <= PUBLIC_GEOHASH_PRECISION for r in ranges)


@settings(max_examples=300, deadline=None)
@given(latitudes, longitudes, radii, bearings, fractions)
def test_every_point_inside_the_radius_is_in_some_range(
    latitude: float, longitude: float, radius: float, bearing: float, fraction: float
) -> None:
    """No false negatives: a point within the radius has a geohash inside one of the ranges."""
    center = LatLng(latitude, longitude)
    point = _destination(center, radius * fraction, bearing)
    ranges = geohash_query_bounds(center, radius)
    assert _covered(encode(point, 10), ranges)


@settings(max_examples=200, deadline=None)
@given(latitudes, longitudes, radii, bearings, fractions)
def test_public_cells_inside_the_radius_are_found(
    latitude: float, longitude: float, radius: float, bearing: float, fraction: float
) -> None:
    """Searching coarse public geohashes finds every cell whose centre is within the radius."""
    center = LatLng(latitude, longitude)
    geohash, cell_centre = public_cell(_destination(center, radius * fraction, bearing))
    ranges = geohash_query_bounds(center, radius, max_precision=PUBLIC_GEOHASH_PRECISION)
    if distance_m(center, cell_centre) <= radius:
        assert _covered(geohash, ranges)


def test_public_cell_hides_the_exact_point() -> None:
    """The public cell centre is within the cell (< 1 km) but not the exact point."""
    geohash, centre = public_cell(PARIS)
    assert len(geohash) == PUBLIC_GEOHASH_PRECISION
    assert centre != PARIS
    assert distance_m(PARIS, centre) < 1_000


def test_the_equator_meridian_corner_has_no_false_negative() -> None:
    """Regression: at (0, 0) with 1,215 m the sampled cells once left a gap south-west."""
    center = LatLng(0.0, 0.0)
    geohash, cell_centre = public_cell(_destination(center, 607.5, 2.0))
    assert distance_m(center, cell_centre) <= 1_215
    ranges = geohash_query_bounds(center, 1_215, max_precision=PUBLIC_GEOHASH_PRECISION)
    assert _covered(geohash, ranges)
