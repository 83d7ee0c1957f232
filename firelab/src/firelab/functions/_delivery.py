"""Deliver committed Firestore writes to matching triggers: after commit, asynchronously, in
order per document, at least once.

Each (function, document) pair has its own queue worked by one thread at a time, so a
function sees a document's changes in commit order while other documents proceed in parallel.
A handler that raises is retried with exponential backoff up to `max_attempts`; the final
failure is logged with its context and kept in `failures`, never dropped silently. Retries
reuse the event id, as production redeliveries do, so idempotent handlers can recognise them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256

from cloudevents.http import CloudEvent
from google.protobuf.message import Message

from firelab.functions._discovery import DiscoveredFunction, FunctionKind, FunctionsCodebase
from firelab.functions._events import Principal, event_types_for, make_document_event
from firelab.functions._runs import FunctionRun, RunLog

__all__ = ["DeliveryFailure", "DocumentWrite", "TriggerDispatcher"]

logger = logging.getLogger("firelab.functions")


@dataclass(frozen=True, slots=True)
class DocumentWrite:
    """One committed change of one document."""

    project: str
    database: str
    document: str
    """Path relative to the database's `documents/` root."""
    before: Message | None
    after: Message | None
    commit_time: datetime
    principal: Principal | None = None


@dataclass(frozen=True, slots=True)
class DeliveryFailure:
    """A delivery that still failed after every attempt."""

    function: str
    event_id: str
    document: str
    attempts: int
    error: str


@dataclass(slots=True)
class _Delivery:
    function: DiscoveredFunction
    event: CloudEvent
    document: str


def _event_id(write: DocumentWrite, event_type: str) -> str:
    seed = f"{write.project}/{write.database}/{write.document}@{write.commit_time.isoformat()}"
    return sha256(f"{seed}#{event_type}".encode()).hexdigest()[:32]


class TriggerDispatcher:
    """Routes document writes to a codebase's Firestore triggers."""

    def __init__(
        self,
        codebase: FunctionsCodebase,
        *,
        max_attempts: int = 5,
        initial_backoff: float = 0.1,
        max_backoff: float = 5.0,
        workers: int = 8,
        sleep: Callable[[float], None] = time.sleep,
        runs: RunLog | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._triggers = codebase.of_kind(FunctionKind.FIRESTORE)
        self._max_attempts = max_attempts
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="firelab-trigger")
        self._lock = threading.Condition()
        self._queues: dict[tuple[str, str], deque[_Delivery]] = {}
        self._active: set[tuple[str, str]] = set()
        self._pending = 0
        self._closed = False
        self.failures: list[DeliveryFailure] = []
        self.delivered = 0
        self.runs = runs if runs is not None else RunLog()
        """Each delivery with its timing and outcome, when enabled (the console)."""

    def submit(self, writes: Iterable[DocumentWrite]) -> int:
        """Queue every trigger these writes fire; returns how many deliveries were queued."""
        queued = 0
        for write in writes:
            for function, event in self._events_for(write):
                self._enqueue(_Delivery(function, event, write.document))
                queued += 1
        return queued

    def submit_events(self, events: Iterable[tuple[DiscoveredFunction, CloudEvent, str]]) -> int:
        """Queue CloudEvents made elsewhere (Cloud Storage's); each `(function, event, key)`
        is delivered after earlier ones with the same function and key (an object's name),
        with the same retries as document events. Returns how many were queued."""
        queued = 0
        for function, event, key in events:
            self._enqueue(_Delivery(function, event, key))
            queued += 1
        return queued

    def _events_for(self, write: DocumentWrite) -> Iterable[tuple[DiscoveredFunction, CloudEvent]]:
        fired = event_types_for(write.before, write.after)
        if not fired:
            return
        for function in self._triggers:
            base_type = (function.event_type or "").removesuffix(".withAuthContext")
            pattern = function.document_pattern
            if base_type not in fired or function.database != write.database or pattern is None:
                continue
            if pattern.match(write.document) is None:
                continue
            yield (
                function,
                make_document_event(
                    event_type=str(function.event_type),
                    project=write.project,
                    database=write.database,
                    document=write.document,
                    before=write.before,
                    after=write.after,
                    time=write.commit_time,
                    principal=write.principal,
                    event_id=_event_id(write, base_type),
                ),
            )

    def _enqueue(self, delivery: _Delivery) -> None:
        key = (delivery.function.name, delivery.document)
        with self._lock:
            if self._closed:
                raise RuntimeError("the trigger dispatcher is closed")
            self._queues.setdefault(key, deque()).append(delivery)
            self._pending += 1
            if key in self._active:
                return
            self._active.add(key)
        self._executor.submit(self._drain, key)

    def _drain(self, key: tuple[str, str]) -> None:
        while True:
            with self._lock:
                queue = self._queues.get(key)
                if not queue:
                    self._queues.pop(key, None)
                    self._active.discard(key)
                    self._lock.notify_all()
                    return
                delivery = queue.popleft()
            try:
                self._deliver(delivery)
            finally:
                with self._lock:
                    self._pending -= 1
                    self._lock.notify_all()

    def _deliver(self, delivery: _Delivery) -> None:
        runs = self.runs
        run: FunctionRun | None = None
        if runs.enabled:
            event_type = str(delivery.event["type"])
            run = runs.begin(
                delivery.function.name,
                delivery.function.kind.value,
                event_id=str(delivery.event["id"]),
                document=delivery.document,
                change=event_type.rsplit(".", 1)[-1],
            )
        try:
            self._attempts(delivery, run)
        finally:
            runs.finish(run)

    def _attempts(self, delivery: _Delivery, run: FunctionRun | None) -> None:
        runs = self.runs
        backoff = self._initial_backoff
        for attempt in range(1, self._max_attempts + 1):
            runs.attempt(run)
            try:
                delivery.function.handler(delivery.event)
            except Exception as error:  # a user handler may raise anything: retry, then log
                runs.attempt_failed(run, error)
                if attempt == self._max_attempts:
                    self._record_failure(delivery, attempt, error)
                    return
                logger.warning(
                    "function %s failed on %s (attempt %d of %d): %r; retrying in %.2fs",
                    delivery.function.name,
                    delivery.document,
                    attempt,
                    self._max_attempts,
                    error,
                    backoff,
                )
                self._sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
            else:
                runs.attempt_succeeded(run)
                with self._lock:
                    self.delivered += 1
                return

    def _record_failure(self, delivery: _Delivery, attempts: int, error: BaseException) -> None:
        failure = DeliveryFailure(
            function=delivery.function.name,
            event_id=str(delivery.event["id"]),
            document=delivery.document,
            attempts=attempts,
            error=repr(error),
        )
        logger.error(
            "function %s gave up on event %s for %s after %d attempts: %s",
            failure.function,
            failure.event_id,
            failure.document,
            attempts,
            failure.error,
            exc_info=error,
        )
        with self._lock:
            self.failures.append(failure)

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued delivery has finished; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Finish queued deliveries, then stop the worker threads."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=True)
