"""google-cloud-storage (what firebase-admin's `storage.bucket()` is) against the server with
STORAGE_EMULATOR_HOST: uploads of every kind, checked downloads, listing, metadata, copies,
deletion; no rules apply. Where the emulator defines an answer, the test cites
firebase-tools `lib/emulator/storage/apis/gcloud.js`."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import storage as gcs

from firelab.storage import StorageServer

from .conftest import BUCKET, PROJECT


@pytest.fixture
def bucket(storage: StorageServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[gcs.Bucket]:
    """The project's default bucket through a client in emulator mode, from an empty store."""
    storage.reset()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
    client = gcs.Client(project=PROJECT)
    yield client.bucket(BUCKET)
    client.close()


def test_upload_from_string_then_download_with_checksums(bucket: gcs.Bucket):
    """A multipart upload; the download is checked against x-goog-hash (crc32c)."""
    blob = bucket.blob("reports/2024.txt")
    blob.upload_from_string("annual report", content_type="text/plain")
    fetched = bucket.get_blob("reports/2024.txt")
    assert fetched is not None
    assert (fetched.size, fetched.content_type) == (13, "text/plain")
    assert fetched.download_as_bytes(checksum="crc32c") == b"annual report"
    assert fetched.download_as_bytes(checksum="md5") == b"annual report"


def test_a_chunked_resumable_upload(bucket: gcs.Bucket):
    """Chunks of 256 KiB: 308 with Range until the last, then the object."""
    data = bytes(range(256)) * 4096 + b"tail"
    blob = bucket.blob("big.bin", chunk_size=256 * 1024)
    blob.upload_from_string(data, content_type="application/octet-stream")
    assert bucket.blob("big.bin").download_as_bytes() == data
    assert bucket.get_blob("big.bin").size == len(data)


def test_ranged_download(bucket: gcs.Bucket):
    """download_as_bytes(start, end) asks for a Range and gets 206."""
    bucket.blob("digits").upload_from_string(b"0123456789")
    assert bucket.blob("digits").download_as_bytes(start=3, end=5) == b"345"


def test_listing_with_prefix_delimiter_and_pages(bucket: gcs.Bucket):
    """gcloud.js list: items, prefixes and nextPageToken."""
    for name in ["a/1", "a/2", "a/3", "a/b/4", "c"]:
        bucket.blob(name).upload_from_string(name)
    iterator = bucket.client.list_blobs(BUCKET, prefix="a/", delimiter="/", max_results=10)
    assert [blob.name for blob in iterator] == ["a/1", "a/2", "a/3"]
    assert iterator.prefixes == {"a/b/"}
    pages = bucket.client.list_blobs(BUCKET, page_size=2).pages
    assert [[blob.name for blob in page] for page in pages] == [
        ["a/1", "a/2"],
        ["a/3", "a/b/4"],
        ["c"],
    ]


def test_listing_from_a_start_offset(bucket: gcs.Bucket):
    """startOffset (objects.list): names at or after it, in order, the prefix still applied
    (https://cloud.google.com/storage/docs/json_api/v1/objects/list)."""
    for name in ["a/1", "a/2", "a/3", "b/1"]:
        bucket.blob(name).upload_from_string(name)
    listed = bucket.client.list_blobs(BUCKET, prefix="a/", start_offset="a/2")
    assert [blob.name for blob in listed] == ["a/2", "a/3"]


def test_metadata_patch_and_download_tokens_in_custom_metadata(bucket: gcs.Bucket):
    """metadata.js CloudStorageObjectMetadata: tokens appear as firebaseStorageDownloadTokens."""
    blob = bucket.blob("m.txt")
    blob.upload_from_string("m")
    blob.metadata = {"firebaseStorageDownloadTokens": "tok-1", "owner": "alice"}
    blob.cache_control = "no-store"
    blob.patch()
    fetched = bucket.get_blob("m.txt")
    assert fetched.metadata == {"owner": "alice", "firebaseStorageDownloadTokens": "tok-1"}
    assert fetched.cache_control == "no-store"
    assert fetched.metageneration == 2


def test_copy_and_delete(bucket: gcs.Bucket):
    """copyTo (gcloud.js) copies bytes and metadata; a deleted object is gone."""
    source = bucket.blob("from.txt")
    source.upload_from_string("copied", content_type="text/plain")
    copy = bucket.copy_blob(source, bucket, "to.txt")
    assert copy.download_as_bytes() == b"copied"
    assert bucket.get_blob("to.txt").content_type == "text/plain"
    source.delete()
    assert not bucket.blob("from.txt").exists()
    with pytest.raises(exceptions.NotFound):
        source.delete()


def test_a_missing_object_is_the_emulators_404(storage: StorageServer, bucket: gcs.Bucket):
    """gcloud.js sendObjectNotFound: JSON error with errors[]; plain text for alt=media."""
    response = httpx.get(f"{storage.url}/storage/v1/b/{BUCKET}/o/nothing")
    message = f"No such object: {BUCKET}/nothing"
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": 404,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "notFound"}],
        }
    }
    media = httpx.get(f"{storage.url}/download/storage/v1/b/{BUCKET}/o/nothing?alt=media")
    assert (media.status_code, media.text) == (404, message)


def test_routes_the_emulator_does_not_serve_are_501(storage: StorageServer):
    """gcloud.js ends with `all("/**")` answering 501."""
    assert httpx.post(f"{storage.url}/storage/v1/b/{BUCKET}/iam").status_code == 501


def test_a_malformed_multipart_upload_is_a_400_with_a_json_error(storage: StorageServer):
    """gcloud.js: parse errors answer 400 {error: {code: 400, message}}."""
    response = httpx.post(
        f"{storage.url}/upload/storage/v1/b/{BUCKET}/o?uploadType=multipart",
        headers={"Content-Type": "text/plain"},
        content=b"x",
    )
    assert response.status_code == 400
    assert response.json() == {"error": {"code": 400, "message": "Bad content type. text/plain"}}


def test_the_client_sees_buckets(bucket: gcs.Bucket):
    """GET /storage/v1/b lists buckets that exist (the default one when none do)."""
    bucket.blob("x").upload_from_string("x")
    assert [b.name for b in bucket.client.list_buckets()] == [BUCKET]
    assert bucket.client.get_bucket(BUCKET).name == BUCKET


def test_generation_preconditions_as_production_applies_them(bucket: gcs.Bucket):
    """ifGenerationMatch on uploads and deletes (0: only if absent), generation on reads: a
    write over another generation is a 412 and changes nothing."""
    blob = bucket.blob("guarded.txt")
    blob.upload_from_string("first", if_generation_match=0)
    with pytest.raises(exceptions.PreconditionFailed):
        bucket.blob("guarded.txt").upload_from_string("again", if_generation_match=0)
    first = bucket.get_blob("guarded.txt").generation
    bucket.blob("guarded.txt").upload_from_string("second", if_generation_match=first)
    with pytest.raises(exceptions.PreconditionFailed):
        bucket.blob("guarded.txt").delete(if_generation_match=first)
    with pytest.raises(exceptions.NotFound):
        bucket.blob("guarded.txt", generation=first).download_as_bytes()
    assert bucket.blob("guarded.txt").download_as_bytes() == b"second"
