"""Migration 0011 (report case) through the runner, against a local server holding reports as
stored before the split: the assignment and the resolution move to the moderators-only case,
the reporter is left an outcome that names no sanction and no moderator, a case the functions
already wrote wins, a second apply changes nothing, and rollback restores the old shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from mitche.models import MigrationDirection, Report, ReportCase
from mitche.services import from_document
from tests.mitche_dev.migrate.conftest import T0, run_named

MIGRATION = "0011_report_case"
TRIAGED = T0 + dt.timedelta(seconds=3)
DECIDED = T0 + dt.timedelta(hours=2)


def make_old_report(status: str = "open", **changes: Any) -> dict[str, Any]:
    """A report as stored before migration 0011 (triaged, assigned to `mona`)."""
    return {
        "reporterId": "alice",
        "targetType": "message",
        "targetPath": "messages/m1",
        "reason": "scam",
        "createdAt": T0,
        "targetOwnerId": "sam",
        "severity": "high",
        "status": status,
        "assignedModeratorId": "mona",
        "assignedAt": TRIAGED,
        "updatedAt": TRIAGED,
        **changes,
    }


SUSPENDED = make_old_report(
    "resolved",
    resolution={
        "action": "suspend",
        "note": "Thank you, we acted.",
        "resolvedBy": "mona",
        "resolvedAt": DECIDED,
        "suspension": {"startsAt": DECIDED, "endsAt": DECIDED + dt.timedelta(days=7)},
        "strikeIssued": True,
    },
    updatedAt=DECIDED,
)
RESTORED = make_old_report(
    "resolved",
    resolution={"action": "restore", "resolvedBy": "mona", "resolvedAt": DECIDED},
)
REPORTS: dict[str, dict[str, Any]] = {
    "reports/suspended": SUSPENDED,
    "reports/restored": RESTORED,
    "reports/assigned": make_old_report(),
    "reports/fresh": {
        key: value
        for key, value in make_old_report().items()
        if key not in ("assignedModeratorId", "assignedAt")
    },
}
CASES = [f"{path}/private/case" for path in REPORTS]


def _run(db: firestore.Client, direction: MigrationDirection) -> Any:
    return run_named(db, MIGRATION, direction, page_size=3)


def _stored(db: firestore.Client, paths: list[str]) -> dict[str, dict[str, Any] | None]:
    return {path: db.document(path).get().to_dict() for path in paths}


def test_the_sanction_and_the_moderator_move_to_the_case(db: firestore.Client) -> None:
    """A decided report keeps only an outcome (upheld or not, the note); its case holds the
    assignment and the resolution; an unassigned open report is left alone; all decode."""
    for path, data in REPORTS.items():
        db.document(path).set(data)
    report = _run(db, MigrationDirection.UP)
    assert (report.visited, report.changed) == (4, 3)
    reports = _stored(db, list(REPORTS))
    for data in reports.values():
        assert data is not None
        assert not {"assignedModeratorId", "assignedAt", "resolution"} & set(data)
        from_document(Report, data)
    assert reports["reports/suspended"] is not None
    assert reports["reports/suspended"]["outcome"] == {
        "upheld": True,
        "decidedAt": DECIDED,
        "note": "Thank you, we acted.",
    }
    assert reports["reports/restored"] is not None
    assert reports["reports/restored"]["outcome"] == {"upheld": False, "decidedAt": DECIDED}
    cases = _stored(db, CASES)
    assert cases["reports/fresh/private/case"] is None
    suspended_case = cases["reports/suspended/private/case"]
    assert suspended_case is not None
    case = from_document(ReportCase, suspended_case)
    assert case.assigned_moderator_id == "mona"
    assert case.resolution is not None
    assert case.resolution.action.value == "suspend"
    assigned = cases["reports/assigned/private/case"]
    assert assigned is not None
    assert from_document(ReportCase, assigned).status.value == "open"
    assert _run(db, MigrationDirection.UP).changed == 0


def test_a_case_the_functions_wrote_wins(db: firestore.Client) -> None:
    """A report the expand release re-assigned keeps its case's newer assignment."""
    db.document("reports/assigned").set(make_old_report())
    db.document("reports/assigned/private/case").set(
        {"status": "open", "assignedModeratorId": "omar", "assignedAt": DECIDED}
    )
    _run(db, MigrationDirection.UP)
    case = db.document("reports/assigned/private/case").get().to_dict()
    assert case is not None
    assert (case["assignedModeratorId"], case["assignedAt"]) == ("omar", DECIDED)


def test_rollback_restores_the_old_shape(db: firestore.Client) -> None:
    """down moves the assignment and the resolution back, drops the outcome and the case."""
    for path, data in REPORTS.items():
        db.document(path).set(data)
    _run(db, MigrationDirection.UP)
    _run(db, MigrationDirection.DOWN)
    assert _stored(db, list(REPORTS)) == REPORTS
    assert set(_stored(db, CASES).values()) == {None}
