"""Whatever the rules accept, the model accepts: documents generated around the places where the
two could drift (public locations, remote help, deadlines, the link between an offering and its
request, lifecycle fields) go through the real generated rules (firelab.rules) and, when the
rules accept one, through the model. A document the rules accept and the model refuses would be
written by a client and then skipped by every trigger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pygeohash
from google.cloud.firestore_v1 import GeoPoint
from hypothesis import find, given, settings
from hypothesis import strategies as st

from mitche.models import HelpRequest, Offering
from tests.mitche_dev.rulesgen.test_agreement import (
    BASES,
    T0,
    _client_part,
    _model_accepts,
    _rules_accept,
)

_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz"
_geohash6 = st.text(alphabet=_ALPHABET, min_size=6, max_size=6)
_latitude = st.floats(min_value=-89.0, max_value=89.0, allow_nan=False)
_longitude = st.floats(min_value=-179.0, max_value=179.0, allow_nan=False)


@st.composite
def _public_location(draw: st.DrawFn) -> dict[str, Any] | None:
    """None, or a public location whose parts may or may not agree with each other."""
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    if draw(st.booleans()):
        latitude, longitude = draw(_latitude), draw(_longitude)
        geohash = pygeohash.encode(latitude, longitude, 6)
    else:
        geohash = draw(_geohash6)
        latitude, longitude = draw(_latitude), draw(_longitude)
    centre = pygeohash.decode_exactly(geohash)
    point = draw(
        st.sampled_from(
            [
                GeoPoint(float(centre.latitude), float(centre.longitude)),
                GeoPoint(latitude, longitude),
                GeoPoint(float(centre.latitude) + 1e-4, float(centre.longitude)),
            ]
        )
    )
    area = draw(st.sampled_from([geohash[:5], draw(_geohash6)[:5]]))
    return {"area": {"geohash": area, "label": "Croix-Rousse"}, "geohash": geohash, "point": point}


_moment = st.sampled_from(
    [None, T0 - dt.timedelta(hours=1), T0, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=2)]
)


@st.composite
def _request(draw: st.DrawFn) -> dict[str, Any]:
    document = _client_part(BASES[HelpRequest]())
    document["location"] = draw(_public_location())
    document["remoteOk"] = draw(st.booleans())
    document["deadline"] = draw(_moment)
    document["status"] = draw(st.sampled_from(["open", "inProgress", "closed", "expired"]))
    if draw(st.booleans()):
        document["completion"] = {"completedAt": T0, "fulfilledBy": []}
    return {key: value for key, value in document.items() if value is not None}


@st.composite
def _offering(draw: st.DrawFn) -> dict[str, Any]:
    document = _client_part(BASES[Offering]())
    document["requestPath"] = draw(st.sampled_from([None, "requests/req1", "offerings/x"]))
    document["requesterId"] = draw(st.sampled_from([None, "bob", document["helperId"]]))
    document["status"] = draw(
        st.sampled_from(["offered", "accepted", "declined", "completed", "expired"])
    )
    document["respondedAt"] = draw(_moment)
    document["completedAt"] = draw(_moment)
    document["completionProposedAt"] = draw(_moment)
    document["location"] = draw(_public_location())
    kept = {"requestPath"}
    return {k: v for k, v in document.items() if v is not None or k in kept}


@settings(max_examples=150, deadline=None)
@given(_request())
def test_every_request_the_rules_accept_the_model_accepts(document: dict[str, Any]) -> None:
    """A request document the generated rules accept validates against HelpRequest."""
    if _rules_accept(HelpRequest, document):
        assert _model_accepts(HelpRequest, document), document


@settings(max_examples=150, deadline=None)
@given(_offering())
def test_every_offering_the_rules_accept_the_model_accepts(document: dict[str, Any]) -> None:
    """An offering document the generated rules accept validates against Offering."""
    if _rules_accept(Offering, document):
        assert _model_accepts(Offering, document), document


def test_the_generators_reach_documents_the_rules_accept() -> None:
    """The properties above are not vacuous: each generator yields documents the rules accept,
    off-centre public points among the ones they refuse."""
    find(_request(), lambda document: _rules_accept(HelpRequest, document))
    find(_offering(), lambda document: _rules_accept(Offering, document))
    off_centre = find(
        _request(),
        lambda document: (
            document.get("location") is not None
            and not _model_accepts(HelpRequest, document)
            and document["location"]["geohash"][:5] == document["location"]["area"]["geohash"]
        ),
    )
    assert not _rules_accept(HelpRequest, off_centre)
