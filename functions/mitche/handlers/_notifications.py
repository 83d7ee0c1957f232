"""After a notification is written: the unread count when it is read, and its push.

`count_read` decrements the member's unread count when a notification goes from unread to read
or is deleted unread (the TTL), in a batch with an idempotency marker, so a redelivery counts
nothing twice. (An entry becoming unread is counted by `notify`, in the unit that writes it.)

`deliver_push` decides a pending push once, in a transaction that reads the notification, the
member's settings, their inbox summary (the rate window) and their devices, and writes the
decision (`push.status`: sent, deferred with `dueAt`, or skipped with a reason) with the window
count: a concurrent or repeated delivery finds the push decided and does nothing. A push marked
sent is then handed to FCM (a crash between the commit and the send loses that one push rather
than ever sending it twice); tokens FCM says are gone are deleted, and a push no device took is
marked failed.

`send_due_pushes` (a schedule) reads the deferred pushes now due through a catalog query on
`push.status` and `push.dueAt` (a collection-group query, bounded per run, never a scan), and
sends each member one push: the notification itself, or a digest counting several.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from google.cloud import firestore
from pydantic import ValidationError

from mitche.domain.notification_texts import render_digest
from mitche.domain.push_policy import PushDecision, RateWindow, decide_push
from mitche.errors import AlreadyExistsError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import marker_path, user_path
from mitche.handlers._context import Deps, DocumentChange
from mitche.handlers._notify import inbox_path
from mitche.models import (
    NotificationKind,
    NotificationSettings,
    ProcessedEvent,
    PushStatus,
)
from mitche.queries import query_for
from mitche.services import (
    PushMessage,
    PushResult,
    Unit,
    log_info,
    log_warning,
    run_batch,
    run_transaction,
)

__all__ = [
    "DUE_PUSHES_PER_RUN",
    "DuePushes",
    "PushOutcome",
    "count_read",
    "deliver_push",
    "send_due_pushes",
]

DUE_PUSHES_PER_RUN: Final = 200
"""Deferred pushes one scheduled run handles; the rest wait for the next run."""
_MAX_DEVICES: Final = 10


@dataclass(frozen=True, slots=True)
class _Device:
    path: str
    token: str


@dataclass(frozen=True, slots=True)
class PushOutcome:
    """What `deliver_push` did."""

    status: PushStatus | None = None
    """The decision written; None when the push was already decided (or nothing to push)."""
    reason: str | None = None
    sent: int = 0
    """Devices FCM accepted the push for."""
    pruned: int = 0
    """Devices removed because FCM said their token is gone."""


def _unread(data: Mapping[str, Any] | None) -> bool:
    return data is not None and data.get("readAt") is None


def count_read(deps: Deps, change: DocumentChange) -> bool:
    """Decrement the unread count when a notification is read or deleted unread; whether it
    did (False on a redelivery or any other change)."""
    if not _unread(change.before) or _unread(change.after):
        return False
    uid = change.path.split("/")[1]
    handler = HandlerName.NOTIFICATIONS_READ

    def work(unit: Unit) -> None:
        unit.create(
            marker_path(user_path(uid), handler, change.event_id),
            ProcessedEvent.of(handler, change.event_id, change.at),
        )
        unit.set(
            inbox_path(uid),
            {"unread": firestore.Increment(-1), "updatedAt": change.at},
            merge=True,
        )

    try:
        run_batch(deps.client, handler, work)
    except AlreadyExistsError:
        return False
    return True


def _settings(user: Mapping[str, Any] | None) -> tuple[NotificationSettings, str, str | None]:
    """The member's notification settings, time zone and locale (defaults for what is
    missing or does not decode: a broken profile never silences a safety notice's in-app
    entry, only its push falls back to the defaults)."""
    data = user or {}
    try:
        settings = NotificationSettings.model_validate(data.get("notifications") or {})
    except ValidationError:
        settings = NotificationSettings()
    preferences = data.get("preferences")
    preferences = preferences if isinstance(preferences, Mapping) else {}
    zone = preferences.get("timeZone")
    locale = preferences.get("locale")
    return (
        settings,
        zone if isinstance(zone, str) else "UTC",
        locale if isinstance(locale, str) else None,
    )


def _window(inbox: Mapping[str, Any] | None) -> RateWindow:
    data = inbox or {}
    started = data.get("pushWindowStartedAt")
    return RateWindow(
        started if isinstance(started, dt.datetime) else None,
        int(data.get("pushesInWindow") or 0),
    )


def _devices(unit: Unit, deps: Deps, uid: str) -> list[_Device]:
    found = unit.query(
        query_for(deps.client, "functions.memberDevices", uid=uid, limit=_MAX_DEVICES)
    )
    return [
        _Device(path, str(data["token"]))
        for path, data in found
        if isinstance(data.get("token"), str)
    ]


def _push_fields(decision: PushDecision, now: dt.datetime) -> dict[str, Any]:
    fields: dict[str, Any] = {"push.status": decision.status.value}
    if decision.reason is not None:
        fields["push.reason"] = decision.reason
    if decision.due_at is not None:
        fields["push.dueAt"] = decision.due_at
    if decision.status is PushStatus.SENT:
        fields["push.sentAt"] = now
    return fields


def _count_push(unit: Unit, uid: str, window: RateWindow, now: dt.datetime) -> None:
    counted = window.counted(now)
    unit.set(
        inbox_path(uid),
        {
            "pushWindowStartedAt": counted.started_at,
            "pushesInWindow": counted.pushes,
            "updatedAt": now,
        },
        merge=True,
    )


@dataclass(frozen=True, slots=True)
class _Decided:
    decision: PushDecision
    devices: tuple[_Device, ...] = ()
    message: Mapping[str, Any] = field(default_factory=dict)


def _message_data(path: str, notification: Mapping[str, Any]) -> dict[str, str]:
    return {
        "notification": path,
        "kind": str(notification.get("kind", "")),
        "target": str(notification.get("target", "")),
    }


def deliver_push(deps: Deps, change: DocumentChange) -> PushOutcome:
    """Decide a pending push once, and send it when the decision is to send now."""
    after = change.after
    if after is None or (after.get("push") or {}).get("status", "pending") != "pending":
        return PushOutcome()
    uid = change.path.split("/")[1]
    now = deps.now()

    def work(unit: Unit) -> _Decided | None:
        found = unit.get_all([change.path, user_path(uid), inbox_path(uid)])
        notification = found[change.path]
        if notification is None:
            return None
        if (notification.get("push") or {}).get("status", "pending") != "pending":
            return None
        if notification.get("readAt") is not None:
            decision = PushDecision(PushStatus.SKIPPED, "read")
            unit.update(change.path, _push_fields(decision, now))
            return _Decided(decision)
        settings, zone, _ = _settings(found[user_path(uid)])
        devices = _devices(unit, deps, uid)
        window = _window(found[inbox_path(uid)])
        try:
            kind = NotificationKind(str(notification.get("kind")))
        except ValueError:
            return None
        decision = decide_push(kind, settings, zone, devices=len(devices), window=window, now=now)
        unit.update(change.path, _push_fields(decision, now))
        if decision.status is PushStatus.SENT:
            _count_push(unit, uid, window, now)
        return _Decided(decision, tuple(devices), notification)

    decided = run_transaction(deps.client, HandlerName.NOTIFICATIONS_PUSH, work)
    if decided is None:
        return PushOutcome()
    outcome = PushOutcome(decided.decision.status, decided.decision.reason)
    if decided.decision.status is not PushStatus.SENT:
        return outcome
    message = decided.message
    pushes = [
        PushMessage(
            token=device.token,
            title=str(message.get("title", "")),
            body=str(message.get("body", "")),
            data=_message_data(change.path, message),
            collapse_key=change.path.rsplit("/", 1)[-1],
        )
        for device in decided.devices
    ]
    sent, pruned = _send(deps, uid, decided.devices, pushes, [change.path], change.event_id)
    return PushOutcome(PushStatus.SENT, None, sent, pruned)


def _send(
    deps: Deps,
    uid: str,
    devices: Sequence[_Device],
    pushes: list[PushMessage],
    notifications: Sequence[str],
    event_id: str,
) -> tuple[int, int]:
    """Hand the pushes to FCM; prune gone tokens; mark the notifications failed when no
    device took the push. (sent, pruned)."""
    results: list[PushResult] = deps.push.send(pushes)
    gone = [device.path for device, result in zip(devices, results, strict=True) if result.gone]
    sent = sum(1 for result in results if result.sent)
    errors = sorted({result.error for result in results if result.error})

    def work(unit: Unit) -> None:
        for path in gone:
            unit.delete(path)
        if not sent:
            for path in notifications:
                unit.update(
                    path,
                    {"push.status": PushStatus.FAILED.value, "push.reason": ",".join(errors)[:120]},
                )

    if gone or not sent:
        run_batch(deps.client, HandlerName.NOTIFICATIONS_PUSH, work)
    if gone or errors:
        log_warning(
            "push not delivered to every device",
            handler=HandlerName.NOTIFICATIONS_PUSH,
            eventId=event_id,
            member=uid,
            sent=sent,
            pruned=len(gone),
            errors=errors,
        )
    return sent, len(gone)


@dataclass(frozen=True, slots=True)
class DuePushes:
    """What one run of the deferred-push schedule did."""

    members: int = 0
    sent: int = 0
    """Pushes handed to FCM (one per member and device; a digest counts once)."""
    notifications: int = 0
    """Notifications whose deferred push was settled (sent, digested, skipped)."""


def send_due_pushes(deps: Deps, now: dt.datetime) -> DuePushes:
    """Send every deferred push due at `now` (up to `DUE_PUSHES_PER_RUN`), one per member."""
    query = query_for(deps.client, "functions.duePushes", now=now, limit=DUE_PUSHES_PER_RUN)
    by_member: dict[str, list[str]] = defaultdict(list)
    for snapshot in query.stream():
        by_member[snapshot.reference.path.split("/")[1]].append(snapshot.reference.path)
    members = sent = settled = 0
    for uid, paths in by_member.items():
        member_sent, member_settled = _send_member_due(deps, uid, paths, now)
        members += 1
        sent += member_sent
        settled += member_settled
    if settled:
        log_info(
            "deferred pushes sent",
            handler=HandlerName.NOTIFICATIONS_DEFERRED,
            members=members,
            pushes=sent,
            notifications=settled,
        )
    return DuePushes(members, sent, settled)


def _send_member_due(deps: Deps, uid: str, paths: list[str], now: dt.datetime) -> tuple[int, int]:
    """One member's due pushes: re-decided now (settings may have changed), then one push."""

    def work(unit: Unit) -> tuple[list[str], _Decided] | None:
        found = unit.get_all([*paths, user_path(uid), inbox_path(uid)])
        due = [
            path
            for path in paths
            if (found[path] or {}).get("push", {}).get("status") == PushStatus.DEFERRED.value
            and (found[path] or {}).get("readAt") is None
        ]
        read = [path for path in paths if found[path] is not None and path not in due]
        for path in read:
            if (found[path] or {}).get("push", {}).get("status") == PushStatus.DEFERRED.value:
                unit.update(path, _push_fields(PushDecision(PushStatus.SKIPPED, "read"), now))
        if not due:
            return None
        settings, zone, locale = _settings(found[user_path(uid)])
        devices = _devices(unit, deps, uid)
        window = _window(found[inbox_path(uid)]).current(now)
        # The digest replaces the deferred pushes: the rate window starts afresh for it.
        first = found[due[0]] or {}
        kind = NotificationKind(str(first.get("kind")))
        decision = decide_push(
            kind, settings, zone, devices=len(devices), window=RateWindow(), now=now
        )
        if decision.status is PushStatus.DEFERRED:
            for path in due:
                unit.update(path, _push_fields(decision, now))
            return None
        if decision.status is PushStatus.SKIPPED:
            for path in due:
                unit.update(path, _push_fields(decision, now))
            return due, _Decided(decision)
        unit.update(due[0], _push_fields(decision, now))
        for path in due[1:]:
            unit.update(
                path,
                {"push.status": PushStatus.DIGESTED.value, "push.sentAt": now},
            )
        _count_push(unit, uid, window, now)
        if len(due) == 1:
            message: Mapping[str, Any] = first
        else:
            texts = render_digest(len(due), locale)
            message = {"title": texts.title, "body": texts.body, "kind": "digest", "target": ""}
        return due, _Decided(decision, tuple(devices), message)

    result = run_transaction(deps.client, HandlerName.NOTIFICATIONS_DEFERRED, work)
    if result is None:
        return 0, 0
    due, decided = result
    if decided.decision.status is not PushStatus.SENT:
        return 0, len(due)
    pushes = [
        PushMessage(
            token=device.token,
            title=str(decided.message.get("title", "")),
            body=str(decided.message.get("body", "")),
            data=_message_data(due[0], decided.message),
        )
        for device in decided.devices
    ]
    sent, _ = _send(deps, uid, decided.devices, pushes, due, f"deferred:{uid}:{now.isoformat()}")
    return sent, len(due)
