"""Seeding: the Firestore writes the seed makes, batching, and account creation through the
Auth emulator's REST API.

The Auth emulator is replaced by `httpx.MockTransport` serving a small in-memory model of the
endpoints the seed calls, with the emulator's documented answers (a privileged `signUp` with a
`localId`, `DUPLICATE_LOCAL_ID` for a taken uid, `setAccountInfo` with serialized
`customAttributes`). Firestore is not replaced: writing to a real server is tested with the
local stack.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from google.cloud import firestore
from google.cloud.firestore_v1 import DocumentReference
from hypothesis import given
from hypothesis import strategies as st

from mitche.errors import FailedPreconditionError
from mitche_dev.devstack import (
    DEMO_NOW,
    AuthEmulatorError,
    DemoAccount,
    demo_accounts,
    seed_accounts,
    seed_writes,
)
from mitche_dev.devstack.seed import chunked

PROJECT = "demo-mitche"
HOST = "127.0.0.1:9099"
ACCOUNTS_PATH = f"/identitytoolkit.googleapis.com/v1/projects/{PROJECT}/accounts"


def _error(message: str) -> httpx.Response:
    return httpx.Response(400, json={"error": {"code": 400, "message": message}})


@dataclass
class FakeAuthEmulator:
    """The account endpoints of the Auth emulator the seed uses, held in memory."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[httpx.Request] = field(default_factory=list)
    refuse_with: str | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if request.headers.get("authorization") != "Bearer owner":
            return httpx.Response(401, json={"error": {"message": "UNAUTHENTICATED"}})
        if self.refuse_with is not None:
            return _error(self.refuse_with)
        body = json.loads(request.content)
        if request.method == "POST" and request.url.path == ACCOUNTS_PATH:
            return self._sign_up(body)
        if request.method == "POST" and request.url.path == f"{ACCOUNTS_PATH}:update":
            return self._update(body)
        return httpx.Response(404, json={"error": {"message": "NOT_FOUND"}})

    def _sign_up(self, body: dict[str, Any]) -> httpx.Response:
        uid = body["localId"]
        if uid in self.users:
            return _error("DUPLICATE_LOCAL_ID")
        if any(user["email"] == body["email"] for user in self.users.values()):
            return _error("EMAIL_EXISTS")
        self.users[uid] = {key: value for key, value in body.items() if key != "localId"}
        return httpx.Response(200, json={"localId": uid, "email": body["email"]})

    def _update(self, body: dict[str, Any]) -> httpx.Response:
        uid = body.pop("localId", None)
        if uid is None:
            return _error("MISSING_LOCAL_ID")
        if uid not in self.users:
            return _error("USER_NOT_FOUND")
        claims = body.get("customAttributes")
        if claims is not None and not isinstance(json.loads(claims), dict):
            return _error("INVALID_CLAIMS")
        self.users[uid].update(body)
        return httpx.Response(200, json={"localId": uid})


def _run(emulator: FakeAuthEmulator, accounts: list[DemoAccount]) -> Any:
    return seed_accounts(HOST, PROJECT, accounts, transport=httpx.MockTransport(emulator.handle))


def test_seed_writes_references_as_document_references(client: firestore.Client) -> None:
    """Reference fields are written as Firestore references, not path strings."""
    writes: dict[str, dict[str, Any]] = {}
    for path, data in seed_writes(client, DEMO_NOW):
        writes.setdefault(path, data)
    request_path = writes["offerings/off-bob-groceries"]["requestPath"]
    assert isinstance(request_path, DocumentReference)
    assert request_path.path == "requests/req-groceries-croix-rousse"


@given(items=st.lists(st.integers(), max_size=60), size=st.integers(min_value=1, max_value=25))
def test_chunks_cover_the_items_in_order(items: list[int], size: int) -> None:
    """Chunks concatenate back to the items, none is empty or larger than the size, and there
    are as few as possible."""
    chunks = list(chunked(items, size))
    assert [item for chunk in chunks for item in chunk] == items
    assert all(1 <= len(chunk) <= size for chunk in chunks)
    assert len(chunks) == math.ceil(len(items) / size)


def test_chunk_size_must_be_positive() -> None:
    """A chunk size below one is refused."""
    with pytest.raises(ValueError, match="at least one item"):
        list(chunked([1, 2], 0))


def test_accounts_are_created_with_their_uid_password_and_claims() -> None:
    """On an empty emulator every account is created under its uid, with email, password,
    display name and the custom claims as a JSON object."""
    emulator = FakeAuthEmulator()
    accounts = demo_accounts()
    report = _run(emulator, accounts)
    assert report.created == tuple(account.uid for account in accounts)
    assert report.updated == ()
    for account in accounts:
        stored = emulator.users[account.uid]
        assert stored["email"] == account.email
        assert stored["password"] == account.password
        assert stored["displayName"] == account.display_name
        assert json.loads(stored["customAttributes"]) == dict(account.custom_claims)


def test_every_call_is_an_administrator_call_to_the_project() -> None:
    """Each request carries the emulator's administrator token and targets the project's
    accounts endpoints."""
    emulator = FakeAuthEmulator()
    _run(emulator, demo_accounts())
    assert emulator.calls
    for call in emulator.calls:
        assert call.headers["authorization"] == "Bearer owner"
        assert call.url.host == "127.0.0.1"
        assert call.url.port == 9099
        assert call.url.path in {ACCOUNTS_PATH, f"{ACCOUNTS_PATH}:update"}


def test_seeding_again_resets_existing_accounts() -> None:
    """A second run finds every uid taken and resets email, password, name and claims, so
    the stack can be seeded repeatedly."""
    emulator = FakeAuthEmulator()
    accounts = demo_accounts()
    _run(emulator, accounts)
    emulator.users["alice"]["password"] = "changed-by-a-test"
    emulator.users["sam"]["customAttributes"] = "{}"
    report = _run(emulator, accounts)
    assert report.created == ()
    assert report.updated == tuple(account.uid for account in accounts)
    assert emulator.users["alice"]["password"] == "alice-demo-password"
    (sam,) = [account for account in accounts if account.uid == "sam"]
    assert json.loads(emulator.users["sam"]["customAttributes"]) == dict(sam.custom_claims)


def test_a_refusal_names_the_emulator_message() -> None:
    """An error answer raises AuthEmulatorError (a FailedPreconditionError) quoting the
    emulator's message."""
    emulator = FakeAuthEmulator(refuse_with="EMAIL_EXISTS")
    with pytest.raises(AuthEmulatorError, match="create account 'alice': 400 EMAIL_EXISTS"):
        _run(emulator, demo_accounts())
    assert issubclass(AuthEmulatorError, FailedPreconditionError)


def test_an_unreachable_emulator_is_reported_once_translated() -> None:
    """A connection failure raises AuthEmulatorError naming the emulator, caused by the
    transport error."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(AuthEmulatorError, match=r"127\.0\.0\.1:9099 did not answer") as caught:
        seed_accounts(HOST, PROJECT, demo_accounts(), transport=httpx.MockTransport(refuse))
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_seed_is_deterministic_in_what_it_writes(client: firestore.Client) -> None:
    """Two plans for the same now are equal, so reseeding writes the same data."""
    now = dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert seed_writes(client, now) == seed_writes(client, now)
