"""Callables, schedules and the control endpoints over HTTP, as client apps and tests use them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType

import httpx
import pytest

from firelab.functions import FunctionsCodebase, FunctionsHost, TriggerDispatcher, parse_schedule
from firelab.tokens import mock_id_token

from .conftest import PROJECT


@pytest.fixture
def host(codebase: FunctionsCodebase) -> Iterator[FunctionsHost]:
    dispatcher = TriggerDispatcher(codebase)
    server = FunctionsHost(codebase, dispatcher, project=PROJECT)
    server.start()
    yield server
    server.stop()
    dispatcher.close()


def call(host: FunctionsHost, name: str, data: object, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"{host.url}/{PROJECT}/us-central1/{name}", json={"data": data}, headers=headers, timeout=10
    )


def test_a_callable_sees_the_callers_uid(host: FunctionsHost) -> None:
    """A call with an ID token reaches the function with `request.auth` filled in."""
    response = call(host, "whoami", {"x": 1}, mock_id_token("alice", project=PROJECT))
    assert response.status_code == 200
    assert response.json() == {"result": {"uid": "alice", "echo": {"x": 1}}}


def test_a_callable_without_a_token_runs_unauthenticated(host: FunctionsHost) -> None:
    """Without a token the callable runs with `request.auth` unset."""
    assert call(host, "whoami", "hi").json() == {"result": {"uid": None, "echo": "hi"}}


def test_a_token_for_another_project_is_refused(host: FunctionsHost) -> None:
    """A token minted for a different project is rejected as unauthenticated."""
    response = call(host, "whoami", {}, mock_id_token("mallory", project="someone-else"))
    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_unknown_functions_are_404(host: FunctionsHost) -> None:
    """Calling a function that does not exist says so."""
    response = call(host, "nope", {})
    assert response.status_code == 404
    assert "does not exist" in response.json()["error"]


def test_a_scheduled_function_runs_on_demand(host: FunctionsHost, recorder: ModuleType) -> None:
    """The run endpoint invokes a scheduled function now, as Cloud Scheduler would."""
    response = httpx.post(f"{host.url}/__firelab/schedules/nightly:run", timeout=10)
    assert response.status_code == 200
    assert len(recorder.seen("nightly")) == 1


def test_running_a_non_scheduled_function_as_a_schedule_is_404(host: FunctionsHost) -> None:
    """Only scheduled functions can be run through the schedules endpoint."""
    response = httpx.post(f"{host.url}/__firelab/schedules/whoami:run", timeout=10)
    assert response.status_code == 404


def test_idle_endpoint_reports_no_pending_deliveries(host: FunctionsHost) -> None:
    """With nothing queued, waiting for idle returns at once."""
    response = httpx.post(f"{host.url}/__firelab/idle?timeout=1", timeout=10)
    assert response.json() == {"idle": True, "pending": 0}


def test_functions_are_listed_with_their_triggers(host: FunctionsHost) -> None:
    """The listing shows each function's kind and what fires it."""
    listing = httpx.get(f"{host.url}/__firelab/functions", timeout=10).json()
    assert listing["thing_created"]["document"] == "things/{thingId}"
    assert listing["nightly"] == {
        "kind": "scheduled",
        "eventType": None,
        "document": None,
        "schedule": "every 24 hours",
    }


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        ("every 5 minutes", "2026-11-24T10:00:00", "2026-11-24T10:05:00"),
        ("every 24 hours", "2026-11-24T10:00:00", "2026-11-25T10:00:00"),
        ("0 3 * * *", "2026-11-24T10:00:00", "2026-11-25T03:00:00"),
        ("*/15 * * * *", "2026-11-24T10:07:30", "2026-11-24T10:15:00"),
        ("30 9 * * 1-5", "2026-11-27T10:00:00", "2026-11-30T09:30:00"),
        ("0 0 1 * *", "2026-11-24T00:00:00", "2026-12-01T00:00:00"),
        ("0 12 * * 0", "2026-11-24T00:00:00", "2026-11-29T12:00:00"),
    ],
)
def test_schedules_compute_their_next_run(schedule: str, after: str, expected: str) -> None:
    """Cron lines and 'every N unit' schedules fire at the next matching minute."""
    moment = datetime.fromisoformat(after).replace(tzinfo=UTC)
    assert parse_schedule(schedule).next_after(moment) == datetime.fromisoformat(expected).replace(
        tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("every day", "neither"),
        ("61 * * * *", "outside 0-59"),
        ("* * * *", "neither"),
        ("a * * * *", "invalid literal"),
    ],
)
def test_bad_schedules_are_refused(schedule: str, message: str) -> None:
    """An unparseable schedule fails with a message naming the problem."""
    with pytest.raises(ValueError, match=message):
        parse_schedule(schedule)


def test_schedules_honour_their_time_zone() -> None:
    """A daily 03:00 schedule in Paris runs at 02:00 UTC in winter."""
    moment = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    next_run = parse_schedule("0 3 * * *", "Europe/Paris").next_after(moment)
    assert next_run.astimezone(UTC) == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
