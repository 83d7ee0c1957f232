"""What each handler run costs in Firestore billing units: document reads and writes.

Every unit of work (`mitche.services.run_transaction`, `run_batch`) reports one sample when it
commits; a sample is logged and handed to every active `CostRecorder`, which is how the tests
measure each trigger's cost per event (README, "Cost per trigger").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["CostRecorder", "CostSample", "record_cost", "recording_costs"]


@dataclass(frozen=True, slots=True)
class CostSample:
    """The billed operations of one committed unit of work."""

    handler: str
    reads: int
    """Documents read (a query that matches nothing still bills one read)."""
    writes: int
    """Documents written (sets, updates, creates and deletes; transforms included)."""
    attempts: int = 1
    """Transaction attempts; only the committed attempt's operations are counted here."""


@dataclass(slots=True)
class CostRecorder:
    """Collects the samples committed while it is active."""

    samples: list[CostSample] = field(default_factory=list)

    def of(self, handler: str) -> list[CostSample]:
        """The samples of one handler, in commit order."""
        return [sample for sample in self.samples if sample.handler == handler]

    def totals(self) -> tuple[int, int]:
        """Reads and writes of every sample."""
        return sum(s.reads for s in self.samples), sum(s.writes for s in self.samples)


_lock = threading.Lock()
_recorders: list[CostRecorder] = []


def record_cost(sample: CostSample) -> None:
    """Hand a committed unit's cost to the active recorders."""
    with _lock:
        for recorder in _recorders:
            recorder.samples.append(sample)


@contextmanager
def recording_costs() -> Iterator[CostRecorder]:
    """Record every unit of work committed in any thread until the block ends."""
    recorder = CostRecorder()
    with _lock:
        _recorders.append(recorder)
    try:
        yield recorder
    finally:
        with _lock:
            _recorders.remove(recorder)
