"""Cloud Storage triggers: each object change of a `firelab.storage` server becomes the
CloudEvent production sends to `storage_fn.on_object_finalized` / `on_object_deleted` /
`on_object_metadata_updated` functions watching that bucket.

The event is what Eventarc delivers for Cloud Storage (type
`google.cloud.storage.object.v1.<finalized|deleted|metadataUpdated>`, source
`//storage.googleapis.com/projects/_/buckets/{bucket}`, subject `objects/{name}`, time the
object's `updated`, JSON data the object's JSON API resource). Events are queued in the
thread that changed the object, before its client gets an answer, so `idle` covers them;
deliveries retry like Firestore triggers, and a retry carries the same event id (derived from
the object's generation and metageneration) so idempotent handlers can recognise it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from hashlib import sha256
from typing import Final

from cloudevents.http import CloudEvent

from firelab.functions._delivery import TriggerDispatcher
from firelab.functions._discovery import DiscoveredFunction, FunctionKind, FunctionsCodebase
from firelab.storage import ObjectChange, StorageServer, cloud_metadata
from firelab.storage._shapes import rfc3339

__all__ = ["STORAGE_EVENT_PREFIX", "connect_storage_triggers", "make_object_event"]

STORAGE_EVENT_PREFIX: Final = "google.cloud.storage.object.v1."


def make_object_event(change: ObjectChange, base_url: str) -> CloudEvent:
    """The CloudEvent for one object change; links in its data point at `base_url`."""
    metadata = change.metadata
    event_type = STORAGE_EVENT_PREFIX + change.kind.value
    seed = (
        f"{metadata.bucket}/{metadata.name}#{metadata.generation}.{metadata.metageneration}"
        f"#{event_type}"
    )
    attributes = {
        "specversion": "1.0",
        "id": sha256(seed.encode()).hexdigest()[:32],
        "source": f"//storage.googleapis.com/projects/_/buckets/{metadata.bucket}",
        "type": event_type,
        "subject": f"objects/{metadata.name}",
        "time": rfc3339(metadata.updated),
        "datacontenttype": "application/json",
    }
    return CloudEvent(attributes, cloud_metadata(metadata, base_url))


def _deliveries(
    functions: list[DiscoveredFunction], change: ObjectChange, base_url: str
) -> Iterable[tuple[DiscoveredFunction, CloudEvent, str]]:
    event_type = STORAGE_EVENT_PREFIX + change.kind.value
    for function in functions:
        if function.event_type != event_type or function.bucket != change.metadata.bucket:
            continue
        yield function, make_object_event(change, base_url), change.metadata.name


def connect_storage_triggers(
    storage: StorageServer, dispatcher: TriggerDispatcher, codebase: FunctionsCodebase
) -> Callable[[], None]:
    """Deliver every change of `storage`'s objects to the codebase's Storage triggers from
    now on; returns the call that disconnects them."""
    functions = codebase.of_kind(FunctionKind.STORAGE)
    base_url = storage.url

    def on_change(change: ObjectChange) -> None:
        dispatcher.submit_events(_deliveries(functions, change, base_url))

    return storage.subscribe(on_change)
