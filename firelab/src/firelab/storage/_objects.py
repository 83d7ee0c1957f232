"""One stored object: its bytes and the metadata Cloud Storage keeps for it.

Hashes and tags are computed the way the official emulator computes them
(firebase-tools `emulator/storage/metadata.js`): `md5Hash` is the base64 MD5 of the bytes,
`crc32c` the CRC32C as an unsigned integer (serialised as base64 big-endian bytes on the Cloud
Storage JSON API and in `X-Goog-Hash`, as a decimal string on the Firebase API), `etag` the
base64 SHA-1 of `generation/metageneration` without its padding. Generations are microseconds
since the epoch, as in production, and strictly increase.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Final

import google_crc32c

__all__ = [
    "DOWNLOAD_TOKENS_KEY",
    "WRITABLE_FIELDS",
    "ObjectMetadata",
    "StoredObject",
    "crc32c_base64",
    "new_generation",
    "new_object",
    "split_tokens",
]

DOWNLOAD_TOKENS_KEY: Final = "firebaseStorageDownloadTokens"
"""The custom metadata key that carries download tokens on the wire."""

WRITABLE_FIELDS: Final = (
    "contentType",
    "contentDisposition",
    "contentEncoding",
    "contentLanguage",
    "cacheControl",
)
"""Standard metadata a client may set (null deletes it); `metadata` is the custom map."""

_generation_lock = threading.Lock()
_last_generation = 0


def new_generation() -> int:
    """A generation number: microseconds since the epoch, never repeated in this process."""
    global _last_generation
    with _generation_lock:
        _last_generation = max(time.time_ns() // 1000, _last_generation + 1)
        return _last_generation


def crc32c_base64(value: int) -> str:
    """A CRC32C as the JSON API and `X-Goog-Hash` write it: 4 bytes big-endian, base64."""
    return base64.b64encode(value.to_bytes(4, "big")).decode()


def _etag(generation: int, metageneration: int) -> str:
    digest = hashlib.sha1(
        f"{generation}/{metageneration}".encode()
    ).digest()  # an etag, not a signature
    return base64.b64encode(digest).decode()[:-1]


@dataclass(frozen=True, slots=True)
class ObjectMetadata:
    """An object's metadata (immutable: every change makes a new value)."""

    bucket: str
    name: str
    generation: int
    metageneration: int
    size: int
    md5_hash: str
    crc32c: int
    time_created: datetime
    updated: datetime
    content_type: str | None = "application/octet-stream"
    content_disposition: str | None = None
    content_encoding: str | None = None
    content_language: str | None = None
    cache_control: str | None = None
    custom: dict[str, str] | None = None
    """Custom metadata (`metadata` on the wire) without the download tokens."""
    download_tokens: tuple[str, ...] = ()
    storage_class: str = "STANDARD"

    @property
    def etag(self) -> str:
        """The entity tag of this generation and metageneration."""
        return _etag(self.generation, self.metageneration)

    def with_changes(self, incoming: dict[str, object]) -> ObjectMetadata:
        """The metadata after a PATCH: fields present are set, null clears them, custom keys
        merge (null deletes one); metageneration and `updated` move on."""
        changes: dict[str, object] = {}
        for wire, attribute in _STANDARD.items():
            if wire in incoming:
                value = incoming[wire]
                changes[attribute] = None if value is None else str(value)
        tokens = self.download_tokens
        custom = self.custom
        if "metadata" in incoming:
            raw = incoming["metadata"]
            if raw is None:
                custom = None
            elif isinstance(raw, dict):
                merged = dict(custom or {})
                for key, value in raw.items():
                    if value is None:
                        merged.pop(str(key), None)
                    else:
                        merged[str(key)] = value if isinstance(value, str) else _js_string(value)
                custom, tokens = split_tokens(merged or None, tokens)
        return replace(
            self,
            **changes,  # type: ignore[arg-type]
            custom=custom,
            download_tokens=tokens,
            metageneration=self.metageneration + 1,
            updated=_now(),
        )

    def with_new_token(self) -> ObjectMetadata:
        """A new download token added (a metadata update)."""
        return replace(
            self,
            download_tokens=(*self.download_tokens, str(uuid.uuid4())),
            metageneration=self.metageneration + 1,
            updated=_now(),
        )

    def without_token(self, token: str) -> ObjectMetadata:
        """`token` revoked; an object never stays without one (a fresh one replaces it)."""
        remaining = tuple(t for t in self.download_tokens if t != token)
        if not remaining:
            remaining = (str(uuid.uuid4()),)
        return replace(
            self, download_tokens=remaining, metageneration=self.metageneration + 1, updated=_now()
        )


_STANDARD: Final = {
    "contentType": "content_type",
    "contentDisposition": "content_disposition",
    "contentEncoding": "content_encoding",
    "contentLanguage": "content_language",
    "cacheControl": "cache_control",
}


def _js_string(value: object) -> str:
    """Custom metadata values are strings; others are kept as their JSON text."""
    return json.dumps(value, separators=(",", ":"))


def _now() -> datetime:
    return datetime.now(UTC)


def split_tokens(
    custom: dict[str, str] | None, tokens: tuple[str, ...] = ()
) -> tuple[dict[str, str] | None, tuple[str, ...]]:
    """Move `firebaseStorageDownloadTokens` (comma-separated) out of custom metadata."""
    if not custom or DOWNLOAD_TOKENS_KEY not in custom:
        return custom, tokens
    rest = {k: v for k, v in custom.items() if k != DOWNLOAD_TOKENS_KEY}
    added = [t for t in custom[DOWNLOAD_TOKENS_KEY].split(",") if t]
    merged = tuple(dict.fromkeys((*tokens, *added)))
    return (rest or None), merged


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object's bytes with its metadata."""

    metadata: ObjectMetadata
    data: bytes = field(repr=False)


def new_object(
    bucket: str,
    name: str,
    data: bytes,
    incoming: dict[str, object] | None = None,
    *,
    tokens: tuple[str, ...] = (),
) -> StoredObject:
    """A new generation of `bucket/name` holding `data`, with the uploader's metadata (the
    writable fields and `metadata`; anything else a client sends is ignored)."""
    incoming = incoming or {}
    standard: dict[str, str | None] = {}
    for wire, attribute in _STANDARD.items():
        value = incoming.get(wire)
        standard[attribute] = None if value is None else str(value)
    raw_custom = incoming.get("metadata")
    custom: dict[str, str] | None = None
    if isinstance(raw_custom, dict):
        custom = {
            str(k): (v if isinstance(v, str) else _js_string(v))
            for k, v in raw_custom.items()
            if v is not None
        } or None
    custom, tokens = split_tokens(custom, tokens)
    now = _now()
    metadata = ObjectMetadata(
        bucket=bucket,
        name=name,
        generation=new_generation(),
        metageneration=1,
        size=len(data),
        md5_hash=base64.b64encode(hashlib.md5(data).digest()).decode(),
        crc32c=google_crc32c.value(data),
        time_created=now,
        updated=now,
        content_type=standard["content_type"] or "application/octet-stream",
        content_disposition=standard["content_disposition"],
        content_encoding=standard["content_encoding"],
        content_language=standard["content_language"],
        cache_control=standard["cache_control"],
        custom=custom,
        download_tokens=tokens,
    )
    return StoredObject(metadata, data)
