"""Matching, kept below `systemSettings/matching` (no fourteenth top-level collection).

* `systemSettings/matching` (`MatchingSettings`): the score's weights and the limits of the
  suggestions; admins tune it, `init-settings` writes its defaults.
* `systemSettings/matching/requestCards/{requestId}` (`RequestCard`): one card per request
  every signed-in member may read (open, public or community, not held or removed), with its
  embedding and what the hard conditions read; deleted when the request stops being listed.
* `systemSettings/matching/helperCards/{uid}` (`HelperCard`): one card per member whose
  profile is not private, with the embedding of what they do, the conditions' inputs and the
  ratings they received, overall and per kind of help (`stats.rating`,
  `stats.ratingsByCategory`).

Cards are written by Cloud Functions only and read by nobody but functions: vectors stay off
the documents apps read (512 numbers are about 4.6 KB on the wire, on every feed item), and a
vector search over cards can only find what a member may read. Each card keeps the hash of the
embedded text with the model's name, so a text is embedded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Final

from pydantic import BeforeValidator, Field

from mitche.models._base import SERVER, MitcheModel, Timestamp, Uid
from mitche.models.common import Geohash, LanguageTag, RatingSummary
from mitche.models.requests import HelpCategory

__all__ = [
    "HELPER_CARDS",
    "MATCHING_DOCUMENT",
    "REQUEST_CARDS",
    "HelperCard",
    "MatchingSettings",
    "RequestCard",
    "WeeklyMinutes",
]

MATCHING_DOCUMENT: Final = "systemSettings/matching"
"""The settings document the cards hang below."""
REQUEST_CARDS: Final = f"{MATCHING_DOCUMENT}/requestCards"
"""Collection path of the requests' cards."""
HELPER_CARDS: Final = f"{MATCHING_DOCUMENT}/helperCards"
"""Collection path of the helpers' cards."""


def _as_list(value: object) -> object:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else value


EmbeddingVector = Annotated[
    list[float], BeforeValidator(_as_list), Field(min_length=1, max_length=2048)
]
"""A Firestore vector value (`Vector`); read back as its numbers."""
_Weight = Annotated[float, Field(ge=0.0, le=1.0)]
_TextHash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
_Model = Annotated[str, Field(min_length=1, max_length=80)]


class MatchingSettings(MitcheModel):
    """`systemSettings/matching`: how suggestions are scored (mitche.domain.matching._score)."""

    similarity_weight: Annotated[_Weight, SERVER] = 0.55
    """Weight of the two texts' cosine similarity."""
    distance_weight: Annotated[_Weight, SERVER] = 0.15
    """Weight of nearness (1 at the same cell, 0 at the helper's travel distance)."""
    availability_weight: Annotated[_Weight, SERVER] = 0.1
    """Weight of the helper's weekly hours before the deadline."""
    rating_weight: Annotated[_Weight, SERVER] = 0.1
    """Weight of the helper's ratings (in the category, else overall)."""
    load_weight: Annotated[_Weight, SERVER] = 0.1
    """Weight of a light load (few open commitments)."""
    max_open_commitments: Annotated[Annotated[int, Field(ge=1, le=50)], SERVER] = 5
    """Accepted offerings not yet completed beyond which a helper is not suggested."""
    availability_horizon_hours: Annotated[Annotated[int, Field(ge=1, le=720)], SERVER] = 72
    """How far ahead availability is counted when the request has no sooner deadline."""
    candidates: Annotated[Annotated[int, Field(ge=10, le=1000)], SERVER] = 200
    """Nearest neighbours the vector search returns before the conditions and the score."""
    suggestions: Annotated[Annotated[int, Field(ge=1, le=50)], SERVER] = 10
    """Suggestions a call returns at most."""
    urgent_alerts: Annotated[Annotated[int, Field(ge=0, le=20)], SERVER] = 3
    """Best-suited helpers alerted when a critical request is listed (0: no alerts); only
    helpers who turned on `notifications.topics.nearbyRequests` are alerted."""
    urgent_alert_hours: Annotated[Annotated[int, Field(ge=1, le=168)], SERVER] = 12
    """A helper is alerted to at most one critical request in this many hours."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""


class WeeklyMinutes(MitcheModel):
    """A weekly window in UTC: weekday (0 = Monday) and minutes since midnight."""

    weekday: Annotated[int, Field(ge=0, le=6)]
    start: Annotated[int, Field(ge=0, le=1439)]
    end: Annotated[int, Field(ge=1, le=1440)]


class RequestCard(MitcheModel):
    """A listed request as matching reads it."""

    requester_id: Annotated[Uid, SERVER]
    """The requester (never shown: the callable returns request ids only)."""
    category: Annotated[Annotated[str, Field(max_length=40)], SERVER]
    """The request's category."""
    cell: Annotated[Geohash | None, Field(max_length=6), SERVER] = None
    """The published 6-character cell; absent for remote-only help."""
    remote_ok: Annotated[bool, SERVER] = False
    """Whether the help can be given remotely."""
    urgency: Annotated[Annotated[str, Field(max_length=20)], SERVER] = "medium"
    """The request's urgency."""
    deadline: Annotated[Timestamp | None, SERVER] = None
    """The request's deadline."""
    languages: Annotated[list[LanguageTag], Field(max_length=10), SERVER] = Field(
        default_factory=list
    )
    """The requester's languages when the card was written."""
    embedding: Annotated[EmbeddingVector, SERVER]
    """The request's text embedded (mitche.domain.matching.request_text)."""
    text_hash: Annotated[_TextHash, SERVER]
    """SHA-256 of the model's name and the embedded text."""
    model: Annotated[_Model, SERVER]
    """The embedding model's name; searches compare vectors of one model only."""
    updated_at: Annotated[Timestamp, SERVER]
    """When a function last wrote the card."""


class HelperCard(MitcheModel):
    """A member who may be suggested as a helper, as matching reads them."""

    alias: Annotated[Annotated[str, Field(min_length=3, max_length=40)], SERVER]
    """The anonymous alias shown with a suggestion (never a name or uid)."""
    active: Annotated[bool, SERVER] = True
    """False while suspended, banned or deactivated (the search filters on it)."""
    categories: Annotated[
        list[Annotated[str, Field(max_length=40)]], Field(max_length=20), SERVER
    ] = Field(default_factory=list)
    """Categories of their open standing offerings (empty: any)."""
    area: Annotated[Geohash | None, Field(max_length=5), SERVER] = None
    """Their public home area (5 characters); absent when they gave none."""
    travel_km: Annotated[Annotated[float, Field(ge=0.0, le=100.0)], SERVER] = 5.0
    """How far they go (`notifications.nearbyRadiusKm`)."""
    remote_ok: Annotated[bool, SERVER] = False
    """Whether one of their standing offerings is given remotely."""
    languages: Annotated[list[LanguageTag], Field(max_length=10), SERVER] = Field(
        default_factory=list
    )
    """Their languages."""
    windows: Annotated[list[WeeklyMinutes], Field(max_length=42), SERVER] = Field(
        default_factory=list
    )
    """Weekly hours of their standing offerings, in UTC (empty: any time)."""
    rating_average: Annotated[Annotated[float, Field(ge=0.0, le=5.0)], SERVER] = 0.0
    """Mean stars received (`stats.rating`)."""
    rating_count: Annotated[Annotated[int, Field(ge=0)], SERVER] = 0
    """Ratings received."""
    ratings_by_category: Annotated[
        dict[HelpCategory, RatingSummary], Field(max_length=len(HelpCategory)), SERVER
    ] = Field(default_factory=dict)
    """The same per kind of help rated (`stats.ratingsByCategory`): the score reads the
    request's category first."""
    open_commitments: Annotated[Annotated[int, Field(ge=0)], SERVER] = 0
    """Accepted offerings not yet completed or cancelled."""
    alerts: Annotated[bool, SERVER] = False
    """Whether they want to hear of critical requests they could help with
    (`notifications.topics.nearbyRequests`)."""
    alerted_at: Annotated[Timestamp | None, SERVER] = None
    """When they were last alerted to a critical request (kept when the card is rewritten)."""
    embedding: Annotated[EmbeddingVector, SERVER]
    """What they do embedded (mitche.domain.matching.helper_text)."""
    text_hash: Annotated[_TextHash, SERVER]
    """SHA-256 of the model's name and the embedded text."""
    model: Annotated[_Model, SERVER]
    """The embedding model's name."""
    updated_at: Annotated[Timestamp, SERVER]
    """When a function last wrote the card."""
