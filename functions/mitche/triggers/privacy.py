"""Privacy: consents applied to the member's settings, and data exports (the callable that
starts one, the steps that move it, the archive removed when the job expires)."""

from __future__ import annotations

from typing import Any, Final

from firebase_functions import https_fn

from mitche.handlers import default_deps
from mitche.handlers._consents import apply_consents
from mitche.handlers._export import export_step, remove_expired_export, request_export
from mitche.models import consents_path, export_path
from mitche.triggers._adapt import WrittenEvent, change_of
from mitche.triggers._errors import callable_errors
from mitche.triggers.attachments import default_bucket

__all__ = ["CONSENTS", "EXPORT", "on_consents_written", "on_export_written", "request_data_export"]

CONSENTS: Final = consents_path("{userId}")
"""`users/{userId}/private/consents`."""
EXPORT: Final = export_path("{userId}")
"""`users/{userId}/private/export`."""


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
