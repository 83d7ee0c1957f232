"""Objects as each API writes them, and as Security Rules see them.

Field by field as the official emulator builds them (firebase-tools
`emulator/storage/metadata.js`): `firebase_metadata` is its OutgoingFirebaseMetadata (the
Firebase API the client SDKs read: numbers as strings, `crc32c` as a decimal string, download
tokens joined by commas, `contentEncoding` "identity" when unset), `cloud_metadata` its
CloudStorageObjectMetadata (the JSON API of google-cloud-storage: `kind`, `id`, `selfLink`,
`mediaLink`, `crc32c` base64, tokens inside `metadata`), `rules_resource` its
`asRulesResource()` (the `resource` map of storage.rules: sizes as integers, times as
timestamps, unset fields null, `metadata` an empty map when there is none).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from firelab.storage._objects import DOWNLOAD_TOKENS_KEY, ObjectMetadata, crc32c_base64

__all__ = [
    "bucket_metadata",
    "cloud_metadata",
    "firebase_metadata",
    "rfc3339",
    "rules_resource",
]


def rfc3339(moment: datetime) -> str:
    """`2024-05-01T10:00:00.123Z`: milliseconds, UTC (the emulator's toSerializedDate)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def firebase_metadata(metadata: ObjectMetadata) -> dict[str, Any]:
    """The Firebase Storage API's object resource."""
    return _drop_none(
        {
            "name": metadata.name,
            "bucket": metadata.bucket,
            "generation": str(metadata.generation),
            "metageneration": str(metadata.metageneration),
            "contentType": metadata.content_type,
            "timeCreated": rfc3339(metadata.time_created),
            "updated": rfc3339(metadata.updated),
            "storageClass": metadata.storage_class,
            "size": str(metadata.size),
            "md5Hash": metadata.md5_hash,
            "crc32c": str(metadata.crc32c),
            "etag": metadata.etag,
            "downloadTokens": ",".join(metadata.download_tokens),
            "contentEncoding": metadata.content_encoding or "identity",
            "contentDisposition": metadata.content_disposition,
            "metadata": metadata.custom,
            "contentLanguage": metadata.content_language,
            "cacheControl": metadata.cache_control,
        }
    )


def cloud_metadata(metadata: ObjectMetadata, base_url: str) -> dict[str, Any]:
    """The Cloud Storage JSON API's object resource; links point at `base_url`."""
    custom = dict(metadata.custom or {})
    if metadata.download_tokens:
        custom[DOWNLOAD_TOKENS_KEY] = ",".join(metadata.download_tokens)
    encoded = quote(metadata.name, safe="")
    return _drop_none(
        {
            "kind": "storage#object",
            "name": metadata.name,
            "bucket": metadata.bucket,
            "generation": str(metadata.generation),
            "metageneration": str(metadata.metageneration),
            "contentType": metadata.content_type,
            "contentDisposition": metadata.content_disposition,
            "timeCreated": rfc3339(metadata.time_created),
            "updated": rfc3339(metadata.updated),
            "storageClass": metadata.storage_class,
            "size": str(metadata.size),
            "md5Hash": metadata.md5_hash,
            "etag": metadata.etag,
            "metadata": custom or None,
            "contentLanguage": metadata.content_language,
            "cacheControl": metadata.cache_control,
            "contentEncoding": metadata.content_encoding,
            "crc32c": crc32c_base64(metadata.crc32c),
            "timeStorageClassUpdated": rfc3339(metadata.time_created),
            "id": f"{metadata.bucket}/{metadata.name}/{metadata.generation}",
            "selfLink": f"{base_url}/storage/v1/b/{metadata.bucket}/o/{encoded}",
            "mediaLink": (
                f"{base_url}/download/storage/v1/b/{metadata.bucket}/o/{encoded}"
                f"?generation={metadata.generation}&alt=media"
            ),
        }
    )


def rules_resource(metadata: ObjectMetadata) -> dict[str, object]:
    """The object as storage.rules see it (`resource`, `request.resource`)."""
    return {
        "name": metadata.name,
        "bucket": metadata.bucket,
        "generation": metadata.generation,
        "metageneration": metadata.metageneration,
        "size": metadata.size,
        "timeCreated": metadata.time_created,
        "updated": metadata.updated,
        "md5Hash": metadata.md5_hash,
        "crc32c": str(metadata.crc32c),
        "etag": metadata.etag,
        "contentDisposition": metadata.content_disposition,
        "contentEncoding": metadata.content_encoding,
        "contentType": metadata.content_type,
        "metadata": dict(metadata.custom or {}),
    }


def bucket_metadata(bucket: str, base_url: str) -> dict[str, Any]:
    """A bucket resource (the emulator's CloudStorageBucketMetadata)."""
    now = rfc3339(datetime.now(UTC))
    return {
        "kind": "storage#bucket",
        "name": bucket,
        "id": bucket,
        "selfLink": f"{base_url}/v1/b/{bucket}",
        "timeCreated": now,
        "updated": now,
        "projectNumber": "000000000000",
        "metageneration": "1",
        "location": "US",
        "storageClass": "STANDARD",
        "etag": "====",
        "locationType": "multi-region",
    }
