"""What members create reaches the moderators' queues: the server stores the queue state a
client may not write (a query never matches a missing field)."""

from __future__ import annotations

from typing import Any

from mitche.models import ReportStatus, ThreadStatus
from mitche.models._base import MitcheModel, written_by
from mitche.services import to_document
from tests.mitche.handlers.factories import (
    T0,
    make_offering,
    make_report,
    make_thread,
    make_user,
)

from .conftest import Store


def _as_client_writes(store: Store, model: MitcheModel) -> dict[str, Any]:
    """The document as an app creates it: no key the server owns."""
    data = to_document(model, store.client)
    for name, info in type(model).model_fields.items():
        if written_by(info).server_owned:
            data.pop(info.alias or name, None)
    return data


def test_a_new_story_waits_in_the_review_queue_as_pending(store: Store) -> None:
    """A story created without a status (clients cannot write it) is stored `pending` by its
    first screening, so `tapestry.awaitingReview` lists it; a redelivery changes nothing."""
    store.put("users/amina", make_user("amina"))
    path, thread = make_thread()
    after = store.put(path, _as_client_writes(store, thread))
    event = store.event(path, None, after, at=T0)
    store.deliver("tapestry_thread_written", event)
    stored = store.get(path)
    assert stored is not None
    assert stored["status"] == ThreadStatus.PENDING.value
    store.deliver("tapestry_thread_written", event)
    assert store.get(path) == stored


def test_a_new_report_is_stored_open_for_the_queue(store: Store) -> None:
    """A report created without a status is stored `open` by its triage, so
    `reports.openBySeverity` lists it."""
    store.put("users/samira", make_user("samira"))
    offering_path, offering = make_offering()
    store.put(offering_path, offering)
    path, report = make_report()
    after = store.put(path, _as_client_writes(store, report))
    store.deliver("report_written", store.event(path, None, after, at=T0))
    stored = store.get(path)
    assert stored is not None
    assert stored["status"] == ReportStatus.OPEN.value
