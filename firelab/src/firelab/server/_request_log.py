"""The requests the rules judged, newest last, in a bounded ring: who asked (uid, claims), what
(method, path or query), the decision, the emulator's wire message, and for a denial the
evaluation trace (each `allow` tried with its evaluated sub-expressions and the culprit).

Off by default: a disabled log costs the server one attribute check per decision. Enabled (the
stack's console does it), an allowed request costs one small entry in the ring; a denied one is
evaluated a second time with an `EvaluationTrace` recording every expression (the policy does
it), and the ring keeps those records: culprits and values as text are worked out only when
someone opens the trace.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from firelab.rules import Rules
from firelab.rules._trace import AllowTrace, EvaluationTrace

__all__ = ["JudgedRequest", "RequestLog"]

DEFAULT_CAPACITY = 500


@dataclass(frozen=True, slots=True)
class JudgedRequest:
    """One decision of the rules about one client request (or one commit's writes)."""

    id: int
    time: datetime
    uid: str | None
    claims: Mapping[str, Any] | None
    method: str
    path: str
    database: str
    allowed: bool
    message: str
    query: str = ""
    writes: int = 1
    """How many writes of one commit were judged together."""
    trace: EvaluationTrace | None = field(default=None, repr=False)
    """The evaluation records of a denial (None for an allowed request)."""
    patterns: tuple[str, ...] = ()
    """Each allow's full match pattern, in the order of `allows`."""
    rules_file: str = ""
    rules_source: str = field(default="", repr=False)

    @property
    def allows(self) -> list[AllowTrace]:
        """Each allow tried with its evaluated expressions and culprit (denials only)."""
        return self.trace.allows() if self.trace is not None else []


class RequestLog:
    """A ring of the last `capacity` judged requests; `enabled` switches recording."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, *, enabled: bool = False) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.enabled = enabled
        self._ring: deque[JudgedRequest] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[JudgedRequest], None]] = []

    @property
    def capacity(self) -> int:
        """How many requests are kept."""
        return self._ring.maxlen or 0

    def listen(self, listener: Callable[[JudgedRequest], None]) -> None:
        """Call `listener` with each request added (in the judging thread; keep it quick)."""
        self._listeners.append(listener)

    def tracer(self, rules: Rules, coverage: Any) -> EvaluationTrace:
        """A recorder for one evaluation (forwarding to `coverage` unless None)."""
        return EvaluationTrace(coverage, rules.ruleset)

    def add(
        self,
        *,
        rules: Rules,
        trace: EvaluationTrace | None,
        identity: Any,
        method: str,
        path: str,
        database: str,
        allowed: bool,
        message: str,
        query: str = "",
        writes: int = 1,
        patterns: tuple[str, ...] = (),
        time: datetime | None = None,
    ) -> JudgedRequest:
        """Keep one decision; a trace is kept for denials only."""
        with self._lock:
            number = next(self._ids)
        entry = JudgedRequest(
            id=number,
            time=time or datetime.now(UTC),
            uid=identity.uid,
            claims=dict(identity.claims) if identity.claims is not None else None,
            method=method,
            path=path,
            database=database,
            allowed=allowed,
            message=message,
            query=query,
            writes=writes,
            trace=None if allowed else trace,
            patterns=() if allowed else patterns,
            rules_file=rules.ruleset.filename,
            rules_source="" if allowed else rules.ruleset.source,
        )
        with self._lock:
            self._ring.append(entry)
        for listener in list(self._listeners):
            listener(entry)
        return entry

    def entries(self) -> list[JudgedRequest]:
        """Every kept request, oldest first."""
        with self._lock:
            return list(self._ring)

    def find(self, number: int) -> JudgedRequest | None:
        """The kept request with this id, if it is still in the ring."""
        with self._lock:
            for entry in self._ring:
                if entry.id == number:
                    return entry
        return None

    def clear(self) -> None:
        """Forget every kept request."""
        with self._lock:
            self._ring.clear()
