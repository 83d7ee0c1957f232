"""Moderators' and admins' decisions, behind the callable functions.

* `resolve_report`: a moderator (or admin) decides an open report: dismiss, hide, restore,
  warn, suspend or ban. One transaction reads the report and its case (`private/case`, where
  the triage named the content's author), then the reported content and its author's
  documents, applies `mitche.domain.moderation.resolve_report`, and writes the report
  (its status and the reporter's `outcome`: upheld or not, never the sanction nor the
  moderator), its case (the resolution, moderators only), the content's
  moderation state (its independent report count back to zero), the author's security map
  and the action log. The author's custom claims are set right after the commit (and again by
  the member trigger, which is idempotent), with sessions revoked for a suspension or a ban.
  A report already decided refuses a second decision, so a retried call cannot strike twice.
* `set_role`: an admin gives a member the user, moderator or admin role; the member trigger
  then updates the claims and the moderator roster.

Both are callables of the registry (`CALLABLES`, mitche.callables): the registry authorises
the caller from the `role` and `accountStatus` custom claims (the same claims the rules read),
parses the request and appends the audit entry; `resolve` and `set_role` run one call with a
request as plain data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

from google.cloud.firestore_v1 import DELETE_FIELD
from pydantic import Field

from mitche.callables import MODERATING, ONLY_ADMINS, Actor, CallableSpec, Caller
from mitche.domain.moderation import Resolution as Outcome
from mitche.domain.moderation import change_role, custom_claims, resolve_report
from mitche.errors import ErrorCode, FailedPreconditionError, NotFoundError
from mitche.handler_names import HandlerName
from mitche.handlers._account import account_path, security_source, write_security
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, decode
from mitche.handlers._triage import action_id, report_case_path
from mitche.models import (
    Collection,
    MitcheModel,
    ModerationState,
    Report,
    ReportStatus,
    ReportTargetType,
    ResolutionAction,
    Role,
    Security,
    Timestamp,
    Uid,
)
from mitche.services import Unit, log_info, run_transaction, to_document

__all__ = [
    "RESOLVE_REPORT",
    "SET_MEMBER_ROLE",
    "Caller",
    "ResolveRequest",
    "ResolveResponse",
    "RoleRequest",
    "RoleResponse",
    "readable_security",
    "resolve",
    "set_role",
]


class ResolveRequest(MitcheModel):
    """What a moderator sends to resolve a report."""

    report_id: Annotated[str, Field(min_length=1, max_length=200)]
    """The report decided."""
    action: ResolutionAction
    """The decision."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """Explanation kept on the resolution (shown to the reporter)."""
    suspension_days: Annotated[int, Field(ge=1, le=365)] | None = None
    """Length of a suspension (the policy's default when absent)."""
    strike: bool | None = None
    """Whether a hide adds a strike (warn, suspend and ban always do)."""


class RoleRequest(MitcheModel):
    """What an admin sends to change a member's role."""

    uid: Uid
    """The member."""
    role: Role
    """The new role."""


def readable_security(
    data: Mapping[str, Any] | None, *, path: str, handler: str, event_id: str
) -> Security | None:
    """A member's security map, decoded on its own: a decision needs only the member's
    standing, so a member document that fails to decode elsewhere (a profile field, a
    counter) never blocks a moderator's or an admin's decision. None when there is no
    document; a security map that itself fails to decode reads as the defaults and is
    logged for an admin (the decision then only makes the standing stricter)."""
    if data is None:
        return None
    raw = data.get("security")
    found = decode(
        Security,
        raw if isinstance(raw, Mapping) else {},
        path=f"{path}#security",
        handler=handler,
        event_id=event_id,
    )
    return found if found is not None else Security()


_TAKEN_AWAY: Final = frozenset({ModerationState.HIDDEN, ModerationState.REMOVED})
_RANK: Final = {Role.USER: 0, Role.MODERATOR: 1, Role.ADMIN: 2}


def _content_fields(
    state: ModerationState | None,
    at: dt.datetime,
    note: str | None,
    target_type: ReportTargetType,
) -> dict[str, Any]:
    fields: dict[str, Any] = {"moderation.reportCount": 0, "moderation.reviewedAt": at}
    if state is not None:
        fields["moderation.status"] = state.value
        if note:
            fields["moderation.reason"] = note[:500]
    if target_type is ReportTargetType.MESSAGE and state in _TAKEN_AWAY:
        # A message is read through its copy of the participants, with no moderation check
        # (list queries could not carry one for messages not yet screened), so a message a
        # moderator takes away becomes a tombstone, as a sender's deletion does; its text stays
        # on the report's case (contentSnapshot) as evidence.
        fields.update({"text": None, "attachment": None, "location": None, "deletedAt": at})
    return fields


_LEGACY_CASE_FIELDS: Final = (
    "assignedModeratorId",
    "assignedAt",
    "resolution",
    "targetOwnerId",
    "contentSnapshot",
    "triage",
)
"""What reports held before migrations 0011 and 0015 moved it to their case."""


def _case_owner(case: Mapping[str, Any] | None, report: Report) -> str | None:
    """The reported content's author: from the report's case, where the triage names it, or
    from a report stored before migration 0015 moved it there. Read as a bare field, so a case
    that fails to decode elsewhere never blocks a decision."""
    owner = (case or {}).get("targetOwnerId")
    if isinstance(owner, str) and owner:
        return owner
    return report.target_owner_id


def _report_fields(
    stored: Mapping[str, Any], outcome: Outcome, at: dt.datetime, unit: Unit
) -> dict[str, Any]:
    """The report's side of a decision: what the reporter may read, the legacy fields gone."""
    fields: dict[str, Any] = {
        "status": outcome.status.value,
        "outcome": to_document(outcome.report_outcome, unit.client),
        "updatedAt": at,
    }
    for key in _LEGACY_CASE_FIELDS:
        if key in stored:
            fields[key] = DELETE_FIELD
    return fields


def _case_fields(
    report: Report, case: Mapping[str, Any] | None, outcome: Outcome, at: dt.datetime, unit: Unit
) -> dict[str, Any]:
    """The case's side: the resolution; a report stored before migration 0011 brings its
    assignment along, one stored before 0015 its triage, author and snapshot (merged into a
    case that may not exist yet; what the case already holds is newer and stays)."""
    fields: dict[str, Any] = {
        "status": outcome.status.value,
        "resolution": to_document(outcome.resolution, unit.client),
        "updatedAt": at,
    }
    if report.assigned_moderator_id is not None:
        fields["assignedModeratorId"] = report.assigned_moderator_id
        fields["assignedAt"] = report.assigned_at
    legacy = {
        "targetOwnerId": report.target_owner_id,
        "contentSnapshot": report.content_snapshot,
        "triage": to_document(report.triage, unit.client) if report.triage else None,
    }
    for key, value in legacy.items():
        if value is not None and key not in (case or {}):
            fields[key] = value
    return fields


class ResolveResponse(MitcheModel):
    """What a moderator learns of a decision."""

    report_id: str
    """The report decided."""
    status: ReportStatus
    """The report's new status."""
    action: ResolutionAction
    """The action taken (a ban asked for before enough strikes becomes a proposal)."""
    strike_issued: bool
    """Whether the author received a strike."""
    ban_proposed: bool
    """Whether the decision proposes a ban for an admin to confirm."""
    suspended_until: Timestamp | None
    """When a suspension ends (None: no suspension)."""


def _resolve(deps: Deps, actor: Actor, request: ResolveRequest) -> ResolveResponse:
    """Resolve a report as the calling moderator."""
    actor_id, actor_role = actor.uid, actor.acting_as
    report_path = f"{Collection.REPORTS.value}/{request.report_id}"
    settings = deps.settings.moderation(deps.client)
    invocation = f"resolve-{uuid.uuid4().hex}"
    at = deps.now()
    handler = HandlerName.MODERATION_RESOLVE

    def work(unit: Unit) -> Resolution:
        case_path = report_case_path(request.report_id)
        first = unit.get_all([report_path, case_path])
        stored = first[report_path]
        if stored is None:
            raise NotFoundError(f"no report {request.report_id!r}")
        report = decode(Report, stored, path=report_path, handler=handler, event_id=invocation)
        if report is None:
            raise FailedPreconditionError(f"report {request.report_id!r} does not validate")
        case = first[case_path]
        owner = _case_owner(case, report)
        paths = [report.target_path]
        author_path = author_account = None
        if owner is not None:
            author_path = user_path(owner)
            author_account = account_path(owner)
            paths += [author_path, author_account]
        read = unit.get_all(paths)
        author = None
        if author_path is not None and author_account is not None:
            author = readable_security(
                security_source(read[author_account], read[author_path]),
                path=author_path,
                handler=handler,
                event_id=invocation,
            )
        outcome = resolve_report(
            report,
            request.action,
            actor_id=actor_id,
            actor_role=actor_role,
            owner=owner,
            author=author,
            settings=settings,
            at=at,
            event_id=invocation,
            note=request.note,
            suspension_days=request.suspension_days,
            strike=request.strike,
        )
        unit.update(report_path, _report_fields(stored, outcome, at, unit))
        unit.set(case_path, _case_fields(report, case, outcome, at, unit), merge=True)
        content_exists = read[report.target_path] is not None
        if content_exists and report.target_type is not ReportTargetType.USER:
            unit.update(
                report.target_path,
                _content_fields(outcome.content_state, at, request.note, report.target_type),
            )
        if (
            outcome.security is not None
            and owner is not None
            and author_account is not None
            and author_path is not None
        ):
            write_security(
                unit,
                owner,
                outcome.security,
                account_exists=read[author_account] is not None,
                legacy="security" in (read[author_path] or {}),
                revoke_at=at if outcome.revoke_sessions else None,
            )
        for index, entry in enumerate(outcome.log):
            unit.create(f"{report_path}/actions/{action_id(at, index, entry)}", entry)
        return Resolution(report, owner, outcome)

    done = run_transaction(deps.client, handler, work)
    outcome = done.outcome
    owner = done.owner
    if outcome.claims is not None and owner is not None:
        deps.accounts.set_claims(owner, outcome.claims)
        if outcome.revoke_sessions:
            deps.accounts.revoke_sessions(owner)
    log_info(
        "report resolved",
        handler=handler,
        reportId=request.report_id,
        moderator=actor_id,
        action=outcome.action.value,
        requested=outcome.requested.value,
        strike=outcome.resolution.strike_issued,
        banProposed=outcome.ban_proposed,
    )
    suspension = outcome.resolution.suspension
    return ResolveResponse(
        report_id=request.report_id,
        status=outcome.status,
        action=outcome.action,
        strike_issued=outcome.resolution.strike_issued,
        ban_proposed=outcome.ban_proposed,
        suspended_until=suspension.ends_at if suspension else None,
    )


@dataclass(frozen=True, slots=True)
class Resolution:
    """The report as it was, its content's author and what the decision did to it."""

    report: Report
    owner: str | None
    """The reported content's author (from the case, or a legacy report)."""
    outcome: Outcome


class RoleResponse(MitcheModel):
    """The member's role and custom claims after the change."""

    uid: Uid
    """The member."""
    role: Role
    """Their role now."""
    claims: dict[str, Any]
    """The custom claims set on their account."""


def _set_role(deps: Deps, actor: Actor, request: RoleRequest) -> RoleResponse:
    """Give a member a role, as the calling admin."""
    actor_id = actor.uid
    path = user_path(request.uid)
    handler = HandlerName.MODERATION_SET_ROLE

    def work(unit: Unit) -> tuple[dict[str, Any], bool]:
        account = account_path(request.uid)
        read = unit.get_all([path, account])
        current = readable_security(
            security_source(read[account], read[path]),
            path=path,
            handler=handler,
            event_id=actor_id,
        )
        if current is None:
            raise NotFoundError(f"no member document for {request.uid!r}")
        security = change_role(current, request.role, actor_id=actor_id, target_id=request.uid)
        demoted = _RANK[security.role] < _RANK[current.role]
        if security != current:
            write_security(
                unit,
                request.uid,
                security,
                account_exists=read[account] is not None,
                legacy="security" in (read[path] or {}),
                revoke_at=deps.now() if demoted else None,
            )
        return custom_claims(security), demoted

    claims, demoted = run_transaction(deps.client, handler, work)
    deps.accounts.set_claims(request.uid, claims)
    if demoted:
        # A demotion takes effect at once: the rules refuse tokens issued before it
        # (`revokedBefore`), and the member signs in again to get a token without the role.
        deps.accounts.revoke_sessions(request.uid)
    log_info("role set", handler=handler, uid=request.uid, role=request.role.value, by=actor_id)
    return RoleResponse(uid=request.uid, role=request.role, claims=claims)


RESOLVE_REPORT: Final = CallableSpec(
    name="resolve_report",
    request=ResolveRequest,
    response=ResolveResponse,
    roles=MODERATING,
    handler=_resolve,
    summary="A moderator decides an open report: dismiss, hide, restore, warn, suspend or ban.",
    codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
    target=lambda request: f"{Collection.REPORTS.value}/{request.report_id}",
    reason=lambda request: request.note,
)
SET_MEMBER_ROLE: Final = CallableSpec(
    name="set_member_role",
    request=RoleRequest,
    response=RoleResponse,
    roles=ONLY_ADMINS,
    handler=_set_role,
    summary="An admin gives a member the user, moderator or admin role.",
    codes=(ErrorCode.NOT_FOUND,),
    target=lambda request: user_path(request.uid),
)
CALLABLES: Final = (RESOLVE_REPORT, SET_MEMBER_ROLE)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""


def resolve(deps: Deps, caller: Caller, data: object) -> dict[str, Any]:
    """One `resolve_report` call: the outcome as the client sees it."""
    return RESOLVE_REPORT.call(deps, caller, data)


def set_role(deps: Deps, caller: Caller, data: object) -> dict[str, Any]:
    """One `set_member_role` call: the member's new role and claims."""
    return SET_MEMBER_ROLE.call(deps, caller, data)
