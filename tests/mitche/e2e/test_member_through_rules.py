"""End to end through the security boundary: a member signed in with the Auth emulator writes
through firestore.rules with their own token, the trigger fires, and the member reads back, as
the rules let them, the points their act earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import firebase_admin
import httpx
import pytest
from firebase_admin import auth
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import UserClients
from firelab.stack import LocalStack, StackConfig
from mitche.handlers import default_deps
from mitche.models._base import MitcheModel
from mitche.models.common import Visibility
from mitche.services import admin_app, to_document
from tests.rules.scenarios import Context
from tests.rules.world import make_offering, world

REPOSITORY = Path(__file__).resolve().parents[3]
PROJECT = "demo-mitche-rules-e2e"


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """Mitché's rules, indexes and functions, with the Auth emulator."""
    _delete_default_app()
    config = StackConfig(
        project=PROJECT,
        rules=REPOSITORY / "firestore.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
        enforce_indexes=True,
        functions_source=REPOSITORY / "functions",
        auth=True,
    )
    with LocalStack(config) as running:
        default_deps().settings.invalidate()
        yield running
    default_deps().settings.invalidate()
    _delete_default_app()


def sign_in_as(stack: LocalStack, uid: str) -> str:
    """An Auth emulator account with a chosen uid (as the demo's members have), signed in."""
    email = f"{uid}@example.org"
    auth.create_user(
        uid=uid, email=email, email_verified=True, password="correct horse", app=admin_app()
    )
    assert stack.auth is not None
    response = httpx.post(
        f"http://{stack.auth.host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
        params={"key": "fake-api-key"},
        json={"email": email, "password": "correct horse", "returnSecureToken": True},
        timeout=10,
    )
    response.raise_for_status()
    token: str = response.json()["idToken"]
    return token


def wait_idle(stack: LocalStack) -> None:
    assert stack.functions is not None
    idle = httpx.post(f"{stack.functions.url}/__firelab/idle?timeout=60", timeout=90)
    assert idle.json() == {"idle": True, "pending": 0}


def seed(owner: firestore.Client, now: dt.datetime) -> None:
    """The rules suites' world, written with the rules bypassed."""
    batch = owner.batch()
    for path, document in world(now).items():
        data = to_document(document, owner) if isinstance(document, MitcheModel) else document
        batch.set(owner.document(path), data)
    batch.commit()


def offerings_made(client: firestore.Client, uid: str) -> int:
    me = client.document(f"users/{uid}").get().to_dict()
    assert me is not None
    count: int = me.get("stats", {}).get("offeringsMade", 0)
    return count


def test_an_offering_written_through_the_rules_is_counted_where_the_member_can_read_it(
    stack: LocalStack,
) -> None:
    """Bob offers help on Alice's request through his own client; the rules accept the batch
    (the offering plus his rate-limit stamp), the trigger counts it, and he reads his new
    count on his own user document (an offering made alone pays a member without confirmed
    points nothing)."""
    now = dt.datetime.now(dt.UTC)
    owner = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    seed(owner, now)
    wait_idle(stack)
    before = offerings_made(owner, "bob")
    token = sign_in_as(stack, "bob")
    assert stack.firestore is not None
    entrance = UserClients(stack.firestore.address).start()
    try:
        bob = entrance.client(PROJECT, token)
        context = Context(db=bob, me="bob", signed_in=True, now=now)
        offering = make_offering(
            "bob",
            now,
            request_path="requests/req-alice",
            requester_id="alice",
            visibility=Visibility.PRIVATE,
        )
        data = context.data(offering, "createdAt", "updatedAt")
        context.create_with_stamp("offerings/e2e-bob", data, "lastOffering")
        wait_idle(stack)
        assert offerings_made(bob, "bob") == before + 1
    finally:
        entrance.close()
