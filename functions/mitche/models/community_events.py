"""Community events: `communityEvents/{eventId}`.

Gatherings members organise: meal shares, clean-ups, support circles, workshops, in person,
online or both. Published events are readable by signed-in members (visitors too when
`visibility` is public); drafts and events awaiting or refused approval only by their
organisers and moderators. The exact venue and the join link live in
`communityEvents/{eventId}/private/access`, readable by organisers and registered attendees.

Writers: the organizer creates the event and edits its content, invites co-organisers (an
invitee becomes one by accepting: they move their own uid from `coOrganizerInvites` to
`coOrganizerIds`), runs the status and reports the impact; co-organisers edit content too.
Moderators decide `approval` through the `decide_event` callable (server-side field; an
organiser only withdraws it, see below). Cloud
Functions keep registration counts, moderation and metrics. Each member writes their own
registration (`pending`); a function places it (`registered` or `waitlisted`); organisers record
attendance on it, or the attendee enters the check-in code shown at the venue.

Lifecycle: `status` draft → scheduled (the organiser submits; a function sets `approval`
pending) → the event is public once `approval.state` is approved → completed (after `endsAt`,
with an optional impact report) or cancelled at any point before completion (a function then
cancels its registrations). A material edit of an approved event (content, time, place,
audience, capacity down) withdraws the approval in the same write (the rules demand
`approval: {state: 'pending', submittedAt: request.time}`), so the edit is never public before a
moderator saw it; see `mitche.domain.event_approval`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Literal, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    REQUEST_TIME,
    SERVER,
    MitcheModel,
    Timestamp,
    Uid,
    client_withdraws,
)
from mitche.models.common import (
    Approval,
    Attachment,
    Count,
    EngagementMetrics,
    ExactLocation,
    Feedback,
    Moderation,
    PublicLocation,
    Tag,
    TimeZoneName,
    Visibility,
    WebUrl,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, SubcollectionSpec

__all__ = [
    "CHECK_IN_DOCUMENT",
    "MAX_CO_ORGANIZERS",
    "SPEC",
    "AttendanceState",
    "CommunityEvent",
    "EventAccess",
    "EventCategory",
    "EventCheckIn",
    "EventFormat",
    "EventRequirements",
    "EventStatus",
    "ImpactReport",
    "Registration",
    "RegistrationCounts",
    "RegistrationStatus",
    "RegistrationTally",
    "VirtualPlatform",
]

MAX_CO_ORGANIZERS: Final = 10
"""Co-organisers an event may have (and invitations it may hold open)."""
CHECK_IN_DOCUMENT: Final = "checkIn"
"""Id of the event's private check-in document (`communityEvents/{eventId}/private/checkIn`)."""


class EventCategory(StrEnum):
    """What kind of gathering an event is."""

    MEAL_SHARE = "mealShare"
    CLEANUP = "cleanup"
    SUPPORT_CIRCLE = "supportCircle"
    WORKSHOP = "workshop"
    SKILL_SHARE = "skillShare"
    FUNDRAISER = "fundraiser"
    COLLECTION_DRIVE = "collectionDrive"
    HEALTH_CLINIC = "healthClinic"
    VOLUNTEERING = "volunteering"
    SOCIAL = "social"
    OTHER = "other"


class EventFormat(StrEnum):
    """Where an event happens."""

    IN_PERSON = "inPerson"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class VirtualPlatform(StrEnum):
    """The video platform of a virtual or hybrid event."""

    JITSI = "jitsi"
    ZOOM = "zoom"
    GOOGLE_MEET = "googleMeet"
    TEAMS = "teams"
    OTHER = "other"


class EventStatus(StrEnum):
    """The organiser's side of the lifecycle (see the module docstring)."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class EventRequirements(MitcheModel):
    """What attendees need to know or bring."""

    min_age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Minimum age, if any."""
    items_to_bring: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=10)
    ] = Field(default_factory=list)
    """Things to bring ("gloves", "a dish to share")."""
    skills: Annotated[list[Tag], Field(max_length=10)] = Field(default_factory=list)
    """Skills that help (for volunteering events)."""
    accessibility: Annotated[str, Field(max_length=500)] | None = None
    """Step-free access, sign language, quiet room..."""
    registration_required: bool = True
    """Whether attendees must register (capacity applies only then)."""


class ImpactReport(MitcheModel):
    """What an event achieved, reported by its organisers after it took place."""

    attendees: Annotated[int, Field(ge=0, le=1_000_000)]
    """People who came."""
    volunteer_hours: Annotated[float, Field(ge=0.0, le=1_000_000.0)] = 0.0
    """Volunteer hours given in total."""
    people_helped: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """People who received help."""
    items_collected: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    """Items or meals collected or given."""
    summary: Annotated[str, Field(max_length=2000)] = ""
    """What happened, in the organisers' words."""
    photos: Annotated[list[Attachment], Field(max_length=10)] = Field(default_factory=list)
    """Photos of the event."""
    reported_at: Timestamp
    """When the report was written."""

    @model_validator(mode="after")
    def _photos_are_images(self) -> Self:
        if not all(photo.content_type.is_image for photo in self.photos):
            raise ValueError("impact photos must be images")
        return self


class RegistrationCounts(MitcheModel):
    """Registrations at a glance; kept by Cloud Functions from the registrations."""

    registered: Count = 0
    """Confirmed registrations (guests included)."""
    waitlisted: Count = 0
    """Members waiting for a place."""
    cancelled: Count = 0
    """Cancelled registrations."""
    attended: Count = 0
    """Members checked in."""


class CommunityEvent(MitcheModel):
    """A community event, `communityEvents/{eventId}`."""

    organizer_id: Annotated[Uid, CLIENT_CREATE]
    """Member who created the event; must be the signed-in author on create."""
    co_organizer_ids: Annotated[list[Uid], Field(max_length=MAX_CO_ORGANIZERS), CLIENT] = Field(
        default_factory=list
    )
    """Members who help run the event and may edit it; each accepted an invitation."""
    co_organizer_invites: Annotated[list[Uid], Field(max_length=MAX_CO_ORGANIZERS), CLIENT] = Field(
        default_factory=list
    )
    """Members the organiser invited to co-organise; an invitee accepts by moving their own uid
    to `coOrganizerIds`, or declines by taking it out."""
    title: Annotated[str, Field(min_length=3, max_length=120), CLIENT]
    """Name of the event."""
    description: Annotated[str, Field(min_length=1, max_length=5000), CLIENT]
    """What will happen."""
    category: Annotated[EventCategory, CLIENT]
    """Kind of gathering."""
    tags: Annotated[list[Tag], Field(max_length=10), CLIENT] = Field(default_factory=list)
    """Keywords for search."""
    cover_image: Annotated[Attachment | None, CLIENT] = None
    """Banner image."""
    starts_at: Annotated[Timestamp, CLIENT]
    """Start."""
    ends_at: Annotated[Timestamp, CLIENT]
    """End; later than the start."""
    time_zone: Annotated[TimeZoneName, CLIENT]
    """Time zone the event is announced in."""
    format: Annotated[EventFormat, CLIENT]
    """In person, virtual or hybrid."""
    location: Annotated[PublicLocation | None, CLIENT] = None
    """Coarse public area of the venue (in person and hybrid)."""
    virtual_platform: Annotated[VirtualPlatform | None, CLIENT] = None
    """Video platform (virtual and hybrid); the link itself is in the private access doc."""
    visibility: Annotated[Visibility, CLIENT] = Visibility.COMMUNITY
    """Who may read the published event."""
    requirements: Annotated[EventRequirements, CLIENT] = Field(default_factory=EventRequirements)
    """Requirements for attendees."""
    capacity: Annotated[int | None, Field(ge=1, le=100_000), CLIENT] = None
    """Places available; absent means unlimited."""
    waitlist_enabled: Annotated[bool, CLIENT] = True
    """Whether registrations beyond capacity join a waitlist."""
    registration_deadline: Annotated[Timestamp | None, CLIENT] = None
    """Last moment to register; no later than the start."""
    status: Annotated[EventStatus, CLIENT] = EventStatus.DRAFT
    """The organiser's lifecycle state."""
    approval: Annotated[
        Approval, client_withdraws({"state": "pending", "submittedAt": REQUEST_TIME})
    ] = Field(default_factory=Approval)
    """Moderator approval; the event is public only once approved. Functions and moderators
    decide it; an organiser only withdraws it (back to pending, now), in the write of a material
    edit of the approved event (firestore.rules `approvalAfterEdit`)."""
    impact: Annotated[ImpactReport | None, CLIENT] = None
    """Impact report, once the event is completed."""
    registrations: Annotated[RegistrationCounts, SERVER] = Field(default_factory=RegistrationCounts)
    """Registration counts."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state."""
    metrics: Annotated[EngagementMetrics, SERVER] = Field(default_factory=EngagementMetrics)
    """Views, shares and saves."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the event was created."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("endsAt must be later than startsAt")
        deadline = self.registration_deadline
        if deadline is not None and deadline > self.starts_at:
            raise ValueError("registrationDeadline must not be later than startsAt")
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self

    @model_validator(mode="after")
    def _format_has_place(self) -> Self:
        physical = self.format in {EventFormat.IN_PERSON, EventFormat.HYBRID}
        online = self.format in {EventFormat.VIRTUAL, EventFormat.HYBRID}
        if physical != (self.location is not None):
            raise ValueError("location is set exactly for inPerson and hybrid events")
        if online != (self.virtual_platform is not None):
            raise ValueError("virtualPlatform is set exactly for virtual and hybrid events")
        return self

    @model_validator(mode="after")
    def _organizers(self) -> Self:
        co = self.co_organizer_ids
        if len(set(co)) != len(co) or self.organizer_id in co:
            raise ValueError("coOrganizerIds are distinct and exclude the organizer")
        return self

    @model_validator(mode="after")
    def _impact_after_completion(self) -> Self:
        if self.impact is not None and self.status is not EventStatus.COMPLETED:
            raise ValueError("impact is reported only for completed events")
        return self

    @model_validator(mode="after")
    def _cover_is_image(self) -> Self:
        if self.cover_image is not None and not self.cover_image.content_type.is_image:
            raise ValueError("coverImage must be an image")
        return self


class EventCheckIn(MitcheModel):
    """`communityEvents/{eventId}/private/checkIn`: the code organisers show at the venue.

    Written by the function that approves the event; read by its organisers only. An attendee
    who enters it through the `check_in_at_event` callable is recorded as attended: the code
    proves someone at the venue confirmed their presence."""

    code: Annotated[str, Field(pattern=r"^[A-HJ-NP-Z2-9]{6}$"), SERVER]
    """Six characters without look-alikes (no 0, O, 1, I)."""
    created_at: Annotated[Timestamp, SERVER]
    """When the code was made."""


class EventAccess(MitcheModel):
    """`communityEvents/{eventId}/private/access`: how registered attendees get in."""

    venue: Annotated[ExactLocation | None, CLIENT] = None
    """Exact venue (in person and hybrid)."""
    join_url: Annotated[WebUrl | None, CLIENT] = None
    """Link to the online session (virtual and hybrid)."""
    instructions: Annotated[Annotated[str, Field(max_length=1000)] | None, CLIENT] = None
    """How to find the place or get in (door code, who to ask for)."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""

    @model_validator(mode="after")
    def _says_where(self) -> Self:
        if self.venue is None and self.join_url is None:
            raise ValueError("venue or joinUrl is required")
        return self


class RegistrationStatus(StrEnum):
    """A registration's state; the member asks for a place and cancels, a function places them."""

    PENDING = "pending"
    """Asked for a place (the member's write); a function places it in order of `requestedAt`."""
    REGISTERED = "registered"
    """Has a place."""
    WAITLISTED = "waitlisted"
    """Waiting for a place (set by a function when the event is full)."""
    CANCELLED = "cancelled"
    """Cancelled by the member, by the organiser's cancellation of the event, or by a function
    when the event is full and keeps no waitlist (`closedReason` says which)."""


class RegistrationTally(MitcheModel):
    """What the event's `registrations` counts hold for one registration (server-written):
    the counts change by the difference between this and the registration's current state,
    in the transaction that writes both, so a redelivered trigger counts nothing twice."""

    status: RegistrationStatus
    """The status counted."""
    seats: Annotated[int, Field(ge=1, le=11)]
    """Seats counted (the member and their guests)."""
    attended: bool = False
    """Whether it is counted as attended."""


class AttendanceState(StrEnum):
    """Whether a registered member came, as recorded by an organiser."""

    UNKNOWN = "unknown"
    ATTENDED = "attended"
    NO_SHOW = "noShow"


class Registration(MitcheModel):
    """`communityEvents/{eventId}/registrations/{userId}`: one member's registration."""

    user_id: Annotated[Uid, CLIENT_CREATE]
    """Member who registered; equals the document id and the signed-in author."""
    status: Annotated[RegistrationStatus, CLIENT] = RegistrationStatus.REGISTERED
    """Registration state: the member writes `pending` (to register or register again) and
    `cancelled`; a function places a pending registration as registered or waitlisted. The
    default reads documents written before placement existed (they were all registered)."""
    requested_at: Annotated[Timestamp | None, CLIENT] = None
    """When the member last asked for a place (request time, checked by the rules); the
    waitlist's order, ties broken by the registration id."""
    guests: Annotated[int, Field(ge=0, le=10), CLIENT] = 0
    """Extra people the member brings; changed only when asking for a place."""
    note: Annotated[Annotated[str, Field(max_length=500)] | None, CLIENT] = None
    """Note to the organisers (dietary needs, access needs)."""
    attendance: Annotated[AttendanceState, CLIENT] = AttendanceState.UNKNOWN
    """Set by an organiser at check-in."""
    checked_in_at: Annotated[Timestamp | None, CLIENT] = None
    """When an organiser checked the member in."""
    feedback: Annotated[Feedback | None, CLIENT] = None
    """The member's rating of the event, after attending."""
    placed_at: Annotated[Timestamp | None, SERVER] = None
    """When a function last placed the registration (registered, waitlisted or promoted)."""
    closed_reason: Annotated[Literal["full", "eventCancelled"] | None, SERVER] = None
    """Why a function cancelled the registration: the event was full and keeps no waitlist,
    or its organisers cancelled it."""
    counted: Annotated[RegistrationTally | None, SERVER] = None
    """What the event's counts hold for this registration (None: nothing yet)."""
    check_in_failures: Annotated[Count, SERVER] = 0
    """Wrong check-in codes entered; the callable refuses more than a few."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the member registered."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""

    @model_validator(mode="after")
    def _check_in(self) -> Self:
        attended = self.attendance is AttendanceState.ATTENDED
        if attended != (self.checked_in_at is not None):
            raise ValueError("checkedInAt is set exactly when attendance is 'attended'")
        if self.feedback is not None:
            if not attended:
                raise ValueError("feedback is given only after attending")
            if self.feedback.author_id != self.user_id:
                raise ValueError("feedback is given by the registered member (authorId)")
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.COMMUNITY_EVENTS,
    model=CommunityEvent,
    id_field="eventId",
    subcollections=(
        SubcollectionSpec(
            path="communityEvents/{eventId}/private/access",
            model=EventAccess,
            why="The exact venue and join link are read only by organisers and registered "
            "attendees; the event shows only the coarse area.",
        ),
        SubcollectionSpec(
            path="communityEvents/{eventId}/private/checkIn",
            model=EventCheckIn,
            why="The check-in code organisers show at the venue: read by them only, written by "
            "the function that approves the event.",
        ),
        SubcollectionSpec(
            path="communityEvents/{eventId}/registrations/{userId}",
            model=Registration,
            why="Each member writes their own registration (one document, id = uid, so "
            "nobody registers twice); readable by that member and the organisers, never by "
            "other attendees.",
        ),
    ),
)
