"""Hope point triggers under the real delivery model: real CloudEvents, the same event twice,
events at the same time, events out of order, and malformed documents."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest

from mitche.catalog import SEED_CATALOG
from mitche.models import EventStatus, HopeLedgerEntry
from mitche.services import from_document
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    approved,
    checked_in,
    fulfilled,
    make_event,
    make_message,
    make_offering,
    make_registration,
    make_request,
    make_resource,
    make_review,
    make_thread,
    make_user,
    published,
)

from .conftest import Store

CONFIRMED = {"gamification": {"hopePoints": {"total": 50, "guardian": 50}}}
"""A member who already earned 50 points from acts others confirmed: acts they perform alone
(offerings made, reviews, resources published) are paid out of that."""


def seed_catalog(store: Store) -> None:
    for achievement_id, achievement in SEED_CATALOG.items():
        store.put(f"achievements/{achievement_id}", achievement)


def ledger(store: Store, uid: str) -> list[HopeLedgerEntry]:
    return [
        from_document(HopeLedgerEntry, doc.to_dict() or {})
        for doc in store.client.collection(f"users/{uid}/hopeLedger").stream()
    ]


def points(store: Store, uid: str) -> dict[str, Any]:
    user = store.get(f"users/{uid}")
    assert user is not None
    return user["gamification"]["hopePoints"]


def assert_totals_match_ledger(store: Store, uid: str) -> None:
    entries = ledger(store, uid)
    totals = points(store, uid)
    assert totals["total"] == sum(entry.amount for entry in entries)
    for category in {entry.category for entry in entries}:
        expected = sum(e.amount for e in entries if e.category is category)
        assert totals[category.value] == expected


def create_offering(store: Store, offering_id: str = "off1", helper: str = "amina") -> Any:
    path, offering = make_offering(helper, offering_id)
    return path, store.put(path, offering)


def test_an_offering_made_awards_its_helper_once(store: Store) -> None:
    """Creating an offering credits offeringMade (5 points) and the offeringsMade counter, and
    a second delivery of the same event changes nothing."""
    store.put("users/amina", make_user("amina", **CONFIRMED))
    path, after = create_offering(store)
    event = store.event(path, None, after, at=T0)
    store.deliver("offering_written", event)
    first = store.get("users/amina")
    store.deliver("offering_written", event)
    assert store.get("users/amina") == first
    assert first is not None
    assert first["gamification"]["hopePoints"]["silentHero"] == 5
    assert first["stats"]["offeringsMade"] == 1
    assert [entry.action.value for entry in ledger(store, "amina")] == ["offeringMade"]
    assert len(store.ids("users/amina/rewardFacts")) == 1


def test_an_offering_made_by_a_member_with_no_confirmed_acts_pays_nothing(store: Store) -> None:
    """A brand-new member's standing offering counts (offeringsMade 1, the ledger shows why)
    but pays nothing: acts performed alone are paid only out of confirmed points."""
    store.put("users/amina", make_user("amina"))
    path, after = create_offering(store)
    store.deliver("offering_written", store.event(path, None, after, at=T0))
    user = store.get("users/amina")
    assert user is not None
    assert user["gamification"]["hopePoints"]["total"] == 0
    assert user["stats"]["offeringsMade"] == 1
    [entry] = ledger(store, "amina")
    assert (entry.amount, entry.capped) == (0, True)


def test_the_same_event_delivered_concurrently_counts_once(store: Store) -> None:
    """Four threads delivering one event at the same moment leave exactly one award."""
    store.put("users/amina", make_user("amina", **CONFIRMED))
    path, after = create_offering(store)
    event = store.event(path, None, after, event_id="evt-concurrent", at=T0)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def deliver() -> None:
        barrier.wait()
        try:
            store.deliver("offering_written", event)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert points(store, "amina")["total"] == 55
    assert len(ledger(store, "amina")) == 1
    shards = store.ids("analytics/2026-11-24/shards")
    shard = store.get(f"analytics/2026-11-24/shards/{shards[0]}")
    assert shard is not None
    assert shard["offerings"]["created"] == 1


def test_two_events_at_the_same_time_both_count(store: Store) -> None:
    """Two different offerings by one helper delivered concurrently are both credited, and the
    totals still equal the ledger."""
    store.put("users/amina", make_user("amina", **CONFIRMED))
    events = []
    for index in range(2):
        path, after = create_offering(store, f"off{index}")
        events.append(store.event(path, None, after, event_id=f"evt-{index}", at=T0))
    threads = [
        threading.Thread(target=store.deliver, args=("offering_written", event)) for event in events
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    user = store.get("users/amina")
    assert user is not None
    assert user["stats"]["offeringsMade"] == 2
    assert points(store, "amina")["silentHero"] == 10


def test_an_urgent_offering_accepted_before_the_deadline_pays_urgent_response(
    store: Store,
) -> None:
    """Accepting an offering on a critical request before its deadline credits offeringAccepted
    and urgentResponse (firstResponder)."""
    store.put("users/amina", make_user("amina"))
    request_path, request = make_request(urgency="critical", deadline=T0 + dt.timedelta(hours=4))
    store.put(request_path, request)
    path, offering = make_offering()
    before = store.put(path, offering)
    after = store.put(path, accepted(offering))
    store.deliver("offering_written", store.event(path, before, after, at=T0))
    totals = points(store, "amina")
    assert totals["silentHero"] == 10
    assert totals["firstResponder"] == 15
    user = store.get("users/amina")
    assert user is not None
    assert user["stats"]["urgentResponses"] == 1


def test_a_fulfilled_request_awards_every_helper_in_one_transaction(store: Store) -> None:
    """Marking a request fulfilled by two accepted helpers credits each one requestFulfilled;
    feedback left on the request itself pays nothing (an exchange is rated and paid on its
    offering only, so one exchange never pays positiveFeedback twice)."""
    for uid in ("amina", "jonas", "samira"):
        store.put(f"users/{uid}", make_user(uid))
    path, request = make_request()
    before = store.put(path, request)
    after = store.put(path, fulfilled(request, ["amina", "jonas"]))
    store.deliver("request_written", store.event(path, before, after, at=T0))
    for uid in ("amina", "jonas"):
        user = store.get(f"users/{uid}")
        assert user is not None
        assert user["gamification"]["hopePoints"]["silentHero"] == 25
        assert user["stats"]["requestsFulfilled"] == 1
        assert user["stats"].get("positiveFeedback", 0) == 0
        assert user["stats"].get("rating", {}).get("count", 0) == 0
        assert_totals_match_ledger(store, uid)


def test_a_created_request_counts_without_reading_anything(store: Store) -> None:
    """A new request moves the requester's counter through a blind increment: no award, no
    streak, and a redelivery is refused by the marker."""
    store.put("users/samira", make_user("samira"))
    path, request = make_request()
    after = store.put(path, request)
    event = store.event(path, None, after, at=T0)
    store.deliver("request_written", event)
    store.deliver("request_written", event)
    user = store.get("users/samira")
    assert user is not None
    assert user["stats"]["requestsCreated"] == 1
    assert user["gamification"]["hopePoints"]["total"] == 0
    assert ledger(store, "samira") == []


@pytest.mark.parametrize(
    ("function", "build", "uid", "category", "amount", "stat"),
    [
        pytest.param(
            "community_event_written",
            lambda: (lambda p, e: (p, e, e.model_copy(update={"status": EventStatus.COMPLETED})))(
                *make_event(co_organizer_ids=["jonas"])
            ),
            "lina",
            "communityBuilder",
            30,
            "eventsOrganized",
            id="event completed",
        ),
        pytest.param(
            "registration_written",
            lambda: (lambda p, r: (p, r, checked_in(r)))(*make_registration()),
            "amina",
            "communityBuilder",
            10,
            "eventsAttended",
            id="attendee checked in",
        ),
        pytest.param(
            "tapestry_thread_written",
            lambda: (lambda p, t: (p, t, approved(t)))(*make_thread()),
            "amina",
            "voiceOfCompassion",
            15,
            "storiesApproved",
            id="story approved",
        ),
        pytest.param(
            "resource_written",
            lambda: (lambda p, r: (p, r, published(r)))(*make_resource()),
            "amina",
            "provider",
            20,
            "resourcesPublished",
            id="resource published",
        ),
    ],
)
def test_each_act_of_help_is_awarded_to_its_member(
    store: Store,
    function: str,
    build: Any,
    uid: str,
    category: str,
    amount: int,
    stat: str,
) -> None:
    """The documented transition of each source credits its action's category and counter."""
    store.put(f"users/{uid}", make_user(uid, **CONFIRMED))
    store.put("users/jonas", make_user("jonas"))
    path, before_model, after_model = build()
    before = store.put(path, before_model)
    after = store.put(path, after_model)
    store.deliver(function, store.event(path, before, after, at=T0))
    user = store.get(f"users/{uid}")
    assert user is not None
    assert user["gamification"]["hopePoints"][category] == amount
    assert user["stats"][stat] == 1


def test_a_review_and_a_message_move_their_counters(store: Store) -> None:
    """Reviewing a resource pays resourceReviewed; sending a message only counts it."""
    store.put("users/samira", make_user("samira", **CONFIRMED))
    review_path, review = make_review()
    store.deliver(
        "resource_review_written",
        store.event(review_path, None, store.put(review_path, review), event_id="r", at=T0),
    )
    message_path, message = make_message("samira")
    store.deliver(
        "message_written",
        store.event(message_path, None, store.put(message_path, message), event_id="m", at=T0),
    )
    user = store.get("users/samira")
    assert user is not None
    assert user["gamification"]["hopePoints"]["connector"] == 3
    assert user["stats"]["reviewsWritten"] == 1
    assert user["stats"]["messagesSent"] == 1


def test_a_later_update_does_not_award_again(store: Store) -> None:
    """An update of an already accepted offering (a description edit) records no new act."""
    store.put("users/amina", make_user("amina"))
    path, offering = make_offering(status="accepted", respondedAt=T0)
    before = store.put(path, offering)
    after = store.put(path, offering.model_copy(update={"description": "Edited"}))
    store.deliver("offering_written", store.event(path, before, after, at=T0))
    assert points(store, "amina")["total"] == 0
    assert store.ids("users/amina/rewardFacts") == []


def test_a_malformed_document_ends_cleanly_and_writes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """An offering that does not match its model is logged as a warning with its path and the
    event id; the function returns normally and pays nothing, and the document is not dropped
    silently: it is held with the reason its author reads, and counted as unprocessable."""
    store.put("users/amina", make_user("amina"))
    after = store.put("offerings/bad", {"helperId": "amina", "title": 12})
    store.deliver("offering_written", store.event("offerings/bad", None, after, at=T0))
    assert points(store, "amina")["total"] == 0
    held = store.get("offerings/bad")
    assert held is not None
    assert held["moderation"]["status"] == "hidden"
    assert "could not be processed" in held["moderation"]["reason"]
    [day] = store.ids("analytics")
    shards = store.client.collection(f"analytics/{day}/shards").stream()
    assert sum(s.to_dict()["screening"]["unprocessable"] for s in shards) == 1
    logged = capsys.readouterr().out
    assert '"severity": "WARNING"' in logged
    assert '"path": "offerings/bad"' in logged
    assert '"eventId": "evt-1"' in logged


def test_an_activity_of_a_member_without_a_document_is_dropped(store: Store) -> None:
    """An award for a member whose document is gone changes nothing and does not fail."""
    path, after = create_offering(store, helper="ghost")
    store.deliver("offering_written", store.event(path, None, after, at=T0))
    assert store.get("users/ghost") is None


def test_the_first_offering_earns_an_achievement_and_its_reward(store: Store) -> None:
    """With the seed catalog, a first offering earns "First Step" (tier 1, 5 points reward) and
    queues its notification; the reward is a ledger entry too."""
    seed_catalog(store)
    store.put("users/amina", make_user("amina", **CONFIRMED))
    path, after = create_offering(store)
    store.deliver("offering_written", store.event(path, None, after, at=T0))
    progress = store.get("userAchievements/amina_first-offer")
    assert progress is not None
    assert progress["progress"]["tier"] == 1
    assert progress["notification"]["tier"] == 1
    assert progress["tiersEarned"][0]["hopePointsAwarded"] == 5
    assert points(store, "amina")["total"] == 60
    user = store.get("users/amina")
    assert user is not None
    assert user["gamification"]["achievementsEarned"] == 1


def test_a_hidden_achievement_leaves_no_document_before_it_is_earned(store: Store) -> None:
    """Helping fulfil requests moves "Silent Hero" progress, but "Night Owl" (hidden) has no
    document until its threshold of 25 is reached."""
    seed_catalog(store)
    store.put("users/amina", make_user("amina", stats={"requestsFulfilled": 23}))
    store.put("users/samira", make_user("samira"))
    for index in range(2):
        path, request = make_request(request_id=f"req{index}")
        before = store.put(path, request)
        after = store.put(path, fulfilled(request, ["amina"]))
        event = store.event(path, before, after, event_id=f"e{index}", at=T0)
        store.deliver("request_written", event)
        night_owl = store.get("userAchievements/amina_night-owl")
        if index == 0:
            assert night_owl is None
    assert night_owl is not None
    assert night_owl["hidden"] is True
    assert night_owl["progress"]["tier"] == 1


def _rated(offering: Any, stars: int) -> Any:
    """The accepted offering completed and rated by its requester."""
    data = accepted(offering).model_dump(by_alias=True, exclude_none=True)
    data.update(
        status="completed",
        completedAt=T0,
        requesterFeedback={"rating": stars, "authorId": data["requesterId"], "createdAt": T0},
    )
    return type(offering).model_validate(data)


def test_a_rating_lands_in_the_requests_category_and_overall_once(store: Store) -> None:
    """Samira's four stars on amina's answer move amina's overall rating and her rating for
    transport (samira's request), not for household (the answer's own category); the same
    event again, or the same fact in another event, counts nothing more."""
    store.put("users/amina", make_user("amina"))
    request_path, request = make_request(category="transport")
    store.put(request_path, request)
    path, offering = make_offering(category="household")
    before = store.put(path, accepted(offering))
    after = store.put(path, _rated(offering, 4))
    store.deliver("offering_written", store.event(path, before, after, at=T0))
    first = store.get("users/amina")
    assert first is not None
    assert first["stats"]["rating"] == {"count": 1, "average": 4.0}
    assert first["stats"]["ratingsByCategory"] == {"transport": {"count": 1, "average": 4.0}}
    [fact_id] = [i for i in store.ids("users/amina/rewardFacts") if i.startswith("feedback")]
    fact = store.get(f"users/amina/rewardFacts/{fact_id}")
    assert fact is not None
    assert fact["category"] == "transport"
    for event_id in ("evt-1", "evt-2"):
        store.deliver(
            "offering_written", store.event(path, before, after, event_id=event_id, at=T0)
        )
    assert store.get("users/amina") == first
