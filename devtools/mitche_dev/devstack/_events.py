"""Community events run by Carol with Dan: a soup night that took place, a repair café next week
(published), a clothes swap still in draft and an online support circle awaiting approval.

Published events carry registrations, and each event keeps its exact venue or join link in
`private/access`; registration counts on the event agree with its registration documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from mitche.models.common import (
    Approval,
    ApprovalState,
    EngagementMetrics,
    Feedback,
    Moderation,
    ModerationState,
)
from mitche.models.community_events import (
    AttendanceState,
    CommunityEvent,
    EventAccess,
    EventCategory,
    EventFormat,
    EventRequirements,
    EventStatus,
    ImpactReport,
    Registration,
    RegistrationCounts,
    RegistrationStatus,
    VirtualPlatform,
)
from mitche.models.names import Collection
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import CITY_TIME_ZONE, CROIX_ROUSSE, GUILLOTIERE, VIEUX_LYON, Place

__all__ = ["event_documents"]


def _approved(submitted: dt.datetime) -> Approval:
    return Approval(
        state=ApprovalState.APPROVED,
        submitted_at=submitted,
        decided_at=submitted + dt.timedelta(hours=20),
        note="Thanks, looks lovely.",
    )


def _screened(at: dt.datetime) -> Moderation:
    return Moderation(status=ModerationState.APPROVED, reviewed_at=at + dt.timedelta(seconds=5))


def _counts(registrations: Sequence[Registration]) -> RegistrationCounts:
    """Counts as the registration trigger keeps them (guests count as registered places)."""
    registered = [r for r in registrations if r.status is RegistrationStatus.REGISTERED]
    return RegistrationCounts(
        registered=sum(1 + r.guests for r in registered),
        waitlisted=sum(r.status is RegistrationStatus.WAITLISTED for r in registrations),
        cancelled=sum(r.status is RegistrationStatus.CANCELLED for r in registrations),
        attended=sum(r.attendance is AttendanceState.ATTENDED for r in registrations),
    )


def _event(
    event_id: str,
    event: CommunityEvent,
    access: EventAccess,
    registrations: Sequence[Registration] = (),
) -> list[DemoDocument]:
    event_path = path(Collection.COMMUNITY_EVENTS, event_id)
    return [
        (event_path, event),
        (f"{event_path}/{ids.ACCESS}", access),
        *((f"{event_path}/registrations/{r.user_id}", r) for r in registrations),
    ]


def _venue(place: Place, instructions: str, at: dt.datetime) -> EventAccess:
    return EventAccess(venue=place.exact(), instructions=instructions, updated_at=at)


def _soup_night(t: Timeline) -> list[DemoDocument]:
    created = t.soup_night_starts - dt.timedelta(days=25)
    checked_in = t.soup_night_starts + dt.timedelta(minutes=10)
    rated = t.soup_night_ends + dt.timedelta(hours=14)
    registrations = [
        Registration(
            user_id=Actor.ALICE,
            note="Vegetarian, please.",
            attendance=AttendanceState.ATTENDED,
            checked_in_at=checked_in,
            feedback=Feedback(
                rating=5,
                comment="Warm soup, warmer people.",
                author_id=Actor.ALICE,
                created_at=rated,
            ),
            created_at=created + dt.timedelta(days=6),
            updated_at=rated,
        ),
        Registration(
            user_id=Actor.BOB,
            attendance=AttendanceState.ATTENDED,
            checked_in_at=checked_in,
            created_at=created + dt.timedelta(days=8),
            updated_at=checked_in,
        ),
        Registration(
            user_id=Actor.ERIN,
            attendance=AttendanceState.NO_SHOW,
            created_at=created + dt.timedelta(days=9),
            updated_at=t.soup_night_ends,
        ),
    ]
    event = CommunityEvent(
        organizer_id=Actor.CAROL,
        co_organizer_ids=[Actor.DAN],
        title="Soup night at La Guillotière",
        description="Neighbours cook big pots of soup together and share them with anyone.",
        category=EventCategory.MEAL_SHARE,
        tags=["soup", "neighbourhood"],
        starts_at=t.soup_night_starts,
        ends_at=t.soup_night_ends,
        time_zone=CITY_TIME_ZONE,
        format=EventFormat.IN_PERSON,
        location=GUILLOTIERE.public(),
        requirements=EventRequirements(
            items_to_bring=["a bowl", "vegetables if you have some"],
            accessibility="Step-free hall, accessible toilet.",
        ),
        capacity=40,
        registrations=_counts(registrations),
        registration_deadline=t.soup_night_starts - dt.timedelta(hours=6),
        status=EventStatus.COMPLETED,
        approval=_approved(created + dt.timedelta(days=1)),
        impact=ImpactReport(
            attendees=34,
            volunteer_hours=18.5,
            people_helped=41,
            items_collected=60,
            summary="Sixty bowls served; leftovers went to the night shelter.",
            reported_at=t.soup_night_ends + dt.timedelta(days=1),
        ),
        moderation=_screened(created),
        metrics=EngagementMetrics(views=120, unique_viewers=88, shares=9, saves=14, responses=3),
        created_at=created,
        updated_at=t.soup_night_ends + dt.timedelta(days=1),
    )
    access = _venue(GUILLOTIERE, "Hall at the back of the courtyard, blue door.", created)
    return _event(ids.EVT_SOUP_NIGHT, event, access, registrations)


def _repair_cafe(t: Timeline) -> list[DemoDocument]:
    created = t.clock.ago(days=12)
    registrations = [
        Registration(
            user_id=Actor.ALICE,
            guests=1,
            note="Bringing a lamp and my neighbour's radio.",
            created_at=t.clock.ago(days=9),
            updated_at=t.clock.ago(days=9),
        ),
        Registration(
            user_id=Actor.BOB, created_at=t.clock.ago(days=8), updated_at=t.clock.ago(days=8)
        ),
        Registration(
            user_id=Actor.ERIN, created_at=t.clock.ago(days=3), updated_at=t.clock.ago(days=3)
        ),
    ]
    event = CommunityEvent(
        organizer_id=Actor.CAROL,
        co_organizer_ids=[Actor.DAN],
        title="Repair café: lamps, bikes and toasters",
        description="Bring something broken; volunteers help you fix it. Coffee on us.",
        category=EventCategory.WORKSHOP,
        tags=["repair", "zero-waste"],
        starts_at=t.repair_cafe_starts,
        ends_at=t.repair_cafe_ends,
        time_zone=CITY_TIME_ZONE,
        format=EventFormat.IN_PERSON,
        location=CROIX_ROUSSE.public(),
        requirements=EventRequirements(
            items_to_bring=["the broken item", "its charger or cable"], skills=["repair"]
        ),
        capacity=20,
        registrations=_counts(registrations),
        registration_deadline=t.repair_cafe_starts - dt.timedelta(days=1),
        status=EventStatus.SCHEDULED,
        approval=_approved(created + dt.timedelta(hours=2)),
        moderation=_screened(created),
        metrics=EngagementMetrics(views=64, unique_viewers=40, shares=4, saves=7, responses=3),
        created_at=created,
        updated_at=created + dt.timedelta(hours=2),
    )
    access = _venue(CROIX_ROUSSE, "Maison des associations, ground floor room B.", created)
    return _event(ids.EVT_REPAIR_CAFE, event, access, registrations)


def _clothes_swap_draft(t: Timeline) -> list[DemoDocument]:
    created = t.clock.ago(days=2)
    event = CommunityEvent(
        organizer_id=Actor.CAROL,
        title="Winter clothes swap",
        description="Draft: bring clean winter clothes, leave with what fits.",
        category=EventCategory.COLLECTION_DRIVE,
        starts_at=t.clock.local(30, 10),
        ends_at=t.clock.local(30, 16),
        time_zone=CITY_TIME_ZONE,
        format=EventFormat.IN_PERSON,
        location=VIEUX_LYON.public(),
        moderation=_screened(created),
        created_at=created,
        updated_at=created,
    )
    access = _venue(VIEUX_LYON, "Parish hall, to be confirmed.", created)
    return _event(ids.EVT_CLOTHES_SWAP_DRAFT, event, access)


def _support_circle_pending(t: Timeline) -> list[DemoDocument]:
    created = t.clock.ago(days=1, hours=5)
    submitted = t.clock.ago(days=1)
    event = CommunityEvent(
        organizer_id=Actor.CAROL,
        co_organizer_ids=[Actor.DAN],
        title="Online support circle for carers",
        description="An hour to share how caring for someone is going, with a trained listener.",
        category=EventCategory.SUPPORT_CIRCLE,
        tags=["carers", "listening"],
        starts_at=t.clock.local(9, 19),
        ends_at=t.clock.local(9, 20, 30),
        time_zone=CITY_TIME_ZONE,
        format=EventFormat.VIRTUAL,
        virtual_platform=VirtualPlatform.JITSI,
        capacity=12,
        waitlist_enabled=False,
        status=EventStatus.SCHEDULED,
        approval=Approval(state=ApprovalState.PENDING, submitted_at=submitted),
        moderation=_screened(created),
        created_at=created,
        updated_at=submitted,
    )
    access = EventAccess(
        join_url="https://meet.jit.si/mitche-lyon-carers-circle-demo",
        instructions="Camera optional. The listener opens the room ten minutes early.",
        updated_at=created,
    )
    return _event(ids.EVT_SUPPORT_CIRCLE_PENDING, event, access)


def event_documents(t: Timeline) -> list[DemoDocument]:
    """Each event, then its access document, then its registrations."""
    return [
        *_soup_night(t),
        *_repair_cafe(t),
        *_clothes_swap_draft(t),
        *_support_circle_pending(t),
    ]
