"""Reports, their cases and action logs: Alice's report of Sam's scam message (resolved: Sam is
suspended), Bob's report of Sam's spam request (open, assigned to the moderator) and Dan's report
about the grocery's opening hours (dismissed). The triage assigns round-robin over the roster,
which names Ada (admins moderate too) and Mod, in uid order: Dan's report, the first filed, goes
to Ada, Bob's to Mod, Alice's to Ada again. Mod decides the two that were decided, as any
moderator may decide a report assigned to another. Each reporter reads their report's severity and
outcome; the triage's findings (the reported author, the text, the keywords matched), the
assignment and the decision are on the moderators-only case (`private/case`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from mitche.models.names import Collection
from mitche.models.reports import (
    ActorRole,
    Report,
    ReportAction,
    ReportActionKind,
    ReportCase,
    ReportOutcome,
    ReportReason,
    ReportResolution,
    ReportSeverity,
    ReportStatus,
    ReportTargetType,
    ReportTriage,
    ResolutionAction,
    SuspensionPeriod,
)
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._conversations import SCAM_TEXT
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._requests import SPAM_TEXT
from mitche_dev.devstack._timeline import Timeline

__all__ = ["moderation_documents"]

_TRIAGE_DELAY = dt.timedelta(seconds=3)
"""How long the on-create trigger takes to classify and assign a report."""


def _system(kind: ReportActionKind, at: dt.datetime, **fields: object) -> ReportAction:
    return ReportAction.model_validate(
        {"kind": kind, "actor_role": ActorRole.SYSTEM, "at": at, **fields}
    )


def _moderator(kind: ReportActionKind, at: dt.datetime, **fields: object) -> ReportAction:
    return ReportAction.model_validate(
        {
            "kind": kind,
            "actor_id": Actor.MOD.value,
            "actor_role": ActorRole.MODERATOR,
            "at": at,
            **fields,
        }
    )


def _triaged(created: dt.datetime, severity: ReportSeverity, assignee: Actor) -> list[ReportAction]:
    """The trigger's first steps on every report: classify, then assign the moderator."""
    at = created + _TRIAGE_DELAY
    return [
        _system(ReportActionKind.CLASSIFIED, at, severity=severity, event_id="demo-triage"),
        _system(ReportActionKind.ASSIGNED, at, note=f"assigned to {assignee.value}"),
    ]


def _documents(
    report_id: str, report: Report, case: ReportCase, actions: Sequence[ReportAction]
) -> list[DemoDocument]:
    report_path = path(Collection.REPORTS, report_id)
    return [
        (report_path, report),
        (f"{report_path}/private/case", case),
        *(
            (f"{report_path}/actions/{number:03d}-{action.kind.value}", action)
            for number, action in enumerate(actions, start=1)
        ),
    ]


def _scam(t: Timeline) -> list[DemoDocument]:
    created, resolved = t.scam_reported, t.scam_resolved
    triaged = created + _TRIAGE_DELAY
    report = Report(
        reporter_id=Actor.ALICE,
        target_type=ReportTargetType.MESSAGE,
        target_path=path(Collection.MESSAGES, ids.MSG_SAM_SCAM),
        reason=ReportReason.SCAM,
        details="He asks me to pay fees to receive money from a charity.",
        created_at=created,
        severity=ReportSeverity.HIGH,
        status=ReportStatus.RESOLVED,
        outcome=ReportOutcome(
            upheld=True, decided_at=resolved, note="Thank you. The message is taken down."
        ),
        updated_at=resolved,
    )
    case = ReportCase(
        status=ReportStatus.RESOLVED,
        target_owner_id=Actor.SAM,
        content_snapshot=SCAM_TEXT,
        triage=ReportTriage(
            classified_at=triaged,
            reason_severity=ReportSeverity.HIGH,
            severity=ReportSeverity.HIGH,
            matched_keywords=["wire transfer"],
            auto_hidden=True,
        ),
        assigned_moderator_id=Actor.ADA,
        assigned_at=triaged,
        resolution=ReportResolution(
            action=ResolutionAction.SUSPEND,
            note="Thank you. The message is taken down.",
            resolved_by=Actor.MOD,
            resolved_at=resolved,
            suspension=SuspensionPeriod(starts_at=resolved, ends_at=t.suspension_ends),
            strike_issued=True,
        ),
        updated_at=resolved,
    )
    classified, assigned = _triaged(created, ReportSeverity.HIGH, Actor.ADA)
    actions = [
        classified,
        _system(ReportActionKind.AUTO_HIDDEN, triaged, note="Severity high: content hidden."),
        assigned,
        _moderator(
            ReportActionKind.REVIEW_STARTED,
            resolved - dt.timedelta(hours=1),
            from_status=ReportStatus.OPEN,
            to_status=ReportStatus.IN_REVIEW,
        ),
        _moderator(
            ReportActionKind.NOTE_ADDED,
            resolved - dt.timedelta(minutes=20),
            note="Same advance-fee pattern as his spam request; suspend for a week.",
        ),
        _moderator(
            ReportActionKind.RESOLVED,
            resolved,
            from_status=ReportStatus.IN_REVIEW,
            to_status=ReportStatus.RESOLVED,
            resolution_action=ResolutionAction.SUSPEND,
        ),
        _moderator(ReportActionKind.USER_SUSPENDED, resolved),
        _system(ReportActionKind.STRIKE_ADDED, resolved),
        _system(ReportActionKind.CLAIMS_UPDATED, resolved, note="suspended: true"),
    ]
    return _documents(ids.RPT_ALICE_SCAM_RESOLVED, report, case, actions)


def _spam(t: Timeline) -> list[DemoDocument]:
    created = t.spam_reported
    report = Report(
        reporter_id=Actor.BOB,
        target_type=ReportTargetType.REQUEST,
        target_path=path(Collection.REQUESTS, ids.REQ_SAM_PROMO),
        reason=ReportReason.SPAM,
        created_at=created,
        severity=ReportSeverity.LOW,
        updated_at=created + _TRIAGE_DELAY,
    )
    case = ReportCase(
        target_owner_id=Actor.SAM,
        content_snapshot=SPAM_TEXT,
        triage=ReportTriage(
            classified_at=created + _TRIAGE_DELAY,
            reason_severity=ReportSeverity.LOW,
            severity=ReportSeverity.LOW,
            matched_keywords=["promo code", "buy now", "click here"],
        ),
        assigned_moderator_id=Actor.MOD,
        assigned_at=created + _TRIAGE_DELAY,
        updated_at=created + _TRIAGE_DELAY,
    )
    return _documents(
        ids.RPT_BOB_SPAM_OPEN, report, case, _triaged(created, ReportSeverity.LOW, Actor.MOD)
    )


def _hours(t: Timeline) -> list[DemoDocument]:
    created, dismissed = t.resource_reported, t.resource_report_dismissed
    report = Report(
        reporter_id=Actor.DAN,
        target_type=ReportTargetType.RESOURCE,
        target_path=path(Collection.RESOURCES, ids.RES_FOOD_GROCERY),
        reason=ReportReason.MISINFORMATION,
        details="The listing says open on Friday but it was closed when I went.",
        created_at=created,
        severity=ReportSeverity.MEDIUM,
        status=ReportStatus.DISMISSED,
        outcome=ReportOutcome(
            upheld=False,
            decided_at=dismissed,
            note="It was a bank holiday; the usual hours are right.",
        ),
        updated_at=dismissed,
    )
    case = ReportCase(
        status=ReportStatus.DISMISSED,
        target_owner_id=Actor.ERIN,
        triage=ReportTriage(
            classified_at=created + _TRIAGE_DELAY,
            reason_severity=ReportSeverity.MEDIUM,
            severity=ReportSeverity.MEDIUM,
        ),
        assigned_moderator_id=Actor.ADA,
        assigned_at=created + _TRIAGE_DELAY,
        resolution=ReportResolution(
            action=ResolutionAction.DISMISS,
            note="It was a bank holiday; the usual hours are right.",
            resolved_by=Actor.MOD,
            resolved_at=dismissed,
        ),
        updated_at=dismissed,
    )
    actions = [
        *_triaged(created, ReportSeverity.MEDIUM, Actor.ADA),
        _moderator(
            ReportActionKind.RESOLVED,
            dismissed,
            from_status=ReportStatus.OPEN,
            to_status=ReportStatus.DISMISSED,
            resolution_action=ResolutionAction.DISMISS,
        ),
    ]
    return _documents(ids.RPT_DAN_RESOURCE_DISMISSED, report, case, actions)


def moderation_documents(t: Timeline) -> list[DemoDocument]:
    """Each report, then its action log in order."""
    return [*_scam(t), *_spam(t), *_hours(t)]
