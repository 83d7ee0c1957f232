"""The attachments pipeline against a real Storage server and Firestore server (firelab), with
google-cloud-storage and google-cloud-firestore as the functions use them: what is kept,
cleaned, thumbnailed, linked, rejected with a reason, removed with its document or swept."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud import storage as gcs
from PIL import Image

from firelab.server import FirestoreServer
from firelab.storage import StorageServer
from mitche.handlers._attachments import (
    PROCESSED_KEY,
    UploadedObject,
    process_upload,
    remove_files_below,
)
from mitche.handlers._orphans import sweep_orphans
from mitche.models.upload_reviews import UPLOAD_REVIEWS, upload_review_id
from mitche.services._images import gps_of

PROJECT = "demo-attachments"
BUCKET = f"{PROJECT}.appspot.com"
GPS = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}


def make_jpeg(width: int = 1200, height: int = 900, *, gps: bool = True) -> bytes:
    """A photo as a phone writes it: EXIF with GPS coordinates."""
    exif = Image.Exif()
    if gps:
        exif[0x8825] = GPS
    output = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(output, "JPEG", exif=exif)
    return output.getvalue()


def make_png() -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with FirestoreServer(port=0) as firestore_server, StorageServer(project=PROJECT) as storage:
        yield firestore_server.address, storage.url


@pytest.fixture
def world(
    servers: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[gcs.Bucket, firestore.Client]]:
    """An empty bucket and database, through the clients the functions use."""
    firestore_host, storage_url = servers
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_host)
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_url)
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    storage_client = gcs.Client(project=PROJECT)
    bucket = storage_client.bucket(BUCKET)
    for blob in storage_client.list_blobs(bucket):
        blob.delete()
    for collection in client.collections():
        client.recursive_delete(collection)
    yield bucket, client
    storage_client.close()


def upload(bucket: gcs.Bucket, name: str, data: bytes, content_type: str) -> UploadedObject:
    """Store a member's upload (as the Firebase API would) and return its finalized event."""
    blob = bucket.blob(name)
    blob.metadata = {"firebaseStorageDownloadTokens": "token-1"}
    blob.upload_from_string(data, content_type=content_type)
    blob.reload()
    return UploadedObject(
        BUCKET, name, int(blob.generation), content_type, int(blob.size), dict(blob.metadata)
    )


def review(client: firestore.Client, owner: str, name: str) -> dict[str, Any] | None:
    return (
        client.document(f"users/{owner}/{UPLOAD_REVIEWS}/{upload_review_id(name)}").get().to_dict()
    )


def test_a_photo_is_cleaned_thumbnailed_and_linked_to_its_request(world):
    """GPS gone from the stored bytes, a thumbnail of at most 320 px beside it, the request
    lists the attachment with the size and type read from the bytes, the review says kept."""
    bucket, client = world
    client.document("requests/r1").set({"requesterId": "alice", "attachments": []})
    name = "uploads/alice/requests/r1/photo.jpg"
    event = upload(bucket, name, make_jpeg(), "image/jpeg")
    outcome = process_upload(event, bucket=bucket, client=client)
    assert (outcome.status, outcome.linked_to) == ("accepted", "requests/r1")
    stored = bucket.get_blob(name)
    data = stored.download_as_bytes()
    assert gps_of(data) == {}
    assert stored.metadata[PROCESSED_KEY] == "clean"
    assert stored.metadata["firebaseStorageDownloadTokens"] == "token-1"
    thumbnail = Image.open(io.BytesIO(bucket.blob(outcome.thumbnail).download_as_bytes()))
    assert max(thumbnail.size) == 320
    (attachment,) = client.document("requests/r1").get().to_dict()["attachments"]
    assert attachment["storagePath"] == name
    assert attachment["sizeBytes"] == len(data)
    assert (attachment["width"], attachment["height"]) == (1200, 900)
    assert review(client, "alice", name)["status"] == "accepted"


def test_a_redelivered_event_changes_nothing(world):
    """The event names the generation it is about; after the pipeline rewrote the object the
    same event finds a newer generation and stops; the rewrite's own event is skipped."""
    bucket, client = world
    name = "uploads/alice/avatars/me.jpg"
    event = upload(bucket, name, make_jpeg(), "image/jpeg")
    assert process_upload(event, bucket=bucket, client=client).status == "accepted"
    generation = bucket.get_blob(name).generation
    assert process_upload(event, bucket=bucket, client=client).status == "superseded"
    rewrite = UploadedObject(BUCKET, name, generation, "image/jpeg", 1, {PROCESSED_KEY: "clean"})
    assert process_upload(rewrite, bucket=bucket, client=client).status == "ignored"
    assert bucket.get_blob(name).generation == generation


@pytest.mark.parametrize(
    ("name", "data", "declared", "reason"),
    [
        (
            "uploads/bob/requests/r2/disguised.jpg",
            make_png(),
            "image/jpeg",
            "the file was sent as image/jpeg but its bytes are a PNG image",
        ),
        (
            "uploads/bob/messages/c1/script.pdf",
            b"#!/bin/sh\necho hi\n",
            "application/pdf",
            "the file is not a JPEG, PNG, WebP or GIF image or a PDF",
        ),
        (
            "uploads/bob/avatars/cv.pdf",
            b"%PDF-1.7\n",
            "application/pdf",
            "a PDF document cannot be attached to avatars",
        ),
        (
            "uploads/bob/requests/r2/broken.jpg",
            b"\xff\xd8\xff\xe0 not really a jpeg",
            "image/jpeg",
            "the image could not be read",
        ),
    ],
)
def test_a_rejected_upload_is_removed_and_the_member_sees_why(world, name, data, declared, reason):
    """The object is deleted and the member's review holds the reason."""
    bucket, client = world
    event = upload(bucket, name, data, declared)
    outcome = process_upload(event, bucket=bucket, client=client)
    assert (outcome.status, outcome.reason) == ("rejected", reason)
    assert bucket.get_blob(name) is None
    seen = review(client, "bob", name)
    assert (seen["status"], seen["reason"]) == ("rejected", reason)


def test_the_size_limit_applies(world):
    """A file over the limit is rejected with its size and the limit."""
    bucket, client = world
    event = upload(
        bucket, "uploads/bob/messages/c1/doc.pdf", b"%PDF-1.7\n" + b"x" * 3000, "application/pdf"
    )
    outcome = process_upload(event, bucket=bucket, client=client, max_bytes=2048)
    assert outcome.reason == "the file is 2.9 KiB; at most 2.0 KiB allowed"


def test_a_file_is_linked_only_to_a_document_its_uploader_may_write(world):
    """bob's photo in alice's request folder is kept in bob's folder but not listed on
    alice's request."""
    bucket, client = world
    client.document("requests/r3").set({"requesterId": "alice", "attachments": []})
    event = upload(bucket, "uploads/bob/requests/r3/mine.jpg", make_jpeg(gps=False), "image/jpeg")
    outcome = process_upload(event, bucket=bucket, client=client)
    assert (outcome.status, outcome.linked_to) == ("accepted", None)
    assert client.document("requests/r3").get().to_dict()["attachments"] == []


def test_a_documents_files_go_with_it(world):
    """remove_files_below deletes a request's folder, thumbnails included, nothing else."""
    bucket, _ = world
    for name in ("uploads/alice/requests/r4/a.jpg", "uploads/alice/requests/r4/thumb-a.jpg"):
        bucket.blob(name).upload_from_string(b"x")
    bucket.blob("uploads/alice/requests/r5/b.jpg").upload_from_string(b"x")
    assert remove_files_below(bucket, "uploads/alice/requests/r4/") == 2
    assert [blob.name for blob in bucket.list_blobs()] == ["uploads/alice/requests/r5/b.jpg"]


def test_the_sweep_removes_old_unlinked_uploads_only(world):
    """Linked files stay; unlinked ones older than the cutoff go with their thumbnails; newer
    ones wait."""
    bucket, client = world
    linked = "uploads/alice/requests/r6/kept.jpg"
    client.document("requests/r6").set(
        {"requesterId": "alice", "attachments": [{"storagePath": linked}]}
    )
    for name in (
        linked,
        "uploads/alice/requests/r6/stray.jpg",
        "uploads/alice/requests/r6/thumb-stray.jpg",
    ):
        bucket.blob(name).upload_from_string(b"x", content_type="image/jpeg")
    before = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert sweep_orphans(bucket, client, before) == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert sweep_orphans(bucket, client, later) == 1
    assert [blob.name for blob in bucket.list_blobs()] == [linked]
