"""Migration 0012 (queue states) as a transformation: a story or report without a status gets
its queue's, one with a status is left alone, and a rollback writes nothing."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from mitche.models import Report, ReportStatus, TapestryThread, ThreadStatus
from mitche.services import from_document

MODULE = Path(__file__).parents[3] / "migrations" / "0012_queue_states.py"
AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("queue_states", MODULE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def story(**fields: Any) -> dict[str, Any]:
    """A story as a member created it (no server field)."""
    return {
        "nominatorId": "dan",
        "subject": "self",
        "title": "Chopping onions for sixty",
        "story": "I came to help for an hour and stayed until midnight washing pots.",
        "category": "communityBuilder",
        "createdAt": AT,
        "updatedAt": AT,
        **fields,
    }


def report(**fields: Any) -> dict[str, Any]:
    """A report as a member created it, after its triage (which stored no status before)."""
    return {
        "reporterId": "bob",
        "targetType": "request",
        "targetPath": "requests/r1",
        "reason": "spam",
        "createdAt": AT,
        "severity": "low",
        **fields,
    }


def test_a_story_and_a_report_without_status_get_their_queues() -> None:
    """The story is stored pending and the report open, and both still validate."""
    changed = _migration().up({"tapestryThreads/t1": story(), "reports/r1": report()})
    assert changed["tapestryThreads/t1"]["status"] == "pending"
    assert changed["reports/r1"]["status"] == "open"
    thread = from_document(TapestryThread, changed["tapestryThreads/t1"])
    assert thread.status is ThreadStatus.PENDING
    assert from_document(Report, changed["reports/r1"]).status is ReportStatus.OPEN


def test_a_document_with_a_status_is_left_alone() -> None:
    """A decided story or resolved report (or a second run) changes nothing."""
    documents = {
        "tapestryThreads/t1": story(status="rejected"),
        "reports/r1": report(status="open"),
    }
    assert _migration().up(documents) == {}


def test_rollback_writes_nothing() -> None:
    """`down` leaves every document as it is."""
    assert _migration().down({"reports/r1": report(status="open")}) == {}
