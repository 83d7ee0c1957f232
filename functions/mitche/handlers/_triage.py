"""A new report: classify it, hide the content when it must be, assign a moderator, log it.

One transaction reads the reported document (owner, text, moderation state) and the moderator
roster, and writes the report's severity, its case (`reports/{id}/private/case`: the triage's
findings and the assigned moderator, which the reporter must not read), the content's
moderation state and independent report count, the roster's round-robin counter, the report's
action log and, when the report hid the content, the day's `reports.autoHidden` analytics
counter (the report no longer says so, so its analytics trigger cannot count it). The case and
the log entries (whose ids derive from the event time) are the idempotency marker: a
redelivered event creates them again, fails on them, and the transaction is dropped. The log is
the permanent record (never rewritten, never expired), unlike the TTL markers of other handlers.

What the reporter reads of the triage is the report's `severity` and `status` only: the
content's author (`targetOwnerId`), the text as evidence (`contentSnapshot`), how many members
reported the item, the keywords matched and whether it was hidden go to the case (`triage`), so
a reporter learns neither who else reported nor which words the moderation lists hold.

Independent reports: a report counts when it was filed under its deterministic id
(`report_document_id(targetPath, reporterId)`, one per member per item; the rules refuse any
other id), the reporter is not the content's author, and the reporter's account is at least
`autoHideMinAccountAgeDays` old (the transaction reads the reporter's `createdAt`, which the
rules pin to the time of sign-up). The content's `moderation.reportCount` holds the count since
a moderator last decided on it; the content is hidden when the count reaches
`autoHideReportCount`, or when a counted reporter reports text whose own keywords reach
`autoHideSeverity`. The reporter's reason and details raise the severity only up to
`reporterSeverityCap` and never hide anything (see `mitche.domain.moderation`).

A report about a member changes nothing on the member's document: members have no moderation
state, and a key the User model does not declare would make the document undecodable (every
later update refused by the rules' key lists, awards dropped, decisions blocked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from mitche.domain.analytics import CounterDeltas, analytics_day, choose_shard
from mitche.domain.moderation import (
    Assignment,
    Classification,
    assign_moderator,
    auto_hide_cause,
    bounded_severity,
    classify,
    content_state_after_report,
    keyword_severity,
    report_document_id,
    reporter_counts,
    triage_log,
)
from mitche.errors import AlreadyExistsError, NotFoundError
from mitche.handler_names import HandlerName
from mitche.handlers._analytics import shard_increments, shard_path
from mitche.handlers._context import Deps, DocumentChange, decode, decode_change
from mitche.models import (
    Collection,
    ModerationSettings,
    ModerationState,
    ModeratorRoster,
    Report,
    ReportAction,
    ReportCase,
    ReportSeverity,
    ReportStatus,
    ReportTargetType,
    SettingsDocument,
    User,
)
from mitche.services import Unit, log_info, run_transaction, settings_path

__all__ = [
    "AUTO_HIDDEN",
    "OWNER_FIELDS",
    "TEXT_FIELDS",
    "TriagePlan",
    "action_id",
    "plan_triage",
    "report_case_path",
    "target_owner",
    "target_text",
    "triage_report",
]

HANDLER: Final = HandlerName.MODERATION_TRIAGE
SNAPSHOT_LIMIT: Final = 5000
"""Characters of the reported text kept as evidence (ReportCase.contentSnapshot's bound)."""
AUTO_HIDDEN: Final = CounterDeltas({("reports", "autoHidden"): 1})
"""The analytics increment of a report that hid its content."""

OWNER_FIELDS: Final[Mapping[ReportTargetType, tuple[str, ...]]] = {
    ReportTargetType.REQUEST: ("requesterId",),
    ReportTargetType.OFFERING: ("helperId",),
    ReportTargetType.EVENT: ("organizerId",),
    ReportTargetType.RESOURCE: ("submittedBy",),
    ReportTargetType.CONVERSATION: ("createdBy",),
    ReportTargetType.MESSAGE: ("senderId",),
    ReportTargetType.TAPESTRY_THREAD: ("nominatorId",),
    ReportTargetType.USER: (),
}
"""Where each kind of content names its author (a reported member is their own author)."""

TEXT_FIELDS: Final[Mapping[ReportTargetType, tuple[tuple[str, ...], ...]]] = {
    ReportTargetType.REQUEST: (("title",), ("description",)),
    ReportTargetType.OFFERING: (("title",), ("description",)),
    ReportTargetType.EVENT: (("title",), ("description",)),
    ReportTargetType.RESOURCE: (("name",), ("description",)),
    ReportTargetType.CONVERSATION: (("title",),),
    ReportTargetType.MESSAGE: (("text",),),
    ReportTargetType.TAPESTRY_THREAD: (("title",), ("story",)),
    ReportTargetType.USER: (("profile", "displayName"), ("profile", "bio")),
}
"""The member-written text of each kind of content, matched against the keyword lists."""


def target_owner(
    target_type: ReportTargetType, path: str, data: Mapping[str, Any] | None
) -> str | None:
    """The author of the reported content (the member, for a report about a member)."""
    if target_type is ReportTargetType.USER:
        return path.rsplit("/", 1)[-1]
    if data is None:
        return None
    for name in OWNER_FIELDS[target_type]:
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def target_text(target_type: ReportTargetType, data: Mapping[str, Any] | None) -> str | None:
    """The reported text, as it is now (kept on the report's case as evidence)."""
    if data is None:
        return None
    parts: list[str] = []
    for steps in TEXT_FIELDS[target_type]:
        value: Any = data
        for step in steps:
            value = value.get(step) if isinstance(value, Mapping) else None
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
    return "\n\n".join(parts)[:SNAPSHOT_LIMIT] or None


def report_case_path(report_id: str) -> str:
    """`reports/{reportId}/private/case`: the moderators-only part of a report."""
    return f"{Collection.REPORTS.value}/{report_id}/private/case"


def action_id(at: dt.datetime, index: int, action: ReportAction) -> str:
    """A log entry's id: sortable by time, unique per entry of one step."""
    return f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}-{index:02d}-{action.kind.value}"


@dataclass(frozen=True, slots=True)
class TriagePlan:
    """Everything the triage writes."""

    classification: Classification
    independent_reports: int
    counted: bool
    content_state: ModerationState | None
    """The content's new moderation state; None to leave it."""
    assignment: Assignment
    report_fields: Mapping[str, Any]
    """What the reporter may read of the triage: the severity (and the update time)."""
    case: ReportCase
    """The report's case, created with it: status open, the triage's findings (the content's
    author, its text, the classification) and the assigned moderator if any."""
    log: tuple[ReportAction, ...]

    @property
    def auto_hidden(self) -> bool:
        """Whether this report hid the content."""
        return self.content_state is ModerationState.HIDDEN

    @property
    def severity(self) -> ReportSeverity:
        """The report's severity."""
        return self.classification.severity


def plan_triage(
    report_id: str,
    report: Report,
    target: Mapping[str, Any] | None,
    roster: ModeratorRoster,
    settings: ModerationSettings,
    *,
    at: dt.datetime,
    event_id: str,
    reporter_since: dt.datetime | None = None,
) -> TriagePlan:
    """The triage of `report` (stored under `report_id`) against the content as it is now;
    `reporter_since`: when the reporter's account was created (None: unknown, never counts)."""
    owner = target_owner(report.target_type, report.target_path, target)
    text = target_text(report.target_type, target)
    counted = (
        report_id == report_document_id(report.target_path, report.reporter_id)
        and report.reporter_id != owner
        and reporter_counts(reporter_since, at, settings)
    )
    moderation = (target or {}).get("moderation") or {}
    prior = moderation.get("reportCount", 0) if isinstance(moderation, Mapping) else 0
    prior = prior if isinstance(prior, int) and prior >= 0 else 0
    independent = prior + (1 if counted else 0)
    found = classify(report.reason, [report.details, text], settings)
    reporter_side = classify(report.reason, [report.details], settings)
    reporter_level = reporter_side.severity
    content_level = keyword_severity(text, settings)
    classification = replace(
        found, severity=bounded_severity(reporter_level, content_level, settings)
    )
    cause = auto_hide_cause(
        content_level if counted and content_level is not None else ReportSeverity.LOW,
        independent,
        settings,
    )
    state = None
    if target is not None and report.target_type is not ReportTargetType.USER:
        raw = moderation.get("status") if isinstance(moderation, Mapping) else None
        current = None
        if isinstance(raw, str) and raw in ModerationState._value2member_map_:
            current = ModerationState(raw)
        state = content_state_after_report(current or ModerationState.PENDING, cause is not None)
    assignment = assign_moderator(
        roster.moderator_ids,
        roster.next_assignment,
        exclude=[report.reporter_id, *([owner] if owner else [])],
    )
    hid = state is ModerationState.HIDDEN
    log = triage_log(
        classification,
        auto_hidden=cause if hid else None,
        assignment=assignment,
        at=at,
        event_id=event_id,
    )
    triage = classification.triage(at, independent_reports=independent, auto_hidden=hid)
    fields: dict[str, Any] = {"severity": classification.severity.value, "updatedAt": at}
    case = ReportCase(
        target_owner_id=owner,
        content_snapshot=text,
        triage=triage,
        assigned_moderator_id=assignment.moderator_id,
        assigned_at=at if assignment.moderator_id is not None else None,
        updated_at=at,
    )
    return TriagePlan(classification, independent, counted, state, assignment, fields, case, log)


def _content_fields(
    plan: TriagePlan, target_type: ReportTargetType, at: dt.datetime
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if target_type is ReportTargetType.USER:
        return fields
    if plan.counted:
        fields["moderation.reportCount"] = plan.independent_reports
    if plan.content_state is not None:
        fields["moderation.status"] = plan.content_state.value
        if plan.auto_hidden:
            fields["moderation.reason"] = "Hidden automatically while a moderator reviews reports."
            fields["moderation.reviewedAt"] = at
    return fields


def triage_report(deps: Deps, change: DocumentChange) -> TriagePlan | None:
    """Triage a newly created report once; None when there is nothing to do (a malformed
    report, an update, or a duplicate delivery)."""
    sides = decode_change(Report, change, HANDLER)
    if sides is None or sides[0] is not None or sides[1] is None:
        return None
    report = sides[1]
    report_path = change.path
    roster_path = settings_path(SettingsDocument.MODERATORS)
    settings = deps.settings.moderation(deps.client)
    analytics = deps.settings.analytics(deps.client)

    reporter_path = f"{Collection.USERS.value}/{report.reporter_id}"

    def work(unit: Unit) -> TriagePlan:
        read = unit.get_all([report.target_path, roster_path, reporter_path])
        reporter = decode(
            User,
            read[reporter_path],
            path=reporter_path,
            handler=HANDLER,
            event_id=change.event_id,
        )
        roster = decode(
            ModeratorRoster,
            read[roster_path] or {},
            path=roster_path,
            handler=HANDLER,
            event_id=change.event_id,
        )
        plan = plan_triage(
            change.document_id,
            report,
            read[report.target_path],
            roster or ModeratorRoster(),
            settings,
            at=change.at,
            event_id=change.event_id,
            reporter_since=reporter.created_at if reporter is not None else None,
        )
        fields = dict(plan.report_fields)
        if "status" not in (change.after or {}):
            # Clients cannot write the status: the queue (`reports.openBySeverity`) finds a
            # new report only once it is stored as open (triage runs once, on creation).
            fields["status"] = ReportStatus.OPEN.value
        unit.update(report_path, fields)
        unit.create(report_case_path(change.document_id), plan.case)
        content = _content_fields(plan, report.target_type, change.at)
        if content and read[report.target_path] is not None:
            unit.update(report.target_path, content)
        if plan.assignment.moderator_id is not None:
            unit.set(
                roster_path,
                {"nextAssignment": plan.assignment.next_counter, "updatedAt": change.at},
                merge=True,
            )
        for index, action in enumerate(plan.log):
            unit.create(f"{report_path}/actions/{action_id(change.at, index, action)}", action)
        if plan.auto_hidden:
            day = analytics_day(change.at, analytics)
            shard = choose_shard(change.event_id, analytics.shard_count)
            increments = shard_increments(
                AUTO_HIDDEN,
                day=day,
                shard=shard,
                precision=analytics.geohash_precision,
                at=change.at,
            )
            unit.set(shard_path(day, shard), increments, merge=True)
        return plan

    try:
        plan = run_transaction(deps.client, HANDLER, work)
    except AlreadyExistsError:
        log_info(
            "report already triaged; duplicate delivery ignored",
            handler=HANDLER,
            eventId=change.event_id,
            path=report_path,
        )
        return None
    except NotFoundError:
        log_info(
            "report deleted before triage",
            handler=HANDLER,
            eventId=change.event_id,
            path=report_path,
        )
        return None
    log_info(
        "report triaged",
        handler=HANDLER,
        eventId=change.event_id,
        path=report_path,
        reportSeverity=plan.severity.value,
        independentReports=plan.independent_reports,
        autoHidden=plan.auto_hidden,
        assignedTo=plan.assignment.moderator_id,
    )
    return plan
