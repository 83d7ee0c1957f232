"""The console tests' functions: a trigger that writes a summary of each note, one that skips
notes without a title (logging why), and a nightly schedule."""

from __future__ import annotations

from typing import Any

from firebase_functions import firestore_fn, logger, scheduler_fn


@firestore_fn.on_document_written(document="notes/{uid}")
def summarize(event: firestore_fn.Event[Any]) -> None:
    from google.cloud import firestore

    after = event.data.after
    if after is None or not after.exists:
        return
    note = after.to_dict() or {}
    if "title" not in note:
        logger.warn("note has no title: skipped", uid=event.params["uid"])
        return
    client = firestore.Client(project=event.project)
    client.document(f"summaries/{event.params['uid']}").set(
        {"title": note["title"], "score": note.get("score", 0)}
    )


@scheduler_fn.on_schedule(schedule="every 24 hours")
def nightly(event: scheduler_fn.ScheduledEvent) -> None:
    from google.cloud import firestore

    client = firestore.Client()
    client.document("runs/nightly").set({"at": event.schedule_time})
