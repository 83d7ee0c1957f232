"""Small models that exercise every type mapping the generators know, and their specs."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import Field

from mitche.models import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentPath,
    FirestoreGeoPoint,
    MitcheModel,
    Timestamp,
    Uid,
    bounded_list,
    bounded_text,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, SubcollectionSpec


class Mood(StrEnum):
    """How a sample feels."""

    CALM = "calm"
    """Nothing to worry about."""
    IN_A_HURRY = "inAHurry"
    """Needs attention soon."""
    UNDOCUMENTED = "undocumented"


class Priority(IntEnum):
    """An integer-valued closed set."""

    LOW = 1
    HIGH = 2


class Gauge(MitcheModel):
    """A nested map with bounded numbers."""

    level: Annotated[int, Field(ge=0, le=10)] = 0
    """Whole units from 0 to 10."""
    ratio: Annotated[float, Field(gt=0, lt=1)] = 0.5
    """Strictly between 0 and 1."""


class TextPart(MitcheModel):
    """A text part."""

    kind: Literal["text"] = "text"
    """Discriminator."""
    text: bounded_text(100)
    """The words."""


class ImagePart(MitcheModel):
    """An image part."""

    kind: Literal["image"] = "image"
    """Discriminator."""
    path: bounded_text(200)
    """Storage path."""


class Sample(MitcheModel):
    """A sample document with one field per type mapping.

    Its second paragraph says more.
    """

    name: Annotated[bounded_text(120, min_length=1), CLIENT]
    """Display name."""
    count: Annotated[int, Field(ge=0, le=1000), SERVER] = 0
    """A counter kept by the server."""
    score: Annotated[float, Field(ge=0.0, le=5.0), SERVER] = 0.0
    """Mean stars."""
    active: Annotated[bool, CLIENT] = True
    """Whether the sample is active."""
    mood: Annotated[Mood, CLIENT] = Mood.CALM
    """Current mood."""
    priority: Annotated[Priority, CLIENT] = Priority.LOW
    """Priority as a number."""
    channel: Annotated[Literal["sms", "email"], CLIENT_CREATE]
    """Chosen once, on create."""
    gauge: Annotated[Gauge, SERVER] = Field(default_factory=Gauge)
    """A nested map."""
    tags: Annotated[bounded_list(bounded_text(20), 5), CLIENT] = Field(default_factory=list)
    """Up to five short tags."""
    gauges: Annotated[bounded_list(Gauge | None, 3), CLIENT] = Field(default_factory=list)
    """A list whose items may be null."""
    per_mood: Annotated[dict[Mood, int], SERVER] = Field(default_factory=dict)
    """Counts per mood."""
    labels: Annotated[dict[str, bounded_text(30)], Field(max_length=4), CLIENT] = Field(
        default_factory=dict
    )
    """Free labels by key."""
    by_code: Annotated[
        dict[
            Annotated[str, Field(min_length=1, max_length=8, pattern=r"^[a-z]+$")],
            Annotated[int, Field(ge=0)],
        ],
        Field(max_length=10),
        SERVER,
    ] = Field(default_factory=dict)
    """Counts by lowercase code."""
    note: Annotated[bounded_text(200) | None, CLIENT] = None
    """An optional note."""
    part: Annotated[TextPart | ImagePart, Field(discriminator="kind"), CLIENT]
    """Content, text or image."""
    either: Annotated[int | str, CLIENT] = 0
    """A plain union."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When it was created."""
    place: Annotated[FirestoreGeoPoint | None, CLIENT] = None
    """Where it is."""
    author_ref: Annotated[DocumentPath, CLIENT_CREATE]
    """The author's profile document."""
    owner_id: Annotated[Uid, CLIENT_CREATE]
    """Who owns it."""
    pair: Annotated[tuple[int, str], CLIENT] = (0, "")
    """A fixed-length pair."""
    code: Annotated[str, Field(max_length=8, pattern=r"^[A-Z]+$"), CLIENT] = "A"
    """Upper-case code, a pattern with `*/` in prose."""


class SampleSecret(MitcheModel):
    """A subcollection document."""

    secret: Annotated[bounded_text(50), SERVER]
    """Hidden from everyone but the owner."""
    gauge: Annotated[Gauge, SERVER] = Field(default_factory=Gauge)
    """Shared with the collection document."""
    spare: Annotated[Gauge, SERVER] = Field(default_factory=Gauge)
    """A nested map with bounded numbers."""


class Other(MitcheModel):
    """A document of a second collection."""

    mood: Annotated[Mood, CLIENT] = Mood.CALM
    """Shared enum."""
    gauge: Annotated[Gauge, SERVER] = Field(default_factory=Gauge)
    """Shared map."""


SAMPLE_SPEC = CollectionSpec(
    collection=Collection.USERS,
    model=Sample,
    id_field="sampleId",
    subcollections=(
        SubcollectionSpec(
            path="users/{sampleId}/private/secret",
            model=SampleSecret,
            why="Only the owner reads it.",
        ),
    ),
)


class OtherConfig(MitcheModel):
    """A document with a fixed id, directly in the collection."""

    limit: Annotated[int, Field(ge=1, le=50), SERVER] = 10
    """How many at most."""


OTHER_SPEC = CollectionSpec(
    collection=Collection.REQUESTS,
    model=Other,
    id_field="otherId",
    subcollections=(
        SubcollectionSpec(
            path="requests/config",
            model=OtherConfig,
            why="Read by the server only.",
        ),
    ),
)
