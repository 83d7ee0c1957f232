"""`notify`: the one way a function puts a notification in a member's list.

Call it inside the unit (transaction or batch) that applies the event's effect, so the
notification exists exactly when the effect does:

    notify(unit, recipient=requester_id, kind=NotificationKind.OFFERING_RECEIVED,
           params={"requestTitle": title}, target=f"offerings/{offering_id}",
           key=f"{change.event_id}:{requester_id}", at=change.at)

Idempotent by `key`: the document id is a hash of it (or of `collapse_key`), so a redelivered
trigger finds its notification and writes nothing. In a transaction the notification is read
first (one read); in a batch it is `create`d, so a duplicate fails the whole batch, which is
what the handlers' own markers already do (use a batch only beside such a marker). A
`collapse_key` (a conversation's path) keeps one entry per subject: a later event folds into
it (`count` grows while unread; a read entry becomes unread again, with a new push) instead of
adding one more; collapsing needs a transaction.

The unread count (`users/{uid}/notificationInbox/summary.unread`) is incremented in the same
unit whenever an entry becomes unread, so it is right the moment the entry appears; the
`notification_written` trigger decrements it when the member reads one or TTL deletes an unread
one. Texts are rendered here in the member's language (`preferences.locale` of their user
document, read in the transaction unless the caller passes `locale`). Push is decided later by
that trigger (`push.status` starts `pending`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.cloud import firestore
from pydantic import ValidationError

from mitche.domain.notification_texts import render
from mitche.errors import FailedPreconditionError, InvalidArgumentError
from mitche.models import (
    INBOX_SUMMARY,
    NOTIFICATION_INBOX,
    NOTIFICATION_RETENTION,
    NOTIFICATIONS,
    Notification,
    NotificationKind,
    PushState,
    notification_id,
)
from mitche.services import Unit, from_document

__all__ = ["NotifyOutcome", "inbox_path", "notification_path", "notify"]

_MAX_PARAM: Final = 200


def notification_path(recipient: str, key: str) -> str:
    """`users/{recipient}/notifications/{hash of key}`: where the notification for `key` is."""
    return f"users/{recipient}/{NOTIFICATIONS}/{notification_id(key)}"


def inbox_path(recipient: str) -> str:
    """`users/{recipient}/notificationInbox/summary`: the unread count and push window."""
    return f"users/{recipient}/{NOTIFICATION_INBOX}/{INBOX_SUMMARY}"


@dataclass(frozen=True, slots=True)
class NotifyOutcome:
    """What `notify` wrote."""

    path: str
    created: bool = False
    """A new entry."""
    folded: bool = False
    """An event folded into an existing (collapsed) entry."""

    @property
    def wrote(self) -> bool:
        """Whether anything was written (False for a duplicate delivery)."""
        return self.created or self.folded


def _clean(params: Mapping[str, str | int]) -> dict[str, str]:
    """Params as the stored strings (bounded: a long title is cut, never refused)."""
    cleaned: dict[str, str] = {}
    for name, value in params.items():
        text = str(value)
        cleaned[name] = text if len(text) <= _MAX_PARAM else text[: _MAX_PARAM - 1] + "…"
    return cleaned


def _locale(unit: Unit, recipient: str, locale: str | None) -> str | None:
    if locale is not None:
        return locale
    try:
        user = unit.get(f"users/{recipient}")
    except FailedPreconditionError as error:
        raise FailedPreconditionError(
            "notify in a batch needs the recipient's locale (a batch cannot read their profile)"
        ) from error
    preferences = (user or {}).get("preferences")
    value = preferences.get("locale") if isinstance(preferences, Mapping) else None
    return value if isinstance(value, str) else None


def _unread(unit: Unit, recipient: str, at: dt.datetime) -> None:
    unit.set(
        inbox_path(recipient),
        {"unread": firestore.Increment(1), "updatedAt": at},
        merge=True,
    )


def notify(
    unit: Unit,
    *,
    recipient: str,
    kind: NotificationKind,
    params: Mapping[str, str | int],
    target: str,
    key: str,
    at: dt.datetime,
    collapse_key: str | None = None,
    locale: str | None = None,
) -> NotifyOutcome:
    """Put one notification in `recipient`'s list, once per `key` (see the module)."""
    path = notification_path(recipient, collapse_key or key)
    can_read = unit.can_read
    if collapse_key is not None and not can_read:
        raise FailedPreconditionError("a collapsed notification needs a transaction")
    existing = unit.get(path) if can_read else None
    stored = _clean(params)
    if existing is not None:
        if collapse_key is None or existing.get("lastKey") == key:
            return NotifyOutcome(path)
        return _fold(unit, recipient, path, existing, kind, stored, key, at, locale)
    texts = render(kind, stored, _locale(unit, recipient, locale))
    try:
        notification = Notification(
            kind=kind,
            params=stored,
            locale=texts.language,
            title=texts.title,
            body=texts.body,
            target=target,
            last_key=key[:300],
            created_at=at,
            updated_at=at,
            expires_at=at + NOTIFICATION_RETENTION,
        )
    except ValidationError as error:
        raise InvalidArgumentError(f"{kind} notification for {recipient}: {error}") from error
    unit.create(path, notification)
    _unread(unit, recipient, at)
    return NotifyOutcome(path, created=True)


def _fold(
    unit: Unit,
    recipient: str,
    path: str,
    existing: Mapping[str, Any],
    kind: NotificationKind,
    params: dict[str, str],
    key: str,
    at: dt.datetime,
    locale: str | None,
) -> NotifyOutcome:
    """Fold one more event into a collapsed entry: counted while unread, reopened once read."""
    current = from_document(Notification, existing)
    unread = current.read_at is None
    count = current.count + 1 if unread else 1
    params = {**params, "count": str(count)}
    texts = render(kind, params, locale or current.locale)
    fields: dict[str, Any] = {
        "params": params,
        "title": texts.title,
        "body": texts.body,
        "count": count,
        "lastKey": key[:300],
        "updatedAt": at,
        "expiresAt": at + NOTIFICATION_RETENTION,
    }
    if not unread:
        fields["readAt"] = None
        fields["push"] = PushState().model_dump(by_alias=True, exclude_none=True)
        _unread(unit, recipient, at)
    unit.update(path, fields)
    return NotifyOutcome(path, folded=True)
