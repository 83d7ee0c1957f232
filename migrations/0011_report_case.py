"""Report case: move each report's assignment and resolution (`assignedModeratorId`,
`assignedAt`, `resolution`) out of `reports/{reportId}`, which its reporter reads, into
`reports/{reportId}/private/case`, which only moderators read, and leave the reporter an
`outcome` instead (issue 21, hole 16: a reporter read the sanction applied to the member they
reported and the moderator's uid).

One report per transformation: the report loses the moved fields and, when it was decided,
gains `outcome` (`upheld`: the action was hide, warn, suspend or ban; `decidedAt`: the
resolution's time; `note`: the moderator's note to the reporter); its case gains the moved
fields and the report's `status`, in the same commit. Values already on the case win (the
expand release's functions write there, so they are newer). A report with nothing to move is
left alone and gets no case (`resolve_report` creates one when it decides), so a report whose
triage is still on its way never finds its case already made. `down` moves the fields back,
drops the outcome and deletes the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "reports/{reportId}"
READS = ("reports/{reportId}", "reports/{reportId}/private/case")
WRITES = ("reports/{reportId}", "reports/{reportId}/private/case")

# The fields and actions as they were named when this migration was written; a migration is a
# record of one change, so it does not follow later renames in the models.
MOVED = ("assignedModeratorId", "assignedAt", "resolution")
UPHELD = ("hide", "warn", "suspend", "ban")

Document = dict[str, Any]


def related(path: str) -> tuple[str, ...]:
    """The report's case below it."""
    return (f"{path}/private/case",)


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str]:
    report = next(path for path in documents if path.count("/") == 1)
    return report, f"{report}/private/case"


def _outcome(resolution: Mapping[str, Any]) -> Document:
    outcome: Document = {
        "upheld": resolution.get("action") in UPHELD,
        "decidedAt": resolution.get("resolvedAt"),
    }
    if resolution.get("note") is not None:
        outcome["note"] = resolution["note"]
    return outcome


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the fields from the report into its case; leave the reporter the outcome."""
    report_path, case_path = _paths(documents)
    report, case = documents[report_path], documents[case_path]
    if report is None:
        return {}
    moved = {key: report[key] for key in MOVED if key in report}
    if not moved:
        return {}
    kept = {key: value for key, value in report.items() if key not in MOVED}
    resolution = moved.get("resolution")
    if isinstance(resolution, Mapping) and "outcome" not in kept:
        kept["outcome"] = _outcome(resolution)
    derived = {key: value for key, value in moved.items() if value is not None}
    derived["status"] = report.get("status", "open")
    if report.get("updatedAt") is not None:
        derived["updatedAt"] = report["updatedAt"]
    return {report_path: kept, case_path: {**derived, **(case or {})}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the fields back onto the report, drop its outcome and delete the case."""
    report_path, case_path = _paths(documents)
    report, case = documents[report_path], documents[case_path]
    if report is None or case is None:
        return {}
    moved = {key: case[key] for key in MOVED if case.get(key) is not None}
    kept = {key: value for key, value in report.items() if key != "outcome"}
    return {report_path: {**kept, **moved}, case_path: None}
