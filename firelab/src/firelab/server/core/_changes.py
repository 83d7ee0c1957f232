"""The change feed: every commit, in commit order, as (before, after) pairs per document.

The Listen stream and trigger delivery subscribe here. Listeners run synchronously in the
committing thread, after the commit is visible to reads and before the commit call returns,
one commit at a time per database; they must be quick and must not write to the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from firelab.server.core._names import DatabaseId
from firelab.server.core._protos import Document, Timestamp

__all__ = ["ChangeBatch", "ChangeFeed", "ChangeListener", "DocumentChange", "Subscription"]


class DocumentChange:
    """One document changed by a commit: `before`/`after` are None when absent.

    The documents are built on first access, so commits nobody listens to cost nothing here.
    """

    __slots__ = ("_after", "_before", "_make_after", "_make_before", "name")

    def __init__(
        self,
        name: str,
        before: Document | Callable[[], Document | None] | None,
        after: Document | Callable[[], Document | None] | None,
    ) -> None:
        self.name = name
        """Full resource name, `projects/{p}/databases/{d}/documents/{path}`."""
        self._make_before = before if callable(before) else None
        self._make_after = after if callable(after) else None
        self._before = None if callable(before) else before
        self._after = None if callable(after) else after

    @property
    def before(self) -> Document | None:
        """The document before the commit (None: it did not exist)."""
        if self._make_before is not None:
            self._before = self._make_before()
            self._make_before = None
        return self._before

    @property
    def after(self) -> Document | None:
        """The document after the commit (None: it was deleted)."""
        if self._make_after is not None:
            self._after = self._make_after()
            self._make_after = None
        return self._after

    def __repr__(self) -> str:
        return f"DocumentChange({self.name!r})"


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """All document changes of one commit (or of a clear/import) in one database."""

    database: DatabaseId
    commit_time: Timestamp
    changes: tuple[DocumentChange, ...]
    reset: bool = False
    """True when the whole database was cleared or replaced (clear, reset, import)."""


ChangeListener = Callable[[ChangeBatch], None]


class Subscription:
    """A registered change listener; `close()` stops delivery."""

    def __init__(self, feed: ChangeFeed, listener: ChangeListener) -> None:
        self._feed = feed
        self.listener = listener

    def close(self) -> None:
        """Stop delivering batches to this listener (idempotent)."""
        self._feed._remove(self)


class ChangeFeed:
    """A set of listeners notified of each batch in publication order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: tuple[Subscription, ...] = ()

    def subscribe(self, listener: ChangeListener) -> Subscription:
        """Register `listener` for every batch published from now on."""
        subscription = Subscription(self, listener)
        with self._lock:
            self._subscriptions = (*self._subscriptions, subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions = tuple(s for s in self._subscriptions if s is not subscription)

    def publish(self, batch: ChangeBatch) -> None:
        """Deliver `batch` to every current listener."""
        for subscription in self._subscriptions:
            subscription.listener(batch)
