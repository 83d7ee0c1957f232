"""The suggestion callables, through real match cards on the local server: a requester sees
the helpers who fit (aliases and reasons, nothing else), nobody else may ask about their
request; a helper sees the requests they could help with, and never one they may not read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.cloud.firestore_v1 import GeoPoint

from mitche.domain.nearby import cell_centre
from mitche.errors import FailedPreconditionError, InvalidArgumentError, PermissionDeniedError
from mitche.handlers import default_deps, suggest_helpers, suggest_requests
from mitche.services import recording_costs

T0 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
CROIX_ROUSSE = "u05kq4"
VILLEFRANCHE = "u05mxz"


def make_user(alias: str, area: str, languages: list[str], skills: list[str], bio: str) -> dict:
    return {
        "profile": {
            "displayName": f"{alias} Real Name",
            "anonymousAlias": alias,
            "languages": languages,
            "skills": skills,
            "bio": bio,
            "homeArea": {"geohash": area[:5], "label": "somewhere"},
        },
        "notifications": {"nearbyRadiusKm": 8},
        "createdAt": T0,
        "updatedAt": T0,
    }


def make_request(requester: str, title: str, description: str, **changes: Any) -> dict:
    centre = cell_centre(CROIX_ROUSSE)
    return {
        "requesterId": requester,
        "title": title,
        "description": description,
        "category": "transport",
        "urgency": "high",
        "visibility": "community",
        "location": {
            "area": {"geohash": CROIX_ROUSSE[:5], "label": "Croix-Rousse"},
            "geohash": CROIX_ROUSSE,
            "point": GeoPoint(centre.latitude, centre.longitude),
        },
        "status": "open",
        "moderation": {"status": "approved", "reportCount": 0},
        "createdAt": T0,
        "updatedAt": T0,
    } | changes


def put_user(store, uid: str, data: dict) -> None:
    after = store.put(f"users/{uid}", data)
    event = store.event(f"users/{uid}", None, after, event_id=f"user-{uid}", at=T0)
    store.deliver("match_user_written", event)


def put_request(store, request_id: str, data: dict, *, deliver: bool = True) -> None:
    after = store.put(f"requests/{request_id}", data)
    if deliver:
        event = store.event(f"requests/{request_id}", None, after, event_id=request_id, at=T0)
        store.deliver("match_request_written", event)


@pytest.fixture
def city(store):
    """Alice asks for a lift to hospital; Bob drives people to appointments nearby, Carol does
    the same in English only, Dan cooks nearby, Erin drives but lives 30 km away."""
    put_user(store, "alice", make_user("Lune", CROIX_ROUSSE, ["fr"], [], "Retraitée."))
    put_user(
        store,
        "bob",
        make_user(
            "Heron",
            CROIX_ROUSSE,
            ["fr"],
            ["conduite", "voiture"],
            "Je conduis les personnes malades à leurs rendez-vous à l'hôpital.",
        ),
    )
    put_user(
        store,
        "carol",
        make_user(
            "Otter", CROIX_ROUSSE, ["en"], ["driving"], "I drive people to hospital appointments."
        ),
    )
    put_user(
        store,
        "dan",
        make_user("Fennel", CROIX_ROUSSE, ["fr"], ["cuisine"], "Je cuisine des repas maison."),
    )
    put_user(
        store,
        "erin",
        make_user("Lark", VILLEFRANCHE, ["fr"], ["conduite"], "Je conduis à l'hôpital."),
    )
    put_request(
        store,
        "lift",
        make_request(
            "alice",
            "Aller à l'hôpital jeudi",
            "J'ai besoin qu'on me conduise à l'hôpital de la Croix-Rousse jeudi matin.",
        ),
    )
    return store


def test_a_requester_sees_the_helpers_who_fit_by_alias(city):
    """Bob, who drives people to hospital nearby, comes first; Carol (no common language),
    Erin (too far) and Alice herself are not suggested; nothing but aliases, scores, reasons
    and whole kilometres is returned."""
    answer = suggest_helpers(default_deps(), "alice", {"requestId": "lift"})
    aliases = [helper["alias"] for helper in answer["helpers"]]
    assert aliases[0] == "Heron"
    assert "Otter" not in aliases
    assert "Lark" not in aliases
    assert "Lune" not in aliases
    assert set(answer["helpers"][0]) == {"alias", "score", "reasons", "distanceKm"}
    assert "writes about the same need" in answer["helpers"][0]["reasons"]
    text = str(answer)
    assert "bob" not in text
    assert "Real Name" not in text


def test_a_helper_rated_for_this_kind_of_help_is_told_apart(city):
    """Bob, rated for transport, is suggested "for this kind of help"; Dan, rated as well
    only for food, gets his overall rating (the search returns the ratings per category)."""
    for uid, category in (("bob", "transport"), ("dan", "food")):
        before = city.proto(f"users/{uid}")
        data = city.get(f"users/{uid}")
        summary = {"count": 3, "average": 4.7}
        data["stats"] = {"rating": summary, "ratingsByCategory": {category: summary}}
        after = city.put(f"users/{uid}", data)
        event = city.event(f"users/{uid}", before, after, event_id=f"rated-{uid}", at=T0)
        city.deliver("match_user_written", event)
    answer = suggest_helpers(default_deps(), "alice", {"requestId": "lift"})
    reasons = {helper["alias"]: helper["reasons"] for helper in answer["helpers"]}
    assert "rated 4.7 by 3 members for this kind of help" in reasons["Heron"]
    assert "rated 4.7 by 3 members" in reasons["Fennel"]
    assert not any("kind of help" in reason for reason in reasons["Fennel"])


def test_someone_else_may_not_ask_about_a_request(city):
    """Bob asking for helpers for Alice's request is refused, as is asking about a request
    that does not exist (the answer does not tell them apart)."""
    with pytest.raises(PermissionDeniedError):
        suggest_helpers(default_deps(), "bob", {"requestId": "lift"})
    with pytest.raises(PermissionDeniedError):
        suggest_helpers(default_deps(), "bob", {"requestId": "no-such-request"})


def test_bad_input_is_refused_with_its_field(city):
    """A request id with a slash is invalid-argument naming requestId."""
    with pytest.raises(InvalidArgumentError, match="requestId"):
        suggest_helpers(default_deps(), "alice", {"requestId": "requests/lift"})


def test_a_helper_sees_the_requests_they_could_help_with(city):
    """Bob sees Alice's request; Dan, whose skills are cooking, sees it ranked lower or not at
    all; the reads are the card, the blocks both ways (one each when empty), the neighbours
    and one get per request named."""
    with recording_costs() as costs:
        answer = suggest_requests(default_deps(), "bob", {})
    assert [item["requestId"] for item in answer["requests"]] == ["lift"]
    assert answer["requests"][0]["distanceKm"] == 2
    (sample,) = [s for s in costs.samples if s.handler == "matching.suggestRequests"]
    assert sample.reads == 1 + 2 + 1 + 1


@pytest.mark.parametrize(
    ("blocker", "blocked"), [("alice", "bob"), ("bob", "alice")], ids=["by-requester", "by-helper"]
)
def test_members_on_either_side_of_a_block_never_see_one_another(city, blocker, blocked):
    """Whoever blocked whom, Alice is no longer shown Bob and Bob is no longer shown Alice's
    request; the others are unaffected, and the answer does not tell a block from a poor fit."""
    city.put(f"users/{blocker}/blocks/{blocked}", {"memberId": blocked, "createdAt": T0})
    aliases = [
        h["alias"]
        for h in suggest_helpers(default_deps(), "alice", {"requestId": "lift"})["helpers"]
    ]
    assert "Heron" not in aliases
    assert "Fennel" in aliases
    assert suggest_requests(default_deps(), "bob", {})["requests"] == []
    assert [r["requestId"] for r in suggest_requests(default_deps(), "dan", {})["requests"]] == [
        "lift"
    ]


def test_a_held_or_private_request_is_never_named(city):
    """A private draft and a held request never get a card; a request made private whose card
    is still there (its trigger not yet run) is read again and left out."""
    put_request(
        city,
        "draft",
        make_request("alice", "Brouillon privé", "Conduite à l'hôpital.", visibility="private"),
    )
    put_request(
        city,
        "held",
        make_request(
            "alice",
            "Aller à l'hôpital",
            "Conduite à l'hôpital.",
            moderation={"status": "held", "reportCount": 0},
        ),
    )
    put_request(
        city,
        "lift",
        make_request("alice", "Aller à l'hôpital jeudi", "Conduite.", visibility="private"),
        deliver=False,
    )
    answer = suggest_requests(default_deps(), "bob", {})
    assert answer["requests"] == []


def test_a_member_without_a_helper_card_is_told_why(store):
    """No profile visible to members: failed-precondition saying what is missing."""
    with pytest.raises(FailedPreconditionError, match="profile"):
        suggest_requests(default_deps(), "nobody", {})
