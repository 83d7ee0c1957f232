"""End to end through the security boundary: members signed in with the Auth emulator write
through firestore.rules with their own tokens, the triggers fire, and a member reads back, as
the rules let them, what their act earned. The database starts as a production install does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import firebase_admin
import pytest
from google.cloud import firestore

from firelab.server import UserClients
from firelab.stack import LocalStack, StackConfig
from mitche.handlers import default_deps
from mitche.models.common import Visibility
from tests.mitche.e2e.members import operator, sign_up, wait_idle
from tests.rules.world import make_offering, make_request

REPOSITORY = Path(__file__).resolve().parents[3]
PROJECT = "demo-mitche-rules-e2e"


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """Mitché's rules, indexes and functions, with the Auth emulator, set up as production."""
    _delete_default_app()
    config = StackConfig(
        project=PROJECT,
        rules=REPOSITORY / "firestore.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
        enforce_indexes=True,
        functions_source=REPOSITORY / "functions",
        auth=True,
        storage=False,
    )
    with LocalStack(config) as running:
        default_deps().settings.invalidate()
        operator(PROJECT, "init-settings")
        operator(PROJECT, "load-catalog")
        yield running
    default_deps().settings.invalidate()
    _delete_default_app()


def offerings_made(client: firestore.Client, uid: str) -> int:
    me = client.document(f"users/{uid}").get().to_dict()
    assert me is not None
    count: int = me.get("stats", {}).get("offeringsMade", 0)
    return count


def test_an_offering_written_through_the_rules_is_counted_where_the_member_can_read_it(
    stack: LocalStack,
) -> None:
    """Alice posts a request and the screen approves it; Bob offers help on it through his
    own client; the rules accept the batch (the offering plus his rate-limit stamp), the
    trigger counts it, and he reads his new count on his own user document (an offering made
    alone pays a member without confirmed points nothing)."""
    assert stack.firestore is not None
    with UserClients(stack.firestore.address) as doors:
        alice = sign_up(stack, doors, PROJECT, "alice@example.org", "Quiet Alice 7")
        bob = sign_up(stack, doors, PROJECT, "bob@example.org", "Quiet Bob 7")
        wait_idle(stack)
        writer = alice.context()
        request = make_request(alice.uid, writer.now)
        data = writer.data(request, "createdAt", "updatedAt")
        writer.create_with_stamp("requests/req-alice", data, "lastRequest")
        wait_idle(stack)
        screened = bob.db.document("requests/req-alice").get()
        assert screened.get("moderation.status") == "approved"
        before = offerings_made(bob.db, bob.uid)

        context = bob.context()
        offering = make_offering(
            bob.uid,
            context.now,
            request_path="requests/req-alice",
            requester_id=alice.uid,
            visibility=Visibility.PRIVATE,
        )
        data = context.data(offering, "createdAt", "updatedAt")
        context.create_with_stamp("offerings/e2e-bob", data, "lastOffering")
        wait_idle(stack)
        assert offerings_made(bob.db, bob.uid) == before + 1
        assert bob.db.document(f"users/{bob.uid}").get().get("gamification.hopePoints.total") == 0
