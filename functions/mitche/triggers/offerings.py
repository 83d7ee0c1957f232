"""`offerings/{offeringId}` written: screening, acceptance (the helper joins the request, the
exchange's conversation opens), the helper's awards and counters, and daily analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    accept_offering,
    award_offering,
    count_change,
    moderation_notices,
    offering_notices,
    screen_content,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "on_offering_written"]

DOCUMENT = "offerings/{offeringId}"


def _analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_OFFERINGS, change)


def on_offering_written(event: WrittenEvent) -> None:
    """An offering was made, answered, completed or rated."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.HELP_CYCLE_ACCEPT: accept_offering,
            HandlerName.GAMIFICATION_OFFERINGS: award_offering,
            HandlerName.ANALYTICS_OFFERINGS: _analytics,
            HandlerName.NOTIFY_OFFERINGS: offering_notices,
            HandlerName.NOTIFY_MODERATION: moderation_notices,
        },
    )
