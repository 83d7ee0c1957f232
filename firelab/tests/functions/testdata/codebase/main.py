"""A small functions codebase written exactly as a Firebase project would write it."""

from __future__ import annotations

from typing import Any

import recorder  # type: ignore[import-not-found]
from firebase_functions import firestore_fn, https_fn, scheduler_fn


@firestore_fn.on_document_created(document="things/{thingId}")
def thing_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    snapshot = event.data
    recorder.record(
        "thing_created",
        {
            "id": event.id,
            "type": event.type,
            "document": event.document,
            "params": event.params,
            "data": None if snapshot is None else snapshot.to_dict(),
        },
    )


@firestore_fn.on_document_updated(document="things/{thingId}")
def thing_updated(
    event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot]],
) -> None:
    recorder.record(
        "thing_updated",
        {
            "before": event.data.before.to_dict(),
            "after": event.data.after.to_dict(),
        },
    )


@firestore_fn.on_document_deleted(document="things/{thingId}")
def thing_deleted(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    snapshot = event.data
    recorder.record("thing_deleted", None if snapshot is None else snapshot.to_dict())


@firestore_fn.on_document_written_with_auth_context(document="things/{thingId}/notes/{noteId}")
def note_written(event: firestore_fn.AuthEvent[Any]) -> None:
    recorder.record(
        "note_written",
        {"params": event.params, "authType": event.auth_type, "authId": event.auth_id},
    )


@firestore_fn.on_document_written(document="counters/{counterId}")
def counter_written(event: firestore_fn.Event[Any]) -> None:
    after = event.data.after
    value = None if after is None else after.to_dict()
    with recorder.lock:
        left = recorder.failures_left.get(event.params["counterId"], 0)
        if left:
            recorder.failures_left[event.params["counterId"]] = left - 1
    if left:
        raise RuntimeError(f"transient failure, {left - 1} left")
    recorder.record("counter_written", {"id": event.id, "value": value})


@https_fn.on_call()
def whoami(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    auth = request.auth
    return {"uid": None if auth is None else auth.uid, "echo": request.data}


@scheduler_fn.on_schedule(schedule="every 24 hours")
def nightly(event: scheduler_fn.ScheduledEvent) -> None:
    recorder.record("nightly", event.schedule_time.isoformat())


@firestore_fn.on_document_created(document="sources/{sourceId}")
def mirror(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    """Copies a new source document, proving a trigger can write back through the stack."""
    from google.cloud import firestore

    snapshot = event.data
    if snapshot is None:
        return
    client = firestore.Client(project=event.project)
    client.document(f"mirrors/{event.params['sourceId']}").set(
        {**(snapshot.to_dict() or {}), "mirroredBy": event.id}
    )
