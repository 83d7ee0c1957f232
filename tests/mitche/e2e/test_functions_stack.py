"""End to end on the local stack: firestore.rules, the firelab Firestore server, the Auth
emulator and the functions of `functions/main.py`, loaded as the Firebase CLI loads them, with
trigger delivery after every commit (the functions' own writes fire further triggers, as in
production).

The database starts as a production install does (`init-settings`, `load-catalog`); members are
Auth emulator accounts writing through their own clients with their own ID tokens
(`tests/mitche/e2e/members.py`), so the rules judge every write and every server-owned field
comes from the functions. The first admin is made by the operator's `grant-role`, the moderator
by that admin through `set_member_role`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import firebase_admin
import httpx
import pytest
from firebase_admin import auth
from google.cloud import firestore
from google.cloud.firestore import SERVER_TIMESTAMP

from firelab.server import UserClients
from firelab.stack import LocalStack, StackConfig
from mitche.handlers import default_deps
from mitche.models import ModeratorRoster, OfferingType, ReportReason, ReportTargetType
from mitche.services import admin_app
from tests.mitche.e2e.members import (
    Member,
    call,
    operator,
    sign_up,
    signed_in_again,
    wait_idle,
)
from tests.rules.world import make_offering, make_report, make_request, report_id

PROJECT = "demo-mitche-e2e"
REPOSITORY = Path(__file__).resolve().parents[3]


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """The whole stack with Mitché's rules and indexes, set up as a fresh install is."""
    _delete_default_app()
    config = StackConfig(
        project=PROJECT,
        rules=REPOSITORY / "firestore.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
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


@pytest.fixture(scope="module")
def doors(stack: LocalStack) -> Iterator[UserClients]:
    """The TLS entrance members' clients go through (rules enforced, tokens verified)."""
    assert stack.firestore is not None
    entrance = UserClients(stack.firestore.address).start()
    yield entrance
    entrance.close()


def join(
    stack: LocalStack, doors: UserClients, email: str, alias: str, *, on_leaderboard: bool = False
) -> Member:
    """A member who signed up and wrote their own profile."""
    member = sign_up(stack, doors, PROJECT, email, alias, on_leaderboard=on_leaderboard)
    wait_idle(stack)
    return member


@pytest.fixture(scope="module")
def admin(stack: LocalStack, doors: UserClients) -> Member:
    """The first admin: a member the operator named with `grant-role`, signed in again so
    their token carries the claim."""
    member = join(stack, doors, "admin@example.org", "Calm Owl 01")
    operator(PROJECT, "grant-role", "--uid", member.uid, "--role", "admin")
    wait_idle(stack)
    return signed_in_again(member, stack, doors, PROJECT)


def posts_request(stack: LocalStack, member: Member, request_id: str) -> str:
    """`member` posts a request with their rate-limit stamp (postRequest); the screen runs."""
    context = member.context()
    request = make_request(member.uid, context.now)
    path = f"requests/{request_id}"
    context.create_with_stamp(path, context.data(request, "createdAt", "updatedAt"), "lastRequest")
    wait_idle(stack)
    return path


def offers(
    stack: LocalStack, member: Member, offering_id: str, request: str | None, requester: str | None
) -> str:
    """`member` answers `request` (offerHelp), or offers to anyone when it is None."""
    context = member.context()
    fields = {} if request is None else {"request_path": request, "requester_id": requester}
    offering = make_offering(member.uid, context.now, offering_type=OfferingType.HELP, **fields)
    path = f"offerings/{offering_id}"
    data = context.data(offering, "createdAt", "updatedAt")
    context.create_with_stamp(path, data, "lastOffering")
    wait_idle(stack)
    return path


def test_an_accepted_offering_earns_points_an_achievement_and_a_leaderboard_line(
    stack: LocalStack, doors: UserClients, admin: Member
) -> None:
    """A helper's offering on a member's request, once the requester accepts it, pays the
    helper (offeringAccepted, 10); afterwards the helper's document shows the points and level,
    their progress shows "First Step" earned, the all-time board lists their alias (they opted
    in), and
    today's counters (read by the admin) count the offering. (Making the offering alone pays a
    new member nothing: acts performed alone are paid only out of confirmed points.)"""
    samira = join(stack, doors, "samira@example.org", "Gentle Deer 33")
    amina = join(stack, doors, "amina@example.org", "Quiet Heron 42", on_leaderboard=True)
    request = posts_request(stack, samira, "e2e-request-1")
    path = offers(stack, amina, "e2e-offer-1", request, samira.uid)
    assert amina.db.document(f"users/{amina.uid}").get().get("gamification.hopePoints.total") == 0
    accept = {"status": "accepted", "respondedAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP}
    samira.db.document(path).update(accept)
    wait_idle(stack)

    user = amina.db.document(f"users/{amina.uid}").get().to_dict()
    assert user is not None
    assert user["gamification"]["hopePoints"]["total"] == 10
    assert user["gamification"]["level"] == 1
    progress = amina.db.document(f"userAchievements/{amina.uid}_first-offer").get().to_dict()
    assert progress is not None
    assert progress["progress"]["tier"] == 1
    board = (
        amina.db.collection("systemSettings/leaderboards/boards/allTime/entries")
        .order_by("points", direction=firestore.Query.DESCENDING)
        .limit(10)
        .stream()
    )
    lines = [{"alias": line.get("alias"), "points": line.get("points")} for line in board]
    assert {"alias": "Quiet Heron 42", "points": 10} in lines
    today = dt.datetime.now(dt.UTC).date().isoformat()
    shards = [doc.to_dict() for doc in admin.db.collection(f"analytics/{today}/shards").stream()]
    assert sum(shard.get("offerings", {}).get("created", 0) for shard in shards) >= 1
    assert sum(shard.get("hopePoints", {}).get("awarded", 0) for shard in shards) >= 10


def test_a_report_hides_content_and_a_moderator_decides_through_the_callable(
    stack: LocalStack, doors: UserClients, admin: Member
) -> None:
    """A critical report by a new member flags the offering (a reporter's choice never hides
    anything by itself) and its case is assigned to a moderator on the roster (the one the
    admin appointed through `set_member_role`, or the admin); the moderator's `resolve_report`
    call warns the author (hiding the offering), whose custom claims in the Auth emulator then
    say so, and the reporter is rewarded (reportUpheld, 10, plus the "Guardian" tier 1 reward,
    5) and reads only the outcome."""
    kenji = join(stack, doors, "kenji@example.org", "Kind Crane 07")
    response = call(
        stack, PROJECT, "set_member_role", {"uid": kenji.uid, "role": "moderator"}, admin.token
    )
    assert response.status_code == 200, response.text
    wait_idle(stack)
    roster = admin.db.document("systemSettings/moderators").get()
    assert kenji.uid in ModeratorRoster.model_validate(roster.to_dict()).moderator_ids

    omar = join(stack, doors, "omar@example.org", "Bright Fox 19")
    reporter = join(stack, doors, "lina@example.org", "Gentle Lark 34")
    path = offers(stack, omar, "e2e-offer-2", None, None)
    context = reporter.context()
    report = make_report(
        reporter.uid,
        path,
        context.now,
        target_type=ReportTargetType.OFFERING,
        reason=ReportReason.VIOLENCE,
        details="Threatens the people who answer.",
    )
    report_path = f"reports/{report_id(path, reporter.uid)}"
    context.create_with_stamp(report_path, context.data(report, "createdAt"), "lastReport")
    wait_idle(stack)

    flagged = omar.db.document(path).get().to_dict()
    assert flagged is not None
    assert flagged["moderation"]["status"] == "flagged"
    filed = reporter.db.document(report_path).get().to_dict()
    assert filed is not None
    assert "assignedModeratorId" not in filed
    case = admin.db.document(f"{report_path}/private/case").get().to_dict()
    assert case is not None
    roster = admin.db.document("systemSettings/moderators").get().to_dict() or {}
    assert case["assignedModeratorId"] in roster["moderatorIds"]  # kenji, or the admin

    moderator = signed_in_again(kenji, stack, doors, PROJECT)
    decision = {"reportId": report_path.split("/")[1], "action": "warn", "note": "Threats"}
    response = call(stack, PROJECT, "resolve_report", decision, moderator.token)
    assert response.status_code == 200, response.text
    assert response.json()["result"]["status"] == "resolved"
    wait_idle(stack)

    hidden = omar.db.document(path).get().to_dict()
    assert hidden is not None
    assert hidden["moderation"]["status"] == "hidden"
    claims = auth.get_user(omar.uid, app=admin_app()).custom_claims
    assert claims == {"role": "user", "accountStatus": "warned", "verifiedProvider": False}
    rewarded = reporter.db.document(f"users/{reporter.uid}").get().to_dict()
    assert rewarded is not None
    assert rewarded["gamification"]["hopePoints"]["guardian"] == 15
    decided = reporter.db.document(report_path).get().to_dict()
    assert decided is not None
    assert decided["outcome"]["upheld"] is True
    assert "resolution" not in decided


def test_a_member_cannot_resolve_reports(stack: LocalStack, doors: UserClients) -> None:
    """Without the moderator claim the callable answers PERMISSION_DENIED."""
    nobody = join(stack, doors, "nobody@example.org", "Shy Mole 55")
    response = call(
        stack, PROJECT, "resolve_report", {"reportId": "x", "action": "hide"}, nobody.token
    )
    assert response.status_code == 403
    assert response.json()["error"]["status"] == "PERMISSION_DENIED"


def test_the_daily_schedule_writes_yesterdays_analytics(stack: LocalStack, admin: Member) -> None:
    """Running the daily schedule writes the day that just ended, from its shards, and the
    admin reads it."""
    assert stack.functions is not None
    run = f"{stack.functions.url}/__firelab/schedules/daily_analytics:run"
    response = httpx.post(run, timeout=30)
    assert response.status_code == 200
    yesterday = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    document = admin.db.document(f"analytics/{yesterday}").get().to_dict()
    assert document is not None
    assert document["source"] == "counters"
