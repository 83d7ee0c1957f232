"""Firebase Authentication: the custom claims the rules read, and session revocation.

Claims are the whole claim set (Firebase replaces them on each call) built by
`mitche.domain.moderation.custom_claims`: `role`, `accountStatus`, `verifiedProvider` and, while
suspended, `suspendedUntil`. Setting them is idempotent, so every path that changes a member's
security map may set them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from firebase_admin import auth

from mitche.services._clients import admin_app
from mitche.services._log import log_warning

__all__ = ["Accounts", "FirebaseAccounts"]

ClaimValue = str | int | bool


class Accounts(Protocol):
    """What the functions do to Authentication accounts."""

    def set_claims(self, uid: str, claims: Mapping[str, ClaimValue]) -> bool:
        """Replace the member's custom claims; False when the account does not exist."""
        ...

    def revoke_sessions(self, uid: str) -> bool:
        """Revoke the member's refresh tokens; False when the account does not exist."""
        ...


class FirebaseAccounts:
    """`Accounts` through the Firebase Admin SDK (the Auth emulator when
    FIREBASE_AUTH_EMULATOR_HOST is set)."""

    def set_claims(self, uid: str, claims: Mapping[str, ClaimValue]) -> bool:
        try:
            auth.set_custom_user_claims(uid, dict(claims), app=admin_app())
        except auth.UserNotFoundError:
            log_warning("no Authentication account to set claims on", uid=uid)
            return False
        return True

    def revoke_sessions(self, uid: str) -> bool:
        try:
            auth.revoke_refresh_tokens(uid, app=admin_app())
        except auth.UserNotFoundError:
            log_warning("no Authentication account to revoke sessions of", uid=uid)
            return False
        return True
