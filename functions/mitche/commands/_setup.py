"""What an operator runs once on a new project, before members arrive.

A production install holds, besides what members write, only what these commands (and
`load-catalog`) write: the settings documents at their code defaults, so admins find every
tunable in the console with its current value, and the first admin, who then names moderators
and other admins through the `setMemberRole` callable like any admin.

`init-settings` only creates missing documents: settings an admin already tuned are never
overwritten, so running it again (or after a release that adds a settings document) is safe.
`grant-role` is the operator's way to make the first admin, with the same effect as the callable
(the member's role and custom claims), recorded as done by the operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from mitche.errors import AlreadyExistsError
from mitche.handler_names import HandlerName
from mitche.handlers import Caller, Deps, set_role
from mitche.models import Role
from mitche.models.system_settings import SETTINGS_MODELS
from mitche.services import Unit, run_transaction, settings_path

__all__ = ["OPERATOR", "SettingsInit", "grant_role", "init_settings"]

OPERATOR: Final = "operator:cli"
"""The actor recorded for roles an operator grants from the command line."""


@dataclass(frozen=True, slots=True)
class SettingsInit:
    """What `init-settings` did, by settings document id."""

    created: tuple[str, ...]
    kept: tuple[str, ...]


def init_settings(deps: Deps) -> SettingsInit:
    """Create every settings document that does not exist yet, at its code defaults."""
    created: list[str] = []
    kept: list[str] = []
    for document, model in sorted(SETTINGS_MODELS.items()):
        path = settings_path(document)

        def work(unit: Unit, path: str = path, model: type = model) -> None:
            unit.create(path, model())

        try:
            run_transaction(deps.client, HandlerName.COMMANDS_INIT_SETTINGS, work)
        except AlreadyExistsError:
            kept.append(document.value)
        else:
            created.append(document.value)
    deps.settings.invalidate()
    return SettingsInit(created=tuple(created), kept=tuple(kept))


def grant_role(deps: Deps, uid: str, role: Role) -> dict[str, Any]:
    """Give `uid` a role as the operator (the member must have joined: their document exists)."""
    return set_role(deps, Caller(OPERATOR, {"role": Role.ADMIN.value}), {"uid": uid, "role": role})
