"""Migration 0004 (completion feedback) as a transformation: what it removes, what it keeps,
and that a second run and a rollback change nothing."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from mitche.models import HelpRequest
from mitche.services import from_document

MODULE = Path(__file__).parents[3] / "migrations" / "0004_completion_feedback.py"
AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("completion_feedback", MODULE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_fulfilled(**completion: Any) -> dict[str, Any]:
    """A fulfilled request as stored before the migration (with whatever completion holds)."""
    return {
        "requesterId": "alice",
        "title": "Carry a wardrobe",
        "description": "Two floors down to a van.",
        "category": "household",
        "urgency": "medium",
        "status": "fulfilled",
        "remoteOk": True,
        "visibility": "community",
        "acceptedHelperIds": ["bob"],
        "completion": {"completedAt": AT, "fulfilledBy": ["bob"], **completion},
        "createdAt": AT - dt.timedelta(days=1),
        "updatedAt": AT,
    }


def test_feedback_is_removed_and_the_rest_of_the_completion_kept() -> None:
    """A request carrying completion.feedback loses it alone; the model then accepts it."""
    old = make_fulfilled(note="Done.", feedback={"rating": 5, "authorId": "alice", "createdAt": AT})
    changed = _migration().up({"requests/r1": old})
    assert changed == {"requests/r1": make_fulfilled(note="Done.")}
    from_document(HelpRequest, changed["requests/r1"])


def test_a_request_without_feedback_is_left_alone() -> None:
    """Applying twice (or to a request that never had feedback) changes nothing."""
    migration = _migration()
    assert migration.up({"requests/r1": make_fulfilled()}) == {}
    assert migration.up({"requests/r2": {**make_fulfilled(), "completion": None}}) == {}
    assert migration.up({"requests/r3": None}) == {}


def test_rollback_writes_nothing() -> None:
    """down leaves migrated requests as they are: the old models accept them too."""
    assert _migration().down({"requests/r1": make_fulfilled()}) == {}
