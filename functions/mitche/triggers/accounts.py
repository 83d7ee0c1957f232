"""`users/{userId}/private/account` written: custom claims, the moderator roster and the
leaderboards follow the member's security map (moved here from the user document by migration
0001). Most writes only move a rate-limit timestamp and cost nothing."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import Deps, DocumentChange, count_change, sync_account
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["ACCOUNT", "on_account_written"]

ACCOUNT = "users/{userId}/private/account"


def _account_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_ACCOUNTS, change)


def on_account_written(event: WrittenEvent) -> None:
    """A member's private account was created or changed (by a function, an admin, the
    migration, or the member's own batch moving a timestamp): claims, roster and boards follow
    its security map, and suspensions and deactivations count in daily analytics."""
    run_handlers(
        event,
        {
            HandlerName.MEMBERS_ACCOUNT: sync_account,
            HandlerName.ANALYTICS_ACCOUNTS: _account_analytics,
        },
    )
