"""Engine placeholder while the real engine is written (replaced in the next commits)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from firelab.server.core._changes import ChangeBatch, ChangeFeed
from firelab.server.core._errors import Code, FirestoreError
from firelab.server.core._indexes import IndexConfig
from firelab.server.core._names import DatabaseId


class TransactionIds:
    """The emulator-wide transaction counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 1

    def reset(self) -> None:
        with self._lock:
            self._next = 1


@dataclass
class EngineSettings:
    indexes: IndexConfig
    lock_timeout: float
    transaction_timeout: float
    ids: TransactionIds = field(default_factory=TransactionIds)


class Engine:
    def __init__(
        self, database: DatabaseId, settings: EngineSettings, publish: Callable[[ChangeBatch], None]
    ) -> None:
        self.database = database
        self.settings = settings
        self.feed = ChangeFeed()
        self._publish = publish

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        def missing(*args: Any) -> Iterator[Any]:
            raise FirestoreError(Code.UNIMPLEMENTED, f"{name} is being written")

        return missing
