"""Write preconditions as production answers them, through the google-cloud-firestore client;
each test names the client test that expects the behaviour."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from google.api_core import exceptions
from google.cloud import firestore

PROJECT = "demo-fidelity-writes"


@pytest.fixture
def db(firestore_server: Any) -> Any:
    firestore_server.clear(project=PROJECT)
    return firestore_server.owner_client(project=PROJECT)


def test_an_update_time_precondition_in_the_future_is_invalid(db: Any) -> None:
    """google-cloud-firestore tests/system `test_document_delete`: a `last_update_time` an
    hour after the stored one is INVALID_ARGUMENT, for a delete and for an update, and the
    document stays."""
    document = db.document("here-to-be/deleted")
    written = document.create({"not": "much"}).update_time
    future = db.write_option(last_update_time=written + datetime.timedelta(hours=1))
    with pytest.raises(exceptions.InvalidArgument):
        document.delete(option=future)
    with pytest.raises(exceptions.InvalidArgument):
        document.update({"not": "more"}, option=future)
    assert document.get().to_dict() == {"not": "much"}


def test_a_past_update_time_mismatch_stays_a_failed_precondition(db: Any) -> None:
    """document_writes.json "update_time precondition" and the official SDK transcript
    "delete with stale lastUpdateTime": a stale time is FAILED_PRECONDITION."""
    document = db.document("here-to-be/stale")
    written = document.create({"n": 1}).update_time
    document.update({"n": 2})
    with pytest.raises(exceptions.FailedPrecondition):
        document.delete(option=db.write_option(last_update_time=written))
    assert document.get().to_dict() == {"n": 2}


def test_a_delete_then_update_in_one_batch_is_invalid(db: Any) -> None:
    """The SDKs' transaction conformance matrix (firebase-js-sdk transaction.test.ts, "runs
    transactions after getting existing document": get, delete1, update2 →
    invalid-argument): an update whose document a delete of the same commit removed is
    INVALID_ARGUMENT, and nothing of the commit is applied."""
    document = db.document("docs/existing")
    document.set({"foo": "bar0"})
    batch = db.batch()
    batch.delete(document)
    batch.update(document, {"foo": "bar2"})
    with pytest.raises(exceptions.InvalidArgument):
        batch.commit()
    assert document.get().to_dict() == {"foo": "bar0"}


def test_a_delete_then_update_in_a_transaction_is_invalid(db: Any) -> None:
    """The same stages in a read-write transaction; the client does not retry it."""
    document = db.document("docs/existing")
    document.set({"foo": "bar0"})
    attempts = []

    @firestore.transactional
    def delete_then_update(transaction: Any) -> None:
        attempts.append(1)
        document.get(transaction=transaction)
        transaction.delete(document)
        transaction.update(document, {"foo": "bar2"})

    with pytest.raises(exceptions.InvalidArgument):
        delete_then_update(db.transaction())
    assert attempts == [1]
    assert document.get().to_dict() == {"foo": "bar0"}


def test_a_delete_then_set_recreates_the_document(db: Any) -> None:
    """The same matrix: get, delete1, set2 leaves the set's data."""
    document = db.document("docs/existing")
    document.set({"foo": "bar0"})
    batch = db.batch()
    batch.delete(document)
    batch.set(document, {"foo": "bar2"})
    batch.commit()
    assert document.get().to_dict() == {"foo": "bar2"}


def test_an_update_of_a_document_that_never_existed_stays_not_found(db: Any) -> None:
    """Without a delete before it, an update of a missing document is NOT_FOUND (the
    official SDK transcript's "update missing")."""
    with pytest.raises(exceptions.NotFound):
        db.document("docs/nobody").update({"foo": "bar"})
