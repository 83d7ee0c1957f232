"""Callables of community events: a moderator's decision, and an attendee's check-in by code.

* `decide_event` (moderators): approve or reject a submitted event, with the reason the
  organiser reads. Nobody decides on an event they organise or co-organise. Approval also
  approves the event's moderation (the moderator read its text; see
  `mitche.domain.event_approval`), makes the check-in code organisers show at the venue
  (`private/checkIn`, once), and opens places to the members already queued.
* `check_in_at_event` (members): the attendee enters the code shown at the venue; the
  function records `attended` (with the event's counts, in one transaction with the tally)
  once the code matches. Organisers and co-organisers cannot check in (they know the code, and
  are paid for running the event); wrong codes are counted and a few refuse more tries.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Annotated, Final, Literal, Self

from pydantic import Field, ValidationError, model_validator

from mitche.callables import ANY_MEMBER, MODERATING, Actor, CallableSpec
from mitche.domain.event_approval import approval_state
from mitche.domain.event_places import apply_delta, tally_delta
from mitche.errors import (
    ErrorCode,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps
from mitche.handlers._event_places import counted_of, settle_event, stored_counts, tally_now
from mitche.models import (
    CHECK_IN_DOCUMENT,
    Approval,
    AttendanceState,
    DocumentId,
    EventCheckIn,
    EventStatus,
    MitcheModel,
    Moderation,
    ModerationState,
    RegistrationStatus,
)
from mitche.models.common import ApprovalState
from mitche.services import Unit, from_document, log_info, run_transaction, to_document

__all__ = [
    "CHECK_IN",
    "CHECK_IN_OPENS",
    "DECIDE_EVENT",
    "MAX_CODE_FAILURES",
    "CheckIn",
    "CheckedIn",
    "EventDecided",
    "EventDecision",
    "check_in_code_path",
    "new_check_in_code",
]

DECIDE: Final = HandlerName.EVENTS_DECIDE
CHECK: Final = HandlerName.EVENTS_CHECK_IN
CHECK_IN_OPENS: Final = dt.timedelta(hours=1)
"""How long before the start attendance may be recorded (doors open)."""
CHECK_IN_CLOSES: Final = dt.timedelta(hours=12)
"""How long after the end a late check-in is still accepted."""
MAX_CODE_FAILURES: Final = 5
"""Wrong codes a member may enter before an organiser must mark them."""
_CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def check_in_code_path(event_path: str) -> str:
    """`communityEvents/{id}/private/checkIn`."""
    return f"{event_path}/private/{CHECK_IN_DOCUMENT}"


def new_check_in_code() -> str:
    """Six characters without look-alikes, from the system's secure random source."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


def _organisers(event: dict[str, object]) -> set[str]:
    co = event.get("coOrganizerIds")
    return {str(event.get("organizerId")), *(co if isinstance(co, list) else [])}


# ---- decide_event ---------------------------------------------------------------------------


class EventDecision(MitcheModel):
    """What a moderator sends to decide on a submitted community event."""

    event_id: DocumentId
    """The event (`communityEvents/{eventId}`)."""
    decision: Literal["approve", "reject"]
    """Publish it, or send it back to its organiser."""
    note: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """The reason the organiser reads (required to reject)."""

    @model_validator(mode="after")
    def _rejection_has_reason(self) -> Self:
        if self.decision == "reject" and self.note is None:
            raise ValueError("a note (the reason the organiser reads) is needed to reject")
        return self


class EventDecided(MitcheModel):
    """The event's approval after the decision."""

    event_id: str
    """The event decided on."""
    state: ApprovalState
    """Its approval state now."""
    note: str | None
    """The reason its organiser reads."""


def _moderation_approved(raw: object, at: dt.datetime) -> Moderation:
    try:
        current = from_document(Moderation, raw) if isinstance(raw, dict) else Moderation()
    except ValidationError:
        current = Moderation()
    return current.model_copy(
        update={
            "status": ModerationState.APPROVED,
            "reason": None,
            "reviewed_at": at,
            "report_count": 0,
        }
    )


def _decide(deps: Deps, caller: Actor, request: EventDecision) -> EventDecided:
    actor = caller.uid
    at = deps.now()
    path = f"communityEvents/{request.event_id}"
    code_path = check_in_code_path(path)
    approve = request.decision == "approve"

    def work(unit: Unit) -> Approval:
        found = unit.get_all([path, code_path])
        event = found[path]
        if event is None:
            raise NotFoundError(f"no event {request.event_id!r}")
        if actor in _organisers(event):
            raise PermissionDeniedError("nobody decides on an event they organise")
        if event.get("status") != EventStatus.SCHEDULED.value:
            raise FailedPreconditionError(
                f"the event is {event.get('status', 'draft')}: only a submitted (scheduled) "
                "event is decided on"
            )
        state = approval_state(event)
        allowed = {ApprovalState.PENDING}
        if not approve:
            allowed.add(ApprovalState.APPROVED)
        if state not in allowed:
            raise FailedPreconditionError(
                f"the event's approval is {state.value}: it can only be "
                f"{'approved while pending' if approve else 'rejected while pending or approved'}"
            )
        raw = event.get("approval")
        submitted = raw.get("submittedAt") if isinstance(raw, dict) else None
        decided = Approval(
            state=ApprovalState.APPROVED if approve else ApprovalState.REJECTED,
            submitted_at=submitted if isinstance(submitted, dt.datetime) else at,
            decided_at=at,
            note=request.note,
        )
        fields: dict[str, object] = {"approval": to_document(decided, unit.client)}
        if approve:
            fields["moderation"] = to_document(
                _moderation_approved(event.get("moderation"), at), unit.client
            )
            if found[code_path] is None:
                unit.create(code_path, EventCheckIn(code=new_check_in_code(), created_at=at))
        unit.update(path, fields)
        return decided

    decided = run_transaction(deps.client, DECIDE, work)
    log_info(
        "event decided",
        handler=DECIDE,
        path=path,
        moderator=actor,
        state=decided.state.value,
    )
    if approve:
        settle_event(deps, path, at)
    return EventDecided(event_id=request.event_id, state=decided.state, note=decided.note)


DECIDE_EVENT: Final = CallableSpec(
    name="decide_event",
    request=EventDecision,
    response=EventDecided,
    roles=MODERATING,
    handler=_decide,
    summary="A moderator approves or rejects (with the reason the organiser reads) a community "
    "event submitted for approval.",
    codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
    target=lambda request: f"communityEvents/{request.event_id}",
    reason=lambda request: request.note,
)


# ---- check_in_at_event ----------------------------------------------------------------------


class CheckIn(MitcheModel):
    """What an attendee sends at the venue."""

    event_id: DocumentId
    """The event."""
    code: Annotated[str, Field(min_length=4, max_length=12)]
    """The code the organisers show (case and spaces do not matter)."""


class CheckedIn(MitcheModel):
    """The attendee's attendance after the check-in."""

    event_id: str
    """The event."""
    attendance: AttendanceState
    """Attended."""
    checked_in_at: dt.datetime
    """When the attendance was recorded."""


def _check_in(deps: Deps, caller: Actor, request: CheckIn) -> CheckedIn:
    actor = caller.uid
    at = deps.now()
    path = f"communityEvents/{request.event_id}"
    registration_path = f"{path}/registrations/{actor}"
    code_path = check_in_code_path(path)
    entered = request.code.replace(" ", "").upper()

    def work(unit: Unit) -> dt.datetime | None:
        found = unit.get_all([path, registration_path, code_path])
        event, registration, stored = found[path], found[registration_path], found[code_path]
        if event is None:
            raise NotFoundError(f"no event {request.event_id!r}")
        if actor in _organisers(event):
            raise PermissionDeniedError(
                "organisers do not check themselves in: they are counted for running the event"
            )
        if registration is None or registration.get("status") != RegistrationStatus.REGISTERED:
            raise FailedPreconditionError("only members with a confirmed place check in")
        if registration.get("attendance") == AttendanceState.ATTENDED.value:
            checked = registration.get("checkedInAt")
            return checked if isinstance(checked, dt.datetime) else at
        starts, ends = event.get("startsAt"), event.get("endsAt")
        if (
            event.get("status") != EventStatus.SCHEDULED.value
            or approval_state(event) is not ApprovalState.APPROVED
            or not isinstance(starts, dt.datetime)
            or not isinstance(ends, dt.datetime)
            or not starts - CHECK_IN_OPENS <= at <= ends + CHECK_IN_CLOSES
        ):
            raise FailedPreconditionError(
                "check-in opens an hour before the start of an approved event and closes "
                "12 hours after its end"
            )
        failures = registration.get("checkInFailures", 0)
        if isinstance(failures, int) and failures >= MAX_CODE_FAILURES:
            raise PermissionDeniedError("too many wrong codes: ask an organiser to check you in")
        code = stored.get("code") if stored is not None else None
        if not isinstance(code, str) or not hmac.compare_digest(code, entered):
            unit.update(registration_path, {"checkInFailures": (failures or 0) + 1})
            return None
        fields: dict[str, object] = {
            "attendance": AttendanceState.ATTENDED.value,
            "checkedInAt": at,
        }
        now = tally_now({**registration, **fields})
        delta = tally_delta(counted_of(registration), now)
        if now is not None:
            fields["counted"] = to_document(now, unit.client)
        unit.update(registration_path, fields)
        if not delta.empty:
            counts = apply_delta(stored_counts(event), delta)
            unit.update(path, {"registrations": to_document(counts, unit.client)})
        return at

    checked_in = run_transaction(deps.client, CHECK, work)
    if checked_in is None:
        raise InvalidArgumentError("that is not this event's check-in code")
    log_info("attendee checked in", handler=CHECK, path=registration_path)
    return CheckedIn(
        event_id=request.event_id, attendance=AttendanceState.ATTENDED, checked_in_at=checked_in
    )


CHECK_IN: Final = CallableSpec(
    name="check_in_at_event",
    request=CheckIn,
    response=CheckedIn,
    roles=ANY_MEMBER,
    handler=_check_in,
    summary="A registered member enters the check-in code shown at the venue and is recorded "
    "as attended.",
    codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
    target=lambda request: f"communityEvents/{request.event_id}",
    audited=False,
)

CALLABLES: Final = (DECIDE_EVENT, CHECK_IN)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""
