"""`users/{userId}` and its `hopeLedger/{entryId}` written: leaderboards, custom claims, the
moderator roster and the level's privileges follow the member's document; both count in daily
analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    complete_reveal,
    count_change,
    level_notices,
    reveal_notices,
    sync_member,
    sync_privileges,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "DOCUMENT",
    "LEDGER",
    "REVEAL_CONSENT",
    "on_ledger_written",
    "on_reveal_consent_written",
    "on_user_written",
]

DOCUMENT = "users/{userId}"
LEDGER = "users/{userId}/hopeLedger/{entryId}"
REVEAL_CONSENT = "users/{userId}/revealConsents/{counterpartId}"


def _user_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_USERS, change)


def _ledger_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_LEDGER, change)


def on_user_written(event: WrittenEvent) -> None:
    """A member document was created or changed (by the member, a function or an admin)."""
    run_handlers(
        event,
        {
            HandlerName.MEMBERS_SYNC: sync_member,
            HandlerName.ANALYTICS_USERS: _user_analytics,
            HandlerName.NOTIFY_LEVELS: level_notices,
            HandlerName.PRIVILEGES_SYNC: sync_privileges,
        },
    )


def on_ledger_written(event: WrittenEvent) -> None:
    """A ledger entry was written: hope points awarded today."""
    run_handlers(event, {HandlerName.ANALYTICS_LEDGER: _ledger_analytics})


def on_reveal_consent_written(event: WrittenEvent) -> None:
    """A member consented to (or withdrew from) revealing identities to a counterpart."""
    run_handlers(
        event,
        {HandlerName.REVEAL_COMPLETE: complete_reveal, HandlerName.NOTIFY_REVEALS: reveal_notices},
    )
