"""The demo seeded as the dev stack seeds it (members' writes, the moderator's and the admin's
calls, the functions running) ends where its story says: every outcome below was produced by
the functions or a callable, none was written by the seed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from firebase_admin import auth
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.stack import LocalStack
from mitche.models import ModeratorRoster, ReportCase
from mitche.services import admin_app
from mitche_dev.devstack import DEMO_NOW, Actor, demo_accounts, demo_documents, demo_stack
from mitche_dev.devstack import _ids as ids

PROJECT = "demo-mitche-seeded-story"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with demo_stack(PROJECT, DEMO_NOW, rules=False) as running:
        yield running


@pytest.fixture(scope="module")
def db(stack: LocalStack) -> firestore.Client:
    return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())


def _get(db: firestore.Client, path: str) -> dict[str, Any]:
    data = db.document(path).get().to_dict()
    assert data is not None, path
    return data


def test_acceptance_put_bob_on_the_request_and_opened_the_conversation(
    db: firestore.Client,
) -> None:
    """Alice accepted Bob's offer: the function added him to the request (now in progress) and
    opened the conversation the chat trigger keeps (last message, count, per-member unread)."""
    request = _get(db, f"requests/{ids.REQ_ALICE_GROCERIES}")
    assert request["acceptedHelperIds"] == [Actor.BOB.value]
    assert request["status"] == "inProgress"
    assert request["moderation"]["status"] == "approved"
    conversation = _get(db, f"conversations/{ids.CONV_ALICE_BOB_GROCERIES}")
    assert conversation["participantIds"] == [Actor.ALICE.value, Actor.BOB.value]
    assert conversation["messageCount"] == 4
    assert conversation["lastMessage"]["messageId"] == ids.MSG_ALICE_THANKS
    assert set(conversation["unreadCounts"]) <= {Actor.ALICE.value, Actor.BOB.value}


def test_the_completed_exchange_paid_bob_once(db: firestore.Client) -> None:
    """Alice confirmed the wardrobe exchange: Bob's ledger holds one entry per paid act, and his
    totals equal the ledger's sum."""
    ledger = [e.to_dict() or {} for e in db.collection("users/bob/hopeLedger").stream()]
    actions = [entry["action"] for entry in ledger]
    assert actions.count("requestFulfilled") == 1
    assert actions.count("positiveFeedback") == 1
    bob = _get(db, "users/bob")
    assert bob["gamification"]["hopePoints"]["total"] == sum(e["amount"] for e in ledger)


def test_the_mutual_reveal_completed_both_ways(db: firestore.Client) -> None:
    """Both consents held: the reveal function wrote the grants both ways and the summaries;
    Dan's consent to Carol waits, on her side, as one incoming request."""
    for uid, counterpart in ((Actor.ALICE, Actor.BOB), (Actor.BOB, Actor.ALICE)):
        grant = _get(db, f"users/{uid.value}/revealGrants/{counterpart.value}")
        assert grant["counterpartId"] == counterpart.value
        assert _get(db, f"users/{uid.value}")["reveal"]["completed"] == 1
    assert _get(db, "users/carol")["reveal"]["pendingIncoming"] == 1


def test_counts_come_from_the_triggers(db: firestore.Client) -> None:
    """Registrations, ratings and hearts are counted by their triggers."""
    soup = _get(db, f"communityEvents/{ids.EVT_SOUP_NIGHT}")
    assert soup["registrations"]["registered"] == 3
    assert soup["registrations"]["attended"] == 2
    assert soup["approval"]["state"] == "approved"
    grocery = _get(db, f"resources/{ids.RES_FOOD_GROCERY}")
    assert grocery["rating"] == {"count": 2, "average": 4.5}
    assert grocery["providerVerification"]["status"] == "verified"
    story = _get(db, f"tapestryThreads/{ids.THR_APPROVED_WARDROBE}")
    assert (story["status"], story["hearts"]) == ("approved", 2)


def test_moderation_outcomes_come_from_the_screen_and_the_moderator(db: firestore.Client) -> None:
    """The screen flagged Sam's spam and held his urging message; the moderator's resolution
    removed the scam and suspended him; the pending story waits in the queue; the schedule
    expired Dan's overdue request."""
    assert _get(db, f"requests/{ids.REQ_SAM_PROMO}")["moderation"]["status"] == "flagged"
    assert _get(db, f"messages/{ids.MSG_SAM_URGING}")["moderation"]["status"] == "hidden"
    assert _get(db, f"reports/{ids.RPT_ALICE_SCAM_RESOLVED}")["status"] == "resolved"
    assert _get(db, f"reports/{ids.RPT_BOB_SPAM_OPEN}")["status"] == "open"
    assert _get(db, f"tapestryThreads/{ids.THR_PENDING_SOUP}")["status"] == "pending"
    assert _get(db, f"tapestryThreads/{ids.THR_REJECTED_NAMED}")["status"] == "rejected"
    assert _get(db, f"requests/{ids.REQ_DAN_HOSPITAL_LIFT}")["status"] == "expired"


def test_roles_and_standing_are_claims_the_callables_set(stack: LocalStack) -> None:
    """The admin (operator's grant-role), the moderator (set_member_role), the verified
    provider (decide_provider) and the suspended member (resolve_report) carry the claims the
    demo's accounts describe."""
    expected = {account.uid: dict(account.custom_claims) for account in demo_accounts(DEMO_NOW)}
    for actor in (Actor.ADA, Actor.MOD, Actor.ERIN, Actor.SAM):
        claims = auth.get_user(actor.value, app=admin_app()).custom_claims or {}
        assert claims == expected[actor.value], actor


def test_the_roster_and_the_assignments_are_the_storys(db: firestore.Client) -> None:
    """The roster the functions built from the roles (the operator's admin Ada, who moderates
    too, and the moderator she named) is the story's, and the triage assigned each report to
    the moderator the story's case names."""
    story = dict(demo_documents(DEMO_NOW))
    roster = story["systemSettings/moderators"]
    assert isinstance(roster, ModeratorRoster)
    seeded = _get(db, "systemSettings/moderators")
    assert seeded["moderatorIds"] == roster.moderator_ids == [Actor.ADA.value, Actor.MOD.value]
    assert seeded["nextAssignment"] == roster.next_assignment
    cases = {path: case for path, case in story.items() if path.endswith("/private/case")}
    assert cases
    for path, case in cases.items():
        assert isinstance(case, ReportCase)
        assert _get(db, path)["assignedModeratorId"] == case.assigned_moderator_id, path
