"""Documents matching reads were written: keep their match cards in step (mitche.handlers
sync_request_card and the helper card syncs), one function per source document."""

from __future__ import annotations

from typing import Final

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    sync_helper_of_account,
    sync_helper_of_offering,
    sync_helper_of_user,
    sync_request_card,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "ACCOUNT",
    "OFFERING",
    "REQUEST",
    "USER",
    "on_account_written",
    "on_offering_written",
    "on_request_written",
    "on_user_written",
]

REQUEST: Final = "requests/{requestId}"
USER: Final = "users/{userId}"
ACCOUNT: Final = "users/{userId}/private/account"
OFFERING: Final = "offerings/{offeringId}"


def _request(deps: Deps, change: DocumentChange) -> object:
    return sync_request_card(deps, change)


def _user(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_user(deps, change)


def _account(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_account(deps, change)


def _offering(deps: Deps, change: DocumentChange) -> object:
    return sync_helper_of_offering(deps, change)


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
