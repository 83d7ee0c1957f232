"""Which member each event notifies: one handler per source, each calling `notify` once per
recipient in its own small transaction (keyed by the event id and the recipient, so a
redelivery notifies nobody twice).

* offerings: a new offering on a request notifies its requester; an accepted or declined one
  notifies its helper;
* messages: a new message notifies every other participant, collapsed into one entry per
  conversation (the body is never copied: a notification shows no message text);
* reveal consents: a first consent notifies the counterpart (unless they consented already, so
  the reveal completes instead); a completed reveal notifies each side on its own consent;
* reports: a resolved or dismissed report notifies its reporter of the outcome only (never who
  decided, nor what happened to the reported member);
* requests: a deadline entering the warning horizon (`EXPIRY_WARNING` ahead) notifies the
  requester, from the expiry schedule (`warn_expiring_requests`);
* members: a level gained notifies the member, and an achievement earned (the notification the
  gamification handler queues on `userAchievements/{id}`) is delivered once, `sentAt` stamped;
* content (requests, offerings, messages): a moderator or the screen hiding or removing it, or
  restoring it, notifies its author with the reason shown to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._chat import arrives_shown, released
from mitche.handlers._context import Deps, DocumentChange, decode_change
from mitche.handlers._notify import notify
from mitche.models import Message, NotificationKind
from mitche.queries import query_for
from mitche.services import Unit, run_transaction

__all__ = [
    "AUTHOR_FIELDS",
    "EXPIRY_WARNING",
    "EXPIRY_WARNING_SLICE",
    "achievement_notices",
    "level_notices",
    "message_notices",
    "moderation_notices",
    "offering_notices",
    "report_notices",
    "reveal_notices",
    "warn_expiring_requests",
]

AUTHOR_FIELDS: Final[Mapping[str, str]] = {
    "requests": "requesterId",
    "offerings": "helperId",
    "messages": "senderId",
}
"""The field naming the author of each collection whose moderation notifies them."""

_TAKEN: Final = frozenset({"hidden", "removed"})

EXPIRY_WARNING: Final = dt.timedelta(hours=24)
"""How long before its deadline a requester is told their request expires."""
EXPIRY_WARNING_SLICE: Final = dt.timedelta(minutes=30)
"""The deadlines one run looks at: those that entered the horizon in the last two runs of the
15-minute expiry schedule (a missed run is covered; a request seen twice is told once, by its
key)."""
_EXPIRING_PER_RUN: Final = 200


def _get(data: Mapping[str, Any] | None, *keys: str) -> Any:
    value: Any = data
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _send(
    deps: Deps,
    handler: HandlerName,
    change: DocumentChange,
    recipient: str,
    kind: NotificationKind,
    target: str,
    params: Mapping[str, str],
    *,
    read: Mapping[str, tuple[str, ...]] | None = None,
    collapse_key: str | None = None,
) -> bool:
    """Notify `recipient` once for this event; `read` names params taken from a document read
    in the transaction ({param: (path, field, ...)}). Whether a notification was written."""

    def work(unit: Unit) -> bool:
        values = dict(params)
        for name, (path, *fields) in (read or {}).items():
            found = _get(unit.get(path), *fields)
            values[name] = str(found) if found is not None else "—"
        outcome = notify(
            unit,
            recipient=recipient,
            kind=kind,
            params=values,
            target=target,
            key=f"{change.event_id}:{recipient}",
            collapse_key=collapse_key,
            at=change.at,
        )
        return outcome.wrote

    return run_transaction(deps.client, handler, work)


def offering_notices(deps: Deps, change: DocumentChange) -> int:
    """An offering made on a request, or answered: its requester, or its helper."""
    before, after = change.before, change.after
    if after is None:
        return 0
    helper, requester = after.get("helperId"), after.get("requesterId")
    reference = after.get("requestPath")
    request = reference if isinstance(reference, str) else getattr(reference, "path", None)
    title: Mapping[str, tuple[str, ...]] = {"requestTitle": (request, "title")} if request else {}
    params = {} if request else {"requestTitle": str(after.get("title", "—"))}
    handler = HandlerName.NOTIFY_OFFERINGS
    sent = 0
    if before is None:
        if request and isinstance(requester, str) and requester != helper:
            sent += _send(
                deps,
                handler,
                change,
                requester,
                NotificationKind.OFFERING_RECEIVED,
                change.path,
                params,
                read=title,
            )
        return sent
    status, was = after.get("status"), before.get("status")
    kinds = {
        "accepted": NotificationKind.OFFERING_ACCEPTED,
        "declined": NotificationKind.OFFERING_DECLINED,
    }
    if status != was and status in kinds and isinstance(helper, str) and helper != requester:
        sent += _send(
            deps, handler, change, helper, kinds[str(status)], change.path, params, read=title
        )
    return sent


def message_notices(deps: Deps, change: DocumentChange) -> int:
    """A new message the screen lets through, or a held one a moderator released: every other
    participant, one entry per conversation (nobody is told of a message they cannot open)."""
    sides = decode_change(Message, change, HandlerName.NOTIFY_MESSAGES)
    if sides is None:
        return 0
    before, message = sides
    if message is None:
        return 0
    if before is None:
        if not arrives_shown(deps, HandlerName.NOTIFY_MESSAGES, message):
            return 0
    elif not released(before, message):
        return 0
    after = change.after or {}
    sender, conversation = after.get("senderId"), after.get("conversationId")
    if after.get("messageType") == "system" or not isinstance(conversation, str):
        return 0
    recipients = [
        uid for uid in after.get("participantIds") or [] if isinstance(uid, str) and uid != sender
    ]
    target = f"conversations/{conversation}"
    return sum(
        _send(
            deps,
            HandlerName.NOTIFY_MESSAGES,
            change,
            uid,
            NotificationKind.NEW_MESSAGE,
            target,
            {},
            collapse_key=target,
        )
        for uid in recipients
    )


def reveal_notices(deps: Deps, change: DocumentChange) -> int:
    """`users/{A}/revealConsents/{B}`: asked (B is told), or completed (A is told)."""
    after = change.after
    if after is None:
        return 0
    owner, counterpart = change.path.split("/")[1], change.path.split("/")[3]
    if owner == counterpart:
        return 0
    handler = HandlerName.NOTIFY_REVEALS
    completed_now = (
        after.get("completedAt") is not None and _get(change.before, "completedAt") is None
    )
    if completed_now and change.before is not None:
        return int(
            _send(
                deps,
                handler,
                change,
                owner,
                NotificationKind.REVEAL_COMPLETED,
                user_path(counterpart),
                {},
                read={"alias": (user_path(counterpart), "profile", "anonymousAlias")},
            )
        )
    if change.before is not None or after.get("status", "consented") != "consented":
        return 0
    mirror = f"users/{counterpart}/revealConsents/{owner}"

    def work(unit: Unit) -> bool:
        found = unit.get_all([mirror, user_path(owner)])
        if _get(found[mirror], "status") == "consented":
            return False
        alias = _get(found[user_path(owner)], "profile", "anonymousAlias")
        return notify(
            unit,
            recipient=counterpart,
            kind=NotificationKind.REVEAL_REQUESTED,
            params={"alias": str(alias or "—")},
            target=change.path,
            key=f"{change.event_id}:{counterpart}",
            at=change.at,
        ).wrote

    return int(run_transaction(deps.client, handler, work))


def report_notices(deps: Deps, change: DocumentChange) -> int:
    """A report closed: its reporter learns the outcome, nothing about who decided."""
    after = change.after
    if after is None:
        return 0
    status, was = after.get("status"), _get(change.before, "status")
    if status == was or status not in ("resolved", "dismissed"):
        return 0
    reporter = after.get("reporterId")
    if not isinstance(reporter, str):
        return 0
    # Upheld or not, from the reporter's own outcome: never the sanction (a restore is no
    # action on what they reported), never who decided (issue 21, hole 16).
    upheld = status == "resolved" and _get(after, "outcome", "upheld") is True
    outcome = "actionTaken" if upheld else "noAction"
    return int(
        _send(
            deps,
            HandlerName.NOTIFY_REPORTS,
            change,
            reporter,
            NotificationKind.REPORT_RESOLVED,
            change.path,
            {"outcome": outcome},
        )
    )


def level_notices(deps: Deps, change: DocumentChange) -> int:
    """A member's level went up."""
    level, was = (
        _get(change.after, "gamification", "level"),
        _get(change.before, "gamification", "level"),
    )
    if not isinstance(level, int) or not isinstance(was, int) or level <= was:
        return 0
    uid = change.path.split("/")[1]
    return int(
        _send(
            deps,
            HandlerName.NOTIFY_LEVELS,
            change,
            uid,
            NotificationKind.LEVEL_UP,
            change.path,
            {"level": str(level)},
        )
    )


def moderation_notices(deps: Deps, change: DocumentChange) -> int:
    """Content of a request, offering or message hidden, removed or restored: its author,
    with the reason they are shown."""
    collection = change.path.split("/")[0]
    author = _get(change.after, AUTHOR_FIELDS.get(collection, ""))
    status, was = (
        _get(change.after, "moderation", "status"),
        _get(change.before, "moderation", "status"),
    )
    if not isinstance(author, str) or status == was:
        return 0
    if status in _TAKEN:
        action = str(status)
    elif was in _TAKEN and status == "approved":
        action = "restored"
    else:
        return 0
    reason = _get(change.after, "moderation", "reason")
    return int(
        _send(
            deps,
            HandlerName.NOTIFY_MODERATION,
            change,
            author,
            NotificationKind.CONTENT_MODERATED,
            change.path,
            {"action": action, "reason": str(reason or "—")},
        )
    )


def _warn_expiring(
    deps: Deps, requester: str, path: str, params: Mapping[str, str], key: str, now: dt.datetime
) -> bool:
    def work(unit: Unit) -> bool:
        return notify(
            unit,
            recipient=requester,
            kind=NotificationKind.REQUEST_EXPIRING,
            params=params,
            target=path,
            key=key,
            at=now,
        ).wrote

    return run_transaction(deps.client, HandlerName.NOTIFY_EXPIRING, work)


def warn_expiring_requests(deps: Deps, now: dt.datetime) -> int:
    """Tell the requesters whose open request's deadline entered the warning horizon; how many
    were told (each once per deadline: the key names the request and its deadline)."""
    horizon = now + EXPIRY_WARNING
    query = query_for(
        deps.client,
        "functions.requestsExpiringSoon",
        earliest=horizon - EXPIRY_WARNING_SLICE,
        latest=horizon,
        limit=_EXPIRING_PER_RUN,
    )
    told = 0
    for snapshot in query.stream():
        data = snapshot.to_dict() or {}
        requester, deadline = data.get("requesterId"), data.get("deadline")
        if not isinstance(requester, str) or not isinstance(deadline, dt.datetime):
            continue
        path = snapshot.reference.path
        hours = max(1, round((deadline - now).total_seconds() / 3600))
        params = {"requestTitle": str(data.get("title", "—")), "hours": str(hours)}
        key = f"expiring:{path}:{deadline.isoformat()}"
        told += _warn_expiring(deps, requester, path, params, key, now)
    return told


def achievement_notices(deps: Deps, change: DocumentChange) -> int:
    """An achievement's queued notification (`notification` without `sentAt`): delivered to
    its member once, and marked sent in the same transaction."""
    queued = _get(change.after, "notification")
    if not isinstance(queued, Mapping) or queued.get("sentAt") is not None:
        return 0
    uid = _get(change.after, "userId")
    if not isinstance(uid, str):
        return 0
    name = str(_get(change.after, "display", "name") or "—")
    tier = queued.get("tier")

    def work(unit: Unit) -> bool:
        current = _get(unit.get(change.path), "notification")
        if not isinstance(current, Mapping) or current.get("sentAt") is not None:
            return False
        outcome = notify(
            unit,
            recipient=uid,
            kind=NotificationKind.ACHIEVEMENT_EARNED,
            params={"achievementName": name},
            target=change.path,
            key=f"achievement:{change.path}:{tier}",
            at=change.at,
        )
        unit.update(change.path, {"notification.sentAt": change.at})
        return outcome.wrote

    return int(run_transaction(deps.client, HandlerName.NOTIFY_ACHIEVEMENTS, work))
