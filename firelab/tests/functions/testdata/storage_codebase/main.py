"""Cloud Storage triggers written as a Firebase project writes them: the default bucket comes
from FIREBASE_CONFIG, which the runtime (here the local stack) sets."""

from __future__ import annotations

import storage_recorder  # type: ignore[import-not-found]
from firebase_functions import storage_fn
from firebase_functions.params import STORAGE_BUCKET


def _summary(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> dict[str, object]:
    data = event.data
    return {
        "id": event.id,
        "type": event.type,
        "subject": event.subject,
        "bucket": data.bucket,
        "name": data.name,
        "size": data.size,
        "contentType": data.content_type,
        "generation": data.generation,
        "metageneration": data.metageneration,
        "metadata": data.metadata,
    }


@storage_fn.on_object_finalized()
def object_finalized(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> None:
    summary = _summary(event)
    with storage_recorder.lock:
        left = storage_recorder.failures_left.get(event.data.name, 0)
        if left:
            storage_recorder.failures_left[event.data.name] = left - 1
            storage_recorder.calls.append(("object_finalized_failed", summary))
            raise RuntimeError(f"failing on purpose for {event.data.name}")
    storage_recorder.record("object_finalized", summary)


@storage_fn.on_object_deleted()
def object_deleted(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> None:
    storage_recorder.record("object_deleted", _summary(event))


@storage_fn.on_object_metadata_updated()
def object_metadata_updated(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> None:
    storage_recorder.record("object_metadata_updated", _summary(event))


@storage_fn.on_object_finalized(bucket="another-bucket")
def other_bucket_finalized(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> None:
    storage_recorder.record("other_bucket_finalized", _summary(event))


@storage_fn.on_object_deleted(bucket=STORAGE_BUCKET)
def param_bucket_deleted(event: storage_fn.CloudEvent[storage_fn.StorageObjectData]) -> None:
    storage_recorder.record("param_bucket_deleted", _summary(event))
