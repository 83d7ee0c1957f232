"""Uploads no document links, removed after a grace period.

A member uploads before the document names the file (a request's photos before posting it, a
message's file before sending it); if the document never comes, never names the file, or
stops naming it (a photo taken off a request, a message deleted, a story's photo replaced),
the file would stay forever. Every kind of upload (avatars, requests, messages, events,
resources, stories) sits below the one document it belongs to (mitche.domain.attachments), so
the sweep judges each object with one read of that document, never a query or a scan of a
collection:

- it walks `uploads/` in name order, one bounded page per run, resuming after the cursor it
  left in `systemSettings/orphanSweep` (and starting again from the beginning past the end), so
  every upload is looked at once per lap whatever the bucket holds;
- it skips anything newer than the cutoff (the grace period), and anything its document
  names (a thumbnail counts as named with its image);
- it keeps the unlinked files of a document a moderator may have to judge (flagged, hidden,
  removed or reported): evidence stays until the document goes, and its files with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]

from mitche.domain.attachments import UploadPath, parse_upload_path
from mitche.handler_names import HandlerName
from mitche.models.common import ATTACHMENT_ROOT, AttachmentContentType
from mitche.models.names import Collection
from mitche.models.system_settings import OrphanSweep, SettingsDocument
from mitche.services import CostSample, record_cost

__all__ = ["SWEEP_LIMIT", "sweep_orphans"]

HANDLER: Final = HandlerName.ATTACHMENTS_ORPHAN_SWEEP

SWEEP_LIMIT: Final = 1000
"""Objects looked at per run, so one run stays short whatever the bucket holds."""

_CURSOR: Final = f"{Collection.SYSTEM_SETTINGS.value}/{SettingsDocument.ORPHAN_SWEEP.value}"
_ATTACHMENT_FIELDS: Final = ("attachments", "attachment", "photo", "logo", "coverImage")
"""Where documents name their files (besides a member's `profile.avatar` and an event's
`impact.photos`)."""
_UNDER_SCRUTINY: Final = frozenset({"flagged", "hidden", "removed"})


def _named_items(data: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    for field in _ATTACHMENT_FIELDS:
        value = data.get(field)
        items += value if isinstance(value, list) else [value]
    profile, impact = data.get("profile"), data.get("impact")
    if isinstance(profile, dict):
        items.append(profile.get("avatar"))
    if isinstance(impact, dict):
        items += list(impact.get("photos") or [])
    return items


def _named(data: dict[str, Any]) -> set[str]:
    """The object names a document links: its attachments and their thumbnails."""
    found: set[str] = set()
    for item in _named_items(data):
        if not isinstance(item, dict) or not isinstance(item.get("storagePath"), str):
            continue
        name = item["storagePath"]
        found.add(name)
        path = parse_upload_path(name)
        try:
            content_type = AttachmentContentType(str(item.get("contentType")))
        except ValueError:
            continue
        if path is not None and content_type.is_image:
            found.add(path.thumbnail_name(content_type))
    return found


def _under_scrutiny(data: dict[str, Any]) -> bool:
    moderation = data.get("moderation")
    if not isinstance(moderation, dict):
        return False
    return moderation.get("status") in _UNDER_SCRUTINY or (moderation.get("reportCount") or 0) > 0


class _SweepRun:
    """One run's view of the documents it read (each read once per run)."""

    def __init__(self, client: firestore.Client) -> None:
        self._client = client
        self._documents: dict[str, dict[str, Any] | None] = {}

    @property
    def reads(self) -> int:
        """Documents read so far."""
        return len(self._documents)

    def document(self, path: UploadPath) -> dict[str, Any] | None:
        """The document the upload belongs to (None when it does not exist)."""
        key = path.document_path
        if key not in self._documents:
            snapshot = self._client.document(key).get()
            self._documents[key] = snapshot.to_dict() if snapshot.exists else None
        return self._documents[key]

    def is_orphan(self, name: str, path: UploadPath) -> bool:
        """Whether nothing links the upload and nothing keeps it as evidence."""
        data = self.document(path)
        if data is None:
            return True
        return name not in _named(data) and not _under_scrutiny(data)


def _delete(bucket: Bucket, name: str) -> bool:
    try:
        bucket.blob(name).delete()
    except exceptions.NotFound:
        return False
    return True


def sweep_orphans(
    bucket: Bucket,
    client: firestore.Client,
    cutoff: dt.datetime,
    *,
    limit: int = SWEEP_LIMIT,
    now: dt.datetime | None = None,
) -> int:
    """Look at the next `limit` uploads after the cursor and remove those created before
    `cutoff` that no document links; how many were removed."""
    cursor_ref = client.document(_CURSOR)
    snapshot = cursor_ref.get()
    state = OrphanSweep.model_validate(snapshot.to_dict() or {})
    start = state.cursor
    blobs = list(
        bucket.client.list_blobs(
            bucket,
            prefix=f"{ATTACHMENT_ROOT}/",
            start_offset=start or "",
            max_results=limit + 1,
        )
    )
    page = [blob for blob in blobs if blob.name != start][:limit]
    run = _SweepRun(client)
    removed = 0
    for blob in page:
        path = parse_upload_path(blob.name)
        if path is None or blob.time_created is None or blob.time_created > cutoff:
            continue
        if run.is_orphan(blob.name, path) and _delete(bucket, blob.name):
            removed += 1
    finished = len(page) < limit
    cursor_ref.set(
        {
            "cursor": None if finished else page[-1].name,
            "laps": state.laps + (1 if finished else 0),
            "removed": state.removed + removed,
            "updatedAt": now or dt.datetime.now(dt.UTC),
        },
        merge=True,
    )
    record_cost(CostSample(HANDLER, 1 + run.reads, 1))
    return removed
