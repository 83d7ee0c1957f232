"""The resource hub: Erin's solidarity grocery (published, verified, reviewed by Alice and Bob)
and her draft listing for a legal advice clinic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from mitche.models.common import (
    Contact,
    EngagementMetrics,
    Moderation,
    ModerationState,
    OpeningHours,
    RatingSummary,
    Verification,
    VerificationState,
    Weekday,
)
from mitche.models.names import Collection
from mitche.models.resources import (
    EligibleGroup,
    Fees,
    Provider,
    ProviderKind,
    Resource,
    ResourceCategory,
    ResourceEligibility,
    ResourceReview,
    ResourceStatus,
    ResourceUsage,
    Schedule,
    ServiceArea,
)
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import CITY_TIME_ZONE, GUILLOTIERE, PART_DIEU

__all__ = ["resource_documents"]


def _rating(reviews: Sequence[ResourceReview]) -> RatingSummary:
    """The summary the review trigger keeps: count and mean stars."""
    if not reviews:
        return RatingSummary()
    return RatingSummary(
        count=len(reviews), average=sum(review.rating for review in reviews) / len(reviews)
    )


def _grocery(t: Timeline) -> list[DemoDocument]:
    reviews = [
        ResourceReview(
            author_id=Actor.ALICE,
            rating=5,
            comment="Fresh vegetables and nobody makes you feel small.",
            visited_at=t.alice_reviewed_grocery - dt.timedelta(days=2),
            helpful_count=4,
            moderation=Moderation(status=ModerationState.APPROVED),
            created_at=t.alice_reviewed_grocery,
            updated_at=t.alice_reviewed_grocery,
        ),
        ResourceReview(
            author_id=Actor.BOB,
            rating=4,
            comment="Long queue on Saturdays; come on Wednesday.",
            visited_at=t.bob_reviewed_grocery - dt.timedelta(days=1),
            helpful_count=2,
            moderation=Moderation(status=ModerationState.APPROVED),
            created_at=t.bob_reviewed_grocery,
            updated_at=t.bob_reviewed_grocery,
        ),
    ]
    resource = Resource(
        submitted_by=Actor.ERIN,
        name="Épicerie solidaire de la Guillotière",
        alternate_name="La Petite Épicerie",
        description=(
            "A solidarity grocery: fresh produce and staples at 10 to 30 percent of shop prices "
            "for households with low incomes, with a social worker on Wednesdays."
        ),
        category=ResourceCategory.FOOD,
        tags=["groceries", "fresh-produce", "social-worker"],
        status=ResourceStatus.ACTIVE,
        provider=Provider(
            name="Association Panier Partagé",
            kind=ProviderKind.NONPROFIT,
            description="Runs two solidarity groceries in Lyon since 2012.",
            contact=Contact(email="contact@example.com", website="https://example.com/panier"),
        ),
        contact=Contact(email="epicerie@example.com", phone="+33639980010"),
        location=GUILLOTIERE.exact(),
        service_area=ServiceArea(
            description="Lyon 3e and 7e",
            geohash_prefixes=[GUILLOTIERE.public().area.geohash],
        ),
        schedule=Schedule(
            time_zone=CITY_TIME_ZONE,
            hours=[
                OpeningHours(day=Weekday.WEDNESDAY, opens_at="14:00", closes_at="19:00"),
                OpeningHours(day=Weekday.FRIDAY, opens_at="14:00", closes_at="19:00"),
                OpeningHours(day=Weekday.SATURDAY, opens_at="09:30", closes_at="12:30"),
            ],
            notes="Closed in August.",
        ),
        eligibility=ResourceEligibility(
            description="Households under the income threshold, on referral.",
            groups=[EligibleGroup.LOW_INCOME, EligibleGroup.FAMILIES, EligibleGroup.STUDENTS],
            requirements=["Referral from a social worker or the town hall"],
            documents_needed=["Proof of address", "Last tax notice"],
        ),
        application_process="Ask your social worker for a referral, then come with it.",
        languages=["fr", "en", "ar"],
        fees=Fees(free=False, description="Groceries at 10 to 30 percent of shop prices."),
        provider_verification=Verification(
            status=VerificationState.VERIFIED,
            verified_at=t.grocery_verified,
            note="Association registration and premises checked.",
        ),
        rating=_rating(reviews),
        usage=ResourceUsage(referrals=6, contact_clicks=19, direction_requests=11),
        metrics=EngagementMetrics(views=210, unique_viewers=150, shares=12, saves=30),
        moderation=Moderation(
            status=ModerationState.APPROVED, reviewed_at=t.grocery_listed + dt.timedelta(seconds=4)
        ),
        created_at=t.grocery_listed,
        updated_at=t.grocery_verified,
    )
    resource_path = path(Collection.RESOURCES, ids.RES_FOOD_GROCERY)
    return [
        (resource_path, resource),
        *((f"{resource_path}/reviews/{review.author_id}", review) for review in reviews),
    ]


def _legal_clinic_draft(t: Timeline) -> list[DemoDocument]:
    created = t.clock.ago(days=4, hours=2)
    resource = Resource(
        submitted_by=Actor.ERIN,
        name="Free legal advice on housing",
        description="Draft: a lawyer answers questions about rent, eviction and deposits.",
        category=ResourceCategory.LEGAL,
        tags=["housing", "tenants"],
        status=ResourceStatus.DRAFT,
        provider=Provider(name="Association Panier Partagé", kind=ProviderKind.NONPROFIT),
        location=PART_DIEU.exact(),
        service_area=ServiceArea(description="Lyon metropolitan area", remote=True),
        schedule=Schedule(time_zone=CITY_TIME_ZONE, by_appointment=True),
        languages=["fr"],
        created_at=created,
        updated_at=created,
    )
    return [(path(Collection.RESOURCES, ids.RES_LEGAL_CLINIC_DRAFT), resource)]


def resource_documents(t: Timeline) -> list[DemoDocument]:
    """Each resource, then its reviews."""
    return [*_grocery(t), *_legal_clinic_draft(t)]
