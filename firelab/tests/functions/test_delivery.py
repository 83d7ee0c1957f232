"""Committed writes reach the matching triggers as the production runtime delivers them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from google.cloud.firestore_v1.types import document as document_types
from google.events.cloud.firestore_v1.types import data as event_types

from firelab.functions import (
    DocumentWrite,
    FunctionsCodebase,
    Principal,
    TriggerDispatcher,
    changed_field_paths,
    make_document_event,
)

from .conftest import PROJECT

Document = document_types.Document.pb()
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def make_document(path: str, **fields: Any) -> Any:
    """A stored v1 Document with simple scalar fields."""
    document = Document(name=f"projects/{PROJECT}/databases/(default)/documents/{path}")
    for key, value in fields.items():
        if isinstance(value, bool):
            document.fields[key].boolean_value = value
        elif isinstance(value, int):
            document.fields[key].integer_value = value
        elif isinstance(value, dict):
            for inner_key, inner in value.items():
                document.fields[key].map_value.fields[inner_key].integer_value = inner
        else:
            document.fields[key].string_value = value
    document.create_time.FromDatetime(NOW)
    document.update_time.FromDatetime(NOW)
    return document


def make_write(path: str, before: Any, after: Any, *, seconds: int = 0, **kw: Any) -> DocumentWrite:
    return DocumentWrite(
        PROJECT, "(default)", path, before, after, NOW + timedelta(seconds=seconds), **kw
    )


@pytest.fixture
def dispatcher(codebase: FunctionsCodebase) -> Any:
    instance = TriggerDispatcher(codebase, initial_backoff=0.001, max_attempts=3)
    yield instance
    instance.close()


def test_the_payload_is_protobuf_document_event_data() -> None:
    """The CloudEvent carries DocumentEventData bytes with the production attributes."""
    before = make_document("things/a", n=1, keep="x")
    after = make_document("things/a", n=2, keep="x")
    event = make_document_event(
        event_type="google.cloud.firestore.document.v1.updated",
        project=PROJECT,
        database="(default)",
        document="things/a",
        before=before,
        after=after,
        time=NOW,
    )
    assert event["datacontenttype"] == "application/protobuf"
    assert event["source"] == f"//firestore.googleapis.com/projects/{PROJECT}/databases/(default)"
    assert event["subject"] == "documents/things/a"
    assert event["document"] == "things/a"
    payload = event_types.DocumentEventData.deserialize(event.get_data())
    assert payload.value.fields["n"].integer_value == 2
    assert payload.old_value.fields["n"].integer_value == 1
    assert list(payload.update_mask.field_paths) == ["n"]


def test_update_masks_descend_into_maps_and_quote_odd_names() -> None:
    """Changed nested fields are listed by their field paths, odd keys backquoted."""
    before = make_document("t/a", stats={"a": 1, "b": 1}, **{"odd-key": "x"})
    after = make_document("t/a", stats={"a": 1, "b": 2}, **{"odd-key": "y"})
    assert changed_field_paths(before, after) == ["`odd-key`", "stats.b"]


def test_a_create_fires_created_with_the_decoded_snapshot(
    dispatcher: TriggerDispatcher, recorder: ModuleType
) -> None:
    """The SDK decodes the payload into a snapshot and binds the path wildcards."""
    queued = dispatcher.submit([make_write("things/a", None, make_document("things/a", n=1))])
    assert queued == 1
    assert dispatcher.wait_idle(10)
    [seen] = recorder.seen("thing_created")
    assert seen["type"] == "google.cloud.firestore.document.v1.created"
    assert seen["document"] == "things/a"
    assert seen["params"] == {"thingId": "a"}
    assert seen["data"] == {"n": 1}


def test_updates_and_deletes_reach_their_triggers(
    dispatcher: TriggerDispatcher, recorder: ModuleType
) -> None:
    """An update sees before and after; a delete sees the last state."""
    v1, v2 = make_document("things/a", n=1), make_document("things/a", n=2)
    dispatcher.submit([make_write("things/a", v1, v2), make_write("things/a", v2, None, seconds=1)])
    assert dispatcher.wait_idle(10)
    assert recorder.seen("thing_updated") == [{"before": {"n": 1}, "after": {"n": 2}}]
    assert recorder.seen("thing_deleted") == [{"n": 2}]


def test_a_no_op_write_fires_nothing(dispatcher: TriggerDispatcher, recorder: ModuleType) -> None:
    """Rewriting a document with identical data generates no update event, as in production."""
    same = make_document("things/a", n=1)
    assert dispatcher.submit([make_write("things/a", same, make_document("things/a", n=1))]) == 0


def test_auth_context_functions_see_the_writer(
    dispatcher: TriggerDispatcher, recorder: ModuleType
) -> None:
    """`*_with_auth_context` triggers receive the writer's principal type and id."""
    write = make_write(
        "things/a/notes/n1",
        None,
        make_document("things/a/notes/n1", text="hi"),
        principal=Principal.end_user("alice"),
    )
    dispatcher.submit([write])
    assert dispatcher.wait_idle(10)
    assert recorder.seen("note_written") == [
        {"params": {"thingId": "a", "noteId": "n1"}, "authType": "api_key", "authId": "alice"}
    ]


def test_deliveries_for_one_document_arrive_in_commit_order(
    dispatcher: TriggerDispatcher, recorder: ModuleType
) -> None:
    """Many quick writes to one document reach the trigger in the order they committed."""
    writes = []
    previous = None
    for n in range(40):
        current = make_document("counters/c", n=n)
        writes.append(make_write("counters/c", previous, current, seconds=n))
        previous = current
    dispatcher.submit(writes)
    assert dispatcher.wait_idle(20)
    assert [seen["value"]["n"] for seen in recorder.seen("counter_written")] == list(range(40))


def test_a_raising_handler_is_retried_with_the_same_event_id(
    dispatcher: TriggerDispatcher, recorder: ModuleType
) -> None:
    """A transient failure is retried and succeeds; the redelivery keeps the event id."""
    recorder.failures_left["c"] = 2
    event = make_write("counters/c", None, make_document("counters/c", n=1))
    dispatcher.submit([event])
    assert dispatcher.wait_idle(10)
    [seen] = recorder.seen("counter_written")
    assert seen["value"] == {"n": 1}
    assert dispatcher.failures == []


def test_a_handler_that_keeps_failing_is_logged_not_lost(
    dispatcher: TriggerDispatcher, recorder: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """After the last attempt the failure is logged with context and kept for inspection."""
    recorder.failures_left["c"] = 99
    dispatcher.submit([make_write("counters/c", None, make_document("counters/c", n=1))])
    assert dispatcher.wait_idle(10)
    [failure] = dispatcher.failures
    assert (failure.function, failure.document, failure.attempts) == (
        "counter_written",
        "counters/c",
        3,
    )
    assert "transient failure" in failure.error
    assert any("gave up on event" in record.getMessage() for record in caplog.records)
    assert recorder.seen("counter_written") == []


def test_the_same_commit_gets_the_same_event_id(codebase: FunctionsCodebase) -> None:
    """Event ids derive from the commit, so a redelivered commit is recognisable."""
    first = TriggerDispatcher(codebase)
    write = make_write("counters/c", None, make_document("counters/c", n=1))
    ids = [event["id"] for _, event in first._events_for(write)]
    again = [event["id"] for _, event in first._events_for(write)]
    first.close()
    assert ids == again
    assert len(ids) == 1


def test_wait_idle_times_out_while_a_delivery_is_running(codebase: FunctionsCodebase) -> None:
    """`wait_idle` reports False while deliveries are still pending."""
    gate = threading.Event()
    dispatcher = TriggerDispatcher(codebase, sleep=lambda _: gate.wait(5), initial_backoff=1)
    module = __import__("recorder")
    module.reset()
    module.failures_left["slow"] = 1
    dispatcher.submit([make_write("counters/slow", None, make_document("counters/slow", n=1))])
    assert dispatcher.wait_idle(0.05) is False
    gate.set()
    assert dispatcher.wait_idle(10) is True
    dispatcher.close()
    module.reset()
