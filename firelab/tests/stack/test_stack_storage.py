"""The stack runs Storage: its address in the banner and the environment, storage.rules that
read the stack's Firestore, uploads that fire the codebase's Storage triggers before `idle`
answers, and exports that carry the files."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.stack import LocalStack, StackConfig
from firelab.tokens import mock_id_token

CODEBASE = Path(__file__).parents[1] / "functions" / "testdata" / "storage_codebase"
PROJECT = "demo-stack-storage"
BUCKET = f"{PROJECT}.appspot.com"
RULES = """rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    // Files of a room: written by the members its Firestore document lists.
    match /rooms/{room}/{file} {
      allow read, write: if request.auth != null
        && request.auth.uid
          in firestore.get(/databases/(default)/documents/rooms/$(room)).data.members;
    }
  }
}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    rules = tmp_path_factory.mktemp("rules") / "storage.rules"
    rules.write_text(RULES)
    config = StackConfig(
        project=PROJECT,
        functions_source=CODEBASE,
        auth=False,
        storage_rules=rules,
        export_dir=tmp_path_factory.mktemp("export"),
    )
    with LocalStack(config) as running:
        yield running


@pytest.fixture
def recorder(stack: LocalStack) -> Iterator[object]:
    module = sys.modules["storage_recorder"]
    module.reset()
    yield module
    module.reset()


def idle(stack: LocalStack) -> None:
    assert stack.functions is not None
    response = httpx.post(f"{stack.functions.url}/__firelab/idle?timeout=20", timeout=30)
    assert response.json() == {"idle": True, "pending": 0}


def upload(stack: LocalStack, uid: str, name: str, data: bytes) -> httpx.Response:
    assert stack.storage is not None
    token = mock_id_token(uid, project=PROJECT)
    return httpx.post(
        f"{stack.storage.url}/v0/b/{BUCKET}/o",
        params={"name": name},
        content=data,
        headers={"Authorization": f"Firebase {token}", "Content-Type": "text/plain"},
    )


def test_the_banner_and_environment_name_storage(stack: LocalStack):
    """describe() lists Storage with both variables; the SDKs' variables are set, and
    FIREBASE_CONFIG names the default bucket as the Functions runtime does."""
    assert stack.storage is not None
    banner = stack.describe()
    assert f"FIREBASE_STORAGE_EMULATOR_HOST={stack.storage.address}" in banner
    assert f"STORAGE_EMULATOR_HOST=http://{stack.storage.address}" in banner
    assert os.environ["FIREBASE_STORAGE_EMULATOR_HOST"] == stack.storage.address
    assert os.environ["STORAGE_EMULATOR_HOST"] == stack.storage.url
    assert json.loads(os.environ["FIREBASE_CONFIG"])["storageBucket"] == BUCKET


def test_rules_read_the_stacks_firestore_and_uploads_fire_triggers(stack: LocalStack, recorder):
    """A member of the room (per Firestore) uploads and the finalized trigger has run when
    idle answers; a stranger is refused and fires nothing."""
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    client.document("rooms/blue").set({"members": ["ana"]})
    assert upload(stack, "ana", "rooms/blue/plan.txt", b"plan").status_code == 200
    assert upload(stack, "ivo", "rooms/blue/spam.txt", b"spam").status_code == 403
    idle(stack)
    names = [event["name"] for event in recorder.seen("object_finalized")]  # type: ignore[attr-defined]
    assert names == ["rooms/blue/plan.txt"]


def test_stopping_exports_the_files_with_the_documents(tmp_path: Path):
    """With an export directory, files land in storage_export/ beside Firestore's export and a
    stack started from it serves them again."""
    config = StackConfig(project=PROJECT, auth=False, export_dir=tmp_path)
    with LocalStack(config) as first:
        assert first.storage is not None
        response = httpx.post(
            f"{first.storage.url}/upload/storage/v1/b/{BUCKET}/o",
            params={"uploadType": "media", "name": "kept.txt"},
            content=b"kept",
        )
        assert response.status_code == 200
    assert (tmp_path / "storage_export" / "buckets.json").is_file()
    with LocalStack(StackConfig(project=PROJECT, auth=False, import_dir=tmp_path)) as second:
        assert second.storage is not None
        media = httpx.get(f"{second.storage.url}/storage/v1/b/{BUCKET}/o/kept.txt?alt=media")
        assert media.content == b"kept"
