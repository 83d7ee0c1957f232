"""The plugin's Storage fixtures: a session server whose rules read the session's Firestore,
the SDKs' variables pointing at it, clearing, rules loading, and a server-SDK bucket."""

from __future__ import annotations

import os

import httpx
import pytest

from firelab.storage._fixtures import StorageRequestError
from firelab.tokens import mock_id_token

RULES = """rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /teams/{team}/{file} {
      allow read: if request.auth.uid
        in firestore.get(/databases/(default)/documents/teams/$(team)).data.members;
    }
  }
}
"""


def test_the_environment_names_the_session_server(storage_server):
    """FIREBASE_STORAGE_EMULATOR_HOST and STORAGE_EMULATOR_HOST point at it."""
    assert os.environ["FIREBASE_STORAGE_EMULATOR_HOST"] == storage_server.host
    assert os.environ["STORAGE_EMULATOR_HOST"] == storage_server.url


def test_rules_read_the_session_firestore(storage_server, storage_bucket, owner_client):
    """Seed with the server SDK, then a member's read is judged from Firestore."""
    storage_server.load_rules(RULES)
    owner_client.document("teams/red").set({"members": ["kim"]})
    storage_bucket.blob("teams/red/plan.txt").upload_from_string("plan")
    url = f"{storage_server.url}/v0/b/{storage_server.bucket}/o/teams%2Fred%2Fplan.txt"

    def read_as(uid: str) -> int:
        token = mock_id_token(uid, project=storage_server.project)
        return httpx.get(url, headers={"Authorization": f"Firebase {token}"}).status_code

    assert read_as("kim") == 200
    assert read_as("lee") == 403


def test_clearing_forgets_every_file(storage_server, storage_bucket, storage_clear):
    """`storage_clear` empties the bucket; `clear()` does the same on demand."""
    storage_bucket.blob("x.txt").upload_from_string("x")
    storage_server.clear()
    assert list(storage_bucket.list_blobs()) == []


def test_rules_that_do_not_compile_fail_loudly(storage_server):
    """load_rules raises with the server's answer."""
    with pytest.raises(StorageRequestError, match="400"):
        storage_server.load_rules("service firebase.storage {")
