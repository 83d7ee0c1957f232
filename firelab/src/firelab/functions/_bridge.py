"""Feed the local Firestore server's committed changes to a trigger dispatcher.

The core publishes each commit synchronously in the committing thread; the bridge only turns
it into `DocumentWrite`s and queues them, so a commit never waits for a function to run.
Clears and imports (`reset` batches) are bulk administration, not client writes: like the
emulator's clear endpoint, they fire no triggers.
"""

from __future__ import annotations

from datetime import UTC

from firelab.functions._delivery import DocumentWrite, TriggerDispatcher
from firelab.server.core import ChangeBatch, Emulator, Subscription

__all__ = ["connect_triggers"]


def _writes(batch: ChangeBatch) -> list[DocumentWrite]:
    prefix = batch.database.documents_root + "/"
    commit_time = batch.commit_time.ToDatetime(tzinfo=UTC)
    return [
        DocumentWrite(
            project=batch.database.project,
            database=batch.database.database,
            document=change.name.removeprefix(prefix),
            before=change.before,
            after=change.after,
            commit_time=commit_time,
        )
        for change in batch.changes
    ]


def connect_triggers(emulator: Emulator, dispatcher: TriggerDispatcher) -> Subscription:
    """Deliver every commit of every database in `emulator` to `dispatcher` from now on."""

    def on_batch(batch: ChangeBatch) -> None:
        if not batch.reset:
            dispatcher.submit(_writes(batch))

    return emulator.subscribe(on_batch)
