"""Member uploads, checked and kept or removed: the attachments pipeline.

On each finalized upload below `uploads/`: the bytes are read (the generation the event names,
so a redelivery after a newer upload or a deletion does nothing), judged by
`mitche.domain.attachments` (type from the signature, size, folder), and then

- rejected: the object is deleted and the member's `users/{uid}/uploadReviews/{id}` says why;
- accepted image: re-encoded without EXIF (no GPS) in place and given a thumbnail beside it,
  both marked with `mitcheProcessed` so their own events are recognised and skipped;
- accepted: linked to its document when the uploader may write it (a request's requester,
  a message's sender, a pending story's nominator, a draft resource's submitter), with the
  type and size read from the bytes (`_LINKERS`).

Every write is conditional on the generation seen (`if_generation_match`), so concurrent or
repeated deliveries cannot overwrite a newer upload; the review is keyed by the object name.
storage.rules refuse client uploads that set `mitcheProcessed` themselves. Reviews are
`mitche.models.upload_reviews`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]

from mitche.domain.attachments import (
    SIGNATURE_BYTES,
    UploadFolder,
    UploadPath,
    judge_upload,
    parse_upload_path,
)
from mitche.models.common import ATTACHMENT_MAX_BYTES, Attachment, AttachmentContentType
from mitche.models.names import Collection
from mitche.models.requests import MAX_REQUEST_ATTACHMENTS
from mitche.models.upload_reviews import UPLOAD_REVIEWS, UploadReview, upload_review_id
from mitche.services._images import clean_image, make_thumbnail

__all__ = [
    "PROCESSED_KEY",
    "UploadOutcome",
    "UploadedObject",
    "process_upload",
    "remove_files_below",
    "uploaded_object",
]

logger = logging.getLogger("mitche.attachments")

_Data = dict[str, Any]

PROCESSED_KEY: Final = "mitcheProcessed"
"""Custom metadata the pipeline puts on what it writes (`clean`, `thumbnail`)."""


@dataclass(frozen=True, slots=True)
class UploadedObject:
    """What a finalized event says about the object."""

    bucket: str
    name: str
    generation: int
    content_type: str | None
    size: int
    metadata: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What the pipeline did: `ignored`, `superseded`, `rejected` or `accepted`."""

    status: str
    reason: str | None = None
    linked_to: str | None = None
    thumbnail: str | None = None


def _review(
    client: firestore.Client,
    path: UploadPath,
    obj: UploadedObject,
    outcome: UploadOutcome,
    content_type: AttachmentContentType | None,
) -> None:
    document = client.document(
        f"{Collection.USERS.value}/{path.owner_id}/{UPLOAD_REVIEWS}/{upload_review_id(obj.name)}"
    )
    review = UploadReview(
        storage_path=obj.name,
        generation=str(obj.generation),
        status="accepted" if outcome.status == "accepted" else "rejected",
        reason=outcome.reason,
        content_type=content_type,
        size_bytes=obj.size,
        thumbnail_path=outcome.thumbnail,
        linked_to=outcome.linked_to,
        reviewed_at=dt.datetime.now(dt.UTC),
    )
    document.set(review.to_firestore())


def _link_request(data: _Data, path: UploadPath, entry: _Data) -> _Data | None:
    """The request's attachments with this file (added, or refreshed in place); None when the
    uploader is not the requester or the list is full."""
    if data.get("requesterId") != path.owner_id:
        return None
    current = list(data.get("attachments") or [])
    others = [item for item in current if item.get("storagePath") != entry["storagePath"]]
    if len(others) == len(current):
        return (
            {"attachments": [*current, entry]} if len(current) < MAX_REQUEST_ATTACHMENTS else None
        )
    return {
        "attachments": [
            entry if item.get("storagePath") == entry["storagePath"] else item for item in current
        ]
    }


def _link_message(data: _Data, path: UploadPath, entry: _Data) -> _Data | None:
    """The message's attachment as read from the bytes, when the sender's message (in the
    folder's conversation, not deleted) names this file; the type must still fit the message."""
    named = data.get("attachment")
    if (
        data.get("senderId") != path.owner_id
        or data.get("conversationId") != path.parent_id
        or data.get("deletedAt") is not None
        or not isinstance(named, dict)
        or named.get("storagePath") != entry["storagePath"]
    ):
        return None
    is_document = data.get("messageType") == "document"
    if is_document != (entry["contentType"] == AttachmentContentType.PDF.value):
        return None
    return {"attachment": {**entry, **_client_texts(named)}}


def _link_story(data: _Data, path: UploadPath, entry: _Data) -> _Data | None:
    """The story's photo, while the nominator may still edit it (pending)."""
    if data.get("nominatorId") != path.owner_id or data.get("status", "pending") != "pending":
        return None
    named = data.get("photo")
    return {"photo": {**entry, **(_client_texts(named) if isinstance(named, dict) else {})}}


def _link_resource(data: _Data, path: UploadPath, entry: _Data) -> _Data | None:
    """The resource's logo, while its submitter may still change it (a draft: a published
    listing keeps the logo it was published with)."""
    if data.get("submittedBy") != path.owner_id or data.get("status", "draft") != "draft":
        return None
    return {"logo": entry}


_LINKERS: Final = {
    UploadFolder.REQUESTS: _link_request,
    UploadFolder.MESSAGES: _link_message,
    UploadFolder.STORIES: _link_story,
    UploadFolder.RESOURCES: _link_resource,
}
"""How a file joins its document, per folder: the fields to update, or None when the uploader
may not write that document (or it does not name the file where it must). Avatars and event
images are written by their apps and checked by the rules."""


def _client_texts(named: dict[str, Any]) -> dict[str, Any]:
    """What only the member can say about a file (its description), kept when relinking."""
    return {key: named[key] for key in ("altText",) if named.get(key) is not None}


def _link(client: firestore.Client, path: UploadPath, attachment: Attachment) -> str | None:
    """Put the attachment on its document when the uploader may write that document; the
    document's path, or None when it was not linked."""
    linker = _LINKERS.get(path.folder)
    if linker is None:
        return None
    reference = client.document(path.document_path)
    entry = attachment.to_firestore()

    @firestore.transactional
    def link(transaction: firestore.Transaction) -> str | None:
        snapshot = reference.get(transaction=transaction)
        data = snapshot.to_dict() if snapshot.exists else None
        if data is None:
            return None
        update = linker(data, path, entry)
        if update is None:
            return None
        if any(data.get(key) != value for key, value in update.items()):
            transaction.update(reference, update)
        return str(reference.path)

    result: str | None = link(client.transaction())
    return result


def process_upload(
    obj: UploadedObject,
    *,
    bucket: Bucket,
    client: firestore.Client,
    max_bytes: int = ATTACHMENT_MAX_BYTES,
) -> UploadOutcome:
    """Check one finalized upload and keep, clean, link or remove it (see the module)."""
    path = parse_upload_path(obj.name)
    if path is None or obj.metadata.get(PROCESSED_KEY):
        return UploadOutcome("ignored")
    blob = bucket.blob(obj.name, generation=obj.generation)
    try:
        data = blob.download_as_bytes()
    except exceptions.NotFound:
        return UploadOutcome("superseded")
    verdict = judge_upload(
        path,
        declared=obj.content_type,
        head=data[:SIGNATURE_BYTES],
        size=len(data),
        max_bytes=max_bytes,
    )
    content_type = verdict.content_type
    if not verdict.accepted or content_type is None:
        return _reject(obj, path, bucket, client, verdict.reason or "the file was not accepted")
    width = height = None
    thumbnail = None
    stored = data
    if content_type.is_image:
        try:
            clean = clean_image(data, content_type)
            thumbnail_bytes = make_thumbnail(clean.data, content_type)
        except (OSError, ValueError, SyntaxError) as error:
            logger.info("upload %s does not decode: %r", obj.name, error)
            return _reject(obj, path, bucket, client, "the image could not be read")
        width, height, stored = clean.width, clean.height, clean.data
        thumbnail = path.thumbnail_name(content_type)
        thumbnail_type = (
            AttachmentContentType.PNG if content_type is AttachmentContentType.GIF else content_type
        )
        marker = {PROCESSED_KEY: "thumbnail", **_tokens(obj.metadata)}
        thumb_blob = bucket.blob(thumbnail)
        thumb_blob.metadata = marker
        thumb_blob.upload_from_string(thumbnail_bytes, content_type=thumbnail_type.value)
        cleaned = bucket.blob(obj.name)
        cleaned.metadata = {**obj.metadata, PROCESSED_KEY: "clean"}
        try:
            cleaned.upload_from_string(
                stored, content_type=content_type.value, if_generation_match=obj.generation
            )
        except exceptions.PreconditionFailed:
            return UploadOutcome("superseded")
    attachment = Attachment(
        storage_path=obj.name,
        owner_id=path.owner_id,
        content_type=content_type,
        size_bytes=len(stored),
        file_name=path.file_name,
        width=width,
        height=height,
    )
    linked = _link(client, path, attachment)
    outcome = UploadOutcome("accepted", linked_to=linked, thumbnail=thumbnail)
    _review(client, path, obj, outcome, content_type)
    return outcome


def _tokens(metadata: Mapping[str, str]) -> dict[str, str]:
    """The download tokens of the original, so its readers' URLs work for the thumbnail too."""
    key = "firebaseStorageDownloadTokens"
    return {key: metadata[key]} if key in metadata else {}


def _reject(
    obj: UploadedObject, path: UploadPath, bucket: Bucket, client: firestore.Client, reason: str
) -> UploadOutcome:
    try:
        bucket.blob(obj.name).delete(if_generation_match=obj.generation)
    except (exceptions.NotFound, exceptions.PreconditionFailed):
        return UploadOutcome("superseded")
    outcome = UploadOutcome("rejected", reason=reason)
    _review(client, path, obj, outcome, None)
    return outcome


def remove_files_below(bucket: Bucket, prefix: str) -> int:
    """Delete every object whose name starts with `prefix` (a document's folder); how many."""
    removed = 0
    for blob in bucket.client.list_blobs(bucket, prefix=prefix):
        try:
            blob.delete()
        except exceptions.NotFound:
            continue
        removed += 1
    return removed


def uploaded_object(data: Any) -> UploadedObject:
    """The event payload (`storage_fn.StorageObjectData`) as the pipeline reads it."""
    return UploadedObject(
        bucket=str(data.bucket),
        name=str(data.name),
        generation=int(data.generation),
        content_type=data.content_type,
        size=int(data.size),
        metadata=dict(data.metadata or {}),
    )
