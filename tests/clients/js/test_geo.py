"""The package computes a public location the way the backend checks it: for any point, the
cell and area geohashes the domain computes, a centre the model (and so the rules' cell-centre
check) accepts, and the exact geohash at the precision the rules demand."""

from __future__ import annotations

import json
import os
import subprocess

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mitche.domain.geo import LatLng, encode, public_cell
from mitche.models import EXACT_GEOHASH_PRECISION, PublicLocation

_POINTS = st.lists(
    st.tuples(
        st.floats(min_value=-89.999, max_value=89.999, allow_nan=False),
        st.floats(min_value=-179.999, max_value=179.999, allow_nan=False),
    ),
    min_size=1,
    max_size=40,
)


def _run(app, points, tmp_path_factory) -> list[dict[str, object]]:
    folder = tmp_path_factory.mktemp("points")
    (folder / "points.json").write_text(json.dumps(points), encoding="utf-8")
    done = subprocess.run(
        ["node", "dist/geo.js", str(folder / "points.json")],
        cwd=app,
        env={**os.environ, "NODE_OPTIONS": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


@settings(max_examples=5, deadline=None)
@given(points=_POINTS)
@example(points=[(0.0, 0.0), (45.0, 4.5), (-33.75, 151.171875), (45.7745, 4.8297)])
def test_public_and_exact_locations_match_the_backend(app, tmp_path_factory, points):
    """Every point gets the domain's cell, its area prefix, a centre the model accepts and
    the exact geohash at the rules' precision."""
    for (latitude, longitude), place in zip(
        points, _run(app, points, tmp_path_factory), strict=True
    ):
        cell, _ = public_cell(LatLng(latitude, longitude))
        assert place["geohash"] == cell
        assert place["area"] == cell[:5]
        centre = place["centre"]
        PublicLocation.model_validate(
            {
                "area": {"geohash": place["area"], "label": "Somewhere"},
                "geohash": place["geohash"],
                "point": {"latitude": centre[0], "longitude": centre[1]},  # type: ignore[index]
            }
        )
        exact = encode(LatLng(latitude, longitude), EXACT_GEOHASH_PRECISION)
        assert place["exact"] == exact
