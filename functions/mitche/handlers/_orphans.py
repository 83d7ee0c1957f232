"""Uploads no document links, removed after a grace period.

A member may upload a request's photos before posting the request; if the request never comes
(or never lists them), the files would stay forever, readable by the uploader only. The sweep
walks `uploads/` one page at a time (bounded per run), skips anything newer than the cutoff,
and removes an upload of a request, a resource or an avatar that its document does not
reference, with its thumbnail. Message and event files are kept: their documents cannot be
found from the path alone, and their folders are removed with the conversation or event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]

from mitche.domain.attachments import UploadFolder, UploadPath, parse_upload_path
from mitche.models.common import ATTACHMENT_ROOT, AttachmentContentType
from mitche.models.names import Collection

__all__ = ["SWEEP_LIMIT", "sweep_orphans"]

SWEEP_LIMIT: Final = 1000
"""Objects looked at per run, so one run stays short whatever the bucket holds."""


def _referenced(client: firestore.Client, path: UploadPath, cache: dict[str, Any]) -> set[str]:
    """Storage paths the upload's document references (empty when it does not exist)."""
    if path.folder is UploadFolder.AVATARS:
        document = f"{Collection.USERS.value}/{path.owner_id}"
    elif path.folder is UploadFolder.REQUESTS:
        document = f"{Collection.REQUESTS.value}/{path.parent_id}"
    else:
        document = f"{Collection.RESOURCES.value}/{path.parent_id}"
    if document not in cache:
        snapshot = client.document(document).get()
        cache[document] = snapshot.to_dict() if snapshot.exists else None
    data = cache[document] or {}
    items = [data.get("avatar"), data.get("logo"), *(data.get("attachments") or [])]
    return {
        item["storagePath"] for item in items if isinstance(item, dict) and "storagePath" in item
    }


def _delete(bucket: Bucket, name: str) -> bool:
    try:
        bucket.blob(name).delete()
    except exceptions.NotFound:
        return False
    return True


def sweep_orphans(
    bucket: Bucket, client: firestore.Client, cutoff: dt.datetime, *, limit: int = SWEEP_LIMIT
) -> int:
    """Remove unreferenced uploads created before `cutoff`; how many were removed."""
    removed = 0
    cache: dict[str, Any] = {}
    kinds = (UploadFolder.AVATARS, UploadFolder.REQUESTS, UploadFolder.RESOURCES)
    for blob in bucket.client.list_blobs(bucket, prefix=f"{ATTACHMENT_ROOT}/", max_results=limit):
        path = parse_upload_path(blob.name)
        if path is None or path.is_thumbnail or path.folder not in kinds:
            continue
        if blob.time_created is None or blob.time_created > cutoff:
            continue
        if blob.name in _referenced(client, path, cache):
            continue
        if _delete(bucket, blob.name):
            removed += 1
        try:
            content_type = AttachmentContentType(blob.content_type)
        except ValueError:
            continue
        if content_type.is_image:
            _delete(bucket, path.thumbnail_name(content_type))
    return removed
