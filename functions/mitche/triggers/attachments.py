"""Cloud Storage and Firestore events of attachments: each finalized upload goes through the
pipeline (`mitche.handlers._attachments`), a deleted request, resource, event, conversation or
story takes its files with it (every owner's folder for it: the requester, the submitter, the
organisers, the participants, the nominator), and an hourly sweep removes, a page at a time,
uploads no document links after a grace period (`mitche.handlers._orphans`)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from typing import Any, Final

from firebase_functions import firestore_fn, scheduler_fn, storage_fn
from firebase_functions.core import CloudEvent
from google.cloud import storage  # type: ignore[attr-defined, unused-ignore]
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]

from mitche.handlers import default_deps
from mitche.handlers._attachments import (
    process_upload,
    remove_files_below,
    uploaded_object,
)
from mitche.handlers._orphans import sweep_orphans
from mitche.models.common import ATTACHMENT_ROOT
from mitche.services._clients import firestore_client, project_id

__all__ = [
    "CONVERSATION",
    "EVENT",
    "ORPHAN_GRACE",
    "ORPHAN_SWEEP",
    "REQUEST",
    "RESOURCE",
    "STORY",
    "bucket_named",
    "on_attachment_uploaded",
    "on_parent_deleted",
    "on_request_deleted",
    "sweep_orphan_uploads",
]

logger = logging.getLogger("mitche.attachments")

REQUEST: Final = "requests/{requestId}"
RESOURCE: Final = "resources/{resourceId}"
EVENT: Final = "communityEvents/{eventId}"
CONVERSATION: Final = "conversations/{conversationId}"
STORY: Final = "tapestryThreads/{threadId}"

_FOLDERS: Final = {
    REQUEST: ("requests", ("requesterId",)),
    RESOURCE: ("resources", ("submittedBy",)),
    EVENT: ("events", ("organizerId", "coOrganizerIds")),
    CONVERSATION: ("messages", ("participantIds",)),
    STORY: ("stories", ("nominatorId",)),
}
"""Each parent document: the upload folder of its files and the fields naming their owners."""
ORPHAN_SWEEP: Final = "every 1 hours"
"""One page (SWEEP_LIMIT objects) per run: a lap of 24,000 uploads a day, at most one document
read per object."""
ORPHAN_GRACE: Final = dt.timedelta(hours=24)
"""How long an upload may wait for its document before the sweep removes it (a member may
upload photos first and post the request later)."""

_lock = threading.Lock()
_clients: dict[tuple[str | None, str | None], storage.Client] = {}


def bucket_named(name: str) -> Bucket:
    """A bucket of this project, through a client created on first use (per emulator
    address, as for Firestore)."""
    key = (project_id(), os.environ.get("STORAGE_EMULATOR_HOST"))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = storage.Client(project=key[0])
            _clients[key] = client
    return client.bucket(name)


def default_bucket() -> Bucket:
    """The project's default bucket (FIREBASE_CONFIG's storageBucket, else STORAGE_BUCKET)."""
    from firebase_functions.params import STORAGE_BUCKET
    from firebase_functions.private.util import firebase_config

    config = firebase_config()
    name = (config.storage_bucket if config is not None else None) or STORAGE_BUCKET.value
    return bucket_named(name)


def on_attachment_uploaded(event: CloudEvent[storage_fn.StorageObjectData]) -> None:
    """An object was finalized: run the pipeline on it."""
    obj = uploaded_object(event.data)
    deps = default_deps()
    limit = deps.settings.public(deps.client).config.max_attachment_bytes
    outcome = process_upload(
        obj, bucket=bucket_named(obj.bucket), client=deps.client, max_bytes=limit
    )
    logger.info("upload %s: %s %s", obj.name, outcome.status, outcome.reason or "")


def _owners(data: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in fields:
        value = data.get(name)
        values = value if isinstance(value, list) else [value]
        found += [item for item in values if isinstance(item, str) and item and item not in found]
    return found


def on_parent_deleted(event: firestore_fn.Event[Any], document: str) -> None:
    """A document that may have files was deleted: each owner's folder for it goes too."""
    folder, fields = _FOLDERS[document]
    snapshot = event.data
    data = (snapshot.to_dict() if snapshot is not None else None) or {}
    (parent_id,) = event.params.values()
    removed = 0
    bucket = default_bucket()
    for owner in _owners(data, fields):
        removed += remove_files_below(bucket, f"{ATTACHMENT_ROOT}/{owner}/{folder}/{parent_id}/")
    logger.info("%s deleted: %d files removed", event.document, removed)


def on_request_deleted(event: firestore_fn.Event[Any]) -> None:
    """A request was deleted: its requester's files for it go too."""
    on_parent_deleted(event, REQUEST)


def sweep_orphan_uploads(event: scheduler_fn.ScheduledEvent) -> None:
    """Remove uploads older than the grace period that no document links."""
    now = event.schedule_time or dt.datetime.now(dt.UTC)
    removed = sweep_orphans(default_bucket(), firestore_client(), now - ORPHAN_GRACE, now=now)
    logger.info("orphan sweep: %d uploads removed", removed)
