"""A Storage server per module, with rules that let signed-in users write below their uid."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from firelab.storage import StorageServer
from firelab.tokens import mock_id_token

PROJECT = "demo-storage"
BUCKET = f"{PROJECT}.appspot.com"

RULES = """rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /users/{uid}/{allPaths=**} {
      allow read: if request.auth != null;
      allow write: if request.auth.uid == uid && request.resource.size < 1024 * 1024;
      allow delete: if request.auth.uid == uid;
    }
  }
}
"""


@pytest.fixture(scope="module")
def storage() -> Iterator[StorageServer]:
    """A running server with RULES loaded."""
    with StorageServer(project=PROJECT) as server:
        assert server.load_rules(RULES) == []
        yield server


@pytest.fixture
def http(storage: StorageServer) -> Iterator[httpx.Client]:
    """An HTTP client for the server, starting from an empty store."""
    storage.reset()
    with httpx.Client(base_url=storage.url, timeout=30) as client:
        yield client


def firebase_auth(uid: str) -> dict[str, str]:
    """The header the web SDK sends for a signed-in user."""
    return {"Authorization": f"Firebase {mock_id_token(uid, project=PROJECT)}"}


OWNER = {"Authorization": "Firebase owner"}
