"""Migration 0015 (report triage private) through the runner, against a local server holding
reports as stored before it: the triage, the reported author and the snapshot move to the
moderators-only case, the report keeps nothing the reporter may not read, a case the functions
already wrote wins, a run stopped half-way resumes, a second apply changes nothing, and rollback
restores the old shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from mitche.models import MigrationDirection, Report, ReportCase
from mitche.services import from_document
from tests.mitche_dev.migrate.conftest import T0, run_named

MIGRATION = "0015_report_triage_private"
TRIAGED = T0 + dt.timedelta(seconds=3)
DECIDED = T0 + dt.timedelta(hours=2)
MOVED = {"targetOwnerId", "contentSnapshot", "triage"}


def make_old_triage(**changes: Any) -> dict[str, Any]:
    """A triage map as the triage wrote it on the report before migration 0015."""
    return {
        "classifiedAt": TRIAGED,
        "reasonSeverity": "high",
        "matchedKeywords": ["gift card"],
        "independentReports": 3,
        "autoHidden": True,
        **changes,
    }


def make_old_report(status: str = "open", **changes: Any) -> dict[str, Any]:
    """A report as stored after migration 0011 and before 0015 (triaged, sam's message)."""
    return {
        "reporterId": "alice",
        "targetType": "message",
        "targetPath": "messages/m1",
        "reason": "scam",
        "createdAt": T0,
        "targetOwnerId": "sam",
        "contentSnapshot": "Send me a gift card code first.",
        "severity": "high",
        "triage": make_old_triage(),
        "status": status,
        "updatedAt": TRIAGED,
        **changes,
    }


ASSIGNED_CASE = {
    "status": "open",
    "assignedModeratorId": "mona",
    "assignedAt": TRIAGED,
    "updatedAt": TRIAGED,
}
DECIDED_CASE = {
    "status": "dismissed",
    "assignedModeratorId": "mona",
    "assignedAt": TRIAGED,
    "resolution": {"action": "dismiss", "resolvedBy": "mona", "resolvedAt": DECIDED},
    "updatedAt": DECIDED,
}
REPORTS: dict[str, dict[str, Any]] = {
    "reports/assigned": make_old_report(),
    "reports/unassigned": make_old_report(),
    "reports/dismissed": make_old_report(
        "dismissed", outcome={"upheld": False, "decidedAt": DECIDED}, updatedAt=DECIDED
    ),
    "reports/user": {
        key: value
        for key, value in make_old_report(
            targetType="user",
            targetPath="users/sam",
            triage=make_old_triage(autoHidden=False, independentReports=1, matchedKeywords=[]),
        ).items()
        if key != "contentSnapshot"
    },
    "reports/untriaged": {
        key: value for key, value in make_old_report().items() if key not in MOVED | {"severity"}
    },
}
CASES_BEFORE: dict[str, dict[str, Any]] = {
    "reports/assigned/private/case": ASSIGNED_CASE,
    "reports/dismissed/private/case": DECIDED_CASE,
    "reports/user/private/case": ASSIGNED_CASE,
}
CASES = [f"{path}/private/case" for path in REPORTS]


def _seed(db: firestore.Client) -> None:
    for path, data in {**REPORTS, **CASES_BEFORE}.items():
        db.document(path).set(data)


def _run(db: firestore.Client, direction: MigrationDirection, page_size: int = 2) -> Any:
    return run_named(db, MIGRATION, direction, page_size=page_size)


def _stored(db: firestore.Client, paths: list[str]) -> dict[str, dict[str, Any] | None]:
    return {path: db.document(path).get().to_dict() for path in paths}


def test_the_triage_and_the_reported_author_move_to_the_case(db: firestore.Client) -> None:
    """Each triaged report keeps nothing of its triage nor the reported member's uid; its case
    holds them, the triage with the report's severity; an untriaged report is left alone and
    gets no case; every document decodes."""
    _seed(db)
    report = _run(db, MigrationDirection.UP)
    assert (report.visited, report.changed) == (5, 4)
    reports = _stored(db, list(REPORTS))
    for path, data in reports.items():
        assert data is not None
        assert not MOVED & set(data), path
        assert "sam" not in repr({k: v for k, v in data.items() if k != "targetPath"}), path
        from_document(Report, data)
    assert reports["reports/assigned"] is not None
    assert reports["reports/assigned"]["severity"] == "high", "the queue still orders by it"
    cases = _stored(db, CASES)
    assert cases["reports/untriaged/private/case"] is None
    for path in ("assigned", "unassigned", "dismissed"):
        stored = cases[f"reports/{path}/private/case"]
        assert stored is not None, path
        case = from_document(ReportCase, stored)
        assert case.target_owner_id == "sam"
        assert case.content_snapshot == "Send me a gift card code first."
        assert case.triage is not None
        assert case.triage.independent_reports == 3
        assert case.triage.matched_keywords == ["gift card"]
        assert case.triage.severity is not None
        assert case.triage.severity.value == "high"
    assigned = cases["reports/assigned/private/case"]
    assert assigned is not None
    assert assigned["assignedModeratorId"] == "mona"
    made = cases["reports/unassigned/private/case"]
    assert made is not None
    assert (made["status"], made["updatedAt"]) == ("open", TRIAGED)
    dismissed = cases["reports/dismissed/private/case"]
    assert dismissed is not None
    assert dismissed["resolution"]["action"] == "dismiss"
    user_case = cases["reports/user/private/case"]
    assert user_case is not None
    assert "contentSnapshot" not in user_case
    assert _run(db, MigrationDirection.UP).changed == 0


def test_a_case_the_functions_wrote_wins(db: firestore.Client) -> None:
    """A case the expand release's triage already filled keeps its own findings; the report
    still loses its copy."""
    db.document("reports/assigned").set(make_old_report())
    newer = {**ASSIGNED_CASE, "targetOwnerId": "omar", "triage": make_old_triage(severity="low")}
    db.document("reports/assigned/private/case").set(newer)
    _run(db, MigrationDirection.UP)
    case = db.document("reports/assigned/private/case").get().to_dict()
    assert case is not None
    assert (case["targetOwnerId"], case["triage"]["severity"]) == ("omar", "low")
    assert case["contentSnapshot"] == "Send me a gift card code first."
    stored = db.document("reports/assigned").get().to_dict()
    assert stored is not None
    assert not MOVED & set(stored)


def test_a_stopped_run_resumes_where_it_left(db: firestore.Client) -> None:
    """Reports moved by a first, interrupted run stay moved; the next run moves only the
    rest."""
    _seed(db)
    db.document("reports/assigned").set(
        {key: value for key, value in make_old_report().items() if key not in MOVED}
    )
    db.document("reports/assigned/private/case").set(
        {
            **ASSIGNED_CASE,
            "targetOwnerId": "sam",
            "triage": make_old_triage(severity="high"),
        }
    )
    assert _run(db, MigrationDirection.UP, page_size=1).changed == 3
    assert _run(db, MigrationDirection.UP, page_size=1).changed == 0


def test_rollback_restores_the_old_shape(db: firestore.Client) -> None:
    """down moves the findings back onto the report, drops the triage's severity and the case
    only this migration made."""
    _seed(db)
    _run(db, MigrationDirection.UP)
    _run(db, MigrationDirection.DOWN)
    assert _stored(db, list(REPORTS)) == REPORTS
    restored = _stored(db, CASES)
    assert {path: data for path, data in restored.items() if data is not None} == CASES_BEFORE
