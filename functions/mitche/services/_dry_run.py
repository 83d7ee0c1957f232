"""Dry runs of operator commands: the same code path, nothing written.

Inside `dry_run()`, `run_transaction` runs the work in a real transaction (its reads are the
real ones) and then rolls it back instead of committing; `run_batch` never commits. A command
run this way computes and reports exactly what it would change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["dry_run", "is_dry_run"]

_DRY_RUN: ContextVar[bool] = ContextVar("mitche_dry_run", default=False)


@contextmanager
def dry_run() -> Iterator[None]:
    """Within this block, units of work roll back instead of committing."""
    token = _DRY_RUN.set(True)
    try:
        yield
    finally:
        _DRY_RUN.reset(token)


def is_dry_run() -> bool:
    """Whether units of work are being rolled back."""
    return _DRY_RUN.get()
