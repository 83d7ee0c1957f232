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


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """One document changed by a commit: `before`/`after` are None when absent."""

    name: str
    """Full resource name, `projects/{p}/databases/{d}/documents/{path}`."""
    before: Document | None
    after: Document | None


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
