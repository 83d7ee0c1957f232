"""Members of the e2e suites as their apps are: an Auth emulator account, its ID token, and a
google-cloud-firestore client that carries that token through firestore.rules.

No helper here hands out an administrator's client: a member's writes are judged by the rules
exactly as the app's would be, and the server's fields come from the functions. The operator's
own acts (the setup commands, `grant-role` for the first admin) run as `python -m
mitche.commands` does, against the stack's emulators.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import httpx
from google.cloud.firestore import SERVER_TIMESTAMP, Client

from firelab.server import UserClients
from firelab.stack import LocalStack
from mitche.commands import main as operator_command
from tests.rules.scenarios import Context
from tests.rules.world import make_user

__all__ = ["Member", "call", "operator", "sign_up", "wait_idle"]

PASSWORD = "correct horse"


@dataclass(frozen=True, slots=True)
class Member:
    """A signed-in member: uid, email, current ID token and their own Firestore client."""

    uid: str
    email: str
    token: str
    db: Client

    def context(self) -> Context:
        """The rules suites' writer for this member (client-written keys only, stamps)."""
        return Context(db=self.db, me=self.uid, signed_in=True, now=dt.datetime.now(dt.UTC))


def _identity_toolkit(stack: LocalStack, action: str, body: dict[str, Any]) -> dict[str, Any]:
    """One Identity Toolkit call a client SDK makes (the emulator accepts any API key)."""
    assert stack.auth is not None
    response = httpx.post(
        f"http://{stack.auth.host}/identitytoolkit.googleapis.com/v1/accounts:{action}",
        params={"key": "fake-api-key"},
        json=body,
        timeout=10,
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def _signed_in(stack: LocalStack, email: str) -> dict[str, Any]:
    credentials = {"email": email, "password": PASSWORD, "returnSecureToken": True}
    return _identity_toolkit(stack, "signInWithPassword", credentials)


def _verify_email(stack: LocalStack, project: str, email: str, token: str) -> None:
    """The verification link followed, as the app's `sendEmailVerification` then
    `applyActionCode` do: the emulator keeps the out-of-band code instead of mailing it."""
    assert stack.auth is not None
    _identity_toolkit(stack, "sendOobCode", {"requestType": "VERIFY_EMAIL", "idToken": token})
    listed = httpx.get(f"http://{stack.auth.host}/emulator/v1/projects/{project}/oobCodes")
    listed.raise_for_status()
    codes = [
        entry["oobCode"]
        for entry in listed.json()["oobCodes"]
        if entry["email"] == email and entry["requestType"] == "VERIFY_EMAIL"
    ]
    assert codes, f"a verification email was sent to {email}"
    _identity_toolkit(stack, "update", {"oobCode": codes[-1]})


def sign_up(
    stack: LocalStack,
    doors: UserClients,
    project: str,
    email: str,
    alias: str,
    *,
    on_leaderboard: bool = False,
) -> Member:
    """A new Auth account, its email verified, whose own client writes its profile and alias
    claim (one batch, as onboarding does), then its consents (on the leaderboards if they opt
    in: the consents trigger sets the profile's setting); the rules judge every key."""
    credentials = {"email": email, "password": PASSWORD, "returnSecureToken": True}
    created = _identity_toolkit(stack, "signUp", credentials)
    _verify_email(stack, project, email, created["idToken"])
    uid, token = created["localId"], _signed_in(stack, email)["idToken"]
    member = Member(uid=uid, email=email, token=token, db=doors.client(project, token))
    context = member.context()
    user = make_user(uid, context.now)
    profile = user.model_copy(
        update={
            "profile": user.profile.model_copy(update={"anonymous_alias": alias}),
            "privacy": user.privacy.model_copy(
                update={"leaderboard_opt_in": False, "analytics_opt_in": True}
            ),
        }
    )
    context.create_profile(uid, context.data(profile, "createdAt", "updatedAt"))
    member.db.document(f"users/{uid}/private/consents").set(
        {
            "termsVersion": "2026-09",
            "termsAcceptedAt": SERVER_TIMESTAMP,
            "analytics": {"granted": True, "version": "1", "answeredAt": SERVER_TIMESTAMP},
            "leaderboards": {
                "granted": on_leaderboard,
                "version": "1",
                "answeredAt": SERVER_TIMESTAMP,
            },
            "updatedAt": SERVER_TIMESTAMP,
        }
    )
    return member


def signed_in_again(member: Member, stack: LocalStack, doors: UserClients, project: str) -> Member:
    """The member with a fresh ID token (it carries the account's current custom claims)."""
    token = _signed_in(stack, member.email)["idToken"]
    return Member(member.uid, member.email, token, doors.client(project, token))


def operator(project: str, *args: str) -> None:
    """`python -m mitche.commands --project PROJECT ARGS` against the stack's emulators (in this
    process, whose environment the stack set), as the operator runs it; fails unless it exits
    0."""
    with contextlib.redirect_stdout(io.StringIO()):
        status = operator_command(["--project", project, *args])
    assert status == 0, args


def call(stack: LocalStack, project: str, name: str, data: Any, token: str) -> httpx.Response:
    """A callable invoked as the app's `httpsCallable` does, with the member's ID token."""
    assert stack.functions is not None
    return httpx.post(
        f"{stack.functions.url}/{project}/us-central1/{name}",
        json={"data": data},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def wait_idle(stack: LocalStack) -> None:
    """Wait until every trigger, cascades included, has run; none may have failed."""
    assert stack.functions is not None
    response = httpx.post(f"{stack.functions.url}/__firelab/idle?timeout=60", timeout=90)
    assert response.json() == {"idle": True, "pending": 0}
    failures = httpx.get(f"{stack.functions.url}/__firelab/failures", timeout=10).json()
    assert failures == []
