"""Index definitions (placeholder, replaced next)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexConfig:
    """Composite index definitions read from firestore.indexes.json."""
