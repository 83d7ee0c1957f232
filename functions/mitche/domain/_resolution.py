"""What a moderator's decision on a report does: to the content, the author and their claims.

Design choices, and why:
* Effects per action: dismiss changes nothing (the report was unfounded; content hidden
  automatically is shown again only by `restore`, an explicit decision); restore shows the
  content again; hide, warn and suspend hide it; ban removes it. For a report about a member
  (target type `user`) there is no content to change.
* Strikes: warn, suspend and ban always add one, hide only when the moderator asks (hiding
  an accidental leak of an address should not blame anyone), dismiss and restore never.
  Strikes expire together: when the latest is older than `strikeExpiryDays`, the count
  starts again from zero (the user model keeps a count and the latest time, not a history).
* Escalation follows the suspension policy: a strike-bearing hide or warn of a member who
  already has `strikesToSuspend` strikes becomes a suspension of `defaultDays`; at
  `strikesToBan` strikes the outcome proposes a ban but never bans by itself.
* Account status only gets stricter here: warned ≤ suspended ≤ banned; a suspension extends
  a running one rather than shortening it. Suspensions are lifted by
  `lift_expired_suspension`, back to warned (the strikes still count).
* Custom claims are the whole claim set (Firebase replaces the claims on each update), built
  from the security map so the rules can check `request.auth.token.accountStatus` and
  `suspendedUntil` (seconds since the epoch) without reading the user document. They are
  returned only when something the rules read changed, and a suspension or ban also asks
  for the member's sessions to be revoked so the new claims take effect at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Final

from mitche.errors import FailedPreconditionError, InvalidArgumentError, PermissionDeniedError
from mitche.models.common import ModerationState
from mitche.models.reports import (
    ActorRole,
    Report,
    ReportAction,
    ReportActionKind,
    ReportOutcome,
    ReportResolution,
    ReportStatus,
    ReportTargetType,
    ResolutionAction,
    SuspensionPeriod,
)
from mitche.models.system_settings import ModerationSettings
from mitche.models.users import AccountStatus, Role, Security

__all__ = [
    "ClaimValue",
    "ReportClosedError",
    "Resolution",
    "ResolutionRefusedError",
    "change_role",
    "custom_claims",
    "lift_expired_suspension",
    "resolve_report",
]

ClaimValue = str | int | bool
"""A custom claim's value."""

_CONTENT_STATE: Final = MappingProxyType(
    {
        ResolutionAction.DISMISS: None,
        ResolutionAction.RESTORE: ModerationState.APPROVED,
        ResolutionAction.HIDE: ModerationState.HIDDEN,
        ResolutionAction.WARN: ModerationState.HIDDEN,
        ResolutionAction.SUSPEND: ModerationState.HIDDEN,
        ResolutionAction.BAN: ModerationState.REMOVED,
    }
)
_ALWAYS_STRIKES: Final = frozenset(
    {ResolutionAction.WARN, ResolutionAction.SUSPEND, ResolutionAction.BAN}
)
_NEEDS_AUTHOR: Final = _ALWAYS_STRIKES
_LOCKS_OUT: Final = frozenset({ResolutionAction.SUSPEND, ResolutionAction.BAN})
_USER_LOG: Final = MappingProxyType(
    {
        ResolutionAction.WARN: ReportActionKind.USER_WARNED,
        ResolutionAction.SUSPEND: ReportActionKind.USER_SUSPENDED,
        ResolutionAction.BAN: ReportActionKind.USER_BANNED,
    }
)


class ReportClosedError(FailedPreconditionError):
    """The report was already resolved or dismissed."""


class ResolutionRefusedError(InvalidArgumentError):
    """The decision cannot be applied as asked (missing author, bad period, strike option)."""


def custom_claims(security: Security) -> dict[str, ClaimValue]:
    """The custom claims the rules read, for a member with this security map."""
    claims: dict[str, ClaimValue] = {
        "role": security.role.value,
        "accountStatus": security.account_status.value,
        "verifiedProvider": security.verified_provider,
    }
    if security.suspended_until is not None:
        claims["suspendedUntil"] = int(security.suspended_until.timestamp())
    return claims


def _claims_changed(before: Security, after: Security) -> bool:
    return custom_claims(before) != custom_claims(after)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything a decision changes; the callable writes it in one transaction."""

    requested: ResolutionAction
    action: ResolutionAction
    """The action applied: the requested one, or a suspension by escalation."""
    status: ReportStatus
    resolution: ReportResolution
    """The decision as moderators read it (on the report's case)."""
    report_outcome: ReportOutcome
    """What the reporter reads on their report: upheld or not, the note; no sanction, no
    moderator."""
    content_state: ModerationState | None
    """New moderation state of the reported content; None to leave it."""
    security: Security | None
    """The author's new security map; None when the author is unchanged or unknown."""
    claims: Mapping[str, ClaimValue] | None
    """The author's new custom claims; None when the claims do not change."""
    revoke_sessions: bool
    reporter_upheld: bool
    """Whether the reporter earns the `reportUpheld` award."""
    ban_proposed: bool
    log: tuple[ReportAction, ...]


def _prior_strikes(security: Security, at: dt.datetime, settings: ModerationSettings) -> int:
    last = security.last_strike_at
    expiry = dt.timedelta(days=settings.suspension.strike_expiry_days)
    if last is None or at - last > expiry:
        return 0
    return security.strikes


def _wants_strike(action: ResolutionAction, strike: bool | None) -> bool:
    if action in _ALWAYS_STRIKES:
        if strike is False:
            raise ResolutionRefusedError(f"a {action.value!r} decision always adds a strike")
        return True
    if strike and not action.may_strike:
        raise ResolutionRefusedError(f"a {action.value!r} decision cannot add a strike")
    return bool(strike)


def _status_after(
    security: Security, action: ResolutionAction, until: dt.datetime | None
) -> tuple[AccountStatus, dt.datetime | None]:
    current = security.account_status
    if current is AccountStatus.BANNED or action is ResolutionAction.BAN:
        return AccountStatus.BANNED, None
    if action is ResolutionAction.SUSPEND and until is not None:
        running = security.suspended_until
        return AccountStatus.SUSPENDED, max(until, running) if running else until
    if action is ResolutionAction.WARN and current is AccountStatus.ACTIVE:
        return AccountStatus.WARNED, None
    return current, security.suspended_until


def _check_request(
    report: Report,
    action: ResolutionAction,
    actor_id: str,
    actor_role: ActorRole,
    owner: str | None,
    author: Security | None,
) -> None:
    if report.status.is_closed:
        raise ReportClosedError(f"the report is already {report.status.value}")
    if actor_role is ActorRole.SYSTEM:
        raise PermissionDeniedError("reports are resolved by a moderator or an admin")
    if actor_id in (report.reporter_id, owner):
        raise PermissionDeniedError("a moderator does not decide a report they are party to")
    if action in _NEEDS_AUTHOR and (author is None or owner is None):
        raise ResolutionRefusedError(
            f"a {action.value!r} decision needs the reported author (targetOwnerId)"
        )


def resolve_report(
    report: Report,
    action: ResolutionAction,
    *,
    actor_id: str,
    actor_role: ActorRole,
    owner: str | None,
    author: Security | None,
    settings: ModerationSettings,
    at: dt.datetime,
    event_id: str,
    note: str | None = None,
    suspension_days: int | None = None,
    strike: bool | None = None,
) -> Resolution:
    """Apply a moderator's decision on `report` to its content and author (`owner` is the
    reported content's author, from the report's case; `author` is their security map, None
    when there is none)."""
    _check_request(report, action, actor_id, actor_role, owner, author)
    if suspension_days is not None and (
        action is not ResolutionAction.SUSPEND or not 1 <= suspension_days <= 365
    ):
        raise ResolutionRefusedError("suspensionDays is 1 to 365 and only for 'suspend'")
    striking = _wants_strike(action, strike)
    if striking and author is None:
        raise ResolutionRefusedError("a strike needs the reported author (targetOwnerId)")
    prior = _prior_strikes(author, at, settings) if author is not None else 0
    policy = settings.suspension
    applied = action
    escalates = action in (ResolutionAction.HIDE, ResolutionAction.WARN)
    if striking and author is not None and escalates and prior >= policy.strikes_to_suspend:
        applied = ResolutionAction.SUSPEND
    until = None
    if applied is ResolutionAction.SUSPEND:
        until = at + dt.timedelta(days=suspension_days or policy.default_days)

    security, claims = None, None
    if author is not None and striking:
        status, suspended_until = _status_after(author, applied, until)
        security = author.model_copy(
            update={
                "strikes": min(100, prior + 1) if striking else author.strikes,
                "last_strike_at": at if striking else author.last_strike_at,
                "account_status": status,
                "suspended_until": suspended_until,
            }
        )
        security = Security.model_validate(security.model_dump())
        if _claims_changed(author, security):
            claims = MappingProxyType(custom_claims(security))
        if security == author:
            security = None

    period = None
    if until is not None:
        final_until = security.suspended_until if security is not None else None
        period = SuspensionPeriod(starts_at=at, ends_at=final_until or until)
    report_status = (
        ReportStatus.DISMISSED if applied is ResolutionAction.DISMISS else ReportStatus.RESOLVED
    )
    resolution = ReportResolution(
        action=applied,
        note=note,
        resolved_by=actor_id,
        resolved_at=at,
        suspension=period,
        strike_issued=striking,
    )
    content = None if report.target_type is ReportTargetType.USER else _CONTENT_STATE[applied]
    outcome = Resolution(
        requested=action,
        action=applied,
        status=report_status,
        resolution=resolution,
        report_outcome=ReportOutcome(upheld=applied.upholds, decided_at=at, note=note),
        content_state=content,
        security=security,
        claims=claims,
        revoke_sessions=claims is not None and applied in _LOCKS_OUT,
        reporter_upheld=applied.upholds,
        ban_proposed=striking
        and prior >= policy.strikes_to_ban
        and applied is not ResolutionAction.BAN,
        log=(),
    )
    return _with_log(outcome, report, actor_id, actor_role, at, event_id)


def _with_log(
    outcome: Resolution,
    report: Report,
    actor_id: str,
    actor_role: ActorRole,
    at: dt.datetime,
    event_id: str,
) -> Resolution:
    def entry(kind: ReportActionKind, note: str | None = None, **extra: object) -> ReportAction:
        return ReportAction.model_validate(
            {
                "kind": kind,
                "actor_id": actor_id,
                "actor_role": actor_role,
                "at": at,
                "note": note,
                "event_id": event_id,
                **extra,
            }
        )

    escalation = None
    if outcome.action is not outcome.requested:
        escalation = f"{outcome.requested.value} escalated to {outcome.action.value} by strikes"
    entries = [
        entry(
            ReportActionKind.RESOLVED,
            escalation,
            from_status=report.status,
            to_status=outcome.status,
            resolution_action=outcome.action,
        )
    ]
    if outcome.content_state is ModerationState.APPROVED:
        entries.append(entry(ReportActionKind.CONTENT_RESTORED))
    elif outcome.content_state is not None:
        entries.append(entry(ReportActionKind.CONTENT_HIDDEN, outcome.content_state.value))
    user_kind = _USER_LOG.get(outcome.action)
    if user_kind is not None:
        entries.append(entry(user_kind))
    if outcome.resolution.strike_issued:
        entries.append(entry(ReportActionKind.STRIKE_ADDED))
    if outcome.claims is not None:
        entries.append(entry(ReportActionKind.CLAIMS_UPDATED))
    return replace(outcome, log=tuple(entries))


def lift_expired_suspension(security: Security, now: dt.datetime) -> Security | None:
    """The security map once a suspension that has run out is lifted (back to warned, the
    strikes still counting); None when there is nothing to lift."""
    until = security.suspended_until
    if security.account_status is not AccountStatus.SUSPENDED or until is None or until > now:
        return None
    return security.model_copy(
        update={"account_status": AccountStatus.WARNED, "suspended_until": None}
    )


def change_role(security: Security, role: Role, *, actor_id: str, target_id: str) -> Security:
    """The security map with `role` (an admin's decision); an admin cannot demote themselves,
    so the last admin cannot lock everyone out by mistake."""
    if actor_id == target_id and security.role is Role.ADMIN and role is not Role.ADMIN:
        raise PermissionDeniedError("an admin cannot remove their own admin role")
    return security.model_copy(update={"role": role})
