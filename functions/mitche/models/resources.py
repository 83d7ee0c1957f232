"""The resource hub: `resources/{resourceId}`, one document per service a provider runs.

Field names follow Open Referral's Human Services Data Specification (HSDS 3.0): the provider
is an HSDS `organization`, the resource an HSDS `service` with its `schedule` (days, opens/closes
times, time zone), `eligibility` (description, age range, requirements), `required_documents`,
`languages` (BCP-47), `cost_options` (fees) and `service_areas`. A service's address is public
information, so the resource carries its exact location (unlike members' requests).

Readers: signed-in members read published resources (visitors too when `visibility` is public);
drafts only their submitter and moderators. Writers: the submitting member (usually a verified
provider, `security.verifiedProvider`) writes the content; Cloud Functions and admins write the
provider verification, moderation, rating summary and usage counters. Members review a resource
once each in `resources/{resourceId}/reviews/{userId}`, and find a review helpful once each in
`.../reviews/{userId}/helpful/{voterId}`.

Provider verification: the submitter applies in `resources/{resourceId}/private/providerApplication`
(who they are in the organisation, how a moderator can check it); a moderator decides through
the `decide_provider` callable, which sets the member's `verifiedProvider` claim (the one the
rules read to let a listing out of draft) and the resource's `providerVerification`, and records
on the application who decided and when; `revoke_provider` takes the claim back and marks every
listing of the member unverified.

Lifecycle (`status`): draft → active (published; listed once moderation approves) ⇄
temporarilyClosed ⇄ inactive; any → defunct (final, kept for history).
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
    Contact,
    Count,
    EngagementMetrics,
    ExactLocation,
    Geohash,
    LanguageTag,
    Moderation,
    Money,
    OpeningHours,
    RatingSummary,
    Stars,
    Tag,
    TimeZoneName,
    Verification,
    Visibility,
)
from mitche.models.names import Collection
from mitche.models.processed_events import ProcessedEvent
from mitche.models.registry import CollectionSpec, SubcollectionSpec

__all__ = [
    "SPEC",
    "USAGE_SHARDS",
    "ApplicationStatus",
    "EligibleGroup",
    "Fees",
    "HelpfulVote",
    "Provider",
    "ProviderApplication",
    "ProviderKind",
    "Resource",
    "ResourceCategory",
    "ResourceEligibility",
    "ResourceReview",
    "ResourceStatus",
    "ResourceUsage",
    "Schedule",
    "ServiceArea",
    "UsageShard",
]

_Line = Annotated[str, Field(min_length=1, max_length=200)]


class ResourceCategory(StrEnum):
    """What a service provides."""

    FOOD = "food"
    SHELTER = "shelter"
    HEALTH = "health"
    MENTAL_HEALTH = "mentalHealth"
    LEGAL = "legal"
    EMPLOYMENT = "employment"
    EDUCATION = "education"
    TRANSPORT = "transport"
    CHILDCARE = "childcare"
    FINANCIAL = "financial"
    CLOTHING = "clothing"
    HYGIENE = "hygiene"
    TECHNOLOGY = "technology"
    CRISIS_LINE = "crisisLine"
    OTHER = "other"


class ResourceStatus(StrEnum):
    """Publication and operating state (HSDS `service.status`, plus draft)."""

    DRAFT = "draft"
    """Not published yet."""
    ACTIVE = "active"
    """Operating and listed."""
    TEMPORARILY_CLOSED = "temporarilyClosed"
    """Listed with a notice; not operating for now."""
    INACTIVE = "inactive"
    """Not operating; hidden from default searches."""
    DEFUNCT = "defunct"
    """Permanently closed; kept for history."""


class ProviderKind(StrEnum):
    """Legal form of the provider (HSDS `organization.legal_status`, simplified)."""

    NONPROFIT = "nonprofit"
    PUBLIC_AGENCY = "publicAgency"
    COMMUNITY_GROUP = "communityGroup"
    FAITH_BASED = "faithBased"
    BUSINESS = "business"
    INDIVIDUAL = "individual"


class Provider(MitcheModel):
    """The organisation running the service (HSDS `organization`)."""

    name: Annotated[str, Field(min_length=1, max_length=150)]
    """Organisation name."""
    alternate_name: Annotated[str, Field(max_length=150)] | None = None
    """Other name it is known by."""
    kind: ProviderKind = ProviderKind.NONPROFIT
    """Legal form."""
    description: Annotated[str, Field(max_length=2000)] = ""
    """What the organisation does."""
    contact: Contact = Field(default_factory=Contact)
    """Organisation email, phone and website."""
    logo: Attachment | None = None
    """Logo image."""

    @model_validator(mode="after")
    def _logo_is_image(self) -> Self:
        if self.logo is not None and not self.logo.content_type.is_image:
            raise ValueError("provider logo must be an image")
        return self


class Schedule(MitcheModel):
    """When the service is open (HSDS `schedule`)."""

    time_zone: TimeZoneName
    """Time zone of the opening hours."""
    hours: Annotated[list[OpeningHours], Field(max_length=28)] = Field(default_factory=list)
    """Weekly opening windows; several per day allowed."""
    by_appointment: bool = False
    """Whether visits need an appointment."""
    valid_from: Timestamp | None = None
    """First day these hours apply (seasonal schedules)."""
    valid_to: Timestamp | None = None
    """Last day these hours apply."""
    notes: Annotated[str, Field(max_length=500)] | None = None
    """Exceptions and holidays, in words."""

    @model_validator(mode="after")
    def _valid_range(self) -> Self:
        start, end = self.valid_from, self.valid_to
        if start is not None and end is not None and end <= start:
            raise ValueError("validTo must be later than validFrom")
        return self


class EligibleGroup(StrEnum):
    """Groups a service is meant for (HSDS eligibility taxonomy, simplified)."""

    EVERYONE = "everyone"
    ADULTS = "adults"
    YOUTH = "youth"
    CHILDREN = "children"
    SENIORS = "seniors"
    FAMILIES = "families"
    WOMEN = "women"
    VETERANS = "veterans"
    REFUGEES = "refugees"
    LGBTQ = "lgbtq"
    DISABLED = "disabled"
    LOW_INCOME = "lowIncome"
    HOMELESS = "homeless"
    STUDENTS = "students"


class ResourceEligibility(MitcheModel):
    """Who may use the service (HSDS `eligibility_description`, ages, `required_documents`)."""

    description: Annotated[str, Field(max_length=1000)] = ""
    """Eligibility criteria in words."""
    groups: Annotated[list[EligibleGroup], Field(max_length=14)] = Field(
        default_factory=lambda: [EligibleGroup.EVERYONE]
    )
    """Groups served."""
    minimum_age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Youngest age served."""
    maximum_age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Oldest age served."""
    requirements: Annotated[list[_Line], Field(max_length=10)] = Field(default_factory=list)
    """Conditions to meet ("resident of the district", "referral from a social worker")."""
    documents_needed: Annotated[list[_Line], Field(max_length=10)] = Field(default_factory=list)
    """Documents to bring ("proof of address", "ID")."""

    @model_validator(mode="after")
    def _age_range(self) -> Self:
        low, high = self.minimum_age, self.maximum_age
        if low is not None and high is not None and high < low:
            raise ValueError("maximumAge must not be lower than minimumAge")
        if len(set(self.groups)) != len(self.groups):
            raise ValueError("groups must not repeat")
        return self


class Fees(MitcheModel):
    """What the service costs (HSDS `cost_options`, `fees_description`)."""

    free: bool = True
    """Whether the service is free."""
    amount: Money | None = None
    """Typical fee, if not free."""
    description: Annotated[str, Field(max_length=500)] | None = None
    """Sliding scales, what the fee covers."""

    @model_validator(mode="after")
    def _free_has_no_amount(self) -> Self:
        if self.free and self.amount is not None:
            raise ValueError("a free service has no fee amount")
        return self


class ServiceArea(MitcheModel):
    """Where the service is offered (HSDS `service_area`)."""

    description: Annotated[str, Field(max_length=300)] = ""
    """Area in words ("Paris 19e and 20e")."""
    geohash_prefixes: Annotated[list[Geohash], Field(max_length=30)] = Field(default_factory=list)
    """Geohash cells the area covers (any precision), for "does it serve me" checks."""
    remote: bool = False
    """Whether the service is also delivered by phone or online, anywhere."""


USAGE_SHARDS: Final = 10
"""Usage shards of a resource (`usageShards/0` to `usageShards/9`; the rules accept those ids):
each takes about one write a second, so ten absorb ten uses a second of a popular service."""


class ResourceUsage(MitcheModel):
    """How members use a resource; counters kept by Cloud Functions, the sums of its usage
    shards (`resources/{resourceId}/usageShards/{shardId}`)."""

    referrals: Count = 0
    """Times a member referred someone to it."""
    contact_clicks: Count = 0
    """Taps on its phone, email or website."""
    direction_requests: Count = 0
    """Requests for directions."""
    summed_at: Timestamp | None = None
    """When a function last summed the shards into these counts (and `metrics.views`); sums
    are written at most about once a second."""


class UsageShard(MitcheModel):
    """`resources/{resourceId}/usageShards/{shardId}`: one of the resource's `USAGE_SHARDS`
    counters. A member's app counts one use by adding 1 to one counter of a shard it picks at
    random (`increment(1)`), in the batch that sets its `lastUsage` stamp; nobody reads a shard
    but the function that sums them into the resource's `usage` and `metrics.views`."""

    views: Annotated[Count, CLIENT] = 0
    """Times a member opened the resource's page."""
    referrals: Annotated[Count, CLIENT] = 0
    """Times a member referred someone to it."""
    contact_clicks: Annotated[Count, CLIENT] = 0
    """Taps on its phone, email or website."""
    direction_requests: Annotated[Count, CLIENT] = 0
    """Requests for directions."""


class Resource(MitcheModel):
    """A service in the resource hub, `resources/{resourceId}` (HSDS `service`)."""

    submitted_by: Annotated[Uid, CLIENT_CREATE]
    """Member who listed the service; must be the signed-in author on create."""
    name: Annotated[str, Field(min_length=3, max_length=150), CLIENT]
    """Service name."""
    alternate_name: Annotated[Annotated[str, Field(max_length=150)] | None, CLIENT] = None
    """Other name of the service."""
    description: Annotated[str, Field(min_length=1, max_length=5000), CLIENT]
    """What the service offers."""
    category: Annotated[ResourceCategory, CLIENT]
    """Main kind of service."""
    tags: Annotated[list[Tag], Field(max_length=15), CLIENT] = Field(default_factory=list)
    """Keywords for search."""
    status: Annotated[ResourceStatus, CLIENT] = ResourceStatus.DRAFT
    """Publication and operating state."""
    visibility: Annotated[Visibility, CLIENT] = Visibility.COMMUNITY
    """Who may read the published resource."""
    alert: Annotated[Annotated[str, Field(max_length=300)] | None, CLIENT] = None
    """Short notice shown prominently (HSDS `alert`), e.g. a temporary closure."""
    provider: Annotated[Provider, CLIENT]
    """The organisation running the service."""
    contact: Annotated[Contact, CLIENT] = Field(default_factory=Contact)
    """How to reach the service itself."""
    location: Annotated[ExactLocation | None, CLIENT] = None
    """Where the service is delivered (public address); absent for remote-only services."""
    service_area: Annotated[ServiceArea, CLIENT] = Field(default_factory=ServiceArea)
    """Area served."""
    schedule: Annotated[Schedule | None, CLIENT] = None
    """Opening hours; absent means by arrangement."""
    eligibility: Annotated[ResourceEligibility, CLIENT] = Field(default_factory=ResourceEligibility)
    """Who may use it."""
    application_process: Annotated[Annotated[str, Field(max_length=1000)] | None, CLIENT] = None
    """Steps to get the service (HSDS `application_process`)."""
    languages: Annotated[list[LanguageTag], Field(min_length=1, max_length=20), CLIENT]
    """Languages the service is delivered in, BCP-47."""
    fees: Annotated[Fees, CLIENT] = Field(default_factory=Fees)
    """Costs."""
    provider_verification: Annotated[Verification, SERVER] = Field(default_factory=Verification)
    """Whether an admin verified the provider and the listing."""
    rating: Annotated[RatingSummary, SERVER] = Field(default_factory=RatingSummary)
    """Average of the reviews."""
    usage: Annotated[ResourceUsage, SERVER] = Field(default_factory=ResourceUsage)
    """Referrals, contact clicks and direction requests."""
    metrics: Annotated[EngagementMetrics, SERVER] = Field(default_factory=EngagementMetrics)
    """Views, shares and saves."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the resource was listed."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change (HSDS `assured_date` is the provider verification time)."""

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if self.location is None and not self.service_area.remote:
            raise ValueError("location is required unless serviceArea.remote is true")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages must not repeat")
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self


class ResourceReview(MitcheModel):
    """`resources/{resourceId}/reviews/{userId}`: one member's review of a service."""

    author_id: Annotated[Uid, CLIENT_CREATE]
    """Reviewer; equals the document id and the signed-in author."""
    rating: Annotated[Stars, CLIENT]
    """Stars, 1 to 5."""
    comment: Annotated[Annotated[str, Field(max_length=2000)] | None, CLIENT] = None
    """The review text."""
    used_service: Annotated[bool, CLIENT] = True
    """Whether the reviewer used the service (rather than only contacting it)."""
    visited_at: Annotated[Timestamp | None, CLIENT] = None
    """When the reviewer used the service."""
    helpful_count: Annotated[Count, SERVER] = 0
    """Members who found the review helpful."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state of the review."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the review was written."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last edit."""

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        if self.visited_at is not None and self.visited_at > self.created_at:
            raise ValueError("visitedAt must not be later than createdAt")
        return self


class ApplicationStatus(StrEnum):
    """Where a provider's application stands."""

    PENDING = "pending"
    """Waiting for a moderator."""
    VERIFIED = "verified"
    """A moderator checked it: the member holds the `verifiedProvider` claim."""
    REJECTED = "rejected"
    """A moderator could not confirm it; the note says why."""
    REVOKED = "revoked"
    """Verified once, then taken back; the note says why."""


class ProviderApplication(MitcheModel):
    """`resources/{resourceId}/private/providerApplication`: the submitter asks to be verified as
    the provider of this listing. Read by the applicant and moderators only (it may name a
    contact inside the organisation)."""

    applicant_id: Annotated[Uid, CLIENT_CREATE]
    """The applicant: the signed-in member, who submitted the resource."""
    role_in_organization: Annotated[Annotated[str, Field(min_length=2, max_length=200)], CLIENT]
    """What the applicant does in the organisation ("volunteer coordinator")."""
    evidence: Annotated[Annotated[str, Field(min_length=10, max_length=2000)], CLIENT]
    """How a moderator can check it: a registry number, a page of the organisation's website
    naming the applicant, a phone number of its office."""
    applied_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the member applied (request.time)."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change by the applicant (request.time)."""
    status: Annotated[ApplicationStatus, SERVER] = ApplicationStatus.PENDING
    """The decision; moderators' alone."""
    decided_by: Annotated[Uid | None, SERVER] = None
    """The moderator who decided last."""
    decided_at: Annotated[Timestamp | None, SERVER] = None
    """When they decided."""
    decision_note: Annotated[Annotated[str, Field(max_length=500)] | None, SERVER] = None
    """What was checked, or why the application was rejected or revoked."""

    @model_validator(mode="after")
    def _decided_together(self) -> Self:
        decided = self.status is not ApplicationStatus.PENDING
        if decided != (self.decided_by is not None) or decided != (self.decided_at is not None):
            raise ValueError("decidedBy and decidedAt are set exactly when a moderator decided")
        return self


class HelpfulVote(MitcheModel):
    """`resources/{resourceId}/reviews/{userId}/helpful/{voterId}`: one member found a review
    helpful. The id is their uid, so each member counts once; a trigger keeps the review's
    `helpfulCount`. Only the voter reads it."""

    user_id: Annotated[Uid, CLIENT_CREATE]
    """The voter; equal to the document id and the signed-in member."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When they voted (request.time)."""


SPEC: Final = CollectionSpec(
    collection=Collection.RESOURCES,
    model=Resource,
    id_field="resourceId",
    subcollections=(
        SubcollectionSpec(
            path="resources/{resourceId}/reviews/{userId}",
            model=ResourceReview,
            why="Reviews are written by many members, one each (id = uid), while the resource "
            "is written by its submitter; separate documents let each author edit only theirs.",
        ),
        SubcollectionSpec(
            path="resources/{resourceId}/private/providerApplication",
            model=ProviderApplication,
            why="The application may name a contact inside the organisation: read by the "
            "applicant and moderators only, while the listing is public.",
        ),
        SubcollectionSpec(
            path="resources/{resourceId}/reviews/{userId}/processedEvents/{markerId}",
            model=ProcessedEvent,
            why="Idempotency markers of the helpful count: created in the batch that moves the "
            "count, so a redelivered vote is not counted twice; functions only, expired by a "
            "TTL policy on expiresAt.",
        ),
        SubcollectionSpec(
            path="resources/{resourceId}/usageShards/{shardId}",
            model=UsageShard,
            why="Views and referrals come from every member at once: counted on shards, never "
            "on the resource, which takes about one write a second; a function sums them.",
        ),
        SubcollectionSpec(
            path="resources/{resourceId}/reviews/{userId}/helpful/{voterId}",
            model=HelpfulVote,
            why="One document per voter (id = uid) counts each member once, and voters cannot "
            "touch the review's server-kept count nor see who else voted.",
        ),
    ),
)
