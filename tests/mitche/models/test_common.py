"""Shared nested types: attachments, places, approvals and opening hours."""

from __future__ import annotations

from typing import Any

import pygeohash
import pytest
from google.cloud.firestore_v1 import GeoPoint
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitche.models.common import (
    ATTACHMENT_MAX_BYTES,
    NEAR_ME_GEOHASH_PRECISION,
    PUBLIC_AREA_GEOHASH_PRECISION,
    Approval,
    Attachment,
    AttachmentContentType,
    ExactLocation,
    OpeningHours,
    PublicLocation,
    public_location,
)


def make_attachment(**changes: Any) -> dict[str, Any]:
    return {
        "storagePath": "uploads/u1/requests/r1/photo.jpg",
        "ownerId": "u1",
        "contentType": "image/jpeg",
        "sizeBytes": 1000,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({}, True),
        ({"storagePath": "uploads/u1/a.pdf", "contentType": "application/pdf"}, True),
        ({"sizeBytes": ATTACHMENT_MAX_BYTES}, True),
        ({"sizeBytes": ATTACHMENT_MAX_BYTES + 1}, False),
        ({"sizeBytes": 0}, False),
        ({"contentType": "image/svg+xml"}, False),
        ({"contentType": "text/html"}, False),
        ({"storagePath": "uploads/u2/photo.jpg"}, False),
        ({"storagePath": "uploads/u1/"}, False),
        ({"storagePath": "uploads/u1"}, False),
        ({"storagePath": "avatars/u1/photo.jpg"}, False),
        ({"storagePath": "uploads/u1/../u2/photo.jpg"}, False),
        ({"storagePath": "uploads/u1/.hidden"}, False),
        ({"storagePath": "uploads/u1/a b.jpg"}, False),
        ({"storagePath": "uploads/u1/" + "/".join("abcdefg")}, False),
        ({"width": 10, "height": 10}, True),
        ({"contentType": "application/pdf", "width": 10}, False),
    ],
)
def test_attachment_rules(changes: dict[str, Any], accepted: bool) -> None:
    """An attachment is an allowed type, within the size cap, stored under its owner's prefix,
    with pixel dimensions only for images."""
    document = make_attachment(**changes)
    if accepted:
        assert Attachment.model_validate(document).to_firestore() == document
    else:
        with pytest.raises(ValidationError):
            Attachment.model_validate(document)


def test_only_pdf_is_not_an_image() -> None:
    """Every allowed content type but PDF is shown inline as a picture."""
    assert [t for t in AttachmentContentType if not t.is_image] == [AttachmentContentType.PDF]


latitudes = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
longitudes = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)


@given(latitude=latitudes, longitude=longitudes)
def test_public_location_hides_the_exact_point(latitude: float, longitude: float) -> None:
    """The public form of any point is a valid PublicLocation: the 6-character cell containing
    the point, snapped to its centre, under a 5-character area."""
    public = public_location(GeoPoint(latitude, longitude), "Somewhere")
    PublicLocation.model_validate(public.to_firestore())
    assert len(public.geohash) == NEAR_ME_GEOHASH_PRECISION
    assert len(public.area.geohash) == PUBLIC_AREA_GEOHASH_PRECISION
    assert public.geohash == pygeohash.encode(latitude, longitude, NEAR_ME_GEOHASH_PRECISION)
    centre = pygeohash.decode_exactly(public.geohash)
    assert abs(public.point.latitude - latitude) <= centre.latitude_error
    assert abs(public.point.longitude - longitude) <= centre.longitude_error


@given(latitude=latitudes, longitude=longitudes)
def test_exact_location_accepts_its_own_geohash(latitude: float, longitude: float) -> None:
    """An exact location validates when its geohash encodes its point at 9 characters."""
    geohash = pygeohash.encode(latitude, longitude, 9)
    location = ExactLocation(point=GeoPoint(latitude, longitude), geohash=geohash)
    assert location.geohash == geohash


def test_public_location_refuses_the_exact_point() -> None:
    """A public location whose point is not its cell's centre is refused."""
    public = public_location(GeoPoint(48.8718, 2.377), "Belleville").to_firestore()
    with pytest.raises(ValidationError, match="centre"):
        PublicLocation.model_validate({**public, "point": GeoPoint(48.8718, 2.377)})


def test_public_location_area_is_a_prefix() -> None:
    """The area's geohash must be a prefix of the near-me geohash."""
    public = public_location(GeoPoint(48.8718, 2.377), "Belleville").to_firestore()
    with pytest.raises(ValidationError, match=r"area\.geohash"):
        PublicLocation.model_validate({**public, "area": {"geohash": "u09tv", "label": "x"}})


@pytest.mark.parametrize(
    ("document", "accepted"),
    [
        ({}, True),
        ({"state": "pending", "submittedAt": "2026-01-01T00:00:00Z"}, True),
        ({"state": "pending"}, False),
        (
            {
                "state": "rejected",
                "submittedAt": "2026-01-01T00:00:00Z",
                "decidedAt": "2026-01-02T00:00:00Z",
                "note": "Please remove the phone number from the description.",
            },
            True,
        ),
        ({"state": "approved", "submittedAt": "2026-01-01T00:00:00Z"}, False),
        ({"state": "notSubmitted", "decidedAt": "2026-01-02T00:00:00Z"}, False),
    ],
)
def test_approval_decision_times(document: dict[str, Any], accepted: bool) -> None:
    """A submitted item has submittedAt; a decided one (approved/rejected) exactly a decidedAt."""
    if accepted:
        Approval.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            Approval.model_validate(document)


@pytest.mark.parametrize(
    ("opens", "closes", "accepted"),
    [
        ("09:00", "17:30", True),
        ("00:00", "23:59", True),
        ("17:30", "09:00", False),
        ("09:00", "09:00", False),
        ("9:00", "17:00", False),
        ("24:00", "24:30", False),
    ],
)
def test_opening_hours(opens: str, closes: str, accepted: bool) -> None:
    """Opening windows are HH:MM pairs that close later the same day."""
    document = {"day": "monday", "opensAt": opens, "closesAt": closes}
    if accepted:
        OpeningHours.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            OpeningHours.model_validate(document)
