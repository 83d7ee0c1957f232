"""End to end on the local stack: the firelab Firestore server, the Auth emulator and the
functions of `functions/main.py`, loaded as the Firebase CLI loads them, with trigger delivery
after every commit (the functions' own writes fire further triggers, as in production).

Members write through `member_client(uid)`. firestore.rules still denies every client, so for
now that is an administrator's client; once the rules let members write their own documents,
`member_client` returns a client signed in as the member (see firelab.pytest_plugin's
`user_client`) and every test here reads back exactly what that member may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import firebase_admin
import httpx
import pytest
from firebase_admin import auth
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.stack import LocalStack, StackConfig
from mitche.catalog import SEED_CATALOG
from mitche.handlers import default_deps
from mitche.models import ModeratorRoster
from mitche.services import admin_app, to_document
from tests.mitche.handlers.factories import accepted, make_offering, make_report, make_user

PROJECT = "demo-mitche-e2e"
FUNCTIONS = Path(__file__).parents[3] / "functions"


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """The whole stack, with the seed catalog loaded as a fresh install would."""
    _delete_default_app()
    config = StackConfig(project=PROJECT, functions_source=FUNCTIONS, auth=True)
    with LocalStack(config) as running:
        default_deps().settings.invalidate()
        admin = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        for achievement_id, achievement in SEED_CATALOG.items():
            admin.document(f"achievements/{achievement_id}").set(to_document(achievement, admin))
        yield running
    default_deps().settings.invalidate()
    _delete_default_app()


def member_client(stack: LocalStack, uid: str) -> firestore.Client:
    """The client `uid`'s app would use (an administrator's until the rules open up)."""
    return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())


def wait_idle(stack: LocalStack) -> None:
    """Wait until every trigger, cascades included, has run; none may have failed."""
    assert stack.functions is not None
    response = httpx.post(f"{stack.functions.url}/__firelab/idle?timeout=60", timeout=90)
    assert response.json() == {"idle": True, "pending": 0}
    failures = httpx.get(f"{stack.functions.url}/__firelab/failures", timeout=10).json()
    assert failures == []


def sign_up(stack: LocalStack, email: str) -> tuple[str, str]:
    """An Auth emulator account: (uid, ID token)."""
    assert stack.auth is not None
    response = httpx.post(
        f"http://{stack.auth.host}/identitytoolkit.googleapis.com/v1/accounts:signUp",
        params={"key": "fake-api-key"},
        json={"email": email, "password": "correct horse", "returnSecureToken": True},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["localId"], response.json()["idToken"]


def sign_in(stack: LocalStack, email: str) -> str:
    """A fresh ID token (it carries the account's current custom claims)."""
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


def call(stack: LocalStack, name: str, data: Any, token: str) -> httpx.Response:
    assert stack.functions is not None
    return httpx.post(
        f"{stack.functions.url}/{PROJECT}/us-central1/{name}",
        json={"data": data},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def join(stack: LocalStack, email: str, alias: str) -> tuple[str, str]:
    """A member: an account and their user document, written by their own client."""
    uid, token = sign_up(stack, email)
    client = member_client(stack, uid)
    member = make_user(uid, profile={"anonymousAlias": alias})
    client.document(f"users/{uid}").set(to_document(member, client))
    return uid, token


def test_an_offering_earns_points_an_achievement_and_a_leaderboard_line(
    stack: LocalStack,
) -> None:
    """A member's offering fires the trigger and its acceptance pays; afterwards their
    document shows the points and level, their progress shows "First Step" earned, the
    all-time board lists their alias, and today's counters count the offering. (Making the
    offering alone pays a new member nothing: acts performed alone are paid only out of
    confirmed points.)"""
    uid, _ = join(stack, "amina@example.org", "Quiet Heron 42")
    client = member_client(stack, uid)
    path, offering = make_offering(uid, "e2e-offer-1", requester="samira")
    client.document(path).set(to_document(offering, client))
    wait_idle(stack)
    client.document(path).set(to_document(accepted(offering), client))
    wait_idle(stack)

    user = client.document(f"users/{uid}").get().to_dict()
    assert user is not None
    assert user["gamification"]["hopePoints"]["total"] == 10
    assert user["gamification"]["level"] == 1
    progress = client.document(f"userAchievements/{uid}_first-offer").get().to_dict()
    assert progress is not None
    assert progress["progress"]["tier"] == 1
    board = (
        client.collection("systemSettings/leaderboards/boards/allTime/entries")
        .order_by("points", direction=firestore.Query.DESCENDING)
        .limit(10)
        .stream()
    )
    lines = [entry.to_dict() for entry in board]
    assert {"alias": "Quiet Heron 42", "points": 10} in [
        {"alias": line["alias"], "points": line["points"]} for line in lines
    ]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    shards = [doc.to_dict() for doc in client.collection(f"analytics/{today}/shards").stream()]
    assert sum(shard.get("offerings", {}).get("created", 0) for shard in shards) >= 1
    assert sum(shard.get("hopePoints", {}).get("awarded", 0) for shard in shards) >= 10


def test_a_report_hides_content_and_a_moderator_decides_through_the_callable(
    stack: LocalStack,
) -> None:
    """A critical report by a new member flags the offering (a reporter's choice never hides
    anything by itself) and is assigned to the moderator an admin appointed through
    `set_member_role`; the moderator's `resolve_report` call warns the author (hiding the
    offering), whose custom claims in the Auth emulator then say so, and the reporter is
    rewarded (reportUpheld, 10, plus the "Guardian" tier 1 reward, 5)."""
    admin_uid, _ = join(stack, "admin@example.org", "Calm Owl 01")
    admin_claims = {"role": "admin", "accountStatus": "active"}
    auth.set_custom_user_claims(admin_uid, admin_claims, app=admin_app())
    admin_token = sign_in(stack, "admin@example.org")
    moderator_uid, _ = join(stack, "kenji@example.org", "Kind Crane 07")
    appointment = {"uid": moderator_uid, "role": "moderator"}
    response = call(stack, "set_member_role", appointment, admin_token)
    assert response.status_code == 200, response.text
    wait_idle(stack)
    roster = member_client(stack, admin_uid).document("systemSettings/moderators").get()
    assert moderator_uid in ModeratorRoster.model_validate(roster.to_dict()).moderator_ids

    author_uid, _ = join(stack, "omar@example.org", "Bright Fox 19")
    reporter_uid, _ = join(stack, "samira@example.org", "Gentle Deer 33")
    author = member_client(stack, author_uid)
    path, offering = make_offering(author_uid, "e2e-offer-2", requester=reporter_uid)
    author.document(path).set(to_document(offering, author))
    wait_idle(stack)
    reporter = member_client(stack, reporter_uid)
    report_path, report = make_report(reporter_uid, path, reason="violence")
    reporter.document(report_path).set(to_document(report, reporter))
    wait_idle(stack)

    flagged = author.document(path).get().to_dict()
    assert flagged is not None
    assert flagged["moderation"]["status"] == "flagged"
    filed = reporter.document(report_path).get().to_dict()
    assert filed is not None
    assert "assignedModeratorId" not in filed
    case = reporter.document(f"{report_path}/private/case").get().to_dict()
    assert case is not None
    assert case["assignedModeratorId"] == moderator_uid

    moderator_token = sign_in(stack, "kenji@example.org")
    decision = {"reportId": report_path.split("/")[1], "action": "warn", "note": "Threats"}
    response = call(stack, "resolve_report", decision, moderator_token)
    assert response.status_code == 200, response.text
    assert response.json()["result"]["status"] == "resolved"
    wait_idle(stack)

    hidden = author.document(path).get().to_dict()
    assert hidden is not None
    assert hidden["moderation"]["status"] == "hidden"
    claims = auth.get_user(author_uid, app=admin_app()).custom_claims
    assert claims == {"role": "user", "accountStatus": "warned", "verifiedProvider": False}
    rewarded = reporter.document(f"users/{reporter_uid}").get().to_dict()
    assert rewarded is not None
    assert rewarded["gamification"]["hopePoints"]["guardian"] == 15
    decided = reporter.document(report_path).get().to_dict()
    assert decided is not None
    assert decided["outcome"]["upheld"] is True
    assert "resolution" not in decided


def test_a_member_cannot_resolve_reports(stack: LocalStack) -> None:
    """Without the moderator claim the callable answers PERMISSION_DENIED."""
    _, token = join(stack, "nobody@example.org", "Shy Mole 55")
    response = call(stack, "resolve_report", {"reportId": "x", "action": "hide"}, token)
    assert response.status_code == 403
    assert response.json()["error"]["status"] == "PERMISSION_DENIED"


def test_the_daily_schedule_writes_yesterdays_analytics(stack: LocalStack) -> None:
    """Running the daily schedule writes the day that just ended, from its shards."""
    assert stack.functions is not None
    run = f"{stack.functions.url}/__firelab/schedules/daily_analytics:run"
    response = httpx.post(run, timeout=30)
    assert response.status_code == 200
    yesterday = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    document = member_client(stack, "admin").document(f"analytics/{yesterday}").get().to_dict()
    assert document is not None
    assert document["source"] == "counters"
