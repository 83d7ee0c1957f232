"""Requests for help and the offerings that answer them.

Alice's requests walk through every status (open, in progress, fulfilled, closed) and Dan's
expired; Sam's spam is flagged. Each request shows only a snapped public location and keeps the
exact place in `private/location`. Offerings cover the three kinds: Bob's help (one accepted,
one completed with feedback both ways), Dan's standing offer of coats, Carol's offer to pay a
bill.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from mitche.models.common import (
    EngagementMetrics,
    Feedback,
    Moderation,
    ModerationState,
    Money,
    OpeningHours,
    Verification,
    VerificationState,
    Visibility,
    Weekday,
)
from mitche.models.names import Collection
from mitche.models.offerings import (
    Availability,
    FinancialDetails,
    FinancialMethod,
    ItemCondition,
    Offering,
    OfferingRewards,
    OfferingStatus,
    OfferingType,
    ResourceDetails,
)
from mitche.models.requests import (
    HelpCategory,
    HelpRequest,
    RequestCompletion,
    RequestLocation,
    RequestStatus,
    UrgencyLevel,
)
from mitche.models.users import HopeCategory
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import (
    CITY_TIME_ZONE,
    CROIX_ROUSSE,
    GERLAND,
    GUILLOTIERE,
    VILLEURBANNE,
    Place,
)

__all__ = ["SPAM_TEXT", "offering_documents", "request_documents"]

SPAM_TEXT: Final = "Click here and buy now, promo code inside, limited offer!!!"
"""Sam's spam request, kept as evidence in Bob's report."""


def _approved(at: dt.datetime) -> Moderation:
    """Screened by the on-create trigger a few seconds after creation."""
    return Moderation(status=ModerationState.APPROVED, reviewed_at=at + dt.timedelta(seconds=4))


def _with_location(
    request_id: str,
    request: HelpRequest,
    place: Place,
    instructions: str | None = None,
) -> list[DemoDocument]:
    request_path = path(Collection.REQUESTS, request_id)
    return [
        (request_path, request),
        (
            f"{request_path}/{ids.LOCATION}",
            RequestLocation(
                exact=place.exact(), instructions=instructions, updated_at=request.created_at
            ),
        ),
    ]


def request_documents(t: Timeline) -> list[DemoDocument]:
    """The requests, each followed by its private exact location."""
    documents: list[DemoDocument] = []
    documents += _with_location(
        ids.REQ_ALICE_GROCERIES,
        HelpRequest(
            requester_id=Actor.ALICE,
            title="Groceries after knee surgery",
            description=(
                "I came home from hospital on crutches and cannot carry bags up four floors. "
                "Could someone bring a week of groceries? I will pay back the receipt."
            ),
            category=HelpCategory.FOOD,
            tags=["groceries", "mobility"],
            urgency=UrgencyLevel.HIGH,
            deadline=t.clock.ahead(days=1, hours=8),
            location=CROIX_ROUSSE.public(),
            status=RequestStatus.IN_PROGRESS,
            accepted_helper_ids=[Actor.BOB],
            moderation=_approved(t.groceries_requested),
            metrics=EngagementMetrics(
                views=23, unique_viewers=17, responses=1, last_engaged_at=t.groceries_accepted
            ),
            created_at=t.groceries_requested,
            updated_at=t.groceries_accepted,
        ),
        CROIX_ROUSSE,
        instructions="Fourth floor, no lift. Code 4821B, then ring 'Martin'.",
    )
    documents += _with_location(
        ids.REQ_ALICE_WARDROBE,
        HelpRequest(
            requester_id=Actor.ALICE,
            title="Carry a wardrobe down to a friend's van",
            description="A heavy oak wardrobe needs to go down two floors to a van.",
            category=HelpCategory.HOUSEHOLD,
            tags=["moving"],
            urgency=UrgencyLevel.MEDIUM,
            location=GUILLOTIERE.public(),
            status=RequestStatus.FULFILLED,
            accepted_helper_ids=[Actor.BOB],
            completion=RequestCompletion(
                completed_at=t.wardrobe_fulfilled,
                fulfilled_by=[Actor.BOB],
                note="Done in twenty minutes, not a scratch on the stairs.",
            ),
            moderation=_approved(t.wardrobe_requested),
            metrics=EngagementMetrics(
                views=12, unique_viewers=9, responses=1, last_engaged_at=t.wardrobe_fulfilled
            ),
            created_at=t.wardrobe_requested,
            updated_at=t.wardrobe_fulfilled,
        ),
        GUILLOTIERE,
        instructions="Courtyard entrance, second floor on the left.",
    )
    documents += _with_location(
        ids.REQ_ALICE_SUNDAY_TALKS,
        HelpRequest(
            requester_id=Actor.ALICE,
            title="Someone to talk to on Sunday evenings",
            description="Sundays feel long since the operation. A phone call or a walk later.",
            category=HelpCategory.EMOTIONAL_SUPPORT,
            tags=["listening", "phone"],
            urgency=UrgencyLevel.LOW,
            visibility=Visibility.PUBLIC,
            location=CROIX_ROUSSE.public(),
            remote_ok=True,
            moderation=_approved(t.sunday_talks_requested),
            metrics=EngagementMetrics(views=8, unique_viewers=6, saves=1),
            created_at=t.sunday_talks_requested,
            updated_at=t.sunday_talks_requested,
        ),
        CROIX_ROUSSE,
    )
    documents += _with_location(
        ids.REQ_ALICE_ELECTRICITY,
        HelpRequest(
            requester_id=Actor.ALICE,
            title="Electricity bill before the cut-off",
            description=(
                "Sick leave pay arrives late this month and the supplier warned of a cut-off. "
                "I need 85 euros covered; the bill can be paid directly."
            ),
            category=HelpCategory.FINANCIAL,
            tags=["bills"],
            urgency=UrgencyLevel.CRITICAL,
            deadline=t.clock.ahead(days=2),
            location=CROIX_ROUSSE.public(),
            moderation=_approved(t.electricity_requested),
            verification=Verification(
                status=VerificationState.VERIFIED,
                verified_at=t.electricity_requested + dt.timedelta(hours=3),
                note="Supplier letter seen by an admin.",
            ),
            metrics=EngagementMetrics(views=31, unique_viewers=25, shares=2, responses=1),
            created_at=t.electricity_requested,
            updated_at=t.electricity_requested,
        ),
        CROIX_ROUSSE,
    )
    documents += _with_location(
        ids.REQ_ALICE_LAPTOP,
        HelpRequest(
            requester_id=Actor.ALICE,
            title="A laptop to apply for jobs",
            description="Mine died; I need something that runs a browser and a word processor.",
            category=HelpCategory.TECHNOLOGY,
            tags=["laptop", "employment"],
            urgency=UrgencyLevel.LOW,
            location=CROIX_ROUSSE.public(),
            status=RequestStatus.CLOSED,
            completion=RequestCompletion(
                completed_at=t.laptop_closed,
                note="The library lends laptops for a month; I borrowed one.",
            ),
            moderation=_approved(t.laptop_requested),
            created_at=t.laptop_requested,
            updated_at=t.laptop_closed,
        ),
        CROIX_ROUSSE,
    )
    documents += _with_location(
        ids.REQ_DAN_HOSPITAL_LIFT,
        HelpRequest(
            requester_id=Actor.DAN,
            title="Lift to a hospital appointment",
            description="A morning appointment at Édouard-Herriot hospital; trams are on strike.",
            category=HelpCategory.TRANSPORT,
            tags=["lift", "hospital"],
            urgency=UrgencyLevel.MEDIUM,
            deadline=t.lift_deadline,
            location=VILLEURBANNE.public(),
            status=RequestStatus.EXPIRED,
            moderation=_approved(t.lift_requested),
            metrics=EngagementMetrics(views=5, unique_viewers=4),
            created_at=t.lift_requested,
            updated_at=t.lift_requested,
        ),
        VILLEURBANNE,
        instructions="Pick-up in front of the town hall.",
    )
    documents += _with_location(
        ids.REQ_SAM_PROMO,
        HelpRequest(
            requester_id=Actor.SAM,
            title="Buy now: promo code for free groceries",
            description=SPAM_TEXT,
            category=HelpCategory.OTHER,
            urgency=UrgencyLevel.LOW,
            location=GERLAND.public(),
            moderation=Moderation(
                status=ModerationState.FLAGGED,
                reason="Matched spam keywords: 'buy now', 'promo code'.",
                reviewed_at=t.promo_requested + dt.timedelta(seconds=3),
                report_count=1,
            ),
            created_at=t.promo_requested,
            updated_at=t.promo_requested,
        ),
        GERLAND,
    )
    return documents


def offering_documents(t: Timeline) -> list[DemoDocument]:
    """One offering of each kind, answering requests or standing."""
    requests = Collection.REQUESTS
    return [
        (
            path(Collection.OFFERINGS, ids.OFF_BOB_GROCERIES),
            Offering(
                helper_id=Actor.BOB,
                offering_type=OfferingType.HELP,
                request_path=path(requests, ids.REQ_ALICE_GROCERIES),
                requester_id=Actor.ALICE,
                title="I can do your shopping on Saturday",
                description="Send me the list; I shop at the market and bring it up.",
                category=HelpCategory.FOOD,
                availability=Availability(
                    available_from=t.clock.local(0, 8),
                    available_until=t.clock.local(6, 20),
                    weekly_hours=[
                        OpeningHours(day=Weekday.SATURDAY, opens_at="09:00", closes_at="12:00")
                    ],
                    time_zone=CITY_TIME_ZONE,
                ),
                status=OfferingStatus.ACCEPTED,
                responded_at=t.groceries_accepted,
                conversation_id=ids.CONV_ALICE_BOB_GROCERIES,
                rewards=OfferingRewards(
                    points=30, category=HopeCategory.SILENT_HERO, awarded_at=t.groceries_accepted
                ),
                moderation=_approved(t.groceries_offered),
                created_at=t.groceries_offered,
                updated_at=t.groceries_accepted,
            ),
        ),
        (
            path(Collection.OFFERINGS, ids.OFF_BOB_WARDROBE),
            Offering(
                helper_id=Actor.BOB,
                offering_type=OfferingType.HELP,
                request_path=path(requests, ids.REQ_ALICE_WARDROBE),
                requester_id=Actor.ALICE,
                title="Two strong arms on Sunday",
                description="I have moving straps; twenty minutes should do.",
                category=HelpCategory.HOUSEHOLD,
                tags=["moving"],
                status=OfferingStatus.COMPLETED,
                responded_at=t.wardrobe_accepted,
                completed_at=t.wardrobe_fulfilled,
                requester_feedback=Feedback(
                    rating=5,
                    comment="Careful and on time.",
                    author_id=Actor.ALICE,
                    created_at=t.wardrobe_fulfilled,
                ),
                helper_feedback=Feedback(
                    rating=5, author_id=Actor.BOB, created_at=t.wardrobe_fulfilled
                ),
                rewards=OfferingRewards(
                    points=20, category=HopeCategory.SILENT_HERO, awarded_at=t.wardrobe_fulfilled
                ),
                moderation=_approved(t.wardrobe_offered),
                created_at=t.wardrobe_offered,
                updated_at=t.wardrobe_fulfilled,
            ),
        ),
        (
            path(Collection.OFFERINGS, ids.OFF_DAN_COATS),
            Offering(
                helper_id=Actor.DAN,
                offering_type=OfferingType.RESOURCE,
                title="Winter coats, adult sizes",
                description="Three warm coats (M, L, XL) from a clear-out, to pick up.",
                category=HelpCategory.HOUSEHOLD,
                tags=["clothing", "winter"],
                resource=ResourceDetails(
                    item="Winter coat, sizes M to XL", quantity=3, condition=ItemCondition.GOOD
                ),
                location=VILLEURBANNE.public(),
                moderation=_approved(t.coats_offered),
                metrics=EngagementMetrics(views=14, unique_viewers=11, saves=3),
                created_at=t.coats_offered,
                updated_at=t.coats_offered,
            ),
        ),
        (
            path(Collection.OFFERINGS, ids.OFF_CAROL_ELECTRICITY),
            Offering(
                helper_id=Actor.CAROL,
                offering_type=OfferingType.FINANCIAL,
                request_path=path(requests, ids.REQ_ALICE_ELECTRICITY),
                requester_id=Actor.ALICE,
                title="I can pay the bill directly",
                description="Send me the supplier reference and I pay it online.",
                category=HelpCategory.FINANCIAL,
                financial=FinancialDetails(
                    amount=Money(amount_minor=8500, currency="EUR"),
                    method=FinancialMethod.PAY_BILL,
                ),
                remote_ok=True,
                rewards=OfferingRewards(
                    points=5, category=HopeCategory.SILENT_HERO, awarded_at=t.electricity_offered
                ),
                moderation=_approved(t.electricity_offered),
                created_at=t.electricity_offered,
                updated_at=t.electricity_offered,
            ),
        ),
    ]
