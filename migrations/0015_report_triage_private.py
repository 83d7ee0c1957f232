"""Report triage private: move each report's triage findings (`targetOwnerId`,
`contentSnapshot`, `triage`) out of `reports/{reportId}`, which its reporter reads, into
`reports/{reportId}/private/case`, which only moderators read. After migration 0011 the
reporter still read the uid of the member they reported, the reported text as the triage found
it, how many other members had reported the same item (`triage.independentReports`), whether it
was hidden automatically and which words of the moderation lists it matched
(`triage.matchedKeywords`, a probe of the lists through the reporter's own `details`).

One report per transformation: the report loses the three fields and its case gains them in the
same commit; the case's triage gains `severity` (the report's, which stays on the report for the
moderators' queue), so a day's classifications are counted from the cases alone. Values already
on the case win (the expand release's triage writes there, so they are newer). A case this
migration makes (a report triaged when no moderator could be assigned, or never decided before
0011) copies the report's `status` and `updatedAt`, as 0011 did. A report with nothing to move
is left alone, so a second run changes nothing. `down` moves the fields back onto the report,
drops the triage's `severity` (the models before this release do not declare it) and deletes a
case left holding nothing but its status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "reports/{reportId}"
READS = ("reports/{reportId}", "reports/{reportId}/private/case")
WRITES = ("reports/{reportId}", "reports/{reportId}/private/case")

# The fields as they were named when this migration was written; a migration is a record of one
# change, so it does not follow later renames in the models.
MOVED = ("targetOwnerId", "contentSnapshot", "triage")
BOOKKEEPING = ("status", "updatedAt")
"""What a case holds of its report besides the moved fields when only this migration made it."""

Document = dict[str, Any]


def related(path: str) -> tuple[str, ...]:
    """The report's case below it."""
    return (f"{path}/private/case",)


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str]:
    report = next(path for path in documents if path.count("/") == 1)
    return report, f"{report}/private/case"


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the triage's findings from the report into its case."""
    report_path, case_path = _paths(documents)
    report, case = documents[report_path], documents[case_path]
    if report is None:
        return {}
    moved = {key: report[key] for key in MOVED if key in report}
    if not moved:
        return {}
    kept = {key: value for key, value in report.items() if key not in MOVED}
    derived = {key: value for key, value in moved.items() if value is not None}
    triage = derived.get("triage")
    if isinstance(triage, Mapping) and report.get("severity") is not None:
        derived["triage"] = {"severity": report["severity"], **triage}
    derived["status"] = report.get("status", "open")
    if report.get("updatedAt") is not None:
        derived["updatedAt"] = report["updatedAt"]
    return {report_path: kept, case_path: {**derived, **(case or {})}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the fields back onto the report; delete a case left with nothing of its own."""
    report_path, case_path = _paths(documents)
    report, case = documents[report_path], documents[case_path]
    if report is None or case is None:
        return {}
    moved = {key: case[key] for key in MOVED if case.get(key) is not None}
    if not moved and not any(key in case for key in MOVED):
        return {}
    triage = moved.get("triage")
    if isinstance(triage, Mapping):
        moved["triage"] = {key: value for key, value in triage.items() if key != "severity"}
    rest = {key: value for key, value in case.items() if key not in MOVED}
    left = None if set(rest) <= set(BOOKKEEPING) else rest
    return {report_path: {**report, **moved}, case_path: left}
