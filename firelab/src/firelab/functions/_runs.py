"""Every function run the local runtime made, newest last, in a bounded ring: trigger
deliveries, callables and scheduled runs, with their event, document, timing, outcome,
attempts, the lines they logged and the documents written while they ran.

Off by default (`enabled`), so a runtime without a console records nothing. Outcomes: `ok`;
`error` with the traceback of the last attempt; `skipped` when the handler returned but logged
a warning (firebase_functions.logger.warn or logging at WARNING), which is how handlers say
they could not use their input, with that warning as the reason.

Cost: writes are the documents committed while the run was in progress (from the server's
change feed), reads the document reads billed to server-SDK requests meanwhile (from the
server's read observer). Neither source says which run asked, so when runs overlap each one
counts everything of its window and is marked `overlapped`; a run alone is measured exactly
(unless another admin client, the console included, reads at the same moment).
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["FunctionRun", "RunLog"]

DEFAULT_CAPACITY = 500
_KEPT_LINES = 50


@dataclass(slots=True)
class FunctionRun:
    """One run of one function (a delivery counts its retries as attempts of one run)."""

    id: int
    function: str
    kind: str
    """`firestore`, `storage`, `callable`, `https` or `scheduled`."""
    event_id: str
    document: str
    """The document path (or object name) the event is about; empty for calls and schedules."""
    change: str
    """The event type's last part: `created`, `updated`, `deleted`, `written`, `finalized`…"""
    started: datetime
    duration_ms: float | None = None
    outcome: str = "running"
    error: str = ""
    reason: str = ""
    attempts: int = 0
    writes: list[str] = field(default_factory=list)
    reads: int = 0
    overlapped: bool = False
    """Other runs were in progress too: the reads and writes are of the shared window."""
    logs: list[str] = field(default_factory=list)
    _clock: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """Plain data for the console."""
        return {
            "id": self.id,
            "function": self.function,
            "kind": self.kind,
            "eventId": self.event_id,
            "document": self.document,
            "change": self.change,
            "started": self.started.isoformat(),
            "durationMs": self.duration_ms,
            "outcome": self.outcome,
            "error": self.error,
            "reason": self.reason,
            "attempts": self.attempts,
            "writes": list(self.writes),
            "reads": self.reads,
            "overlapped": self.overlapped,
            "logs": list(self.logs),
        }


class RunLog:
    """A ring of the last `capacity` runs; `enabled` switches recording."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, *, enabled: bool = False) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.enabled = enabled
        self._ring: deque[FunctionRun] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._active: set[int] = set()
        self._by_id: dict[int, FunctionRun] = {}
        self._local = threading.local()

    @contextmanager
    def run(
        self, function: str, kind: str, *, event_id: str = "", document: str = "", change: str = ""
    ) -> Iterator[FunctionRun | None]:
        """Record the run made inside the block (nothing when disabled); an exception leaving
        the block is the run's error and is re-raised."""
        if not self.enabled:
            yield None
            return
        run = self.begin(function, kind, event_id=event_id, document=document, change=change)
        try:
            yield run
        except BaseException as error:
            self.attempt_failed(run, error)
            self.finish(run)
            raise
        self.finish(run)

    def begin(
        self, function: str, kind: str, *, event_id: str = "", document: str = "", change: str = ""
    ) -> FunctionRun:
        """A run starts (in the thread that will run it)."""
        run = FunctionRun(
            id=next(self._ids),
            function=function,
            kind=kind,
            event_id=event_id,
            document=document,
            change=change,
            started=datetime.now(UTC),
            _clock=time.perf_counter(),
        )
        with self._lock:
            self._ring.append(run)
            self._by_id = {kept.id: kept for kept in self._ring}
            self._active.add(run.id)
        self._local.run = run
        return run

    def attempt(self, run: FunctionRun | None) -> None:
        """One more attempt of `run` begins."""
        if run is not None:
            run.attempts += 1
            self._local.run = run

    def attempt_failed(self, run: FunctionRun | None, error: BaseException) -> None:
        """The current attempt raised `error` (kept: the last attempt's traceback)."""
        if run is not None:
            run.error = "".join(traceback.format_exception(error)).rstrip()
            run.outcome = "error"

    def attempt_succeeded(self, run: FunctionRun | None) -> None:
        """The current attempt returned (an earlier attempt's error no longer decides)."""
        if run is not None:
            run.error = ""
            run.outcome = "ok"

    def finish(self, run: FunctionRun | None) -> None:
        """The run is over: its duration, and `skipped` when it returned with a warning."""
        if run is None:
            return
        run.duration_ms = round((time.perf_counter() - run._clock) * 1000, 3)
        if run.outcome != "error":
            warning = next((line for line in run.logs if _is_warning(line)), None)
            if warning is not None:
                run.outcome = "skipped"
                run.reason = _message(warning)
            else:
                run.outcome = "ok"
        with self._lock:
            self._active.discard(run.id)
        if getattr(self._local, "run", None) is run:
            self._local.run = None

    def log_line(self, text: str) -> None:
        """A line the current thread's run wrote (ignored outside a run)."""
        run: FunctionRun | None = getattr(self._local, "run", None)
        if run is not None and len(run.logs) < _KEPT_LINES and text.strip():
            run.logs.append(text.rstrip("\n"))

    def observe_writes(self, documents: list[str], committed: datetime) -> None:
        """Documents one commit changed: each run in progress that started before the commit
        gets them (a trigger's own event is committed before its run starts)."""
        with self._lock:
            active = [
                self._by_id[number]
                for number in self._active
                if number in self._by_id and self._by_id[number].started <= committed
            ]
        for run in active:
            run.writes.extend(documents)
            if len(active) > 1:
                run.overlapped = True

    def observe_reads(self, count: int) -> None:
        """Document reads billed to one server-SDK request: each run in progress gets them."""
        with self._lock:
            active = [self._by_id[number] for number in self._active if number in self._by_id]
        for run in active:
            run.reads += count
            if len(active) > 1:
                run.overlapped = True

    def entries(self) -> list[FunctionRun]:
        """Every kept run, oldest first."""
        with self._lock:
            return list(self._ring)

    def find(self, number: int) -> FunctionRun | None:
        with self._lock:
            return self._by_id.get(number)

    def clear(self) -> None:
        with self._lock:
            self._ring.clear()
            self._by_id = {run.id: run for run in self._ring if run.id in self._active}

    # -- capturing what runs log ---------------------------------------------------------------

    @contextmanager
    def capturing_output(self) -> Iterator[None]:
        """While inside, lines written to stdout/stderr and log records by a run's thread are
        kept with the run (and still written where they were going)."""
        handler = _RunLogHandler(self)
        out, err = sys.stdout, sys.stderr
        sys.stdout = _ThreadTee(out, self)
        sys.stderr = _ThreadTee(err, self)
        logging.getLogger().addHandler(handler)
        try:
            yield
        finally:
            logging.getLogger().removeHandler(handler)
            sys.stdout, sys.stderr = out, err


def _is_warning(line: str) -> bool:
    if line.startswith(("WARNING ", "ERROR ")):
        return True
    if line.startswith("{"):
        try:
            entry = json.loads(line)
        except ValueError:
            return False
        return isinstance(entry, dict) and entry.get("severity") in ("WARNING", "ERROR")
    return False


def _message(line: str) -> str:
    if line.startswith("{"):
        try:
            entry = json.loads(line)
        except ValueError:
            return line
        if isinstance(entry, dict):
            return str(entry.get("message", line))
    return line.split(" ", 1)[-1]


class _ThreadTee:
    """A stream that writes through and hands each write to the current run."""

    def __init__(self, target: TextIO, runs: RunLog) -> None:
        self._target = target
        self._runs = runs

    def write(self, text: str) -> int:
        self._runs.log_line(text)
        return self._target.write(text)

    def flush(self) -> None:
        self._target.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


class _RunLogHandler(logging.Handler):
    def __init__(self, runs: RunLog) -> None:
        super().__init__(logging.DEBUG)
        self._runs = runs

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("firelab."):
            return
        self._runs.log_line(f"{record.levelname} {record.getMessage()}")
