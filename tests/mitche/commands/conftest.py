"""The commands run against the same in-process Firestore server as the trigger tests."""

from tests.mitche.triggers.conftest import (
    accounts,
    codebase,
    fresh_default_app,
    server,
    store,
)

__all__ = ["accounts", "codebase", "fresh_default_app", "server", "store"]
