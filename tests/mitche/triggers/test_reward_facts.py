"""Rewards are keyed by the fact, not by the event: toggles, deletions and re-creations, a
second offering on the same request, pay once; acts performed alone are capped per day and
paid only out of confirmed points; one transaction pays several members with the catalog
loaded. Each test drives the deployed functions with real CloudEvents (issue 21)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitche.catalog import SEED_CATALOG
from mitche.models import AttendanceState, EventStatus, HopeLedgerEntry, ResourceStatus
from mitche.services import from_document
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    checked_in,
    make_event,
    make_offering,
    make_registration,
    make_resource,
    make_review,
    make_user,
    published,
)

from .conftest import Store


def established(uid: str, points: int = 50) -> Any:
    """A member holding `points` from acts others confirmed (guardian: no catalog tier moves)."""
    return make_user(uid, gamification={"hopePoints": {"total": points, "guardian": points}})


def user(store: Store, uid: str) -> dict[str, Any]:
    found = store.get(f"users/{uid}")
    assert found is not None
    return found


def ledger(store: Store, uid: str) -> list[HopeLedgerEntry]:
    return [
        from_document(HopeLedgerEntry, doc.to_dict() or {})
        for doc in store.client.collection(f"users/{uid}/hopeLedger").stream()
    ]


def step(store: Store, function: str, path: str, after: Any, event_id: str) -> None:
    """Store `after` (None: delete) and deliver the change from what was stored before."""
    previous = store.proto(path) if store.get(path) is not None else None
    if after is None:
        store.client.document(path).delete()
        current = None
    else:
        current = store.put(path, after)
    store.deliver(function, store.event(path, previous, current, event_id=event_id, at=T0))


def test_a_review_deleted_and_written_again_pays_once(store: Store) -> None:
    """Samira reviews a resource, deletes her review and writes it again, twice: one
    resourceReviewed, one reviewsWritten."""
    store.put("users/samira", established("samira"))
    path, review = make_review()
    for round_ in range(3):
        step(store, "resource_review_written", path, review, f"create-{round_}")
        step(store, "resource_review_written", path, None, f"delete-{round_}")
    member = user(store, "samira")
    assert member["gamification"]["hopePoints"]["connector"] == 3
    assert member["stats"]["reviewsWritten"] == 1


def test_attendance_toggled_pays_once(store: Store) -> None:
    """An organiser checks Amina in, unchecks her and checks her in again: eventAttended and
    eventsAttended once."""
    store.put("users/amina", make_user("amina"))
    path, registration = make_registration()
    step(store, "registration_written", path, registration, "register")
    attended = checked_in(registration)
    unknown = attended.model_copy(update={"attendance": AttendanceState.UNKNOWN})
    for index, state in enumerate((attended, unknown, attended, unknown, attended)):
        step(store, "registration_written", path, state, f"toggle-{index}")
    member = user(store, "amina")
    assert member["gamification"]["hopePoints"]["communityBuilder"] == 10
    assert member["stats"]["eventsAttended"] == 1


def test_a_resource_toggled_back_to_active_pays_once(store: Store) -> None:
    """A verified provider's resource goes active, temporarily closed, active again:
    resourcePublished once."""
    store.put("users/amina", established("amina"))
    path, draft = make_resource()
    step(store, "resource_written", path, draft, "draft")
    active = published(draft)
    closed = active.model_copy(update={"status": ResourceStatus.TEMPORARILY_CLOSED})
    for index, state in enumerate((active, closed, active, closed, active)):
        step(store, "resource_written", path, state, f"toggle-{index}")
    member = user(store, "amina")
    assert member["gamification"]["hopePoints"]["provider"] == 20
    assert member["stats"]["resourcesPublished"] == 1


def test_several_offerings_by_one_helper_on_one_request_are_paid_once(store: Store) -> None:
    """Amina answers Samira's request three times and a colluding Samira accepts all three:
    offeringAccepted is paid for the request once."""
    store.put("users/amina", make_user("amina"))
    for index in range(3):
        path, offering = make_offering("amina", f"off{index}")
        step(store, "offering_written", path, offering, f"made-{index}")
        step(store, "offering_written", path, accepted(offering), f"accepted-{index}")
    member = user(store, "amina")
    assert member["stats"]["offeringsAccepted"] == 1
    accepted_entries = [e for e in ledger(store, "amina") if e.action.value == "offeringAccepted"]
    assert [e.amount for e in accepted_entries] == [10]


def test_one_transaction_pays_every_organiser_with_the_catalog_loaded(store: Store) -> None:
    """An approved event with two co-organisers completes with the seed catalog loaded: the
    organiser and both co-organisers are paid (their progress is read before any write)."""
    for achievement_id, achievement in SEED_CATALOG.items():
        store.put(f"achievements/{achievement_id}", achievement)
    for uid in ("lina", "omar", "chen"):
        store.put(f"users/{uid}", make_user(uid))
    path, event = make_event(coOrganizerIds=["omar", "chen"])
    step(store, "community_event_written", path, event, "scheduled")
    done = event.model_copy(update={"status": EventStatus.COMPLETED})
    step(store, "community_event_written", path, done, "completed")
    assert user(store, "lina")["gamification"]["hopePoints"]["communityBuilder"] >= 30
    for uid in ("omar", "chen"):
        assert user(store, uid)["gamification"]["hopePoints"]["communityBuilder"] >= 15
        assert user(store, uid)["stats"]["eventsOrganized"] == 1


def test_acts_performed_alone_count_three_times_a_day(store: Store) -> None:
    """Five standing offerings in one day: three count (offeringsMade 3, 15 points), the rest
    count nothing; the next day counts again."""
    store.put("users/amina", established("amina", 100))
    for index in range(5):
        path, offering = make_offering("amina", f"off{index}", requestPath=None, requesterId=None)
        step(store, "offering_written", path, offering, f"made-{index}")
    member = user(store, "amina")
    assert member["stats"]["offeringsMade"] == 3
    assert member["gamification"]["hopePoints"]["silentHero"] == 15
    path, offering = make_offering("amina", "tomorrow", requestPath=None, requesterId=None)
    store.put(path, offering)
    store.deliver(
        "offering_written",
        store.event(path, None, store.proto(path), at=T0 + dt.timedelta(days=1)),
    )
    assert user(store, "amina")["stats"]["offeringsMade"] == 4


def test_acts_performed_alone_never_pay_more_than_confirmed_acts(store: Store) -> None:
    """With 7 confirmed points, three offerings made pay 5, 2 and 0: what acts performed alone
    earn never exceeds what others confirmed."""
    store.put("users/amina", established("amina", 7))
    for index in range(3):
        path, offering = make_offering("amina", f"off{index}", requestPath=None, requesterId=None)
        step(store, "offering_written", path, offering, f"made-{index}")
    made = sorted(
        (e.amount for e in ledger(store, "amina") if e.action.value == "offeringMade"),
        reverse=True,
    )
    assert made == [5, 2, 0]
    member = user(store, "amina")
    assert member["gamification"]["selfRewards"]["points"] == 7
    assert member["gamification"]["hopePoints"]["total"] == 14
