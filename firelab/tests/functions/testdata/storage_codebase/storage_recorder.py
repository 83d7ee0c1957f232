"""What the storage test codebase's functions saw; the tests read it back."""

from __future__ import annotations

import threading
from typing import Any

lock = threading.Lock()
calls: list[tuple[str, Any]] = []
failures_left: dict[str, int] = {}


def record(name: str, payload: Any) -> None:
    with lock:
        calls.append((name, payload))


def seen(name: str) -> list[Any]:
    with lock:
        return [payload for called, payload in calls if called == name]


def reset() -> None:
    with lock:
        calls.clear()
        failures_left.clear()
