"""`offerings/{offeringId}` written: the helper's awards and counters, and daily analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import Deps, DocumentChange, award_offering, count_change
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
            HandlerName.GAMIFICATION_OFFERINGS: award_offering,
            HandlerName.ANALYTICS_OFFERINGS: _analytics,
        },
    )
