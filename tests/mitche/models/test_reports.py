"""Reports: targets, the review state machine, the reporter's outcome, the moderators' case
(assignment and resolution) and the action log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from mitche.models.names import Collection
from mitche.models.reports import (
    TARGET_COLLECTIONS,
    Report,
    ReportAction,
    ReportCase,
    ReportSeverity,
    ReportStatus,
    ReportTargetType,
    ResolutionAction,
)

CREATED = datetime(2026, 11, 18, 21, 12, tzinfo=UTC)
LATER = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)


def make_report(**changes: Any) -> dict[str, Any]:
    """A freshly created report, as the client writes it."""
    return {
        "reporterId": "aminaUid01",
        "targetType": "message",
        "targetPath": "messages/msg_81",
        "reason": "harassment",
        "createdAt": CREATED,
        **changes,
    }


def test_a_client_created_report_is_open_and_unclassified() -> None:
    """What a client writes is enough: the report starts open, with no severity or outcome."""
    report = Report.model_validate(make_report())
    assert report.status is ReportStatus.OPEN
    assert report.severity is None
    assert report.outcome is None


def test_every_target_type_points_into_a_collection_of_its_own() -> None:
    """Each kind of target lives in a distinct collection."""
    assert set(TARGET_COLLECTIONS) == set(ReportTargetType)
    assert len(set(TARGET_COLLECTIONS.values())) == len(ReportTargetType)


@pytest.mark.parametrize(("target_type", "collection"), list(TARGET_COLLECTIONS.items()))
def test_target_path_must_be_in_the_target_collection(
    target_type: ReportTargetType, collection: Collection
) -> None:
    """A report about a kind of thing names a document of that kind's collection, and no other."""
    Report.model_validate(make_report(targetType=target_type, targetPath=f"{collection}/x1"))
    other = next(c for c in Collection if c is not collection)
    with pytest.raises(ValidationError, match="targetPath"):
        Report.model_validate(make_report(targetType=target_type, targetPath=f"{other}/x1"))


def test_severities_rank_from_low_to_critical() -> None:
    """Severity thresholds compare by rank, not alphabetically."""
    ranks = [severity.rank for severity in ReportSeverity]
    assert ranks == sorted(ranks) == [0, 1, 2, 3]
    assert ReportSeverity.CRITICAL.rank > ReportSeverity.HIGH.rank > ReportSeverity.LOW.rank


def _resolution(action: ResolutionAction, **changes: Any) -> dict[str, Any]:
    return {"action": action, "resolvedBy": "modSamir03", "resolvedAt": LATER, **changes}


def _case(status: str, resolution: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "status": status,
        "assignedModeratorId": "modSamir03",
        "assignedAt": CREATED,
        "resolution": resolution,
    }


def _reviewed(status: str, outcome: dict[str, Any] | None = None) -> dict[str, Any]:
    return make_report(severity="medium", status=status, outcome=outcome)


@pytest.mark.parametrize(
    ("status", "resolution", "accepted"),
    [
        ("open", None, True),
        ("inReview", None, True),
        ("dismissed", _resolution(ResolutionAction.DISMISS), True),
        ("resolved", _resolution(ResolutionAction.HIDE, strikeIssued=True), True),
        ("resolved", _resolution(ResolutionAction.RESTORE), True),
        ("resolved", _resolution(ResolutionAction.WARN, strikeIssued=True), True),
        ("resolved", _resolution(ResolutionAction.BAN, strikeIssued=True), True),
        (
            "resolved",
            _resolution(
                ResolutionAction.SUSPEND,
                suspension={"startsAt": LATER, "endsAt": datetime(2026, 12, 1, tzinfo=UTC)},
            ),
            True,
        ),
        ("inReview", _resolution(ResolutionAction.HIDE), False),
        ("resolved", None, False),
        ("dismissed", _resolution(ResolutionAction.HIDE), False),
        ("resolved", _resolution(ResolutionAction.DISMISS), False),
        ("resolved", _resolution(ResolutionAction.DISMISS, strikeIssued=True), False),
        (
            "resolved",
            _resolution(
                ResolutionAction.WARN,
                suspension={"startsAt": LATER, "endsAt": datetime(2026, 12, 1, tzinfo=UTC)},
            ),
            False,
        ),
    ],
)
def test_status_and_resolution_agree(
    status: str, resolution: dict[str, Any] | None, accepted: bool
) -> None:
    """On the case, open and in-review reports have no decision; closed ones have exactly the
    matching decision: dismissed with dismiss, resolved with an action, a period only for a
    suspension, a strike only for an action against the author."""
    document = _case(status, resolution)
    if accepted:
        ReportCase.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            ReportCase.model_validate(document)


def test_a_case_in_review_has_a_moderator() -> None:
    """A report is taken up by the moderator it is assigned to."""
    document = {"status": "inReview"}
    with pytest.raises(ValidationError, match="assignedModeratorId"):
        ReportCase.model_validate(document)


@pytest.mark.parametrize(
    ("status", "upheld", "accepted"),
    [
        ("open", None, True),
        ("inReview", None, True),
        ("resolved", True, True),
        ("resolved", False, True),
        ("dismissed", False, True),
        ("dismissed", True, False),
        ("resolved", None, False),
        ("open", False, False),
    ],
)
def test_the_reporter_outcome_follows_the_status(
    status: str, upheld: bool | None, accepted: bool
) -> None:
    """A closed report tells its reporter whether it was upheld, and only a resolved one can
    be; an open one tells nothing yet. The outcome has no field for the action or the
    moderator."""
    outcome = None if upheld is None else {"upheld": upheld, "decidedAt": LATER}
    document = _reviewed(status, outcome)
    if accepted:
        Report.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            Report.model_validate(document)


def test_a_report_past_open_has_a_severity() -> None:
    """A moderator never reviews a report the trigger has not classified."""
    document = {**_reviewed("inReview"), "severity": None}
    with pytest.raises(ValidationError, match="severity"):
        Report.model_validate(document)


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({"actorRole": "system"}, True),
        ({"actorRole": "moderator", "actorId": "modSamir03"}, True),
        ({"actorRole": "system", "actorId": "modSamir03"}, False),
        ({"actorRole": "admin"}, False),
        ({"actorRole": "system", "fromStatus": "open"}, False),
        ({"actorRole": "system", "fromStatus": "open", "toStatus": "inReview"}, True),
    ],
)
def test_action_log_names_its_actor(changes: dict[str, Any], accepted: bool) -> None:
    """Automatic steps have no actor id, human ones always do; a status change logs both ends."""
    document = {"kind": "assigned", "at": CREATED, **changes}
    if accepted:
        ReportAction.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            ReportAction.model_validate(document)
