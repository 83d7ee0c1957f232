"""Conversations: `conversations/{conversationId}`, the chat threads messages belong to.

Kinds: a direct message between two members (`dm`), the thread between a requester and the
helpers about a request (`request`), an event's group chat (`event`), and a member's thread with
the moderation team (`support`). Only participants read a conversation; list queries must filter
`participantIds array-contains` the caller's uid. Messages are documents of the top-level
`messages` collection carrying the conversation id and a copy of the participant list.

Writers: the creator (a participant) creates the conversation with its kind, context and
participants; the creator manages participants and the title of group conversations; each
participant writes only their own entry of `participantState` (last read, muted, archived).
Cloud Functions write the last-message summary, counters, per-participant unread counts and
moderation (a removed conversation is read-only); a participant's `lastReadAt` is their read
receipt, and the function recounts their unread messages from it.

Lifecycle: created with its participants → active while messages flow → a participant may
archive it for themselves (participant state); moderators may lock it (`moderation.status`
hidden or removed). Conversations are never deleted by clients.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentId,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import Count, Moderation
from mitche.models.names import Collection
from mitche.models.processed_events import ProcessedEvent
from mitche.models.registry import CollectionSpec, SubcollectionSpec

__all__ = [
    "MAX_PARTICIPANTS",
    "SPEC",
    "Conversation",
    "ConversationType",
    "LastMessage",
    "MessageType",
    "ParticipantState",
]

MAX_PARTICIPANTS: Final = 50
"""Participants a conversation may have (an event chat is the largest)."""


class ConversationType(StrEnum):
    """The kind of conversation; fixed at creation."""

    DM = "dm"
    """Two members, privately."""
    REQUEST = "request"
    """A requester and helpers about one request."""
    EVENT = "event"
    """Organisers and attendees of one event."""
    SUPPORT = "support"
    """A member and the moderation team."""


_CONTEXT_COLLECTION: Final = {
    ConversationType.REQUEST: Collection.REQUESTS,
    ConversationType.EVENT: Collection.COMMUNITY_EVENTS,
}


class ParticipantState(MitcheModel):
    """One participant's own view of the conversation; only they write it."""

    joined_at: Timestamp
    """When the participant joined."""
    last_read_at: Timestamp | None = None
    """Time of the latest message the participant has read (drives unread badges)."""
    muted: bool = False
    """No notifications for this conversation."""
    archived: bool = False
    """Hidden from the participant's inbox until a new message arrives."""


class MessageType(StrEnum):
    """The kind of a message, fixed when it is sent; each kind has its own body field.

    Defined here rather than in `messages` because the conversation's last-message summary
    names it too, and `messages` already depends on this module.
    """

    TEXT = "text"
    """Plain text (`text`)."""
    IMAGE = "image"
    """A picture (`attachment` with an image type), optionally captioned."""
    DOCUMENT = "document"
    """A PDF (`attachment`), optionally captioned."""
    LOCATION = "location"
    """A place the sender chose to share (`location`)."""
    SEALED = "sealed"
    """End-to-end encrypted by the sender's app (`sealed`), in a sensitive conversation."""


class LastMessage(MitcheModel):
    """Summary of the latest message, for the inbox; written by a function on each message."""

    message_id: DocumentId
    """Id of the message in `messages`."""
    sender_id: Uid
    """Who sent it."""
    message_type: MessageType
    """Type of the message."""
    preview: Annotated[str, Field(max_length=140)] = ""
    """Start of the text (empty for attachments, and for deleted messages)."""
    sent_at: Timestamp
    """When it was sent."""


class Conversation(MitcheModel):
    """A conversation, `conversations/{conversationId}`."""

    conversation_type: Annotated[ConversationType, CLIENT_CREATE]
    """Kind of conversation; never changes."""
    created_by: Annotated[Uid, CLIENT_CREATE]
    """Participant who created it; must be the signed-in author on create."""
    participant_ids: Annotated[list[Uid], Field(min_length=1, max_length=MAX_PARTICIPANTS), CLIENT]
    """Members in the conversation (a dm has exactly two); queried with array-contains."""
    participant_state: Annotated[
        dict[Uid, ParticipantState], Field(max_length=MAX_PARTICIPANTS), CLIENT
    ] = Field(default_factory=dict)
    """Per-participant state, keyed by uid; each participant writes only their own entry."""
    title: Annotated[Annotated[str, Field(min_length=1, max_length=100)] | None, CLIENT] = None
    """Name of a group conversation (event, request); dms have none."""
    context: Annotated[DocumentPath | None, CLIENT_CREATE] = None
    """The request (`requests/{id}`) or event (`communityEvents/{id}`) it is about."""
    sensitive: Annotated[bool, CLIENT_CREATE] = False
    """End-to-end encrypted (direct conversations only): every message is `sealed` by the
    sender's app for both participants' published public keys, and the backend stores only
    ciphertext (fixed at creation, so no plaintext message ever sits beside sealed ones)."""
    last_message: Annotated[LastMessage | None, SERVER] = None
    """Latest message summary."""
    message_count: Annotated[Count, SERVER] = 0
    """Messages sent (deleted ones included)."""
    unread_counts: Annotated[dict[Uid, Count], Field(max_length=MAX_PARTICIPANTS), SERVER] = Field(
        default_factory=dict
    )
    """Per participant, messages sent to them after their `participantState.lastReadAt`
    (their own excluded); a function counts each message in and recounts when they read."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state; hidden or removed conversations accept no new messages."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the conversation started."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change of participants, title or a participant's state."""

    @model_validator(mode="after")
    def _participants(self) -> Self:
        ids = self.participant_ids
        if len(set(ids)) != len(ids):
            raise ValueError("participantIds must not repeat a member")
        if self.created_by not in ids:
            raise ValueError("createdBy must be one of participantIds")
        if self.conversation_type is ConversationType.DM and len(ids) != 2:
            raise ValueError("a dm conversation has exactly two participantIds")
        if self.conversation_type is not ConversationType.SUPPORT and len(ids) < 2:
            raise ValueError("participantIds needs at least two members")
        if not set(self.participant_state) <= set(ids):
            raise ValueError("participantState keys must be participantIds")
        return self

    @model_validator(mode="after")
    def _context_matches_type(self) -> Self:
        expected = _CONTEXT_COLLECTION.get(self.conversation_type)
        if expected is None:
            if self.context is not None and self.conversation_type is ConversationType.DM:
                raise ValueError("a dm conversation has no context")
            return self
        if self.context is None or self.context.split("/")[0] != expected.value:
            raise ValueError(
                f"context of a {self.conversation_type.value} conversation is a document "
                f"of {expected.value}"
            )
        if self.context.count("/") != 1:
            raise ValueError(f"context must be a top-level {expected.value} document")
        return self

    @model_validator(mode="after")
    def _sensitive_is_direct(self) -> Self:
        if self.sensitive and self.conversation_type is not ConversationType.DM:
            raise ValueError("only a dm conversation can be sensitive (end-to-end encrypted)")
        return self

    @model_validator(mode="after")
    def _title_for_groups(self) -> Self:
        if self.conversation_type is ConversationType.DM and self.title is not None:
            raise ValueError("a dm conversation has no title")
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.CONVERSATIONS,
    model=Conversation,
    id_field="conversationId",
    subcollections=(
        SubcollectionSpec(
            path="conversations/{conversationId}/processedEvents/{markerId}",
            model=ProcessedEvent,
            why="Idempotency markers of the chat upkeep: created in the same transaction as "
            "a message's counters, so a redelivered message is not counted twice; functions "
            "only, expired by a TTL policy on expiresAt.",
        ),
    ),
)
