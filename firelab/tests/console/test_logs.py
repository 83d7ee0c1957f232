"""The console's records: judged requests and function runs kept in bounded rings, nothing
recorded while disabled, and a run's outcome, attempts and cost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from firelab.functions._runs import RunLog
from firelab.rules import Rules
from firelab.server import RequestLog
from firelab.server._identity import Identity

RULES = Rules.from_source(
    "rules_version = '2';\nservice cloud.firestore {\n"
    "  match /databases/{d}/documents {\n    match /x/{id} { allow read: if false; }\n  }\n}\n"
)


def add(log: RequestLog, allowed: bool) -> None:
    log.add(
        rules=RULES,
        trace=log.tracer(RULES, None),
        identity=Identity(claims={"sub": "alice"}),
        method="get",
        path="/databases/(default)/documents/x/1",
        database="(default)",
        allowed=allowed,
        message="" if allowed else "false for 'get' @ L4",
    )


def test_the_request_ring_keeps_the_newest_requests() -> None:
    """Past its capacity the oldest request goes; ids keep counting."""
    log = RequestLog(3, enabled=True)
    for _ in range(5):
        add(log, allowed=False)
    assert [entry.id for entry in log.entries()] == [3, 4, 5]
    assert log.find(1) is None
    found = log.find(5)
    assert found is not None
    assert found.uid == "alice"


def test_an_allowed_request_keeps_no_trace() -> None:
    """Traces are kept for denials only, so the ring's memory stays small."""
    log = RequestLog(enabled=True)
    add(log, allowed=True)
    [entry] = log.entries()
    assert entry.trace is None
    assert entry.allows == []
    assert entry.rules_source == ""


@pytest.mark.parametrize("capacity", [0, -1])
def test_a_ring_needs_room_for_one(capacity: int) -> None:
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        RequestLog(capacity)
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        RunLog(capacity)


def test_a_disabled_run_log_records_nothing() -> None:
    runs = RunLog()
    with runs.run("f", "callable") as run:
        assert run is None
    assert runs.entries() == []


def test_a_run_that_raises_is_an_error_with_its_traceback() -> None:
    runs = RunLog(enabled=True)

    def fails() -> None:
        with runs.run("f", "scheduled") as run:
            runs.attempt(run)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fails()
    [kept] = runs.entries()
    assert kept.outcome == "error"
    assert "RuntimeError: boom" in kept.error
    assert kept.attempts == 1
    assert kept.duration_ms is not None


def test_a_run_that_logs_a_warning_was_skipped_for_that_reason() -> None:
    """Handlers say they could not use their input by logging a warning and returning."""
    runs = RunLog(enabled=True)
    with runs.capturing_output(), runs.run("f", "firestore", document="a/b") as run:
        runs.attempt(run)
        print('{"severity": "WARNING", "message": "no title: skipped"}')
    [kept] = runs.entries()
    assert kept.outcome == "skipped"
    assert kept.reason == "no title: skipped"


def test_a_logging_warning_also_skips() -> None:
    runs = RunLog(enabled=True)
    with runs.capturing_output(), runs.run("f", "firestore") as run:
        runs.attempt(run)
        logging.getLogger("app").warning("malformed")
    assert runs.entries()[0].reason == "malformed"


def test_cost_goes_to_the_runs_in_progress() -> None:
    """A run alone gets its window's reads and writes; overlapping runs are marked so; a commit
    made before a run started is not the run's."""
    runs = RunLog(enabled=True)
    first = runs.begin("f", "firestore")
    runs.observe_reads(2)
    runs.observe_writes(["a/1"], datetime.now(UTC))
    runs.observe_writes(["a/0"], first.started - timedelta(seconds=1))
    second = runs.begin("g", "firestore")
    runs.observe_writes(["a/2"], datetime.now(UTC))
    runs.finish(first)
    runs.finish(second)
    assert (first.reads, first.writes, first.overlapped) == (2, ["a/1", "a/2"], True)
    assert (second.reads, second.writes, second.overlapped) == (0, ["a/2"], True)


def test_a_denial_is_traced_without_counting_its_coverage_twice() -> None:
    """The policy evaluates a denied request again to trace it; coverage sees it once."""
    from firelab.server._access import AccessRequest, Operation
    from firelab.server._rules_policy import RulesPolicy
    from firelab.server.core import DatabaseId

    log = RequestLog(enabled=True)
    policy = RulesPolicy(RULES, log)
    name = "projects/p/databases/(default)/documents/x/1"
    request = AccessRequest(
        identity=Identity(claims={"sub": "alice"}),
        database=DatabaseId("p", "(default)"),
        operation=Operation.GET,
        name=name,
    )
    decision = policy.decide(request)
    assert not decision.allowed
    [entry] = log.entries()
    [allow] = entry.allows
    assert allow.culprit is not None
    assert allow.culprit.value == "false"
    assert policy.coverage.to_dict()["summary"]["allowsEvaluated"] == 1
    assert sum(counts.total for counts in policy.coverage.counts.values()) == 2
