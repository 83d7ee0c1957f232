"""A member's consents, applied to the settings the platform reads.

`users/{uid}/private/consents` is the record of what the member agreed to (`Consents`). The
platform honours two of its purposes through settings it already reads on every change of the
user document: `privacy.leaderboardOptIn` (the leaderboards sync adds or removes the member's
entries, `mitche.handlers._members`) and `privacy.analyticsOptIn` (the daily counters skip the
member's joining and activity, `mitche.domain.analytics`). When the consents change, one
transaction reads them as they are now and the user document, and sets both settings to the
answers (written even when the default already agrees, so the user document states the
member's choice); both are absolute values, so a redelivered or out-of-order event converges to the
latest answers and a second run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode
from mitche.models import Consents, User, consents_path
from mitche.services import Unit, log_info, run_transaction

__all__ = ["ConsentsApplied", "apply_consents"]

HANDLER: Final = HandlerName.PRIVACY_CONSENTS


@dataclass(frozen=True, slots=True)
class ConsentsApplied:
    """What a run changed on the user document (empty: nothing to change)."""

    changed: tuple[str, ...] = ()


def apply_consents(deps: Deps, change: DocumentChange) -> ConsentsApplied:
    """Set the member's leaderboard and analytics settings to their current consents."""
    if change.after is None:
        return ConsentsApplied()
    uid = change.path.split("/")[1]
    path, member = consents_path(uid), user_path(uid)

    def work(unit: Unit) -> ConsentsApplied:
        found = unit.get_all([path, member])
        consents = decode(
            Consents, found[path], path=path, handler=HANDLER, event_id=change.event_id
        )
        user = decode(User, found[member], path=member, handler=HANDLER, event_id=change.event_id)
        if consents is None or user is None:
            return ConsentsApplied()
        wanted = {
            "privacy.leaderboardOptIn": consents.leaderboards.granted,
            "privacy.analyticsOptIn": consents.analytics.granted,
        }
        stored = (found[member] or {}).get("privacy") or {}
        changed = {
            key: value
            for key, value in wanted.items()
            if stored.get(key.split(".", 1)[1]) is not value
        }
        if changed:
            unit.update(member, changed)
        return ConsentsApplied(tuple(sorted(changed)))

    outcome = run_transaction(deps.client, HANDLER, work)
    if outcome.changed:
        log_info("consents applied", handler=HANDLER, path=change.path, changed=outcome.changed)
    return outcome
