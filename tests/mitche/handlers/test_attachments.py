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
from mitche.services import recording_costs
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
            "uploads/bob/messages/c1/m1/script.pdf",
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
        bucket, "uploads/bob/messages/c1/m1/doc.pdf", b"%PDF-1.7\n" + b"x" * 3000, "application/pdf"
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


def test_a_message_file_is_linked_only_to_the_senders_message_that_names_it(world):
    """The message's attachment gets the size and dimensions read from the bytes; a message
    of another sender, or one naming another file, is left alone."""
    bucket, client = world
    name = "uploads/alice/messages/c1/m1/photo.jpg"
    claimed = {
        "storagePath": name,
        "ownerId": "alice",
        "contentType": "image/jpeg",
        "sizeBytes": 1,
        "altText": "Our street",
    }
    client.document("messages/m1").set(
        {"senderId": "alice", "conversationId": "c1", "messageType": "image", "attachment": claimed}
    )
    client.document("messages/m2").set(
        {
            "senderId": "bob",
            "conversationId": "c1",
            "messageType": "image",
            "attachment": {**claimed, "storagePath": "uploads/bob/messages/c1/m2/photo.jpg"},
        }
    )
    outcome = process_upload(
        upload(bucket, name, make_jpeg(), "image/jpeg"), bucket=bucket, client=client
    )
    assert outcome.linked_to == "messages/m1"
    attachment = client.document("messages/m1").get().to_dict()["attachment"]
    assert (attachment["width"], attachment["height"], attachment["altText"]) == (
        1200,
        900,
        "Our street",
    )
    assert attachment["sizeBytes"] == bucket.get_blob(name).size
    intruding = "uploads/alice/messages/c1/m2/photo.jpg"
    outcome = process_upload(
        upload(bucket, intruding, make_jpeg(), "image/jpeg"), bucket=bucket, client=client
    )
    assert outcome.linked_to is None
    assert client.document("messages/m2").get().to_dict()["attachment"]["sizeBytes"] == 1


def test_a_story_photo_is_linked_while_the_story_is_pending_only(world):
    """The nominator's photo becomes the pending story's photo; an approved story keeps the
    photo it was approved with."""
    bucket, client = world
    client.document("tapestryThreads/t1").set({"nominatorId": "alice", "status": "pending"})
    client.document("tapestryThreads/t2").set({"nominatorId": "alice", "status": "approved"})
    pending = "uploads/alice/stories/t1/us.jpg"
    outcome = process_upload(
        upload(bucket, pending, make_jpeg(), "image/jpeg"), bucket=bucket, client=client
    )
    assert outcome.linked_to == "tapestryThreads/t1"
    assert client.document("tapestryThreads/t1").get().to_dict()["photo"]["storagePath"] == pending
    approved = "uploads/alice/stories/t2/us.jpg"
    outcome = process_upload(
        upload(bucket, approved, make_jpeg(), "image/jpeg"), bucket=bucket, client=client
    )
    assert outcome.linked_to is None
    assert "photo" not in client.document("tapestryThreads/t2").get().to_dict()


def test_a_published_resource_keeps_its_logo(world):
    """A draft's logo is set from the upload; a published listing's is not replaced."""
    bucket, client = world
    client.document("resources/s1").set({"submittedBy": "vera", "status": "draft"})
    client.document("resources/s2").set({"submittedBy": "vera", "status": "active"})
    for resource, expected in (("s1", "resources/s1"), ("s2", None)):
        name = f"uploads/vera/resources/{resource}/logo.png"
        outcome = process_upload(
            upload(bucket, name, make_png(), "image/png"), bucket=bucket, client=client
        )
        assert outcome.linked_to == expected
    assert "logo" not in client.document("resources/s2").get().to_dict()


def _store(bucket: gcs.Bucket, *names: str) -> None:
    for name in names:
        bucket.blob(name).upload_from_string(b"x", content_type="image/jpeg")


def _listed(bucket: gcs.Bucket) -> list[str]:
    return [blob.name for blob in bucket.list_blobs()]


LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)


def test_the_sweep_removes_old_unlinked_uploads_only(world):
    """Linked files stay; unlinked ones older than the cutoff go with their thumbnails; newer
    ones wait."""
    bucket, client = world
    linked = "uploads/alice/requests/r6/kept.jpg"
    client.document("requests/r6").set(
        {"requesterId": "alice", "attachments": [{"storagePath": linked}]}
    )
    _store(
        bucket,
        linked,
        "uploads/alice/requests/r6/stray.jpg",
        "uploads/alice/requests/r6/thumb-stray.jpg",
    )
    before = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert sweep_orphans(bucket, client, before) == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert sweep_orphans(bucket, client, later) == 2
    assert _listed(bucket) == [linked]


def test_the_sweep_covers_every_kind_of_file(world):
    """Avatars, message, story, event and resource files: each kept while its document names
    it (a thumbnail with its image), removed once it does not (a deleted message's file, a
    replaced story photo, a never-sent message's upload)."""
    bucket, client = world
    jpeg = {"contentType": "image/jpeg"}
    kept = [
        "uploads/alice/avatars/me.jpg",
        "uploads/alice/avatars/thumb-me.jpg",
        "uploads/alice/messages/c1/m1/a.jpg",
        "uploads/alice/stories/t1/new.jpg",
        "uploads/olga/events/e1/cover.jpg",
        "uploads/olga/events/e1/after.jpg",
        "uploads/vera/resources/s1/logo.jpg",
    ]
    gone = [
        "uploads/alice/avatars/old.jpg",
        "uploads/alice/messages/c1/m2/deleted.jpg",
        "uploads/alice/messages/c1/m3/never-sent.jpg",
        "uploads/alice/stories/t1/old.jpg",
        "uploads/alice/stories/t1/thumb-old.jpg",
        "uploads/olga/events/e1/draft.jpg",
        "uploads/vera/resources/s1/first.jpg",
    ]
    _store(bucket, *kept, *gone)
    named = {path: {"storagePath": path, **jpeg} for path in kept}
    client.document("users/alice").set({"profile": {"avatar": named[kept[0]]}})
    client.document("messages/m1").set({"conversationId": "c1", "attachment": named[kept[2]]})
    client.document("messages/m2").set({"conversationId": "c1", "deletedAt": LATER})
    client.document("tapestryThreads/t1").set({"photo": named[kept[3]]})
    client.document("communityEvents/e1").set(
        {"coverImage": named[kept[4]], "impact": {"photos": [named[kept[5]]]}}
    )
    client.document("resources/s1").set({"logo": named[kept[6]]})
    with recording_costs() as recorder:
        assert sweep_orphans(bucket, client, LATER) == len(gone)
    assert _listed(bucket) == sorted(kept)
    # The cursor, then each of the 7 documents once (users/alice, messages m1 to m3, t1, e1,
    # s1), however many files each holds; one write (the cursor).
    assert recorder.totals() == (8, 1)


def test_the_sweep_keeps_the_files_of_a_document_under_scrutiny(world):
    """A reported or held document keeps even the files it no longer names (evidence)."""
    bucket, client = world
    _store(bucket, "uploads/bob/requests/r1/a.jpg", "uploads/bob/messages/c1/m1/a.jpg")
    client.document("requests/r1").set({"moderation": {"status": "approved", "reportCount": 1}})
    client.document("messages/m1").set({"moderation": {"status": "hidden"}})
    assert sweep_orphans(bucket, client, LATER) == 0


def test_the_sweep_resumes_where_it_stopped_and_laps(world):
    """Each run looks at one page after the cursor it left; past the end it starts over, so
    every upload is looked at however many there are."""
    bucket, client = world
    names = [f"uploads/alice/requests/r{i}/a.jpg" for i in range(5)]
    _store(bucket, *names)
    client.document("requests/r0").set({"attachments": [{"storagePath": names[0]}]})
    assert sweep_orphans(bucket, client, LATER, limit=2) == 1
    state = client.document("systemSettings/orphanSweep").get().to_dict()
    assert (state["cursor"], state["laps"]) == (names[1], 0)
    assert sweep_orphans(bucket, client, LATER, limit=2) == 2
    assert sweep_orphans(bucket, client, LATER, limit=2) == 1
    state = client.document("systemSettings/orphanSweep").get().to_dict()
    assert (state["cursor"], state["laps"], state["removed"]) == (None, 1, 4)
    assert _listed(bucket) == [names[0]]
