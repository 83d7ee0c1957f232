"""CloudEvents for Firestore document changes, as the production runtime sends them.

The payload is the protobuf `google.events.cloud.firestore.v1.DocumentEventData`
(content type `application/protobuf`), with `update_mask` listing the changed top-level and
nested field paths on updates. A write that leaves a document unchanged fires nothing, as in
production.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from cloudevents.http import CloudEvent
from google.events.cloud.firestore_v1.types import data as event_types
from google.protobuf.message import Message

__all__ = [
    "CREATED",
    "DELETED",
    "UPDATED",
    "WRITTEN",
    "Principal",
    "changed_field_paths",
    "event_types_for",
    "make_document_event",
]

_PREFIX: Final = "google.cloud.firestore.document.v1."
CREATED: Final = _PREFIX + "created"
UPDATED: Final = _PREFIX + "updated"
DELETED: Final = _PREFIX + "deleted"
WRITTEN: Final = _PREFIX + "written"
_AUTH_SUFFIX: Final = ".withAuthContext"
_DATASCHEMA: Final = (
    "https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/"
    "firestore/v1/data.proto"
)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who made a write, as `*_with_auth_context` events report it (`authtype`, `authid`)."""

    auth_type: str
    """One of service_account, api_key, system, unauthenticated, unknown."""
    auth_id: str | None = None

    @classmethod
    def end_user(cls, uid: str | None) -> Principal:
        """A client signed in as `uid` (Firebase Auth users appear as api_key principals)."""
        return cls("api_key", uid) if uid else cls("unauthenticated")


def _fields_of(document: Message | None) -> dict[str, Any]:
    return dict(document.fields) if document is not None else {}  # type: ignore[attr-defined]


def changed_field_paths(before: Message, after: Message) -> list[str]:
    """Field paths whose values differ, descending into maps; sorted."""
    paths: list[str] = []

    def walk(prefix: str, old: Any, new: Any) -> None:
        for key in sorted(set(old) | set(new)):
            path = f"{prefix}{_quote(key)}"
            old_value, new_value = old.get(key), new.get(key)
            if (
                old_value is not None
                and new_value is not None
                and old_value.WhichOneof("value_type") == "map_value"
                and new_value.WhichOneof("value_type") == "map_value"
            ):
                walk(path + ".", old_value.map_value.fields, new_value.map_value.fields)
            elif old_value != new_value:
                paths.append(path)

    walk("", _fields_of(before), _fields_of(after))
    return paths


def _quote(key: str) -> str:
    simple = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) is not None
    return key if simple else "`" + key.replace("\\", "\\\\").replace("`", "\\`") + "`"


def event_types_for(before: Message | None, after: Message | None) -> list[str]:
    """The event types one document change fires (none for a no-op write)."""
    if before is None and after is None:
        return []
    if before is None:
        return [CREATED, WRITTEN]
    if after is None:
        return [DELETED, WRITTEN]
    if _fields_of(before) == _fields_of(after):
        return []
    return [UPDATED, WRITTEN]


def _to_event_document(document: Message) -> event_types.Document:
    return event_types.Document.deserialize(document.SerializeToString())


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_document_event(
    *,
    event_type: str,
    project: str,
    database: str,
    document: str,
    before: Message | None,
    after: Message | None,
    time: datetime,
    location: str = "us-central1",
    principal: Principal | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """The CloudEvent a function subscribed to `event_type` receives for this change.

    `event_type` may carry the `.withAuthContext` suffix, which adds `authtype`/`authid`.
    """
    payload = event_types.DocumentEventData()
    if after is not None and not event_type.startswith(DELETED):
        payload.value = _to_event_document(after)
    if before is not None and not event_type.startswith(CREATED):
        payload.old_value = _to_event_document(before)
    if before is not None and after is not None:
        payload.update_mask = event_types.DocumentMask(
            field_paths=changed_field_paths(before, after)
        )
    attributes = {
        "specversion": "1.0",
        "id": event_id or uuid.uuid4().hex,
        "source": f"//firestore.googleapis.com/projects/{project}/databases/{database}",
        "type": event_type,
        "subject": f"documents/{document}",
        "time": _rfc3339(time),
        "datacontenttype": "application/protobuf",
        "dataschema": _DATASCHEMA,
        "location": location,
        "project": project,
        "database": database,
        "namespace": "(default)",
        "document": document,
    }
    if event_type.endswith(_AUTH_SUFFIX):
        # The SDK reads both attributes unconditionally; an absent principal id is "".
        who = principal or Principal("unknown")
        attributes["authtype"] = who.auth_type
        attributes["authid"] = who.auth_id or ""
    return CloudEvent(attributes, event_types.DocumentEventData.serialize(payload))
