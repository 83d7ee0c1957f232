"""`requests/{requestId}` written: screening, the requester's and helpers' awards and counters,
expiring the offerings of an expired request, the requester's open-request count (and the
limit's backstop), and daily analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    award_request,
    count_change,
    count_open_requests,
    expire_offerings_of,
    moderation_notices,
    screen_content,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "on_request_written"]

DOCUMENT = "requests/{requestId}"


def _analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_REQUESTS, change)


def on_request_written(event: WrittenEvent) -> None:
    """A request was created or changed status."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_REQUESTS: award_request,
            HandlerName.HELP_CYCLE_EXPIRE: expire_offerings_of,
            HandlerName.PRIVILEGES_OPEN_REQUESTS: count_open_requests,
            HandlerName.ANALYTICS_REQUESTS: _analytics,
            HandlerName.NOTIFY_MODERATION: moderation_notices,
        },
    )
