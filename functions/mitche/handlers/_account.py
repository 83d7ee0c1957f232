"""A member's private account, `users/{uid}/private/account`, during and after the
expand/contract window of migration 0001.

The security map (role, standing, strikes, suspension) moved there from the user document,
which every member may read. Until the contract step removes the legacy field, a member's
security is the account document's map when it holds one, otherwise the legacy map still on
the user document (a member the migration has not reached yet), otherwise the defaults.
Functions write security only to the account document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.cloud.firestore_v1 import DELETE_FIELD

from mitche.handlers._awards import user_path
from mitche.handlers._context import decode
from mitche.models import Collection, Security, User
from mitche.services import Unit, to_document

__all__ = [
    "ACCOUNT_ID",
    "StoredSecurity",
    "account_path",
    "read_security",
    "security_source",
    "stored_security",
    "with_security",
    "write_security",
]

ACCOUNT_ID: Final = "account"
SECURITY: Final = "security"
REVOKED_BEFORE: Final = "revokedBefore"


def account_path(uid: str) -> str:
    """The member's private account document."""
    return f"{Collection.USERS.value}/{uid}/private/{ACCOUNT_ID}"


def security_source(
    account: Mapping[str, Any] | None, user: Mapping[str, Any] | None
) -> Mapping[str, Any] | None:
    """The document whose `security` map is the member's: the account document when it holds
    one, otherwise the user document (legacy shape); None when neither document exists."""
    if account is not None and SECURITY in account:
        return account
    if user is None and account is not None:
        return account
    return user


def with_security(user: User, security: Security | None) -> User:
    """The member as the domain sees them: the user document with the security map wherever
    it is stored (the domain reads `user.security`)."""
    return user if security is None else user.model_copy(update={"security": security})


@dataclass(frozen=True, slots=True)
class StoredSecurity:
    """A member's security map and where it is stored."""

    security: Security | None
    """None when the member has neither a user nor an account document."""
    account_exists: bool
    """Whether `users/{uid}/private/account` exists."""
    legacy: bool
    """Whether the user document still holds a (legacy) security map."""


def stored_security(
    account: Mapping[str, Any] | None,
    user: Mapping[str, Any] | None,
    *,
    uid: str,
    handler: str,
    event_id: str,
) -> StoredSecurity:
    """The member's security map from their two documents as read. A stored map that does not
    validate is logged and reads as the defaults, so a decision can still make the standing
    stricter."""
    source = security_source(account, user)
    legacy = user is not None and SECURITY in user
    if source is None:
        return StoredSecurity(None, False, legacy)
    raw = source.get(SECURITY)
    where = account_path(uid) if source is account else user_path(uid)
    security = decode(
        Security,
        raw if isinstance(raw, Mapping) else {},
        path=f"{where}#{SECURITY}",
        handler=handler,
        event_id=event_id,
    )
    return StoredSecurity(security or Security(), account is not None, legacy)


def read_security(unit: Unit, uid: str, *, handler: str, event_id: str) -> StoredSecurity:
    """The member's security map and where it is stored; two reads."""
    found = unit.get_all([account_path(uid), user_path(uid)])
    return stored_security(
        found[account_path(uid)],
        found[user_path(uid)],
        uid=uid,
        handler=handler,
        event_id=event_id,
    )


def write_security(
    unit: Unit,
    uid: str,
    security: Security,
    *,
    account_exists: bool,
    legacy: bool,
    revoke_at: dt.datetime | None = None,
) -> None:
    """Store the member's security map in their account document (replacing the whole map, so
    a lifted suspension leaves no `suspendedUntil` behind); a legacy map still on the user
    document is removed in the same unit, so no stale standing stays readable. With
    `revoke_at`, tokens issued before it write nothing from then on (`revokedBefore`)."""
    fields: dict[str, Any] = {SECURITY: to_document(security, unit.client)}
    if revoke_at is not None:
        fields[REVOKED_BEFORE] = revoke_at
    if account_exists:
        unit.update(account_path(uid), fields)
    else:
        unit.create(account_path(uid), fields)
    if legacy:
        unit.update(user_path(uid), {SECURITY: DELETE_FIELD})
