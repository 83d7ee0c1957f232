"""Offerings of help: `offerings/{offeringId}`.

A member (the helper) offers help, a material resource or money, either in answer to a request
(`requestPath` set) or as a standing offer anyone may take up. Readers: the helper, the
requester of the answered request, and — for standing offerings that are `visibility`
community/public — signed-in members. Both sides may exchange messages in the conversation
linked from `conversationId`.

Writers: the helper creates the offering and edits its content (its `category` only until it
is accepted: what the requester accepted is the kind of help they rate); the status is moved
by the helper (withdraw) and by the requester (accept, decline, confirm completion), each side
its own transitions, enforced by the rules; each side writes its own feedback. A standing
offering is claimed by a member who needs it: they write themselves as `requesterId` and
accept it in one write. Cloud Functions write moderation, metrics and the hope points
awarded, add an accepted helper to the request (`acceptedHelperIds`), open the exchange's
conversation (`conversationId`) and expire offerings still waiting when their request expires.

Lifecycle (`status`):
    offered → accepted | declined (requester) | withdrawn (helper) | expired (a function, when
        the request expired first)
    accepted → completed (the requester confirms; the helper may propose it first with
        `completionProposedAt`) | cancelled (either side)
declined, withdrawn, expired, completed and cancelled are final. The kind (`offeringType`) never
changes. The requester's feedback on the helper (`requesterFeedback`) is the one place an
exchange is rated and paid (`positiveFeedback`, once).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentId,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import (
    EngagementMetrics,
    Feedback,
    Moderation,
    Money,
    OpeningHours,
    PublicLocation,
    Tag,
    TimeZoneName,
    Visibility,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec
from mitche.models.requests import HelpCategory
from mitche.models.users import HopeCategory

__all__ = [
    "FINAL_OFFERING_STATUSES",
    "SPEC",
    "Availability",
    "FinancialDetails",
    "FinancialMethod",
    "ItemCondition",
    "Offering",
    "OfferingRewards",
    "OfferingStatus",
    "OfferingType",
    "ResourceDetails",
]


class OfferingType(StrEnum):
    """What kind of help is offered; fixed at creation."""

    HELP = "help"
    """Time and skills: a lift, a repair, company, tutoring."""
    RESOURCE = "resource"
    """A thing: food, clothes, furniture, a loaned tool."""
    FINANCIAL = "financial"
    """Money, as a gift or a loan."""


class OfferingStatus(StrEnum):
    """Where an offering is in its lifecycle (see the module docstring)."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    """The request expired before the requester answered (set by a function)."""


FINAL_OFFERING_STATUSES: Final = frozenset(
    {
        OfferingStatus.EXPIRED,
        OfferingStatus.DECLINED,
        OfferingStatus.WITHDRAWN,
        OfferingStatus.COMPLETED,
        OfferingStatus.CANCELLED,
    }
)
"""Statuses an offering never leaves."""


_CLAIMED_STATUSES: Final = frozenset(
    {OfferingStatus.ACCEPTED, OfferingStatus.COMPLETED, OfferingStatus.CANCELLED}
)


class ItemCondition(StrEnum):
    """Condition of an offered item."""

    NEW = "new"
    GOOD = "good"
    USED = "used"


class ResourceDetails(MitcheModel):
    """The thing offered, for resource offerings."""

    item: Annotated[str, Field(min_length=1, max_length=120)]
    """What is offered ("winter coat, size M")."""
    quantity: Annotated[int, Field(ge=1, le=1000)] = 1
    """How many."""
    condition: ItemCondition = ItemCondition.GOOD
    """Condition of the item."""
    can_deliver: bool = False
    """Whether the helper can bring it; otherwise it is picked up."""


class FinancialMethod(StrEnum):
    """How money changes hands. Mitché records the offer; payment happens outside."""

    GIFT = "gift"
    LOAN = "loan"
    PAY_BILL = "payBill"
    """The helper pays a bill or a shop directly, never handing over cash."""


class FinancialDetails(MitcheModel):
    """The money offered, for financial offerings."""

    amount: Money
    """Amount and currency."""
    method: FinancialMethod = FinancialMethod.GIFT
    """Gift, loan or direct payment."""
    repay_by: Timestamp | None = None
    """For loans: when the helper expects repayment."""

    @model_validator(mode="after")
    def _repayment_for_loans(self) -> Self:
        if self.repay_by is not None and self.method is not FinancialMethod.LOAN:
            raise ValueError("repayBy applies to loans only")
        if self.amount.amount_minor == 0:
            raise ValueError("a financial offering has an amount above zero")
        return self


class Availability(MitcheModel):
    """When the helper is available."""

    available_from: Timestamp | None = None
    """Earliest time; absent means now."""
    available_until: Timestamp | None = None
    """Latest time; absent means open-ended."""
    weekly_hours: Annotated[list[OpeningHours], Field(max_length=21)] = Field(default_factory=list)
    """Recurring weekly windows; empty means any time in the range."""
    time_zone: TimeZoneName = "UTC"
    """Time zone of the weekly windows."""

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        start, end = self.available_from, self.available_until
        if start is not None and end is not None and end <= start:
            raise ValueError("availableUntil must be later than availableFrom")
        return self


class OfferingRewards(MitcheModel):
    """Hope points this offering earned its helper; written by Cloud Functions."""

    points: Annotated[int, Field(ge=0, le=100_000)] = 0
    """Total points awarded for this offering (sum of its ledger entries)."""
    category: HopeCategory | None = None
    """Category of the main award."""
    awarded_at: Timestamp | None = None
    """When points were last awarded."""


class Offering(MitcheModel):
    """An offering of help, `offerings/{offeringId}`."""

    stored_nulls: ClassVar[frozenset[str]] = frozenset({"requestPath"})

    helper_id: Annotated[Uid, CLIENT_CREATE]
    """Member who offers; must be the signed-in author on create."""
    offering_type: Annotated[OfferingType, CLIENT_CREATE]
    """Help, resource or financial; never changes."""
    request_path: Annotated[DocumentPath | None, CLIENT_CREATE] = None
    """The request answered (`requests/{id}`); null for a standing offering (stored as an
    explicit null, so the standing-offers query can filter on it)."""
    requester_id: Annotated[Uid | None, CLIENT] = None
    """The answered request's requester, copied so rules and queries need no lookup; on a
    standing offering, the member who claimed it (written once, by them, with the accept)."""
    title: Annotated[str, Field(min_length=3, max_length=120), CLIENT]
    """Short summary."""
    description: Annotated[str, Field(max_length=3000), CLIENT] = ""
    """What the helper offers and how."""
    category: Annotated[HelpCategory, CLIENT]
    """Kind of help."""
    tags: Annotated[list[Tag], Field(max_length=10), CLIENT] = Field(default_factory=list)
    """Keywords for search and matching."""
    visibility: Annotated[Visibility, CLIENT] = Visibility.COMMUNITY
    """Who may read a standing offering; an answer is read by both sides only."""
    resource: Annotated[ResourceDetails | None, CLIENT] = None
    """The item, for resource offerings."""
    financial: Annotated[FinancialDetails | None, CLIENT] = None
    """The money, for financial offerings."""
    availability: Annotated[Availability, CLIENT] = Field(default_factory=Availability)
    """When the helper can help."""
    location: Annotated[PublicLocation | None, CLIENT] = None
    """Coarse area the helper covers (for standing offerings)."""
    remote_ok: Annotated[bool, CLIENT] = False
    """Whether the help can be given remotely."""
    status: Annotated[OfferingStatus, CLIENT] = OfferingStatus.OFFERED
    """Lifecycle state."""
    responded_at: Annotated[Timestamp | None, CLIENT] = None
    """When the requester accepted or declined."""
    completed_at: Annotated[Timestamp | None, CLIENT] = None
    """When the requester confirmed the offering completed."""
    completion_proposed_at: Annotated[Timestamp | None, CLIENT] = None
    """When the helper proposed that the help is done (the requester then confirms)."""
    conversation_id: Annotated[DocumentId | None, CLIENT] = None
    """Conversation between helper and requester about this offering."""
    requester_feedback: Annotated[Feedback | None, CLIENT] = None
    """The requester's rating of the helper (after completion)."""
    helper_feedback: Annotated[Feedback | None, CLIENT] = None
    """The helper's rating of the exchange (after completion)."""
    rewards: Annotated[OfferingRewards, SERVER] = Field(default_factory=OfferingRewards)
    """Hope points earned."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state."""
    metrics: Annotated[EngagementMetrics, SERVER] = Field(default_factory=EngagementMetrics)
    """Views, shares and saves (standing offerings)."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the offering was made."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""

    @model_validator(mode="after")
    def _details_match_type(self) -> Self:
        kind = self.offering_type
        if (kind is OfferingType.FINANCIAL) != (self.financial is not None):
            raise ValueError(
                "financial (amount and currency) is set exactly for financial offerings"
            )
        if (kind is OfferingType.RESOURCE) != (self.resource is not None):
            raise ValueError("resource details are set exactly for resource offerings")
        return self

    @model_validator(mode="after")
    def _request_link(self) -> Self:
        if self.request_path is not None and self.requester_id is None:
            raise ValueError("an answer to a request copies its requesterId")
        claimed = self.request_path is None and self.requester_id is not None
        if claimed and self.status not in _CLAIMED_STATUSES:
            raise ValueError(
                "a standing offering names a requesterId only once claimed (accepted, "
                "completed or cancelled)"
            )
        if self.request_path is not None and not self.request_path.startswith("requests/"):
            raise ValueError("requestPath must point into the requests collection")
        if self.requester_id is not None and self.requester_id == self.helper_id:
            raise ValueError("requesterId must differ from helperId: no offering to oneself")
        return self

    @model_validator(mode="after")
    def _timeline(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        unanswered = {OfferingStatus.OFFERED, OfferingStatus.WITHDRAWN, OfferingStatus.EXPIRED}
        responded = self.status not in unanswered
        if self.requester_id is not None and responded and self.responded_at is None:
            raise ValueError("respondedAt is set once the requester accepted or declined")
        if self.responded_at is not None and self.responded_at < self.created_at:
            raise ValueError("respondedAt must not be earlier than createdAt")
        if (self.status is OfferingStatus.COMPLETED) != (self.completed_at is not None):
            raise ValueError("completedAt is set exactly when status is 'completed'")
        return self

    @model_validator(mode="after")
    def _feedback_authors(self) -> Self:
        has_feedback = self.requester_feedback is not None or self.helper_feedback is not None
        if has_feedback and self.status is not OfferingStatus.COMPLETED:
            raise ValueError("feedback is given only on completed offerings")
        given = self.requester_feedback
        if given is not None and given.author_id != self.requester_id:
            raise ValueError("requesterFeedback is given by the requester (authorId)")
        given = self.helper_feedback
        if given is not None and given.author_id != self.helper_id:
            raise ValueError("helperFeedback is given by the helper (authorId)")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.OFFERINGS,
    model=Offering,
    id_field="offeringId",
)
