"""Who calls a callable: the caller as the ID token says, and the actor once authorised."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.errors import PermissionDeniedError, UnauthenticatedError
from mitche.models import AccountStatus, ActorRole, AuditActorRole, Role

__all__ = ["ANY_MEMBER", "MODERATING", "ONLY_ADMINS", "Actor", "Caller"]

MODERATING: Final = frozenset({Role.MODERATOR, Role.ADMIN})
"""Moderators and admins."""
ONLY_ADMINS: Final = frozenset({Role.ADMIN})
"""Admins alone."""
ANY_MEMBER: Final = frozenset(Role)
"""Every signed-in member in good standing."""

_GOOD_STANDING: Final = frozenset({AccountStatus.ACTIVE.value, AccountStatus.WARNED.value})
_AUDIT_ROLES: Final = {
    Role.USER: AuditActorRole.MEMBER,
    Role.MODERATOR: AuditActorRole.MODERATOR,
    Role.ADMIN: AuditActorRole.ADMIN,
}


@dataclass(frozen=True, slots=True)
class Actor:
    """An authorised caller: signed in, in good standing, holding one of the allowed roles."""

    uid: str
    role: Role
    email_verified: bool = False
    """Whether the token's `email_verified` claim is true (the rules' verified-email check, for
    callables that write on a member's behalf)."""

    @property
    def acting_as(self) -> ActorRole:
        """The role written into moderation logs (an admin acts as admin, anyone else as
        moderator)."""
        return ActorRole.ADMIN if self.role is Role.ADMIN else ActorRole.MODERATOR

    @property
    def audit_role(self) -> AuditActorRole:
        """The capacity written into the audit log."""
        return _AUDIT_ROLES[self.role]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls a callable: uid and ID token claims (None: not signed in)."""

    uid: str | None
    claims: Mapping[str, Any]

    @property
    def claimed_role(self) -> Role:
        """The role the token claims (a member without the claim is a user)."""
        raw = self.claims.get("role")
        return Role(raw) if raw in {role.value for role in Role} else Role.USER

    def actor(self, roles: frozenset[Role]) -> Actor:
        """The caller as an actor; refused unless signed in with one of `roles` and in good
        standing (the same claims the rules read)."""
        if self.uid is None:
            raise UnauthenticatedError("sign in to call this function")
        role = self.claimed_role
        if role not in roles:
            needed = " or ".join(sorted(allowed.value for allowed in roles))
            raise PermissionDeniedError(f"this function needs the role {needed}")
        if self.claims.get("accountStatus", AccountStatus.ACTIVE.value) not in _GOOD_STANDING:
            raise PermissionDeniedError("a suspended or banned account cannot act")
        return Actor(self.uid, role, email_verified=self.claims.get("email_verified") is True)

    def require(self, roles: frozenset[str]) -> tuple[str, ActorRole]:
        """The caller's uid and acting role (the form handlers written before the registry
        use); refused as `actor` refuses."""
        actor = self.actor(frozenset(Role(role) for role in roles))
        return actor.uid, actor.acting_as
