"""Matching's functions: the match cards kept in step with the documents they read (one
function per source document), the urgent alerts a critical request's card sends, and the two
suggestion callables."""

from __future__ import annotations

from typing import Any, Final

from firebase_functions import https_fn

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    alert_for_urgent_request,
    default_deps,
    suggest_helpers,
    suggest_requests,
    sync_helper_of_account,
    sync_helper_of_offering,
    sync_helper_of_user,
    sync_request_card,
)
from mitche.models import REQUEST_CARDS
from mitche.triggers._adapt import WrittenEvent, run_handlers
from mitche.triggers._errors import callable_errors

__all__ = [
    "ACCOUNT",
    "OFFERING",
    "REQUEST",
    "REQUEST_CARD",
    "USER",
    "on_account_written",
    "on_offering_written",
    "on_request_card_written",
    "on_request_written",
    "on_user_written",
    "requests_to_help",
    "suggested_helpers",
]

REQUEST: Final = "requests/{requestId}"
USER: Final = "users/{userId}"
ACCOUNT: Final = "users/{userId}/private/account"
OFFERING: Final = "offerings/{offeringId}"
REQUEST_CARD: Final = f"{REQUEST_CARDS}/{{requestId}}"


def _request(deps: Deps, change: DocumentChange) -> object:
    return sync_request_card(deps, change)


def _user(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_user(deps, change)


def _account(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_account(deps, change)


def _offering(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_offering(deps, change)


def _urgent(deps: Deps, change: DocumentChange) -> object:
    return alert_for_urgent_request(deps, change)


def on_request_card_written(event: WrittenEvent) -> None:
    """A request's card was written: if the request became critical, the best-suited helpers
    who want to hear of it are alerted."""
    run_handlers(event, {HandlerName.MATCHING_URGENT_ALERTS: _urgent})


def on_request_written(event: WrittenEvent) -> None:
    """A request was written: its card follows (written, refreshed or deleted)."""
    run_handlers(event, {HandlerName.MATCHING_REQUESTS: _request})


def on_user_written(event: WrittenEvent) -> None:
    """A member's document was written: their helper card follows their profile."""
    run_handlers(event, {HandlerName.MATCHING_HELPERS: _user})


def on_account_written(event: WrittenEvent) -> None:
    """A member's private account was written: their card follows their standing."""
    run_handlers(event, {HandlerName.MATCHING_HELPERS: _account})


def on_offering_written(event: WrittenEvent) -> None:
    """An offering was written: its helper's card follows their offers and commitments."""
    run_handlers(event, {HandlerName.MATCHING_HELPERS: _offering})


def suggested_helpers(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{requestId}` → `{requestId, helpers: [{alias, score, reasons, distanceKm}]}` (the
    request's requester only)."""
    uid = request.auth.uid if request.auth is not None else None
    return callable_errors(
        "suggestedHelpers", lambda: suggest_helpers(default_deps(), uid, request.data)
    )


def requests_to_help(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{limit?}` → `{requests: [{requestId, score, reasons, distanceKm}]}` for the caller."""
    uid = request.auth.uid if request.auth is not None else None
    return callable_errors(
        "requestsToHelp", lambda: suggest_requests(default_deps(), uid, request.data)
    )
