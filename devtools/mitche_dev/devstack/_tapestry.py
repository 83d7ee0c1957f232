"""The Hope Tapestry: Alice's story about Bob and the wardrobe (approved, woven, with hearts),
Dan's own soup-night story (pending), and Carol's story that named a neighbour (rejected)."""

from __future__ import annotations

import datetime as dt

from mitche.models.common import EngagementMetrics, Moderation, ModerationState
from mitche.models.names import Collection
from mitche.models.tapestry_threads import (
    CreditDisplay,
    RejectionReason,
    SubjectConsent,
    TapestryColor,
    TapestryThread,
    ThreadAppearance,
    ThreadCredits,
    ThreadHeart,
    ThreadImpact,
    ThreadNomination,
    ThreadPattern,
    ThreadPlacement,
    ThreadReview,
    ThreadStatus,
    ThreadSubject,
)
from mitche.models.users import HopeCategory
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._people import alias
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import GUILLOTIERE, VIEUX_LYON

__all__ = ["tapestry_documents"]

_WOVEN_BEFORE = 41
"""Threads woven into the tapestry before the demo's first one (its index)."""


def _approved(t: Timeline) -> list[DemoDocument]:
    thread_path = path(Collection.TAPESTRY_THREADS, ids.THR_APPROVED_WARDROBE)
    told, approved = t.wardrobe_story_told, t.wardrobe_story_approved
    hearts = [
        ThreadHeart(user_id=Actor.CAROL, created_at=approved + dt.timedelta(hours=5)),
        ThreadHeart(user_id=Actor.DAN, created_at=approved + dt.timedelta(days=2)),
    ]
    thread = TapestryThread(
        nominator_id=Actor.ALICE,
        subject=ThreadSubject.MEMBER,
        title="Twenty minutes and an oak wardrobe",
        story=(
            "I could not carry anything after my operation, and a neighbour I had never met "
            "came with moving straps, carried a wardrobe down two floors and refused a coffee "
            "because someone else needed him next."
        ),
        category=HopeCategory.SILENT_HERO,
        language="en",
        tags=["moving", "neighbours"],
        area=GUILLOTIERE.area(),
        nominator_credit=CreditDisplay.ALIAS,
        appearance=ThreadAppearance(color=TapestryColor.OCEAN, pattern=ThreadPattern.BRAID),
        created_at=told,
        updated_at=told,
        status=ThreadStatus.APPROVED,
        review=ThreadReview(
            reviewer_id=Actor.MOD, reviewed_at=approved, note="Thank you for sharing this."
        ),
        placement=ThreadPlacement(
            thread_index=_WOVEN_BEFORE, panel=approved.strftime("%Y-%m"), woven_at=approved
        ),
        credits=ThreadCredits(nominator_alias=alias(Actor.ALICE), subject_alias=alias(Actor.BOB)),
        moderation=Moderation(status=ModerationState.APPROVED, reviewed_at=approved),
        hearts=len(hearts),
        engagement=EngagementMetrics(views=57, unique_viewers=44, shares=3, saves=6),
        impact=ThreadImpact(hope_points_awarded=15, inspired_acts=2, featured_count=1),
    )
    nomination = ThreadNomination(
        nominator_id=Actor.ALICE,
        subject_id=Actor.BOB,
        related_path=path(Collection.REQUESTS, ids.REQ_ALICE_WARDROBE),
        created_at=told,
        subject_consent=SubjectConsent.CREDIT,
        consent_at=told + dt.timedelta(hours=6),
        subject_notified_at=told + dt.timedelta(minutes=1),
    )
    return [
        (thread_path, thread),
        (f"{thread_path}/{ids.NOMINATION}", nomination),
        *((f"{thread_path}/hearts/{heart.user_id}", heart) for heart in hearts),
    ]


def _pending(t: Timeline) -> list[DemoDocument]:
    thread_path = path(Collection.TAPESTRY_THREADS, ids.THR_PENDING_SOUP)
    told = t.soup_night_ends + dt.timedelta(days=2)
    thread = TapestryThread(
        nominator_id=Actor.DAN,
        subject=ThreadSubject.SELF,
        title="Chopping onions for sixty",
        story=(
            "I came to the soup night to help for an hour and stayed until midnight washing "
            "pots with people I now wave at in the street."
        ),
        category=HopeCategory.COMMUNITY_BUILDER,
        language="en",
        tags=["soup-night"],
        area=GUILLOTIERE.area(),
        appearance=ThreadAppearance(color="#E07A5F", pattern=ThreadPattern.WAVE),
        created_at=told,
        updated_at=told + dt.timedelta(minutes=12),
    )
    nomination = ThreadNomination(
        nominator_id=Actor.DAN,
        related_path=path(Collection.COMMUNITY_EVENTS, ids.EVT_SOUP_NIGHT),
        created_at=told,
    )
    return [(thread_path, thread), (f"{thread_path}/{ids.NOMINATION}", nomination)]


def _rejected(t: Timeline) -> list[DemoDocument]:
    told = t.clock.ago(days=9, hours=4)
    thread = TapestryThread(
        nominator_id=Actor.CAROL,
        subject=ThreadSubject.SOMEONE_ELSE,
        title="Madame R. and her bread",
        story=(
            "Every morning Madame R., the baker on the corner of rue Saint-Jean, gives "
            "yesterday's bread to the people sleeping by the cathedral."
        ),
        category=HopeCategory.PROVIDER,
        language="en",
        area=VIEUX_LYON.area(),
        created_at=told,
        updated_at=told,
        status=ThreadStatus.REJECTED,
        review=ThreadReview(
            reviewer_id=Actor.MOD,
            reviewed_at=told + dt.timedelta(hours=20),
            reason=RejectionReason.IDENTIFIES_SOMEONE,
            note="The street and her initial identify her; tell it without them and resubmit.",
        ),
    )
    return [(path(Collection.TAPESTRY_THREADS, ids.THR_REJECTED_NAMED), thread)]


def tapestry_documents(t: Timeline) -> list[DemoDocument]:
    """Each thread, then its nomination and hearts."""
    return [*_approved(t), *_pending(t), *_rejected(t)]
