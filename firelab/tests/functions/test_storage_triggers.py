"""Object changes on a local Storage server reach `storage_fn` triggers as the CloudEvents
production sends: the right type per change, the object's JSON resource as data, the bucket
filter honoured, retries with the same event id, and `wait_idle` covering them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from google.cloud import storage as gcs

from firelab.functions import FunctionKind, FunctionsCodebase, TriggerDispatcher, load_codebase
from firelab.functions._storage_events import connect_storage_triggers
from firelab.storage import StorageServer

CODEBASE = Path(__file__).parent / "testdata" / "storage_codebase"
PROJECT = "demo-storage-triggers"
BUCKET = f"{PROJECT}.appspot.com"


@pytest.fixture(scope="module")
def storage_codebase() -> FunctionsCodebase:
    """The codebase, imported with FIREBASE_CONFIG naming the default bucket (as the Functions
    runtime and the local stack set it)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("FIREBASE_CONFIG", json.dumps({"projectId": PROJECT, "storageBucket": BUCKET}))
    try:
        return load_codebase(CODEBASE)
    finally:
        patch.undo()


@pytest.fixture
def recorder() -> Iterator[ModuleType]:
    module = sys.modules["storage_recorder"]
    module.reset()
    yield module
    module.reset()


@pytest.fixture
def wired(
    storage_codebase: FunctionsCodebase, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TriggerDispatcher, gcs.Bucket]]:
    """A Storage server whose changes feed a dispatcher, and a google-cloud-storage bucket."""
    with StorageServer(project=PROJECT) as server:
        dispatcher = TriggerDispatcher(storage_codebase, initial_backoff=0.001, max_attempts=3)
        disconnect = connect_storage_triggers(server, dispatcher, storage_codebase)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        client = gcs.Client(project=PROJECT)
        try:
            yield dispatcher, client.bucket(BUCKET)
        finally:
            client.close()
            disconnect()
            dispatcher.close()


def test_storage_functions_are_discovered_with_their_buckets(
    storage_codebase: FunctionsCodebase, monkeypatch: pytest.MonkeyPatch
):
    """on_object_* decorators are Storage triggers; the bucket comes from the filter, a
    `params.STORAGE_BUCKET` expression resolved from the environment as the CLI does."""
    monkeypatch.setenv("STORAGE_BUCKET", BUCKET)
    found = {f.name: f.bucket for f in storage_codebase.of_kind(FunctionKind.STORAGE)}
    assert found == {
        "object_finalized": BUCKET,
        "object_deleted": BUCKET,
        "object_metadata_updated": BUCKET,
        "other_bucket_finalized": "another-bucket",
        "param_bucket_deleted": BUCKET,
    }


def test_an_upload_fires_finalized_with_the_object(wired, recorder):
    """A new object: one finalized event whose data is the object; other buckets' triggers
    stay silent."""
    dispatcher, bucket = wired
    bucket.blob("photos/cat.jpg").upload_from_string(b"jpeg", content_type="image/jpeg")
    assert dispatcher.wait_idle(10)
    (event,) = recorder.seen("object_finalized")
    assert event["type"] == "google.cloud.storage.object.v1.finalized"
    assert event["subject"] == "objects/photos/cat.jpg"
    assert (event["bucket"], event["name"], event["contentType"]) == (
        BUCKET,
        "photos/cat.jpg",
        "image/jpeg",
    )
    assert event["size"] == "4"
    assert recorder.seen("other_bucket_finalized") == []


def test_overwrite_patch_and_delete_fire_their_events_in_order(wired, recorder):
    """Replacing an object deletes the old generation then finalizes the new one (versioning
    off, as production reports it); a patch is metadataUpdated; a delete is deleted."""
    dispatcher, bucket = wired
    blob = bucket.blob("doc.txt")
    blob.upload_from_string("one")
    blob.upload_from_string("two!")
    blob.metadata = {"state": "checked"}
    blob.patch()
    blob.delete()
    assert dispatcher.wait_idle(10)
    finalized = recorder.seen("object_finalized")
    deleted = recorder.seen("object_deleted")
    assert [e["size"] for e in finalized] == ["3", "4"]
    assert [e["generation"] for e in deleted] == [
        finalized[0]["generation"],
        finalized[1]["generation"],
    ]
    (updated,) = recorder.seen("object_metadata_updated")
    assert updated["metadata"] == {"state": "checked"}
    assert updated["metageneration"] == "2"


def test_a_failing_handler_is_retried_with_the_same_event_id(wired, recorder):
    """Like Firestore triggers: retried with backoff; every attempt has the same id."""
    dispatcher, bucket = wired
    recorder.failures_left["flaky.txt"] = 2
    bucket.blob("flaky.txt").upload_from_string("x")
    assert dispatcher.wait_idle(10)
    failed = recorder.seen("object_finalized_failed")
    (succeeded,) = recorder.seen("object_finalized")
    assert len(failed) == 2
    assert {attempt["id"] for attempt in failed} == {succeeded["id"]}
    assert dispatcher.failures == []


def test_a_handler_that_never_succeeds_is_recorded_not_dropped(wired, recorder):
    """After the last attempt the failure is kept with the object's name."""
    dispatcher, bucket = wired
    recorder.failures_left["broken.txt"] = 10
    bucket.blob("broken.txt").upload_from_string("x")
    assert dispatcher.wait_idle(10)
    (failure,) = dispatcher.failures
    assert (failure.function, failure.document, failure.attempts) == (
        "object_finalized",
        "broken.txt",
        3,
    )
