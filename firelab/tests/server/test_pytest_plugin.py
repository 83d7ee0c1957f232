"""The pytest plugin's fixtures: each client acts as who it says, and clearing empties the
project. Identities are observed with a recording policy installed for the session project."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from firelab.server import ALLOW_ALL, AccessRequest, Decision


@dataclass
class Recorder:
    """Allows everything and keeps each request's caller."""

    callers: list[tuple[str | None, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, request: AccessRequest) -> Decision:
        with self.lock:
            self.callers.append((request.identity.uid, request.identity.claims is not None))
        return Decision(True)


@pytest.fixture
def recorder(firestore_server, firestore_project, firestore_clear) -> Iterator[Recorder]:
    """A recording policy for the session project, removed afterwards."""
    if firestore_server.local is None:
        pytest.fail("needs the in-process server (FIRESTORE_EMULATOR_HOST is set)")
    recording = Recorder()
    firestore_server.local.access.set_policy(recording, firestore_project)
    try:
        yield recording
    finally:
        firestore_server.local.access.set_policy(ALLOW_ALL, firestore_project)


def test_clearing_empties_the_project(firestore_server, owner_client, firestore_project):
    """`firestore_clear` (here called directly) deletes every document of the project."""
    owner_client.document("c/d").set({"n": 1})
    firestore_server.clear()
    assert list(owner_client.collections()) == []
    assert firestore_project == firestore_server.project


def test_owner_clients_bypass_the_policy(recorder, owner_client, admin_firestore):
    """google-cloud-firestore's and firebase-admin's clients are owners."""
    owner_client.document("c/a").set({"n": 1})
    assert admin_firestore.document("c/a").get().to_dict() == {"n": 1}
    assert recorder.callers == []


def test_user_and_anonymous_clients_are_who_they_say(recorder, user_client, anonymous_client):
    """`user_client(uid, **claims)` is that user; `anonymous_client` has no identity."""
    user_client("alice", admin=True).document("c/a").set({"n": 1})
    anonymous_client.document("c/a").get()
    assert recorder.callers == [("alice", True), (None, False)]


async def test_async_clients_are_who_they_say(
    recorder, owner_async_client, anonymous_async_client, user_async_client
):
    """The AsyncClient fixtures act as owner, signed-out visitor and user."""
    await owner_async_client.document("c/a").set({"n": 1})
    await anonymous_async_client.document("c/a").get()
    await user_async_client("bob").document("c/a").get()
    assert recorder.callers == [(None, False), ("bob", True)]


def test_owner_clients_reach_the_session_server_whatever_the_environment_says(
    firestore_server, monkeypatch
):
    """A test (or a fixture that was active when the session began) may unset or change
    FIRESTORE_EMULATOR_HOST; owner clients still talk to the session's server, never to
    production."""
    firestore_server.clear()
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST")
    firestore_server.owner_client().document("c/env").set({"n": 1})
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9")
    assert firestore_server.owner_client().document("c/env").get().to_dict() == {"n": 1}
    assert os.environ["FIRESTORE_EMULATOR_HOST"] == "127.0.0.1:9"
