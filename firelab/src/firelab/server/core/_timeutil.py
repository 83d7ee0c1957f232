"""Timestamps: the store keeps microseconds since the epoch; messages carry `Timestamp`s."""

from __future__ import annotations

import threading
import time

from firelab.server.core._protos import Timestamp

__all__ = ["Clock", "from_micros", "set_micros", "to_micros"]

MIN_SECONDS = -62135596800
MAX_SECONDS = 253402300799


def to_micros(stamp: Timestamp) -> int:
    """Microseconds since the epoch of a timestamp (nanoseconds truncated)."""
    return int(stamp.seconds) * 1_000_000 + int(stamp.nanos) // 1000


def set_micros(stamp: Timestamp, micros: int) -> None:
    """Set `stamp` to `micros` microseconds since the epoch."""
    seconds, rest = divmod(micros, 1_000_000)
    stamp.seconds = seconds
    stamp.nanos = rest * 1000


def from_micros(micros: int) -> Timestamp:
    """A new `Timestamp` of `micros` microseconds since the epoch."""
    stamp = Timestamp()
    set_micros(stamp, micros)
    return stamp


class Clock:
    """Commit times: wall-clock microseconds, strictly increasing across the emulator."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def now(self) -> int:
        """The current time, without advancing the commit clock."""
        return max(time.time_ns() // 1000, self._last)

    def tick(self) -> int:
        """A fresh commit time, later than every time returned before."""
        with self._lock:
            self._last = max(time.time_ns() // 1000, self._last + 1)
            return self._last

    @property
    def last(self) -> int:
        """The latest commit time handed out."""
        return self._last
