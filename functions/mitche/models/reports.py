"""Reports of harmful content or behaviour (`reports/{reportId}`), and their action log.

Who reads and writes:
* any signed-in, non-suspended member creates a report about content they can read; the
  reporter fills only the target, the reason, the details and the creation time;
* the reporter and moderators read it; the reported member never does, so a reporter stays
  invisible to the person they reported (the rules give no read path to anyone else);
* everything else (severity, status, the reporter-facing `outcome`) is written by Cloud
  Functions and moderators' callable functions, never by a client;
* what only moderators may know of a report lives in `reports/{reportId}/private/case`
  (`ReportCase`), which the reporter cannot read: the assigned moderator, the decision with
  its sanction and who took it (issue 21, hole 16), and the triage's findings: the reported
  content's author, the text as evidence, how many other members reported the same item, the
  moderation keywords it matched and whether it was hidden automatically. The reporter learns
  whether their report was upheld, never what was done to the member they reported nor by
  whom, nor how many others reported it, nor which words the moderation lists hold (a
  reporter who read `matchedKeywords` could probe the lists with their own `details`).

One report per member per item: a report's id is `{targetKey}_{reporterId}`, where the target
key is the first 40 hex digits of the SHA-256 of `targetPath` (mitche.domain.moderation
.report_document_id), so a member's second report of the same item is refused by the
database; the trigger counts only reports filed under that id towards automatic hiding.

Lifecycle (`status`): `open` when created (the on-create trigger classifies its severity, may
hide the content automatically and assigns a moderator round-robin) → `inReview` once the
assigned moderator takes it up → `resolved` (an action was taken) or `dismissed` (no action).
A moderator may also dismiss or resolve straight from `open`. Every step, automatic or human,
is appended to `reports/{reportId}/actions/{actionId}`, a log that is never rewritten.

Migration `0011_report_case` moves the assignment and the resolution of reports stored before
the split into their case, and `0015_report_triage_private` the triage, the content's author
and the snapshot; until the contract release the report keeps them as legacy, server-only
optional fields that nothing writes (`resolve_report` still reads them from a report not yet
migrated, and moves them into its case).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT_CREATE,
    SERVER,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, SubcollectionSpec

__all__ = [
    "SPEC",
    "TARGET_COLLECTIONS",
    "ActorRole",
    "Report",
    "ReportAction",
    "ReportActionKind",
    "ReportCase",
    "ReportOutcome",
    "ReportReason",
    "ReportResolution",
    "ReportSeverity",
    "ReportStatus",
    "ReportTargetType",
    "ReportTriage",
    "ResolutionAction",
    "SuspensionPeriod",
]


class ReportTargetType(StrEnum):
    """The kind of thing a report is about; fixes which collection `targetPath` points into."""

    REQUEST = "request"
    OFFERING = "offering"
    EVENT = "event"
    RESOURCE = "resource"
    CONVERSATION = "conversation"
    MESSAGE = "message"
    TAPESTRY_THREAD = "tapestryThread"
    USER = "user"
    """A member's profile or behaviour as a whole."""


TARGET_COLLECTIONS: Final[dict[ReportTargetType, Collection]] = {
    ReportTargetType.REQUEST: Collection.REQUESTS,
    ReportTargetType.OFFERING: Collection.OFFERINGS,
    ReportTargetType.EVENT: Collection.COMMUNITY_EVENTS,
    ReportTargetType.RESOURCE: Collection.RESOURCES,
    ReportTargetType.CONVERSATION: Collection.CONVERSATIONS,
    ReportTargetType.MESSAGE: Collection.MESSAGES,
    ReportTargetType.TAPESTRY_THREAD: Collection.TAPESTRY_THREADS,
    ReportTargetType.USER: Collection.USERS,
}
"""The collection each target type lives in: a target path is `<collection>/<id>`."""


class ReportReason(StrEnum):
    """Why the reporter thinks the content is harmful (their choice, not the final verdict)."""

    SPAM = "spam"
    """Advertising, repeated or off-topic posts."""
    SCAM = "scam"
    """Fraud, phishing, requests for money under false pretences."""
    HARASSMENT = "harassment"
    """Bullying, insults, unwanted contact."""
    HATE = "hate"
    """Attacks on people for who they are."""
    VIOLENCE = "violence"
    """Threats or incitement to violence."""
    SELF_HARM = "selfHarm"
    """Someone may be at risk of hurting themselves: handled first, with care."""
    SEXUAL_CONTENT = "sexualContent"
    """Sexual or exploitative content."""
    PRIVACY = "privacy"
    """Someone's personal details or location exposed (doxxing)."""
    IMPERSONATION = "impersonation"
    """Pretending to be another person or an organisation."""
    MISINFORMATION = "misinformation"
    """False information about resources, services or safety."""
    UNSAFE_MEETING = "unsafeMeeting"
    """A proposed meeting or exchange that seems unsafe."""
    OTHER = "other"
    """Anything else; the reporter must explain in `details`."""


class ReportSeverity(StrEnum):
    """How urgent a report is, computed by the moderation trigger (never chosen by a client)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position from least (0) to most severe (3), for threshold comparisons."""
        return list(ReportSeverity).index(self)


class ReportStatus(StrEnum):
    """Where a report is in its review: open → inReview → resolved / dismissed."""

    OPEN = "open"
    """Waiting for its moderator."""
    IN_REVIEW = "inReview"
    """A moderator is looking at it."""
    RESOLVED = "resolved"
    """A moderator took an action (hide, restore, warn, suspend, ban)."""
    DISMISSED = "dismissed"
    """A moderator found nothing to act on."""

    @property
    def is_closed(self) -> bool:
        """Whether a moderator has decided the report."""
        return self in (ReportStatus.RESOLVED, ReportStatus.DISMISSED)


class ResolutionAction(StrEnum):
    """What a moderator decided; applied to the content and its author by the resolve callable."""

    DISMISS = "dismiss"
    """Nothing to act on; the content stays as it is."""
    HIDE = "hide"
    """Hide the content from everyone but its author and moderators."""
    RESTORE = "restore"
    """Show content that was hidden automatically again."""
    WARN = "warn"
    """Warn the author; the content is hidden and a strike recorded."""
    SUSPEND = "suspend"
    """Suspend the author's writes for `suspension` (a strike is recorded)."""
    BAN = "ban"
    """Close the author's account for good."""

    @property
    def may_strike(self) -> bool:
        """Whether the action can add a strike to the author's record."""
        return self not in (ResolutionAction.DISMISS, ResolutionAction.RESTORE)

    @property
    def upholds(self) -> bool:
        """Whether the decision agrees with the reporter (something was taken away or
        sanctioned): dismiss and restore do not."""
        return self.may_strike


class SuspensionPeriod(MitcheModel):
    """When a suspended member's writes are refused."""

    starts_at: Timestamp
    """Start of the suspension."""
    ends_at: Timestamp
    """End of the suspension; the custom claim is lifted then."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("suspension endsAt must be later than startsAt")
        return self


class ReportResolution(MitcheModel):
    """A moderator's decision on a report."""

    action: ResolutionAction
    """What was done."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """Explanation shown to the reporter; internal notes go to the action log instead."""
    resolved_by: Uid
    """The moderator (or admin) who decided."""
    resolved_at: Timestamp
    """When the decision was made."""
    suspension: SuspensionPeriod | None = None
    """The suspension imposed; present exactly when the action is `suspend`."""
    strike_issued: bool = False
    """Whether a strike was added to the author's record (never for dismiss or restore)."""

    @model_validator(mode="after")
    def _suspension_matches_action(self) -> Self:
        if (self.suspension is not None) != (self.action is ResolutionAction.SUSPEND):
            raise ValueError("resolution suspension is set exactly when the action is 'suspend'")
        if self.strike_issued and not self.action.may_strike:
            raise ValueError(f"strikeIssued is false for a {self.action.value!r} resolution")
        return self


class ReportOutcome(MitcheModel):
    """What the reporter learns of a decision: whether their report was upheld, when, and the
    moderator's note to them; never the action, the sanction or who decided (those are on the
    case, `ReportCase.resolution`, read by moderators only)."""

    upheld: bool
    """Whether action was taken on the report (hide, warn, suspend or ban); false for a
    dismissal or a restore."""
    decided_at: Timestamp
    """When the decision was made."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """The moderator's explanation to the reporter."""


class ReportTriage(MitcheModel):
    """What the automatic classification found; written once by the on-create trigger, on the
    report's case (moderators only)."""

    classified_at: Timestamp
    """When the trigger classified the report."""
    reason_severity: ReportSeverity
    """Severity the reason alone carries (systemSettings `moderation`)."""
    severity: ReportSeverity | None = None
    """The report's severity as classified (a copy of `Report.severity`, so a day's
    classifications are counted from the cases alone); absent on triages stored before
    migration 0015."""
    matched_keywords: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=20)
    ] = Field(default_factory=list)
    """Keywords from the moderation lists found in the details or the reported content."""
    independent_reports: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    """Distinct members who had reported the same target at classification time."""
    auto_hidden: bool = False
    """Whether the trigger hid the content (severity threshold or enough independent reports)."""


class Report(MitcheModel):
    """A member's report about a piece of content or another member."""

    reporter_id: Annotated[Uid, CLIENT_CREATE]
    """Who reported; must be the signed-in member. Never shown to the reported member."""
    target_type: Annotated[ReportTargetType, CLIENT_CREATE]
    """What kind of thing is reported."""
    target_path: Annotated[DocumentPath, CLIENT_CREATE]
    """Document reported, `<collection>/<id>` in the target type's collection."""
    reason: Annotated[ReportReason, CLIENT_CREATE]
    """The reporter's reason."""
    details: Annotated[Annotated[str, Field(max_length=2000)] | None, CLIENT_CREATE] = None
    """The reporter's own words; required when the reason is `other`."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the report was made (request.time)."""
    target_owner_id: Annotated[Uid | None, SERVER] = None
    """Legacy (before migration 0015): the reported content's author, now on the case."""
    content_snapshot: Annotated[Annotated[str, Field(max_length=5000)] | None, SERVER] = None
    """Legacy (before migration 0015): the reported text as evidence, now on the case."""
    severity: Annotated[ReportSeverity | None, SERVER] = None
    """Severity computed by the trigger; empty until classified. It stays on the report because
    the moderators' queue (`reports.openBySeverity`) filters and orders by it; the reporter reads
    one level, from their own reason and details (capped) and the text they reported, never the
    words matched nor how many others reported the item."""
    triage: Annotated[ReportTriage | None, SERVER] = None
    """Legacy (before migration 0015): the automatic classification, now on the case."""
    status: Annotated[ReportStatus, SERVER] = ReportStatus.OPEN
    """Review state."""
    outcome: Annotated[ReportOutcome | None, SERVER] = None
    """What the reporter learns of the decision; set when the report is resolved or dismissed."""
    assigned_moderator_id: Annotated[Uid | None, SERVER] = None
    """Legacy (before migration 0011): the assigned moderator, now on the case."""
    assigned_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy (before migration 0011): when the moderator was assigned, now on the case."""
    resolution: Annotated[ReportResolution | None, SERVER] = None
    """Legacy (before migration 0011): the moderator's decision, now on the case."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """Last change made by the server."""

    @model_validator(mode="after")
    def _target_path_in_target_collection(self) -> Self:
        collection = TARGET_COLLECTIONS[self.target_type]
        segments = self.target_path.split("/")
        if len(segments) != 2 or segments[0] != collection.value:
            raise ValueError(
                f"targetPath of a {self.target_type.value!r} report is "
                f"'{collection.value}/<id>', not {self.target_path!r}"
            )
        return self

    @model_validator(mode="after")
    def _other_reason_explained(self) -> Self:
        if self.reason is ReportReason.OTHER and not (self.details or "").strip():
            raise ValueError("details are required when the reason is 'other'")
        return self

    @model_validator(mode="after")
    def _status_consistent(self) -> Self:
        if (self.assigned_at is None) != (self.assigned_moderator_id is None):
            raise ValueError("assignedAt is set exactly when assignedModeratorId is")
        if self.status is not ReportStatus.OPEN and self.severity is None:
            raise ValueError(f"a report in status {self.status.value!r} has a severity")
        decided = self.outcome is not None or self.resolution is not None
        if self.status.is_closed != decided:
            raise ValueError("outcome is set exactly when the status is resolved or dismissed")
        upheld = self.outcome is not None and self.outcome.upheld
        if upheld and self.status is not ReportStatus.RESOLVED:
            raise ValueError("an upheld outcome belongs to a resolved report")
        _check_resolution_status(self.resolution, self.status)
        return self


def _check_resolution_status(resolution: ReportResolution | None, status: ReportStatus) -> None:
    if resolution is not None:
        dismissed = resolution.action is ResolutionAction.DISMISS
        if dismissed != (status is ReportStatus.DISMISSED):
            raise ValueError("status is 'dismissed' exactly when the resolution is 'dismiss'")


class ReportCase(MitcheModel):
    """What moderators alone know of a report (`reports/{reportId}/private/case`): the triage's
    findings (the content's author, the text as evidence, independent reports, matched
    keywords, automatic hiding), who it is assigned to and the decision, with its sanction and
    who took it.

    Written by the functions only: created by the triage (status `open`, its findings, the
    assignment), completed by `resolve_report` in the transaction that closes the report.
    `status` mirrors the report's, so a moderator's caseload is one collection-group query over
    the cases.
    """

    status: Annotated[ReportStatus, SERVER] = ReportStatus.OPEN
    """The report's review state (a copy of `Report.status`)."""
    target_owner_id: Annotated[Uid | None, SERVER] = None
    """Author or owner of the reported content, found by the triage (strikes and sanctions go
    to them; the reported member, for a report about a member)."""
    content_snapshot: Annotated[Annotated[str, Field(max_length=5000)] | None, SERVER] = None
    """The reported text as the triage found it, kept as evidence if it is edited, deleted or
    taken away (a message a moderator hides becomes a tombstone)."""
    triage: Annotated[ReportTriage | None, SERVER] = None
    """Details of the automatic classification; absent on a case made before the triage moved
    here (migration 0015 moves a report's)."""
    assigned_moderator_id: Annotated[Uid | None, SERVER] = None
    """Moderator the report is assigned to (round-robin among active moderators)."""
    assigned_at: Annotated[Timestamp | None, SERVER] = None
    """When the current moderator was assigned."""
    resolution: Annotated[ReportResolution | None, SERVER] = None
    """The moderator's decision; present exactly when the report is resolved or dismissed."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """Last change made by the server."""

    @model_validator(mode="after")
    def _status_consistent(self) -> Self:
        if (self.assigned_at is None) != (self.assigned_moderator_id is None):
            raise ValueError("assignedAt is set exactly when assignedModeratorId is")
        if self.status is ReportStatus.IN_REVIEW and self.assigned_moderator_id is None:
            raise ValueError("a report in review has an assignedModeratorId")
        if self.status.is_closed != (self.resolution is not None):
            raise ValueError("resolution is set exactly when the status is resolved or dismissed")
        _check_resolution_status(self.resolution, self.status)
        return self


class ActorRole(StrEnum):
    """Who performed a logged action."""

    SYSTEM = "system"
    """A Cloud Function acting automatically."""
    MODERATOR = "moderator"
    ADMIN = "admin"


class ReportActionKind(StrEnum):
    """A step in a report's history."""

    CLASSIFIED = "classified"
    """The trigger computed the severity."""
    AUTO_HIDDEN = "autoHidden"
    """The trigger hid the content (severity threshold or independent reports)."""
    ASSIGNED = "assigned"
    """A moderator was assigned (first time or reassignment)."""
    REVIEW_STARTED = "reviewStarted"
    """The moderator took the report up (status inReview)."""
    NOTE_ADDED = "noteAdded"
    """An internal note, seen by moderators only."""
    RESOLVED = "resolved"
    """A decision was recorded (see `resolution`)."""
    CONTENT_HIDDEN = "contentHidden"
    CONTENT_RESTORED = "contentRestored"
    USER_WARNED = "userWarned"
    USER_SUSPENDED = "userSuspended"
    USER_BANNED = "userBanned"
    STRIKE_ADDED = "strikeAdded"
    CLAIMS_UPDATED = "claimsUpdated"
    """The author's custom claims (role, suspension) were updated for the rules to read."""


class ReportAction(MitcheModel):
    """One entry of a report's action log (`reports/{reportId}/actions/{actionId}`).

    Append-only: created by Cloud Functions and moderator callables, never updated or deleted,
    readable by moderators and admins only.
    """

    kind: Annotated[ReportActionKind, SERVER]
    """What happened."""
    actor_id: Annotated[Uid | None, SERVER] = None
    """The moderator or admin who acted; empty for automatic steps."""
    actor_role: Annotated[ActorRole, SERVER]
    """Whether a function, a moderator or an admin acted."""
    at: Annotated[Timestamp, SERVER]
    """When it happened."""
    from_status: Annotated[ReportStatus | None, SERVER] = None
    """Report status before the step, when it changed."""
    to_status: Annotated[ReportStatus | None, SERVER] = None
    """Report status after the step, when it changed."""
    severity: Annotated[ReportSeverity | None, SERVER] = None
    """Severity decided, for `classified` steps."""
    resolution_action: Annotated[ResolutionAction | None, SERVER] = None
    """Decision taken, for `resolved` steps."""
    note: Annotated[Annotated[str, Field(max_length=2000)] | None, SERVER] = None
    """Internal note for moderators."""
    event_id: Annotated[Annotated[str, Field(max_length=200)] | None, SERVER] = None
    """Id of the trigger event or callable invocation that wrote the entry (idempotency)."""

    @model_validator(mode="after")
    def _actor_matches_role(self) -> Self:
        if (self.actor_id is None) != (self.actor_role is ActorRole.SYSTEM):
            raise ValueError("actorId is empty exactly when actorRole is 'system'")
        if (self.from_status is None) != (self.to_status is None):
            raise ValueError("fromStatus and toStatus are set together")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.REPORTS,
    model=Report,
    id_field="reportId",
    subcollections=(
        SubcollectionSpec(
            path="reports/{reportId}/private/case",
            model=ReportCase,
            why=(
                "The reporter reads their report; the triage's findings (the author's uid, "
                "independent reports, matched keywords, automatic hiding), the assignment and "
                "the decision (the sanction, the moderator's uid) are the moderators' alone, "
                "so they live in a document the rules let only moderators read."
            ),
        ),
        SubcollectionSpec(
            path="reports/{reportId}/actions/{actionId}",
            model=ReportAction,
            why=(
                "The action log is append-only and moderators-only: internal notes and the "
                "moderator's steps must not be readable by the reporter, and a log in its own "
                "documents can be created but never rewritten by the rules."
            ),
        ),
    ),
)
