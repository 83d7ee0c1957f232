"""Generates the typed client package `@mitche/client` (clients/js/src and its reference
docs) from the models, the query catalog, the callables and the flows contract. Run
`python -m mitche_dev.clientgen` to write the files, `--check` to verify them."""

from __future__ import annotations

from mitche_dev.clientgen._callables import (
    CALLABLES,
    MATCHING_CALLABLES,
    Callable,
    callable_names,
    deployed,
)
from mitche_dev.clientgen._collections import DocumentWrites, document_writes
from mitche_dev.clientgen._files import CLIENT_DIR, find_stale, generate, write

__all__ = [
    "CALLABLES",
    "CLIENT_DIR",
    "MATCHING_CALLABLES",
    "Callable",
    "DocumentWrites",
    "callable_names",
    "deployed",
    "document_writes",
    "find_stale",
    "generate",
    "write",
]
