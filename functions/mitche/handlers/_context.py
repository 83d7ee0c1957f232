"""What every handler receives: the change as plain data, and its dependencies.

A trigger adapter turns the CloudEvent into a `DocumentChange` (path, data before and after,
event id and time) and calls a handler with `Deps`; handlers never see CloudEvent types, so
tests call them with plain dictionaries.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from google.cloud import firestore
from pydantic import ValidationError

from mitche.models import MitcheModel
from mitche.services import (
    Accounts,
    FcmSender,
    FirebaseAccounts,
    PushSender,
    SettingsStore,
    firestore_client,
    from_document,
    log_warning,
)

__all__ = ["Deps", "DocumentChange", "decode", "decode_change", "default_deps", "parent_path"]

ModelT = TypeVar("ModelT", bound=MitcheModel)


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """One document change, as a trigger delivers it."""

    event_id: str
    """The CloudEvent id: the same on every redelivery of the change."""
    at: dt.datetime
    """The event time (the commit time of the change)."""
    path: str
    """Document path relative to the database root ("offerings/abc")."""
    before: Mapping[str, Any] | None
    """The data before the change; None when the document was created."""
    after: Mapping[str, Any] | None
    """The data after the change; None when the document was deleted."""
    params: Mapping[str, str] = field(default_factory=dict)
    """The trigger pattern's wildcards ("offeringId": "abc")."""

    @property
    def document_id(self) -> str:
        """The last segment of the path."""
        return self.path.rsplit("/", 1)[-1]


def parent_path(path: str) -> str:
    """The document a subcollection document belongs to ("communityEvents/e1" for
    "communityEvents/e1/registrations/u1")."""
    segments = path.split("/")
    if len(segments) < 4:
        raise ValueError(f"{path!r} is not below another document")
    return "/".join(segments[:-2])


@dataclass(slots=True)
class Deps:
    """A handler's dependencies: the Firestore client, cached settings, Authentication,
    push."""

    settings: SettingsStore
    accounts: Accounts
    client_factory: Callable[[], firestore.Client] = firestore_client
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    push: PushSender = field(default_factory=FcmSender)
    """Sends pushes (FCM through firebase-admin; the local stack answers for FCM)."""

    @property
    def client(self) -> firestore.Client:
        """The Firestore client (created lazily, cached per project and emulator)."""
        return self.client_factory()


_lock = threading.Lock()
_default: list[Deps] = []


def default_deps() -> Deps:
    """The dependencies of the deployed functions, built on first use."""
    with _lock:
        if not _default:
            _default.append(Deps(settings=SettingsStore(), accounts=FirebaseAccounts()))
        return _default[0]


def decode(
    model: type[ModelT], data: Mapping[str, Any] | None, *, path: str, handler: str, event_id: str
) -> ModelT | None:
    """The document as its model; None (logged with context) when it does not validate, so a
    malformed document ends the handler cleanly instead of failing on every redelivery."""
    if data is None:
        return None
    try:
        return from_document(model, data)
    except ValidationError as error:
        log_warning(
            "document does not match its model; skipped",
            handler=handler,
            eventId=event_id,
            path=path,
            model=model.__name__,
            errors=error.errors(include_url=False, include_context=False, include_input=False),
        )
        return None


def decode_change(
    model: type[ModelT], change: DocumentChange, handler: str
) -> tuple[ModelT | None, ModelT | None] | None:
    """Both sides of a change as models; None when a side that exists does not validate (a
    half-understood change is never acted on: a broken `before` would make every state look
    newly entered)."""
    sides: list[ModelT | None] = []
    for data in (change.before, change.after):
        decoded = decode(model, data, path=change.path, handler=handler, event_id=change.event_id)
        if data is not None and decoded is None:
            return None
        sides.append(decoded)
    return sides[0], sides[1]
