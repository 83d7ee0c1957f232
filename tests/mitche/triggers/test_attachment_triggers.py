"""The attachments functions as deployed (main.py), fed real events: a finalized upload goes
through the pipeline, a deleted request takes its files, the hourly sweep removes orphans."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from google.cloud import storage as gcs
from PIL import Image

from firelab.functions import run_scheduled
from firelab.functions._events import DELETED
from firelab.functions._storage_events import make_object_event
from firelab.storage import ChangeKind, ObjectChange, StorageServer
from mitche.models.upload_reviews import UPLOAD_REVIEWS, upload_review_id

from .conftest import PROJECT, Store

BUCKET = f"{PROJECT}.appspot.com"


@pytest.fixture(scope="module")
def storage_server() -> Iterator[StorageServer]:
    with StorageServer(project=PROJECT) as running:
        yield running


@pytest.fixture
def bucket(
    store: Store, storage_server: StorageServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[gcs.Bucket]:
    """The default bucket, empty, with the variables the runtime sets for Storage."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_server.url)
    monkeypatch.setenv("STORAGE_BUCKET", BUCKET)
    storage_server.reset()
    client = gcs.Client(project=PROJECT)
    yield client.bucket(BUCKET)
    client.close()


def jpeg() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (500, 400), (10, 20, 30)).save(output, "JPEG")
    return output.getvalue()


def test_attachment_uploaded_runs_the_pipeline(store, bucket, storage_server):
    """The finalized CloudEvent of an upload reaches the pipeline: the image gets a thumbnail
    and the uploader a review."""
    name = "uploads/ana/avatars/face.jpg"
    bucket.blob(name).upload_from_string(jpeg(), content_type="image/jpeg")
    stored = storage_server.store.get(BUCKET, name)
    assert stored is not None
    event = make_object_event(
        ObjectChange(ChangeKind.FINALIZED, stored.metadata), storage_server.url
    )
    store.codebase.functions["attachment_uploaded"].handler(event)
    assert bucket.get_blob("uploads/ana/avatars/thumb-face.jpg") is not None
    review = store.get(f"users/ana/{UPLOAD_REVIEWS}/{upload_review_id(name)}")
    assert review is not None
    assert review["status"] == "accepted"


def test_a_deleted_request_takes_its_files(store, bucket):
    """request_files_removed deletes the requester's folder for that request only."""
    before = store.put("requests/r1", {"requesterId": "ana", "title": "t"})
    for name in ("uploads/ana/requests/r1/a.jpg", "uploads/ana/requests/r2/b.jpg"):
        bucket.blob(name).upload_from_string(b"x")
    store.client.document("requests/r1").delete()
    event = store.event("requests/r1", before, None, at=dt.datetime.now(dt.UTC))
    event["type"] = DELETED
    store.codebase.functions["request_files_removed"].handler(event)
    assert [blob.name for blob in bucket.list_blobs()] == ["uploads/ana/requests/r2/b.jpg"]


def test_the_sweep_runs_on_its_schedule(store, bucket):
    """sweep_orphan_uploads, run as Cloud Scheduler runs it, removes an unlinked upload older
    than the grace period (here: the schedule time is two days ahead)."""
    bucket.blob("uploads/ana/requests/gone/stray.jpg").upload_from_string(b"x")
    function = store.codebase.functions["sweep_orphan_uploads"]
    response = run_scheduled(function, PROJECT, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert response.status_code == 200
    assert list(bucket.list_blobs()) == []


@pytest.mark.parametrize(
    ("function", "path", "data", "folder"),
    [
        ("resource_files_removed", "resources/s1", {"submittedBy": "ana"}, "resources"),
        (
            "event_files_removed",
            "communityEvents/s1",
            {"organizerId": "ana", "coOrganizerIds": ["bo"]},
            "events",
        ),
        (
            "conversation_files_removed",
            "conversations/s1",
            {"participantIds": ["ana", "bo"]},
            "messages",
        ),
        ("story_files_removed", "tapestryThreads/s1", {"nominatorId": "ana"}, "stories"),
    ],
)
def test_every_owners_files_go_with_their_document(store, bucket, function, path, data, folder):
    """Resources, events, conversations and stories: each owner's folder for the deleted
    document is removed (organisers', participants', the nominator's), another document's
    folder stays."""
    before = store.put(path, data)
    owners = [owner for owner in ("ana", "bo") if owner in str(data)]
    for owner in owners:
        bucket.blob(f"uploads/{owner}/{folder}/s1/f.jpg").upload_from_string(b"x")
    bucket.blob(f"uploads/ana/{folder}/other/f.jpg").upload_from_string(b"x")
    store.client.document(path).delete()
    event = store.event(path, before, None, at=dt.datetime.now(dt.UTC))
    event["type"] = DELETED
    store.codebase.functions[function].handler(event)
    assert [blob.name for blob in bucket.list_blobs()] == [f"uploads/ana/{folder}/other/f.jpg"]


def test_the_size_limit_comes_from_the_public_settings(store, bucket, storage_server):
    """An operator who lowers config.maxAttachmentBytes has larger uploads removed, with the
    limit in the reason the member reads."""
    store.put("systemSettings/public", {"config": {"maxAttachmentBytes": 2048}})
    name = "uploads/ana/requests/r9/big.pdf"
    bucket.blob(name).upload_from_string(
        b"%PDF-1.7\n" + b"x" * 4000, content_type="application/pdf"
    )
    stored = storage_server.store.get(BUCKET, name)
    assert stored is not None
    event = make_object_event(
        ObjectChange(ChangeKind.FINALIZED, stored.metadata), storage_server.url
    )
    store.codebase.functions["attachment_uploaded"].handler(event)
    review = store.get(f"users/ana/{UPLOAD_REVIEWS}/{upload_review_id(name)}")
    assert review is not None
    assert review["reason"] == "the file is 3.9 KiB; at most 2.0 KiB allowed"
    assert bucket.get_blob(name) is None
