"""Requests for help: `requests/{requestId}`.

A member (the requester) asks the community for something: groceries, a lift, someone to talk
to. Signed-in members read open requests (visitors too when `visibility` is public) and answer
with offerings (`offerings/`). The request document carries only a coarse public location;
the exact place lives in `requests/{requestId}/private/location`, readable by the requester and
the helpers the requester accepted.

Writers: the requester creates the request and edits its content, its final status and
completion; Cloud Functions keep moderation, verification and engagement metrics, write the
accepted helpers (from the offerings the requester accepted: never free-form), and expire
requests whose deadline passed.

Lifecycle (`status`):
    open → inProgress (a function, once the requester accepted a helper's offering)
    open | inProgress → fulfilled (the requester confirms, with `completion`)
    open | inProgress → closed (the requester withdraws it; or a function, with `closure`,
        when it went past the requester's open-request limit)
    open | inProgress → expired (a function, once `deadline` has passed)
fulfilled, closed and expired are final.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import (
    Attachment,
    EngagementMetrics,
    ExactLocation,
    Moderation,
    PublicLocation,
    Tag,
    Verification,
    Visibility,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, SubcollectionSpec

__all__ = [
    "FINAL_REQUEST_STATUSES",
    "MAX_ACCEPTED_HELPERS",
    "MAX_REQUEST_ATTACHMENTS",
    "SPEC",
    "HelpCategory",
    "HelpRequest",
    "PlatformClosure",
    "RequestClosureReason",
    "RequestCompletion",
    "RequestLocation",
    "RequestStatus",
    "UrgencyLevel",
]

MAX_REQUEST_ATTACHMENTS: Final = 6
"""Files a request may carry."""
MAX_ACCEPTED_HELPERS: Final = 10
"""Helpers a requester may accept on one request."""


class HelpCategory(StrEnum):
    """What kind of help is asked or offered; shared by requests and offerings."""

    FOOD = "food"
    HOUSING = "housing"
    TRANSPORT = "transport"
    HEALTH = "health"
    EMOTIONAL_SUPPORT = "emotionalSupport"
    CHILDCARE = "childcare"
    ELDER_CARE = "elderCare"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    LEGAL = "legal"
    FINANCIAL = "financial"
    HOUSEHOLD = "household"
    TECHNOLOGY = "technology"
    COMPANIONSHIP = "companionship"
    OTHER = "other"


class UrgencyLevel(StrEnum):
    """How soon help is needed."""

    LOW = "low"
    """Whenever someone can."""
    MEDIUM = "medium"
    """Within days."""
    HIGH = "high"
    """Within a day."""
    CRITICAL = "critical"
    """Now; critical requests are highlighted and notify nearby members."""


class RequestStatus(StrEnum):
    """Where a request is in its lifecycle (see the module docstring)."""

    OPEN = "open"
    IN_PROGRESS = "inProgress"
    FULFILLED = "fulfilled"
    CLOSED = "closed"
    EXPIRED = "expired"


FINAL_REQUEST_STATUSES: Final = frozenset(
    {RequestStatus.FULFILLED, RequestStatus.CLOSED, RequestStatus.EXPIRED}
)
"""Statuses a request never leaves."""


class RequestCompletion(MitcheModel):
    """How a request ended, written by the requester when marking it fulfilled or closed.
    Feedback on the help is not here: each helper is rated on their offering
    (`requesterFeedback`), the one place an exchange's feedback is given and paid (migration
    0003 removed the former `feedback`)."""

    completed_at: Timestamp
    """When the requester marked it fulfilled or closed."""
    fulfilled_by: Annotated[list[Uid], Field(max_length=MAX_ACCEPTED_HELPERS)] = Field(
        default_factory=list
    )
    """Helpers who fulfilled it (among the accepted helpers)."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """The requester's closing words."""


class RequestClosureReason(StrEnum):
    """Why the platform, not the requester, closed a request."""

    OPEN_REQUEST_LIMIT = "openRequestLimit"
    """The requester already had as many open requests as their level allows
    (`privileges.maxOpenRequests`); the rules refuse such a request, and the request trigger
    closes one that got past them while the count lagged."""


class PlatformClosure(MitcheModel):
    """Why and when a function closed the request (its requester reads it)."""

    reason: RequestClosureReason
    """The rule the request broke."""
    message: Annotated[str, Field(min_length=1, max_length=500)]
    """What the requester reads, saying what to do."""
    closed_at: Timestamp
    """When the function closed it."""


class HelpRequest(MitcheModel):
    """A request for help, `requests/{requestId}`."""

    requester_id: Annotated[Uid, CLIENT_CREATE]
    """Member who asks; must be the signed-in author on create."""
    title: Annotated[str, Field(min_length=5, max_length=120), CLIENT]
    """Short summary shown in lists."""
    description: Annotated[str, Field(min_length=1, max_length=5000), CLIENT]
    """What is needed, in the requester's words (no addresses: use the private location)."""
    category: Annotated[HelpCategory, CLIENT]
    """Kind of help."""
    tags: Annotated[list[Tag], Field(max_length=10), CLIENT] = Field(default_factory=list)
    """Keywords for search and matching."""
    urgency: Annotated[UrgencyLevel, CLIENT] = UrgencyLevel.MEDIUM
    """How soon help is needed."""
    deadline: Annotated[Timestamp | None, CLIENT] = None
    """When the help is no longer useful; the request expires after it."""
    visibility: Annotated[Visibility, CLIENT] = Visibility.COMMUNITY
    """Who may read the request (`private` keeps it a draft only the requester sees)."""
    location: Annotated[PublicLocation | None, CLIENT] = None
    """Coarse public location (1 km cell and area label); absent for remote-only help."""
    remote_ok: Annotated[bool, CLIENT] = False
    """Whether the help can be given remotely (phone, video, online)."""
    attachments: Annotated[list[Attachment], Field(max_length=MAX_REQUEST_ATTACHMENTS), CLIENT] = (
        Field(default_factory=list)
    )
    """Photos or documents (uploaded under the requester's prefix)."""
    status: Annotated[RequestStatus, CLIENT] = RequestStatus.OPEN
    """Lifecycle state."""
    accepted_helper_ids: Annotated[list[Uid], Field(max_length=MAX_ACCEPTED_HELPERS), SERVER] = (
        Field(default_factory=list)
    )
    """Helpers whose offering the requester accepted (written by a function from the accepted
    offering); they may read the exact location and are the only ones `completion` may name."""
    completion: Annotated[RequestCompletion | None, CLIENT] = None
    """Set when the requester marks the request fulfilled or closed."""
    closure: Annotated[PlatformClosure | None, SERVER] = None
    """Set when a function closed the request rather than its requester (status `closed`)."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state."""
    verification: Annotated[Verification, SERVER] = Field(default_factory=Verification)
    """Whether an admin verified the need (e.g. for financial help)."""
    metrics: Annotated[EngagementMetrics, SERVER] = Field(default_factory=EngagementMetrics)
    """Views, shares, saves and offerings received."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the request was created."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change by the requester."""

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        if self.deadline is not None and self.deadline <= self.created_at:
            raise ValueError("deadline must be later than createdAt")
        return self

    @model_validator(mode="after")
    def _place_given(self) -> Self:
        if self.location is None and not self.remote_ok:
            raise ValueError("location is required unless remoteOk is true")
        return self

    @model_validator(mode="after")
    def _attachments_owned(self) -> Self:
        if any(item.owner_id != self.requester_id for item in self.attachments):
            raise ValueError("attachments must be uploaded by the requester (ownerId)")
        return self

    @model_validator(mode="after")
    def _helpers_consistent(self) -> Self:
        helpers = self.accepted_helper_ids
        if len(set(helpers)) != len(helpers):
            raise ValueError("acceptedHelperIds must not repeat a helper")
        if self.requester_id in helpers:
            raise ValueError("acceptedHelperIds must not contain the requester")
        if self.status is RequestStatus.IN_PROGRESS and not helpers:
            raise ValueError("an inProgress request has at least one acceptedHelperIds entry")
        return self

    @model_validator(mode="after")
    def _completion_matches_status(self) -> Self:
        ended = self.status in {RequestStatus.FULFILLED, RequestStatus.CLOSED}
        if ended != (self.completion is not None):
            raise ValueError("completion is set exactly when status is 'fulfilled' or 'closed'")
        if self.completion is None:
            return self
        if self.completion.completed_at < self.created_at:
            raise ValueError("completion.completedAt must not be earlier than createdAt")
        if not set(self.completion.fulfilled_by) <= set(self.accepted_helper_ids):
            raise ValueError("completion.fulfilledBy must list accepted helpers only")
        if self.status is RequestStatus.FULFILLED and not self.completion.fulfilled_by:
            raise ValueError("a fulfilled request names its helpers in completion.fulfilledBy")
        return self


_Instructions = Annotated[str, Field(min_length=1, max_length=500)]


class RequestLocation(MitcheModel):
    """`requests/{requestId}/private/location`: where exactly help is needed."""

    exact: Annotated[ExactLocation, CLIENT]
    """Exact point, full geohash and address."""
    instructions: Annotated[_Instructions | None, CLIENT] = None
    """Access notes for accepted helpers (door code, floor)."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""


SPEC: Final = CollectionSpec(
    collection=Collection.REQUESTS,
    model=HelpRequest,
    id_field="requestId",
    subcollections=(
        SubcollectionSpec(
            path="requests/{requestId}/private/location",
            model=RequestLocation,
            why="The exact address is read only by the requester and accepted helpers; "
            "everyone else sees the coarse public location on the request.",
        ),
    ),
)
