"""The matching triggers keep the match cards in step: a request every member may read has a
card with its embedding, a held, private or accepted one has none; a member with a profile has
a helper card, a private or suspended one is out of the searches; an unchanged text is never
embedded again and a retried delivery writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.cloud.firestore_v1 import GeoPoint
from google.cloud.firestore_v1.vector import Vector

from mitche.domain.matching import EMBEDDING_DIMENSION, SENTENCE_ENCODER
from mitche.domain.nearby import cell_centre
from mitche.handlers import helper_facts
from mitche.models import HELPER_CARDS, REQUEST_CARDS

T0 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
CELL = "u05kq4"
REQUEST = "requests/req-match"
CARD = f"{REQUEST_CARDS}/req-match"
HELPER_CARD = f"{HELPER_CARDS}/bob"


def make_request(**changes: Any) -> dict[str, Any]:
    """An open community request for a lift, in a Croix-Rousse cell."""
    centre = cell_centre(CELL)
    return {
        "requesterId": "alice",
        "title": "Lift to the hospital",
        "description": "I need someone to drive me to my appointment on Thursday.",
        "category": "transport",
        "tags": ["hospital"],
        "urgency": "high",
        "deadline": T0 + dt.timedelta(days=2),
        "visibility": "community",
        "location": {
            "area": {"geohash": CELL[:5], "label": "Croix-Rousse"},
            "geohash": CELL,
            "point": GeoPoint(centre.latitude, centre.longitude),
        },
        "status": "open",
        "acceptedHelperIds": [],
        "moderation": {"status": "approved", "reportCount": 0},
        "metrics": {"views": 0},
        "createdAt": T0,
        "updatedAt": T0,
    } | changes


def make_user(alias: str, **profile: Any) -> dict[str, Any]:
    """A member's document with the profile fields matching reads."""
    return {
        "profile": {"displayName": "Bob Martin", "anonymousAlias": alias} | profile,
        "notifications": {"nearbyRadiusKm": 6},
        "stats": {"rating": {"count": 4, "average": 4.5}},
        "createdAt": T0,
        "updatedAt": T0,
    }


def write_request(store, data: dict[str, Any] | None, before, n: int) -> Any:
    """Store the request (None: delete it) and deliver its written event."""
    if data is None:
        store.client.document(REQUEST).delete()
        after = None
    else:
        after = store.put(REQUEST, data)
    store.deliver(
        "match_request_written", store.event(REQUEST, before, after, event_id=f"e{n}", at=T0)
    )
    return after


def card_time(store, path: str) -> Any:
    return store.proto(path).update_time


def test_an_open_request_gets_its_card(store):
    """Its card holds a 512-number vector of its text, the hash, the model, the conditions'
    inputs and the requester's languages, and no title or description."""
    store.put("users/alice", make_user("Lune", languages=["fr", "en"]))
    write_request(store, make_request(), None, 1)
    card = store.get(CARD)
    assert card is not None
    assert isinstance(card["embedding"], Vector)
    assert len(card["embedding"]) == EMBEDDING_DIMENSION
    assert card["model"] == SENTENCE_ENCODER
    assert len(card["textHash"]) == 64
    assert {k: card[k] for k in ("requesterId", "category", "cell", "urgency", "languages")} == {
        "requesterId": "alice",
        "category": "transport",
        "cell": CELL,
        "urgency": "high",
        "languages": ["fr", "en"],
    }
    assert "title" not in card
    assert "description" not in card


def test_a_retried_delivery_and_a_counted_view_write_nothing(store):
    """The same event delivered again, and a change matching does not read, leave the card as
    it was (not rewritten)."""
    first = write_request(store, make_request(), None, 1)
    written = card_time(store, CARD)
    store.deliver("match_request_written", store.event(REQUEST, None, first, event_id="e1", at=T0))
    write_request(store, make_request(metrics={"views": 7}), first, 2)
    assert card_time(store, CARD) == written


def test_an_edited_text_is_embedded_again(store):
    """A new description gives a new hash and a new vector; the old ones are gone."""
    first = write_request(store, make_request(), None, 1)
    before = store.get(CARD)
    write_request(store, make_request(description="Groceries from the market, two bags."), first, 2)
    after = store.get(CARD)
    assert after["textHash"] != before["textHash"]
    assert list(after["embedding"]) != list(before["embedding"])


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": "private"},
        {"moderation": {"status": "held", "reportCount": 0}},
        {"moderation": {"status": "hidden", "reportCount": 3}},
        {"status": "inProgress", "acceptedHelperIds": ["bob"]},
        {"status": "expired"},
    ],
    ids=["private", "held", "hidden", "accepted", "expired"],
)
def test_a_request_no_member_may_read_leaves_the_searches(store, change):
    """Made private, held, hidden, accepted or expired: its card is deleted."""
    first = write_request(store, make_request(), None, 1)
    assert store.get(CARD) is not None
    write_request(store, make_request(**change), first, 2)
    assert store.get(CARD) is None


def test_a_held_request_never_gets_a_card(store):
    """A request held by the screen from the start is never searchable."""
    write_request(store, make_request(moderation={"status": "held", "reportCount": 0}), None, 1)
    assert store.get(CARD) is None


def write_user(store, uid: str, data: dict[str, Any], before, n: int) -> Any:
    after = store.put(f"users/{uid}", data)
    store.deliver(
        "match_user_written", store.event(f"users/{uid}", before, after, event_id=f"u{n}", at=T0)
    )
    return after


def test_a_member_gets_a_helper_card_from_their_profile_and_offers(store):
    """Their alias, languages, travel distance, rating and what their standing offers cover
    (categories, remote help); their name never reaches the card."""
    store.put(
        "offerings/o1",
        {
            "helperId": "bob",
            "offeringType": "help",
            "requestPath": None,
            "title": "Rides to medical appointments",
            "description": "I drive and wait with you.",
            "category": "transport",
            "remoteOk": False,
            "availability": {
                "weeklyHours": [{"day": "tue", "opensAt": "09:00", "closesAt": "12:00"}],
                "timeZone": "Europe/Paris",
            },
            "status": "offered",
            "createdAt": T0,
            "updatedAt": T0,
        },
    )
    write_user(store, "bob", make_user("Heron", languages=["fr"], skills=["driving"]), None, 1)
    card = store.get(HELPER_CARD)
    assert card is not None
    assert len(card["embedding"]) == EMBEDDING_DIMENSION
    assert {k: card[k] for k in ("alias", "active", "categories", "travelKm", "languages")} == {
        "alias": "Heron",
        "active": True,
        "categories": ["transport"],
        "travelKm": 6.0,
        "languages": ["fr"],
    }
    assert (card["ratingAverage"], card["ratingCount"], card["openCommitments"]) == (4.5, 4, 0)
    assert card["windows"] == [{"weekday": 1, "start": 480, "end": 660}]
    assert "Bob Martin" not in str(card)


def test_a_private_profile_has_no_helper_card(store):
    """A member who keeps their profile private is never suggested."""
    first = write_user(store, "bob", make_user("Heron"), None, 1)
    assert store.get(HELPER_CARD) is not None
    private = make_user("Heron") | {"privacy": {"profileVisibility": "private"}}
    write_user(store, "bob", private, first, 2)
    assert store.get(HELPER_CARD) is None


def test_a_suspension_takes_the_helper_out_of_the_searches(store):
    """The account's standing moves to suspended: the card says inactive."""
    write_user(store, "bob", make_user("Heron"), None, 1)
    path = "users/bob/private/account"
    after = store.put(
        path,
        {"security": {"accountStatus": "suspended", "suspendedUntil": T0 + dt.timedelta(days=3)}},
    )
    store.deliver("match_account_written", store.event(path, None, after, event_id="a1", at=T0))
    assert store.get(HELPER_CARD)["active"] is False


def test_a_rating_in_a_new_category_refreshes_the_card(store):
    """The card copies the ratings per kind of help; a rating that moves them (a function's
    write of `stats`) refreshes it, and `helper_facts` reads them beside the overall one."""
    first = write_user(store, "bob", make_user("Heron"), None, 1)
    assert store.get(HELPER_CARD)["ratingsByCategory"] == {}
    rated = make_user("Heron") | {
        "stats": {
            "rating": {"count": 5, "average": 4.6},
            "ratingsByCategory": {
                "transport": {"count": 1, "average": 5.0},
                "food": {"count": 4, "average": 4.5},
            },
        }
    }
    write_user(store, "bob", rated, first, 2)
    card = store.get(HELPER_CARD)
    assert card["ratingsByCategory"] == {
        "food": {"count": 4, "average": 4.5},
        "transport": {"count": 1, "average": 5.0},
    }
    facts = helper_facts("bob", card)
    assert {key: (r.average, r.count) for key, r in facts.ratings.items()} == {
        "*": (4.6, 5),
        "food": (4.5, 4),
        "transport": (5.0, 1),
    }
