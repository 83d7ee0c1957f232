"""What an access decision sees of a commit before it is applied.

The frontend's access policy is called with a `PlannedCommit` after the core has computed every
write's outcome (preconditions checked, transforms applied) and before anything is stored; by
raising `FirestoreError` it vetoes the whole commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from firelab.server.core._protos import Document, Write

__all__ = ["PlannedCommit", "PlannedWrite", "WriteCheck"]


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    """One write of a commit with the document before and after it (None when absent)."""

    name: str
    write: Write
    before: Document | None
    after: Document | None


@dataclass(frozen=True, slots=True)
class PlannedCommit:
    """Every write of one commit, plus lookups of the state before and after the commit."""

    writes: tuple[PlannedWrite, ...]
    _before: Callable[[str], Document | None]
    _after: Mapping[str, Document | None]
    commit_time: datetime | None = None
    """The request time of the commit: server timestamps take this value, and rules see it as
    `request.time` (so `data.updatedAt == request.time` holds for a server timestamp)."""

    def get_before(self, name: str) -> Document | None:
        """The stored document `name` as it was before this commit (rules' `get()`)."""
        return self._before(name)

    def get_after(self, name: str) -> Document | None:
        """The document `name` as it would be after this commit (rules' `getAfter()`)."""
        if name in self._after:
            return self._after[name]
        return self._before(name)


WriteCheck = Callable[[PlannedCommit], None]
