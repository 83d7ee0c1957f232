"""Privacy: consents applied to the member's settings, and data exports (the callable that
starts one, the steps that move it, the archive removed when the job expires)."""

from __future__ import annotations

from typing import Any, Final

from firebase_admin import auth
from firebase_functions import https_fn, scheduler_fn

from mitche.handlers import default_deps
from mitche.handlers._consents import apply_consents
from mitche.handlers._erasure import erase_account, erasure_step, resume_stalled_erasures
from mitche.handlers._export import export_step, remove_expired_export, request_export
from mitche.models import ERASURES, consents_path, export_path
from mitche.services import admin_app
from mitche.triggers._adapt import WrittenEvent, change_of
from mitche.triggers._errors import callable_errors
from mitche.triggers.attachments import default_bucket

__all__ = [
    "CONSENTS",
    "ERASURE",
    "ERASURE_RESUME",
    "EXPORT",
    "FirebaseAuthenticationAccounts",
    "delete_account",
    "on_consents_written",
    "on_erasure_written",
    "on_export_written",
    "request_data_export",
    "resume_erasures",
]

CONSENTS: Final = consents_path("{userId}")
"""`users/{userId}/private/consents`."""
EXPORT: Final = export_path("{userId}")
"""`users/{userId}/private/export`."""
ERASURE: Final = f"{ERASURES}/{{erasureId}}"
"""`systemSettings/erasures/records/{erasureId}`."""
ERASURE_RESUME: Final = "every 15 minutes"
"""How often stalled erasures are moved again (their members, disabled, cannot ask)."""


class FirebaseAuthenticationAccounts:
    """The erasure's Authentication operations through the Admin SDK (the Auth emulator when
    FIREBASE_AUTH_EMULATOR_HOST is set); an account already gone is not an error."""

    def disable(self, uid: str) -> None:
        try:
            auth.update_user(uid, disabled=True, app=admin_app())
            auth.revoke_refresh_tokens(uid, app=admin_app())
        except auth.UserNotFoundError:
            return

    def delete(self, uid: str) -> None:
        try:
            auth.delete_user(uid, app=admin_app())
        except auth.UserNotFoundError:
            return


_accounts: list[FirebaseAuthenticationAccounts] = []


def _authentication() -> FirebaseAuthenticationAccounts:
    if not _accounts:
        _accounts.append(FirebaseAuthenticationAccounts())
    return _accounts[0]


def on_consents_written(event: WrittenEvent) -> None:
    """The member answered: apply their consents to the settings the platform reads."""
    apply_consents(default_deps(), change_of(event))


def on_export_written(event: WrittenEvent) -> None:
    """A running job moves one step; a deleted (expired) job takes its archive with it."""
    change = change_of(event)
    if change.after is None:
        remove_expired_export(default_bucket(), change)
    else:
        export_step(default_deps(), default_bucket(), change)


def request_data_export(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{}` → `{exportId, status}`: the signed-in member's export, started or under way."""
    uid = request.auth.uid if request.auth is not None else None
    return callable_errors(
        "requestDataExport", lambda: request_export(default_deps(), uid, request.data)
    )


def on_erasure_written(event: WrittenEvent) -> None:
    """A running erasure moves one step."""
    change = change_of(event)
    if change.after is not None:
        erasure_step(default_deps(), default_bucket(), _authentication(), change)


def delete_account(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{}` → `{erasureId, phase}`: the signed-in member's account erasure, started or under
    way; refused unless they signed in within the last 5 minutes."""
    uid = request.auth.uid if request.auth is not None else None
    claims = dict(request.auth.token or {}) if request.auth is not None else {}
    return callable_errors(
        "deleteAccount", lambda: erase_account(default_deps(), uid, claims, request.data)
    )


def resume_erasures(event: scheduler_fn.ScheduledEvent) -> None:
    """Move again every erasure whose last step stalled."""
    deps = default_deps()
    resume_stalled_erasures(deps, deps.now())
