"""Progress of a long run on a terminal: documents done, rate, time left; silent otherwise
(logs and CI output stay clean)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Progress", "Stream", "format_progress"]


class Stream(Protocol):
    """Where progress goes (sys.stderr)."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_progress(label: str, done: int, total: int | None, elapsed: float) -> str:
    """One progress line: `0001_x  1,200/5,000 docs  240/s  0:15 left`."""
    rate = done / elapsed if elapsed > 0 else 0.0
    line = f"{label}  {done:,}"
    if total is not None:
        line += f"/{total:,}"
    line += f" docs  {rate:,.0f}/s"
    if total is not None and rate > 0 and total >= done:
        line += f"  {_duration((total - done) / rate)} left"
    return line


class Progress:
    """Rewrites one terminal line as documents are done; writes nothing when the stream is
    not a terminal."""

    def __init__(
        self,
        stream: Stream,
        label: str,
        total: int | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._label = label
        self._total = total
        self._clock = clock
        self._start = clock()
        self.active = stream.isatty()

    def update(self, done: int) -> None:
        """Show `done` documents."""
        if self.active:
            line = format_progress(self._label, done, self._total, self._clock() - self._start)
            self._stream.write(f"\r\x1b[2K{line}")
            self._stream.flush()

    def finish(self) -> None:
        """End the line."""
        if self.active:
            self._stream.write("\n")
            self._stream.flush()
