"""Which member each event notifies, against a real local Firestore server: the right member's
list gets the entry, nobody else's, and a redelivered event adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from mitche.handlers import (
    EXPIRY_WARNING,
    Deps,
    DocumentChange,
    achievement_notices,
    level_notices,
    message_notices,
    moderation_notices,
    offering_notices,
    report_notices,
    reveal_notices,
    warn_expiring_requests,
)
from mitche.services import SettingsStore

PROJECT = "demo-notices"
AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class NoPush:
    def send(self, messages: Any) -> list[Any]:
        raise AssertionError("notices never push themselves")


class NoAccounts:
    def set_claims(self, uid: str, claims: Any) -> bool:
        raise AssertionError("notices never touch claims")

    def revoke_sessions(self, uid: str) -> bool:
        raise AssertionError("notices never revoke sessions")


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreServer]:
    with FirestoreServer(port=0) as running:
        yield running


@pytest.fixture
def world(server: FirestoreServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deps]:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    for collection in client.collections():
        client.recursive_delete(collection)
    client.document("users/rita").set({"profile": {"anonymousAlias": "Quiet Heron 7"}})
    client.document("users/hugo").set({"profile": {"anonymousAlias": "Brave Otter 3"}})
    client.document("requests/r1").set({"title": "Soup for a sick neighbour"})
    yield Deps(
        settings=SettingsStore(),
        accounts=NoAccounts(),
        client_factory=lambda: client,
        now=lambda: AT,
        push=NoPush(),
    )
    client.close()


def inbox(deps: Deps, uid: str) -> list[dict[str, Any]]:
    return [
        snapshot.to_dict() or {}
        for snapshot in deps.client.collection(f"users/{uid}/notifications").stream()
    ]


def change(path: str, before: Any, after: Any, event: str = "ev-1") -> DocumentChange:
    return DocumentChange(event, AT, path, before, after)


OFFER = {"helperId": "hugo", "requesterId": "rita", "requestPath": "requests/r1"}


def test_an_offering_notifies_the_requester_once(world: Deps) -> None:
    """Hugo offers on Rita's request: Rita is told, with the request's title; a redelivery
    adds nothing; Hugo's own list stays empty."""
    made = change("offerings/o1", None, {**OFFER, "status": "offered"})
    assert offering_notices(world, made) == 1
    assert offering_notices(world, made) == 0
    [entry] = inbox(world, "rita")
    assert entry["kind"] == "offeringReceived"
    assert entry["body"] == "Someone offered to help with “Soup for a sick neighbour”."
    assert inbox(world, "hugo") == []


@pytest.mark.parametrize(
    ("status", "kind"), [("accepted", "offeringAccepted"), ("declined", "offeringDeclined")]
)
def test_an_answer_notifies_the_helper(world: Deps, status: str, kind: str) -> None:
    """Rita answers Hugo's offering: Hugo is told, Rita is not."""
    answered = change("offerings/o1", {**OFFER, "status": "offered"}, {**OFFER, "status": status})
    assert offering_notices(world, answered) == 1
    assert [entry["kind"] for entry in inbox(world, "hugo")] == [kind]
    assert inbox(world, "rita") == []


def _message(text: str) -> dict[str, Any]:
    return {
        "senderId": "hugo",
        "conversationId": "c1",
        "participantIds": ["hugo", "rita"],
        "messageType": "text",
        "text": text,
        "createdAt": AT,
    }


def test_messages_notify_the_other_participant_in_one_entry(world: Deps) -> None:
    """Two messages from Hugo: Rita has one entry counting two, without any message text."""
    for n in range(2):
        message = _message("secret words")
        message_notices(world, change(f"messages/m{n}", None, message, f"msg-{n}"))
    [entry] = inbox(world, "rita")
    assert (entry["kind"], entry["count"]) == ("newMessage", 2)
    assert entry["target"].path == "conversations/c1"
    assert "secret" not in entry["body"]
    assert inbox(world, "hugo") == []


def test_a_held_message_is_announced_only_when_a_moderator_releases_it(world: Deps) -> None:
    """Nobody is told of a message they cannot open: the screen holds Hugo's message, Rita
    hears nothing; a moderator releases it and she is told."""
    held = _message("please send nudes")
    assert message_notices(world, change("messages/m1", None, held, "msg-held")) == 0
    assert inbox(world, "rita") == []
    hidden = {**held, "moderation": {"status": "hidden"}}
    shown = {**held, "moderation": {"status": "approved"}}
    assert message_notices(world, change("messages/m1", hidden, shown, "msg-released")) == 1
    assert [entry["kind"] for entry in inbox(world, "rita")] == ["newMessage"]


def test_a_reveal_request_and_its_completion(world: Deps) -> None:
    """Hugo consents first: Rita is asked, by alias; when it completes, each is told on their
    own consent."""
    consent = {"counterpartId": "rita", "status": "consented"}
    assert reveal_notices(world, change("users/hugo/revealConsents/rita", None, consent)) == 1
    [asked] = inbox(world, "rita")
    assert asked["body"] == "Brave Otter 3 would like to reveal identities with you."
    done = {**consent, "completedAt": AT}
    completed = change("users/hugo/revealConsents/rita", consent, done, "ev-2")
    assert reveal_notices(world, completed) == 1
    [told] = inbox(world, "hugo")
    assert told["body"] == "You and Quiet Heron 7 can now see each other's identity."


@pytest.mark.parametrize(
    ("status", "upheld", "outcome"),
    [
        ("resolved", True, "action was taken"),
        ("resolved", False, "no action was needed"),
        ("dismissed", False, "no action was needed"),
    ],
)
def test_a_closed_report_tells_its_reporter_the_outcome_only(
    world: Deps, status: str, upheld: bool, outcome: str
) -> None:
    """The reporter learns whether their report was upheld (a restore is no action on what
    they reported); neither the sanction nor the moderator's id is in the notification."""
    before = {"reporterId": "rita", "status": "inReview"}
    after = {"reporterId": "rita", "status": status, "outcome": {"upheld": upheld, "decidedAt": AT}}
    assert report_notices(world, change("reports/p1", before, after)) == 1
    [entry] = inbox(world, "rita")
    assert outcome in entry["body"]
    for hidden in ("mona", "suspend", "ban", "warn", "hide"):
        assert hidden not in str(entry).lower()


def test_a_level_gained_is_announced(world: Deps) -> None:
    """Level 3 to 4: one entry; the same level again: none."""
    before, after = {"gamification": {"level": 3}}, {"gamification": {"level": 4}}
    assert level_notices(world, change("users/rita", before, after)) == 1
    assert level_notices(world, change("users/rita", after, after, "ev-2")) == 0
    assert [entry["body"] for entry in inbox(world, "rita")] == ["You reached level 4."]


def test_hidden_content_tells_its_author_why(world: Deps) -> None:
    """A moderator hides Rita's request: Rita reads the action and the reason; restoring it
    tells her too."""
    shown = {"requesterId": "rita", "moderation": {"status": "approved"}}
    hidden = {"requesterId": "rita", "moderation": {"status": "hidden", "reason": "Phone number"}}
    assert moderation_notices(world, change("requests/r1", shown, hidden)) == 1
    assert moderation_notices(world, change("requests/r1", hidden, shown, "ev-2")) == 1
    bodies = sorted(entry["body"] for entry in inbox(world, "rita"))
    assert bodies == [
        "A moderator hid your content. Reason: Phone number.",
        "A moderator restored your content. Reason: —.",
    ]


def test_a_deadline_a_day_away_warns_the_requester_once(world: Deps) -> None:
    """The expiry schedule tells Rita her request ends in 24 h, once however often it runs;
    a request due later, or already closed, tells nobody yet."""
    world.client.document("requests/soon").set(
        {"requesterId": "rita", "title": "Lift", "status": "open", "deadline": AT + EXPIRY_WARNING}
    )
    world.client.document("requests/later").set(
        {
            "requesterId": "hugo",
            "title": "Paint",
            "status": "open",
            "deadline": AT + 2 * EXPIRY_WARNING,
        }
    )
    world.client.document("requests/closed").set(
        {
            "requesterId": "hugo",
            "title": "Soup",
            "status": "fulfilled",
            "deadline": AT + EXPIRY_WARNING,
        }
    )
    assert warn_expiring_requests(world, AT) == 1
    assert warn_expiring_requests(world, AT + dt.timedelta(minutes=15)) == 0
    [entry] = inbox(world, "rita")
    assert entry["body"] == "“Lift” reaches its deadline in 24 h."
    assert inbox(world, "hugo") == []


def test_an_earned_achievement_is_delivered_once(world: Deps) -> None:
    """The queued achievement notification reaches Rita once and is marked sent."""
    path = "userAchievements/rita_first-offer"
    achievement = {
        "userId": "rita",
        "display": {"name": "First offer"},
        "notification": {"tier": 1, "queuedAt": AT},
    }
    world.client.document(path).set(achievement)
    queued = change(path, None, achievement)
    assert achievement_notices(world, queued) == 1
    assert achievement_notices(world, queued) == 0
    [entry] = inbox(world, "rita")
    assert entry["body"] == "You earned “First offer”. Well done!"
    stored = world.client.document(path).get().to_dict() or {}
    assert stored["notification"]["sentAt"] == AT
