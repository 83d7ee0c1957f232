"""Nested types several collections share: attachments, moderation, engagement, ratings,
places, visibility, languages, money and opening hours.

They are maps inside a document, so their own fields carry no writer marker: the top-level
field that holds them states who writes the whole map.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from enum import StrEnum
from functools import cache
from typing import Annotated, Final, Self

import pygeohash
from google.cloud.firestore_v1 import GeoPoint
from pydantic import AfterValidator, Field, model_validator

from mitche.models._base import (
    FirestoreGeoPoint,
    MitcheModel,
    Timestamp,
    Uid,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_ROOT",
    "EXACT_GEOHASH_PRECISION",
    "NEAR_ME_GEOHASH_PRECISION",
    "PUBLIC_AREA_GEOHASH_PRECISION",
    "Approval",
    "ApprovalState",
    "Attachment",
    "AttachmentContentType",
    "Contact",
    "Count",
    "CurrencyCode",
    "EmailAddress",
    "EngagementMetrics",
    "ExactLocation",
    "Feedback",
    "Geohash",
    "LanguageTag",
    "LocalTime",
    "Moderation",
    "ModerationState",
    "Money",
    "OpeningHours",
    "PhoneNumber",
    "PublicArea",
    "PublicLocation",
    "RatingSummary",
    "Stars",
    "Tag",
    "TimeZoneName",
    "Verification",
    "VerificationState",
    "Visibility",
    "WebUrl",
    "Weekday",
    "public_location",
    "time_zone",
]

Count = Annotated[int, Field(ge=0, le=1_000_000_000)]
"""A non-negative counter maintained by Cloud Functions."""

Stars = Annotated[int, Field(ge=1, le=5)]
"""A rating from one to five stars."""

Tag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
"""A lowercase keyword (skills, tags): letters, digits and dashes, so it can be queried with
`array-contains` without case folding."""

WebUrl = Annotated[str, Field(max_length=2048, pattern=r"^https://[^\s/$.?#][^\s]*$")]
"""An https URL (kept as a string so it round-trips unchanged through Firestore)."""

LanguageTag = Annotated[
    str,
    Field(
        max_length=16,
        pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$",
    ),
]
"""A BCP-47 language tag in its common form: language, optional script, optional region
("fr", "pt-BR", "zh-Hant-TW", "es-419")."""

EmailAddress = Annotated[
    str,
    Field(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"),
]
"""An email address (checked for shape only; ownership is verified by Firebase Auth)."""

PhoneNumber = Annotated[str, Field(pattern=r"^\+[1-9][0-9]{6,14}$")]
"""A phone number in E.164 form ("+33612345678")."""

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code ("EUR")."""

LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
"""A wall-clock time "HH:MM" (24 h) in the time zone stated next to it; Firestore has no
time-of-day type."""


TimeZoneName = Annotated[
    str, Field(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")
]
"""An IANA time zone name ("Europe/Paris"), checked by its shape only: the rules check exactly
the same pattern, so whatever a client may store decodes. A well-formed name the time zone
database does not know (a typo, or a zone newer than the server's database) reads as UTC
(`time_zone`), rather than making the document undecodable."""


@cache
def time_zone(name: str) -> dt.tzinfo:
    """The time zone named `name`, or UTC when the time zone database does not know it."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


_GEOHASH_ALPHABET: Final = "0123456789bcdefghjkmnpqrstuvwxyz"

Geohash = Annotated[str, Field(min_length=1, max_length=12, pattern=f"^[{_GEOHASH_ALPHABET}]+$")]
"""A geohash (base-32, lowercase); each extra character narrows the cell about 32 times."""

PUBLIC_AREA_GEOHASH_PRECISION: Final = 5
"""Characters of the geohash shown as a public area: a cell about 4.9 km × 4.9 km."""
NEAR_ME_GEOHASH_PRECISION: Final = 6
"""Characters of the geohash public documents carry for "near me" range queries: a cell about
1.2 km × 0.6 km, coarse enough not to reveal an address."""
EXACT_GEOHASH_PRECISION: Final = 9
"""Characters of the geohash stored with an exact location (private documents): about 5 m."""


class Visibility(StrEnum):
    """Who may see a piece of content or a profile."""

    PUBLIC = "public"
    """Anyone, including visitors who are not signed in."""
    COMMUNITY = "community"
    """Signed-in members of Mitché."""
    PRIVATE = "private"
    """Only the owner (and admins)."""


class ModerationState(StrEnum):
    """Where a piece of content is in moderation.

    New content has no moderation map (it reads as `pending`); the screen (a trigger on every
    source, mitche.handlers._screening) judges it within seconds and moves it to `approved`, to
    `flagged` when a lesser keyword or the author's standing calls for a review, or to `hidden`
    (held for a moderator, the reason shown to its author) when a severe keyword hits. Reports
    move approved content to `flagged`; a moderator then decides `approved`, `hidden` or
    `removed`. Only `hidden` and `removed` take content away from its audience; content that
    must be approved before anyone sees it (events, tapestry threads) says so with a separate
    `Approval`.
    """

    PENDING = "pending"
    """Not screened yet; visible to its usual audience while the screen runs."""
    APPROVED = "approved"
    """Screened or reviewed and visible to its audience."""
    FLAGGED = "flagged"
    """Still visible, queued for a moderator (automatic hit or user reports)."""
    HIDDEN = "hidden"
    """Hidden from everyone but its author and moderators while a decision is pending."""
    REMOVED = "removed"
    """Removed by a moderator; the document is kept for the audit trail."""


class Moderation(MitcheModel):
    """Moderation state of a document; written only by Cloud Functions and moderators."""

    status: ModerationState = ModerationState.PENDING
    """Current moderation state."""
    reason: Annotated[str, Field(max_length=500)] | None = None
    """Why the content was flagged, hidden or removed, as shown to its author."""
    reviewed_at: Timestamp | None = None
    """When a moderator (or the automatic screen) last decided on the content."""
    screened_at: Timestamp | None = None
    """When the automatic screen last judged the content's text (new, or edited); equal to
    `reviewedAt` while the screen's verdict is the last decision."""
    report_count: Count = 0
    """Independent reports (one per member, the author's own excluded) received since a
    moderator last decided on the content; the report trigger hides the content when it
    reaches `autoHideReportCount`, and a moderator's decision resets it to zero."""


class ApprovalState(StrEnum):
    """Where an item that needs a moderator's approval before publication stands."""

    NOT_SUBMITTED = "notSubmitted"
    """Still a draft; its owner has not asked for approval."""
    PENDING = "pending"
    """Submitted and waiting for a moderator."""
    APPROVED = "approved"
    """A moderator approved it; it may be published."""
    REJECTED = "rejected"
    """A moderator rejected it; the note says why."""


class Approval(MitcheModel):
    """A moderator's approval decision; written only by Cloud Functions and moderators."""

    state: ApprovalState = ApprovalState.NOT_SUBMITTED
    """Current approval state."""
    submitted_at: Timestamp | None = None
    """When the owner submitted the item for approval."""
    decided_at: Timestamp | None = None
    """When a moderator approved or rejected it."""
    note: Annotated[str, Field(max_length=500)] | None = None
    """The moderator's note to the owner (always given on rejection)."""

    @model_validator(mode="after")
    def _decision_has_time(self) -> Self:
        decided = self.state in {ApprovalState.APPROVED, ApprovalState.REJECTED}
        if decided != (self.decided_at is not None):
            raise ValueError("decidedAt is set exactly when state is 'approved' or 'rejected'")
        if self.state is not ApprovalState.NOT_SUBMITTED and self.submitted_at is None:
            raise ValueError("submittedAt is set once the item has been submitted")
        return self


class VerificationState(StrEnum):
    """Whether an admin has checked a claim (an identity, a need, a provider)."""

    UNVERIFIED = "unverified"
    """Nobody has checked it."""
    PENDING = "pending"
    """Verification was requested and is waiting for an admin."""
    VERIFIED = "verified"
    """An admin checked it and it holds."""
    REJECTED = "rejected"
    """An admin checked it and it did not hold."""


class Verification(MitcheModel):
    """Verification of a document's claim; written only by Cloud Functions and admins."""

    status: VerificationState = VerificationState.UNVERIFIED
    """Current verification state."""
    verified_at: Timestamp | None = None
    """When an admin verified the claim (set only when verified)."""
    note: Annotated[str, Field(max_length=500)] | None = None
    """What was checked, or why verification was rejected."""

    @model_validator(mode="after")
    def _verified_at_only_when_verified(self) -> Self:
        if (self.verified_at is not None) != (self.status is VerificationState.VERIFIED):
            raise ValueError("verifiedAt is set exactly when status is 'verified'")
        return self


class EngagementMetrics(MitcheModel):
    """How members engage with a piece of content; counters kept by Cloud Functions."""

    views: Count = 0
    """Times the detail page was opened."""
    unique_viewers: Count = 0
    """Distinct signed-in members who opened it."""
    shares: Count = 0
    """Times it was shared."""
    saves: Count = 0
    """Members who bookmarked it."""
    responses: Count = 0
    """Offers, messages or registrations it received."""
    last_engaged_at: Timestamp | None = None
    """When anyone last viewed, shared, saved or responded."""


class Feedback(MitcheModel):
    """One member's rating of an interaction, with an optional comment."""

    rating: Stars
    """Stars given, from 1 to 5."""
    comment: Annotated[str, Field(max_length=1000)] | None = None
    """Optional words of feedback."""
    author_id: Uid
    """Who gave the feedback."""
    created_at: Timestamp
    """When the feedback was given."""


class RatingSummary(MitcheModel):
    """Aggregate of the ratings a document received; kept by Cloud Functions."""

    count: Count = 0
    """Number of ratings."""
    average: float = Field(default=0.0, ge=0.0, le=5.0)
    """Mean stars, 0 while there are no ratings."""

    @model_validator(mode="after")
    def _average_matches_count(self) -> Self:
        if self.count == 0 and self.average != 0.0:
            raise ValueError("average is 0 when count is 0")
        if self.count > 0 and self.average < 1.0:
            raise ValueError("average of at least one rating is between 1 and 5")
        return self


class AttachmentContentType(StrEnum):
    """File types members may attach; storage.rules accepts exactly these."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"
    GIF = "image/gif"
    PDF = "application/pdf"

    @property
    def is_image(self) -> bool:
        """Whether the attachment is a picture (shown inline) rather than a document."""
        return self is not AttachmentContentType.PDF


ATTACHMENT_ROOT: Final = "uploads"
"""Top-level Storage folder of member uploads: `uploads/{ownerId}/...`, so storage.rules can
let each member write only below their own id."""
ATTACHMENT_MAX_BYTES: Final = 10 * 1024 * 1024
"""Largest attachment accepted (10 MiB), enforced again by storage.rules."""

_STORAGE_SEGMENT: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class Attachment(MitcheModel):
    """A file in Cloud Storage, referenced from a document by its path."""

    storage_path: Annotated[str, Field(max_length=512)]
    """Object path in the default bucket, `uploads/{ownerId}/{...}/{file}`."""
    owner_id: Uid
    """The member who uploaded the file; the path must sit under their prefix."""
    content_type: AttachmentContentType
    """MIME type of the file."""
    size_bytes: Annotated[int, Field(ge=1, le=ATTACHMENT_MAX_BYTES)]
    """Size of the file in bytes (at most 10 MiB)."""
    file_name: Annotated[str, Field(max_length=255)] | None = None
    """Original file name, shown to readers of a document attachment."""
    alt_text: Annotated[str, Field(max_length=500)] | None = None
    """Description of an image for screen readers."""
    width: Annotated[int, Field(ge=1, le=20_000)] | None = None
    """Image width in pixels."""
    height: Annotated[int, Field(ge=1, le=20_000)] | None = None
    """Image height in pixels."""

    @model_validator(mode="after")
    def _path_under_owner(self) -> Self:
        prefix = f"{ATTACHMENT_ROOT}/{self.owner_id}/"
        rest = self.storage_path.removeprefix(prefix)
        if rest == self.storage_path or not rest:
            raise ValueError(f"storagePath must start with {prefix!r} and name a file below it")
        segments = rest.split("/")
        if len(segments) > 6 or not all(_STORAGE_SEGMENT.match(part) for part in segments):
            raise ValueError(
                "storagePath segments below the owner prefix are letters, digits, '.', '_' "
                "or '-' (at most 6 segments, none starting with '.')"
            )
        return self

    @model_validator(mode="after")
    def _dimensions_only_for_images(self) -> Self:
        has_dimensions = self.width is not None or self.height is not None
        if has_dimensions and not self.content_type.is_image:
            raise ValueError("width and height apply to images only")
        return self


def _geohash_precision(precision: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) != precision:
            raise ValueError(f"geohash is {len(value)} characters, {precision} expected")
        return value

    return AfterValidator(check)


class PublicArea(MitcheModel):
    """A coarse area anyone may see: a 5-character geohash (~5 km cell) and a human label."""

    geohash: Annotated[Geohash, _geohash_precision(PUBLIC_AREA_GEOHASH_PRECISION)]
    """Geohash prefix of the area, 5 characters."""
    label: Annotated[str, Field(min_length=1, max_length=80)]
    """Human-readable area ("Belleville, Paris"), never a street address."""


def _cell_centre(geohash: str) -> GeoPoint:
    centre = pygeohash.decode_exactly(geohash)
    return GeoPoint(float(centre.latitude), float(centre.longitude))


class PublicLocation(MitcheModel):
    """Where something is, as public documents show it: no more precise than a ~1 km cell.

    "Near me" queries range over `geohash` (6 characters); `point` is that cell's centre, so
    distances shown to strangers are approximate and the exact address stays in a private
    document (`ExactLocation`).
    """

    area: PublicArea
    """The coarse area shown in lists."""
    geohash: Annotated[Geohash, _geohash_precision(NEAR_ME_GEOHASH_PRECISION)]
    """6-character geohash used for range queries; starts with the area's geohash."""
    point: FirestoreGeoPoint
    """Centre of the geohash cell (not the exact place)."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.geohash.startswith(self.area.geohash):
            raise ValueError("geohash must start with area.geohash")
        centre = _cell_centre(self.geohash)
        if (
            abs(centre.latitude - self.point.latitude) > 1e-6
            or abs(centre.longitude - self.point.longitude) > 1e-6
        ):
            raise ValueError(
                f"point must be the centre of cell {self.geohash!r} "
                f"({centre.latitude}, {centre.longitude})"
            )
        return self


def public_location(point: GeoPoint, label: str) -> PublicLocation:
    """The public, snapped form of an exact point, for the public document."""
    geohash = pygeohash.encode(point.latitude, point.longitude, NEAR_ME_GEOHASH_PRECISION)
    return PublicLocation(
        area=PublicArea(geohash=geohash[:PUBLIC_AREA_GEOHASH_PRECISION], label=label),
        geohash=geohash,
        point=_cell_centre(geohash),
    )


class ExactLocation(MitcheModel):
    """An exact place, kept only in private documents read by the people entitled to it."""

    point: FirestoreGeoPoint
    """Exact coordinates."""
    geohash: Annotated[Geohash, _geohash_precision(EXACT_GEOHASH_PRECISION)]
    """9-character geohash of `point` (about 5 m)."""
    address: Annotated[str, Field(max_length=300)] | None = None
    """Street address or directions, as the owner entered them."""

    @model_validator(mode="after")
    def _geohash_matches_point(self) -> Self:
        expected = pygeohash.encode(self.point.latitude, self.point.longitude, len(self.geohash))
        if expected != self.geohash:
            raise ValueError(f"geohash must encode point: {expected!r} expected")
        return self


class Money(MitcheModel):
    """An amount of money in the currency's minor unit (cents), so sums stay exact."""

    amount_minor: Annotated[int, Field(ge=0, le=100_000_000)]
    """Amount in minor units (1250 EUR-cents is 12.50 EUR)."""
    currency: CurrencyCode
    """ISO 4217 currency code."""


class Weekday(StrEnum):
    """A day of the week, as HSDS schedules name them."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


class OpeningHours(MitcheModel):
    """A weekly time window (HSDS `schedule`: byday, opens_at, closes_at)."""

    day: Weekday
    """Day of the week the window recurs on."""
    opens_at: LocalTime
    """Opening time, local to the schedule's time zone."""
    closes_at: LocalTime
    """Closing time, later the same day (split windows that cross midnight)."""

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Self:
        if self.closes_at <= self.opens_at:
            raise ValueError("closesAt must be later than opensAt on the same day")
        return self


class Contact(MitcheModel):
    """Public ways to reach an organisation (HSDS `contact` / `phone`)."""

    email: EmailAddress | None = None
    """Contact email."""
    phone: PhoneNumber | None = None
    """Contact phone, E.164."""
    website: WebUrl | None = None
    """Website."""
