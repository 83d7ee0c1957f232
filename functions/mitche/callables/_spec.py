"""A callable's declaration, and the one wrapper every callable runs through.

A `CallableSpec` names a callable (its deployed function name in functions/main.py), its
typed request and response (pydantic models: the contracts schemagen and clientgen
generate), the roles allowed (from the caller's custom claims) and its handler
`(deps, actor, request) -> response`. `CallableSpec.call` is the wrapper: it authorises the
caller, parses the request (bad input → `invalid-argument` naming each problem), runs the
handler, and for an audited callable appends an audit entry whatever the outcome (refused
attempts by signed-in callers included; an unauthenticated caller is not recorded). The
entry is appended after the handler's own writes: if that append fails, the action stands
and the failure is logged (failing the call would make the client retry an action that
happened).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from pydantic import ValidationError

from mitche.callables._audit import append_audit
from mitche.callables._caller import Actor, Caller
from mitche.errors import ErrorCode, InvalidArgumentError, MitcheError
from mitche.models import AuditActorRole, AuditOutcome, MitcheModel, Role
from mitche.services import log_error

if TYPE_CHECKING:  # the handlers package imports this one; Deps is only an annotation here
    from mitche.handlers._context import Deps

__all__ = ["CALLER_CODES", "CallableSpec", "client_code", "parse_request"]

RequestT = TypeVar("RequestT", bound=MitcheModel)
ResponseT = TypeVar("ResponseT", bound=MitcheModel)

CALLER_CODES: Final = (
    ErrorCode.UNAUTHENTICATED,
    ErrorCode.PERMISSION_DENIED,
    ErrorCode.INVALID_ARGUMENT,
)
"""What every callable may refuse with: not signed in, not allowed, bad input."""

_AUDIT_ROLES: Final = {
    Role.USER: AuditActorRole.MEMBER,
    Role.MODERATOR: AuditActorRole.MODERATOR,
    Role.ADMIN: AuditActorRole.ADMIN,
}


def client_code(code: ErrorCode) -> str:
    """The code as a client receives it (`permission-denied`)."""
    return code.value.lower().replace("_", "-")


def _nothing(_request: Any) -> None:
    return None


def parse_request(model: type[RequestT], data: object) -> RequestT:
    """`data` as the request model; InvalidArgumentError naming every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(step) for step in e['loc']) or 'data'}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
        raise InvalidArgumentError(f"invalid request: {problems}", cause=error) from error


@dataclass(frozen=True, slots=True)
class CallableSpec(Generic[RequestT, ResponseT]):
    """One callable: its contract, who may call it, what it does, what the audit log says."""

    name: str
    """The deployed function name, as in functions/main.py (`adjust_hope_points`)."""
    request: type[RequestT]
    """What the client sends."""
    response: type[ResponseT]
    """What the client receives."""
    roles: frozenset[Role]
    """The roles (custom claim `role`) allowed to call it."""
    handler: Callable[[Deps, Actor, RequestT], ResponseT]
    """The work, with the caller authorised and the request parsed."""
    summary: str
    """One sentence for the generated reference: what the callable does."""
    codes: tuple[ErrorCode, ...] = ()
    """Refusals it raises on purpose beyond CALLER_CODES (any call may also fail `internal`)."""
    target: Callable[[RequestT], str | None] = _nothing
    """The document acted on, for the audit entry."""
    reason: Callable[[RequestT], str | None] = _nothing
    """The reason the caller gave, for the audit entry."""
    audited: bool | None = None
    """Whether calls are audited; None: when the callable is privileged (members cannot
    call it)."""

    @property
    def privileged(self) -> bool:
        """Whether only moderators or admins may call it."""
        return Role.USER not in self.roles

    @property
    def audits(self) -> bool:
        """Whether each call appends an audit entry."""
        return self.privileged if self.audited is None else self.audited

    @property
    def error_codes(self) -> tuple[ErrorCode, ...]:
        """Every code it refuses with on purpose, in a stable order."""
        return tuple(dict.fromkeys((*CALLER_CODES, *self.codes)))

    def call(
        self, deps: Deps, caller: Caller, data: object, *, request_id: str | None = None
    ) -> dict[str, Any]:
        """Run one call: the response as the client receives it (camelCase JSON)."""
        request: RequestT | None = None
        try:
            actor = caller.actor(self.roles)
            request = parse_request(self.request, data)
            response = self.handler(deps, actor, request)
        except MitcheError as error:
            self._audit(deps, caller, request, request_id, error.code)
            raise
        except Exception:
            self._audit(deps, caller, request, request_id, ErrorCode.INTERNAL)
            raise
        self._audit(deps, caller, request, request_id, None)
        return response.model_dump(mode="json", by_alias=True)

    def _audit(
        self,
        deps: Deps,
        caller: Caller,
        request: RequestT | None,
        request_id: str | None,
        code: ErrorCode | None,
    ) -> None:
        if not self.audits or caller.uid is None:
            return
        if code is None:
            outcome = AuditOutcome.SUCCEEDED
        elif code in {ErrorCode.INTERNAL, ErrorCode.UNKNOWN, ErrorCode.UNAVAILABLE}:
            outcome = AuditOutcome.FAILED
        else:
            outcome = AuditOutcome.REFUSED
        try:
            client = deps.client
            append_audit(
                client,
                actor=caller.uid,
                actor_role=_AUDIT_ROLES[caller.claimed_role],
                action=self.name,
                outcome=outcome,
                target=self.target(request) if request is not None else None,
                reason=self.reason(request) if request is not None else None,
                request_id=request_id,
                error_code=client_code(code) if code is not None else None,
                at=deps.now(),
                retention_days=deps.settings.audit(client).retention_days,
            )
        except Exception as error:  # the action's outcome stands; the gap is in the logs
            log_error(
                "audit entry lost",
                callable=self.name,
                actor=caller.uid,
                outcome=outcome.value,
                error=repr(error),
            )
