"""From the SDK's events to handlers: decode, run each handler in isolation, log failures.

A Firestore event becomes a `DocumentChange` (data before and after as plain dictionaries,
the event id and time); a callable request becomes a `Caller` and its data. Every handler a
function runs is run even when an earlier one failed: a failure is logged with its context
and the first one is raised at the end, so the platform records the failure while the other
handlers' effects are kept (each handler is idempotent, so a retry repeats nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from firebase_functions import firestore_fn, https_fn
from firebase_functions.core import Change
from google.cloud.firestore_v1 import DocumentSnapshot

from mitche.handler_names import HandlerName
from mitche.handlers import Caller, Deps, DocumentChange, default_deps
from mitche.services import log_error

__all__ = [
    "DocumentEvent",
    "WrittenEvent",
    "caller_of",
    "change_of",
    "run_handlers",
]

Snapshot: TypeAlias = DocumentSnapshot[Any]
WrittenEvent: TypeAlias = firestore_fn.Event[Change[Snapshot | None]]
"""What an `on_document_written` function receives."""
DocumentEvent: TypeAlias = firestore_fn.Event[Snapshot | None]
"""What an `on_document_created` or `on_document_deleted` function receives."""

Handler = Callable[[Deps, DocumentChange], object]


def _data(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None or not snapshot.exists:
        return None
    return snapshot.to_dict() or {}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def change_of(event: WrittenEvent) -> DocumentChange:
    """The change an `on_document_written` event carries."""
    return DocumentChange(
        event_id=event.id,
        at=_aware(event.time),
        path=event.document,
        before=_data(event.data.before),
        after=_data(event.data.after),
        params=dict(event.params),
    )


def run_handlers(event: WrittenEvent, handlers: Mapping[HandlerName, Handler]) -> None:
    """Run every handler on the event's change; raise the first failure once all ran."""
    change = change_of(event)
    deps = default_deps()
    failures: list[BaseException] = []
    for name, handler in handlers.items():
        try:
            handler(deps, change)
        except Exception as error:  # a failed handler must not stop the others
            log_error(
                "handler failed",
                handler=name,
                eventId=change.event_id,
                path=change.path,
                error=repr(error),
            )
            failures.append(error)
    if failures:
        raise failures[0]


def caller_of(request: https_fn.CallableRequest[Any]) -> Caller:
    """Who calls: uid and ID token claims, or an anonymous caller."""
    if request.auth is None:
        return Caller(None, {})
    return Caller(request.auth.uid, dict(request.auth.token or {}))
