"""Chat upkeep: the inbox summary, counters and unread badges of a conversation.

On each new message, one transaction reads the conversation and the sender's standing and
writes: `lastMessage` (when the message is the latest), `messageCount` + 1, `unreadCounts` + 1
for every other participant the message was sent to, and `archived: false` for participants who
had archived the conversation; an idempotency marker below the conversation, created in the same
transaction, refuses a redelivery. The preview is the text, and the badges count the message,
only when the screen's verdict on it (the same pure function the screening handler applies,
mitche.domain.screening) leaves it visible: held text never reaches an inbox, and nobody is told
of a message they cannot open. Editing or deleting the latest message refreshes the preview the
same way. When a moderator later takes a message out of sight (hidden, removed) or releases a
held one, the badges of the participants who had not read that far move by one, once per event.

Read receipts: a participant's `participantState.lastReadAt` is their receipt. When it moves, the
handler recounts that participant's unread messages (count aggregations: messages sent to them
after it, minus their own, minus those out of sight) and stores the count, so the badge clears
when they read and is exact again after any race with a message counted in meanwhile (a message
the screen is about to hold may be counted by a recount racing the screen, until the next one).

Participant changes, and why no message is rewritten: each message carries a copy of the
participants it was sent to (`participantIds`), and the rules authorise reads from that copy.
Rewriting the copies on every change would cost one write per message of the conversation
(unbounded, and racing new messages); instead the copy is fixed at send time, which *is* the
policy: a removed participant keeps what was sent to them while they were in (they already had
it on their device) and reads nothing sent after their removal; an added participant reads
from their joining on, not the history said before they were there. The handler drops a
removed participant's unread count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath

from mitche.domain.screening import screen, standing_of
from mitche.errors import AlreadyExistsError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import marker_path, user_path
from mitche.handlers._context import Deps, DocumentChange, decode_change
from mitche.models import (
    Collection,
    Conversation,
    LastMessage,
    Message,
    ModerationState,
    ProcessedEvent,
)
from mitche.queries import query_for
from mitche.services import CostSample, Unit, log_info, record_cost, run_batch, run_transaction

__all__ = [
    "OUT_OF_SIGHT",
    "PREVIEW_LENGTH",
    "MessageUpkeep",
    "arrives_shown",
    "count_message",
    "message_preview",
    "recount_unread",
    "released",
]

MESSAGE_HANDLER: Final = HandlerName.CHAT_MESSAGE
RECEIPT_HANDLER: Final = HandlerName.CHAT_RECEIPTS
PREVIEW_LENGTH: Final = 140
"""Characters of a message shown in the inbox (LastMessage.preview's bound)."""
OUT_OF_SIGHT: Final = (ModerationState.HIDDEN, ModerationState.REMOVED)
"""Moderation states that keep a message from the other participants (rules canReadMessage)."""


def _field(*segments: str) -> str:
    return FieldPath(*segments).to_api_repr()


def message_preview(message: Message, shown: bool) -> str:
    """The inbox preview of a message: the start of its text, or nothing for attachments,
    deleted messages and text the screen holds."""
    if not shown or message.deleted_at is not None or message.text is None:
        return ""
    return message.text[:PREVIEW_LENGTH]


@dataclass(frozen=True, slots=True)
class MessageUpkeep:
    """What the upkeep of one message did."""

    counted: bool = False
    latest: bool = False
    unread_for: tuple[str, ...] = ()
    duplicate: bool = False


def _shown(deps: Deps, unit: Unit, message: Message) -> bool:
    if message.text is None:
        return True
    home = user_path(message.sender_id)
    found = unit.get_all([home, f"{home}/private/account"])
    standing = standing_of(found[home], found[f"{home}/private/account"])
    return screen([message.text], standing, deps.settings.moderation(deps.client)).shown


def arrives_shown(deps: Deps, handler: str, message: Message) -> bool:
    """Whether the other participants may open the message when it arrives: the screen's
    verdict, read in a transaction of its own (for handlers outside the upkeep's)."""
    if message.moderation.status in OUT_OF_SIGHT:
        return False
    return bool(run_transaction(deps.client, handler, lambda unit: _shown(deps, unit, message)))


def released(before: Message, after: Message) -> bool:
    """Whether a moderator has just given the other participants a message kept from them."""
    return _sight_step(before, after) > 0


def _summary(message_id: str, message: Message, shown: bool) -> dict[str, Any]:
    return LastMessage(
        message_id=message_id,
        sender_id=message.sender_id,
        message_type=message.message_type,
        preview=message_preview(message, shown),
        sent_at=message.created_at,
    ).to_firestore()


def _is_latest(conversation: Mapping[str, Any], message_id: str, message: Message) -> bool:
    last = conversation.get("lastMessage")
    if not isinstance(last, Mapping):
        return True
    sent = last.get("sentAt")
    return last.get("messageId") == message_id or sent is None or sent <= message.created_at


def _new_message(deps: Deps, change: DocumentChange, message: Message) -> MessageUpkeep:
    conversation_path = f"{Collection.CONVERSATIONS.value}/{message.conversation_id}"

    def work(unit: Unit) -> MessageUpkeep:
        conversation = unit.get(conversation_path)
        if conversation is None:
            return MessageUpkeep()
        participants = conversation.get("participantIds")
        current = set(participants) if isinstance(participants, list) else set()
        fields: dict[str, Any] = {"messageCount": firestore.Increment(1)}
        latest = _is_latest(conversation, change.document_id, message)
        shown = _shown(deps, unit, message) and message.moderation.status not in OUT_OF_SIGHT
        if latest:
            fields["lastMessage"] = _summary(change.document_id, message, shown)
        readers = tuple(
            uid
            for uid in message.participant_ids
            if shown and uid != message.sender_id and uid in current
        )
        for uid in readers:
            fields[_field("unreadCounts", uid)] = firestore.Increment(1)
        states = conversation.get("participantState")
        if isinstance(states, Mapping):
            for uid, state in states.items():
                if isinstance(state, Mapping) and state.get("archived") is True:
                    fields[_field("participantState", uid, "archived")] = False
        unit.update(conversation_path, fields)
        unit.create(
            marker_path(conversation_path, MESSAGE_HANDLER, change.event_id),
            ProcessedEvent.of(MESSAGE_HANDLER, change.event_id, change.at),
        )
        return MessageUpkeep(counted=True, latest=latest, unread_for=readers)

    try:
        return run_transaction(deps.client, MESSAGE_HANDLER, work)
    except AlreadyExistsError:
        return MessageUpkeep(duplicate=True)


def _changed_message(deps: Deps, change: DocumentChange, message: Message) -> MessageUpkeep:
    conversation_path = f"{Collection.CONVERSATIONS.value}/{message.conversation_id}"

    def work(unit: Unit) -> MessageUpkeep:
        conversation = unit.get(conversation_path)
        last = (conversation or {}).get("lastMessage")
        if not isinstance(last, Mapping) or last.get("messageId") != change.document_id:
            return MessageUpkeep()
        summary = _summary(change.document_id, message, _shown(deps, unit, message))
        if summary.get("preview", "") == last.get("preview", ""):
            return MessageUpkeep()
        unit.update(conversation_path, {"lastMessage": summary})
        return MessageUpkeep(latest=True)

    return run_transaction(deps.client, MESSAGE_HANDLER, work)


def _behind(conversation: Mapping[str, Any], uid: str, message: Message) -> bool:
    """Whether the participant's read receipt is before the message (it is in their badge)."""
    states = conversation.get("participantState")
    state = states.get(uid) if isinstance(states, Mapping) else None
    read_at = state.get("lastReadAt") if isinstance(state, Mapping) else None
    return read_at is None or read_at < message.created_at


def _sight_changed(
    deps: Deps, change: DocumentChange, message: Message, step: int
) -> MessageUpkeep:
    """A moderator took the message out of sight (step -1) or released it (+1): the badges of
    the participants it was sent to who had not read that far move by one."""
    conversation_path = f"{Collection.CONVERSATIONS.value}/{message.conversation_id}"

    def work(unit: Unit) -> MessageUpkeep:
        conversation = unit.get(conversation_path)
        if conversation is None:
            return MessageUpkeep()
        participants = conversation.get("participantIds")
        current = set(participants) if isinstance(participants, list) else set()
        counts = conversation.get("unreadCounts")
        counts = counts if isinstance(counts, Mapping) else {}
        readers = tuple(
            uid
            for uid in message.participant_ids
            if uid != message.sender_id and uid in current and _behind(conversation, uid, message)
        )
        fields = {
            _field("unreadCounts", uid): max(0, int(counts.get(uid, 0)) + step) for uid in readers
        }
        if fields:
            unit.update(conversation_path, fields)
        unit.create(
            marker_path(conversation_path, MESSAGE_HANDLER, change.event_id),
            ProcessedEvent.of(MESSAGE_HANDLER, change.event_id, change.at),
        )
        return MessageUpkeep(unread_for=readers)

    try:
        return run_transaction(deps.client, MESSAGE_HANDLER, work)
    except AlreadyExistsError:
        return MessageUpkeep(duplicate=True)


def _sight_step(before: Message, after: Message) -> int:
    """+1 when a moderator releases a message kept out of sight, -1 when they take a visible
    one away, 0 otherwise (the screen's first verdict was counted with the message)."""
    if before.moderation.status is ModerationState.PENDING:
        return 0
    hidden_before = before.moderation.status in OUT_OF_SIGHT
    hidden_after = after.moderation.status in OUT_OF_SIGHT
    return 0 if hidden_before == hidden_after else (1 if hidden_before else -1)


def count_message(deps: Deps, change: DocumentChange) -> MessageUpkeep:
    """A message was sent (count it in its conversation) or its body changed (refresh the
    preview if it is the latest)."""
    sides = decode_change(Message, change, MESSAGE_HANDLER)
    if sides is None:
        return MessageUpkeep()
    before, after = sides
    if after is None:
        return MessageUpkeep()
    if before is None:
        outcome = _new_message(deps, change, after)
    elif (before.text, before.deleted_at) != (after.text, after.deleted_at):
        outcome = _changed_message(deps, change, after)
    elif step := _sight_step(before, after):
        outcome = _sight_changed(deps, change, after, step)
    else:
        return MessageUpkeep()
    if outcome.counted or outcome.latest or outcome.unread_for:
        log_info(
            "conversation updated for a message",
            handler=MESSAGE_HANDLER,
            eventId=change.event_id,
            path=change.path,
            latest=outcome.latest,
            unreadFor=len(outcome.unread_for),
        )
    return outcome


def _unread(deps: Deps, conversation_id: str, uid: str, since: Any) -> int:
    client = deps.client
    params: dict[str, Any] = {"conversationId": conversation_id, "uid": uid}
    if since is None:
        to_them = query_for(client, "functions.messagesTo", **params)
        own = query_for(client, "functions.messagesFrom", **params)
    else:
        to_them = query_for(client, "functions.messagesToSince", since=since, **params)
        own = query_for(client, "functions.messagesFromSince", since=since, **params)
        unseen = query_for(client, "functions.hiddenMessagesToSince", since=since, **params)
        unseen_own = query_for(client, "functions.hiddenMessagesFromSince", since=since, **params)
        counts = [_count(query) for query in (to_them, own, unseen, unseen_own)]
        record_cost(CostSample(RECEIPT_HANDLER, 4, 0))
        return max(0, (counts[0] - counts[1]) - (counts[2] - counts[3]))
    counts = [_count(query) for query in (to_them, own)]
    record_cost(CostSample(RECEIPT_HANDLER, 2, 0))
    return max(0, counts[0] - counts[1])


def _count(query: Any) -> int:
    """The number of documents a query matches (an aggregation: one read per 1,000 entries)."""
    results: Any = query.count(alias="n").get()
    return int(results[0][0].value)


def _read_at(conversation: Conversation | None, uid: str) -> Any:
    if conversation is None:
        return None
    state = conversation.participant_state.get(uid)
    return None if state is None else state.last_read_at


def recount_unread(deps: Deps, change: DocumentChange) -> dict[str, int | None]:
    """A conversation changed: recount the unread messages of each participant whose read
    receipt moved, and drop the counts of removed participants (None in the result)."""
    sides = decode_change(Conversation, change, RECEIPT_HANDLER)
    if sides is None:
        return {}
    before, after = sides
    if after is None:
        return {}
    fields: dict[str, Any] = {}
    result: dict[str, int | None] = {}
    for uid in after.participant_ids:
        read_at = _read_at(after, uid)
        if read_at is None or read_at == _read_at(before, uid):
            continue
        count = _unread(deps, change.document_id, uid, read_at)
        if after.unread_counts.get(uid) != count:
            fields[_field("unreadCounts", uid)] = count
            result[uid] = count
    for uid in set(after.unread_counts) - set(after.participant_ids):
        fields[_field("unreadCounts", uid)] = firestore.DELETE_FIELD
        result[uid] = None
    if fields:
        run_batch(deps.client, RECEIPT_HANDLER, lambda unit: unit.update(change.path, fields))
        log_info(
            "unread counts recounted",
            handler=RECEIPT_HANDLER,
            eventId=change.event_id,
            path=change.path,
            participants=len(result),
        )
    return result
