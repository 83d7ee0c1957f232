"""Messages: `messages/{messageId}`, a top-level collection (one of the platform's 13).

Every message carries its `conversationId` and a copy of the conversation's `participantIds`,
so the rules authorise reads (including list queries filtered with
`participantIds array-contains request.auth.uid`) from the message itself, without a `get()` of
the conversation per document. The copy is taken when the message is sent (the rules require it
to equal the conversation's participants) and never rewritten: a member removed from a
conversation keeps the messages sent while they were in it and reads none sent after; a member
added reads the messages sent from their joining on (see mitche.handlers._chat).

Writers: the sender creates the message (sender id, conversation, type, body, reply) and is the
only one who edits its text or deletes it; every participant adds or removes only their own uid
in `reactions` and writes only their own entry in `readBy` and `deliveredTo`. Cloud Functions
write moderation and update the conversation's last-message summary.

Lifecycle: sent → (edited: `editedAt`, text only) → (deleted: `deletedAt`; the document stays as
a tombstone with its body cleared, so replies and read receipts keep pointing at something).
"""

from __future__ import annotations

from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentId,
    FirestoreGeoPoint,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import Attachment, AttachmentContentType, Moderation
from mitche.models.conversations import MAX_PARTICIPANTS, MessageType
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "MAX_REACTION_KINDS",
    "SPEC",
    "Emoji",
    "Message",
    "SharedLocation",
]

MAX_MESSAGE_LENGTH: Final = 4000
"""Characters in a text message or caption."""
MAX_REACTION_KINDS: Final = 20
"""Distinct emoji reactions on one message."""

Emoji = Annotated[
    str,
    Field(min_length=1, max_length=16, pattern=r"^(?=.*[^\x00-\x7f])[^\sA-Za-z./\[\]`*~]+$"),
]
"""A reaction key: an emoji (one or a few non-ASCII code points, no letters, spaces or
characters that have a meaning in Firestore field paths)."""


class SharedLocation(MitcheModel):
    """A place a participant deliberately shares in a conversation."""

    point: FirestoreGeoPoint
    """Coordinates."""
    label: Annotated[str, Field(min_length=1, max_length=120)]
    """What the place is ("Entrance of the community centre")."""
    address: Annotated[str, Field(max_length=300)] | None = None
    """Street address, if the sender added one."""


_ATTACHMENT_TYPES: Final = {
    MessageType.IMAGE: {t for t in AttachmentContentType if t.is_image},
    MessageType.DOCUMENT: {AttachmentContentType.PDF},
}


class Message(MitcheModel):
    """A message, `messages/{messageId}`."""

    conversation_id: Annotated[DocumentId, CLIENT_CREATE]
    """Conversation the message belongs to."""
    participant_ids: Annotated[
        list[Uid], Field(min_length=1, max_length=MAX_PARTICIPANTS), CLIENT_CREATE
    ]
    """Copy of the conversation's participants when sent; rules authorise reads with it."""
    sender_id: Annotated[Uid, CLIENT_CREATE]
    """Author; must be the signed-in user and one of participantIds."""
    message_type: Annotated[MessageType, CLIENT_CREATE]
    """Kind of message; decides which body field is set."""
    text: Annotated[
        Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)] | None, CLIENT
    ] = None
    """Text of a text message, or caption of an image or document; the sender may edit it."""
    attachment: Annotated[Attachment | None, CLIENT] = None
    """File of an image or document message (uploaded under the sender's prefix)."""
    location: Annotated[SharedLocation | None, CLIENT] = None
    """Place of a location message."""
    reply_to: Annotated[DocumentId | None, CLIENT_CREATE] = None
    """Id of the message this one answers (same conversation)."""
    reactions: Annotated[
        dict[Emoji, Annotated[list[Uid], Field(max_length=MAX_PARTICIPANTS)]],
        Field(max_length=MAX_REACTION_KINDS),
        CLIENT,
    ] = Field(default_factory=dict)
    """Emoji → members who reacted with it; each member adds or removes only their own uid."""
    read_by: Annotated[dict[Uid, Timestamp], Field(max_length=MAX_PARTICIPANTS), CLIENT] = Field(
        default_factory=dict
    )
    """Member → when they read the message; each member writes only their own entry."""
    delivered_to: Annotated[dict[Uid, Timestamp], Field(max_length=MAX_PARTICIPANTS), CLIENT] = (
        Field(default_factory=dict)
    )
    """Member → when the message reached one of their devices; each writes only their own."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the message was sent."""
    edited_at: Annotated[Timestamp | None, CLIENT] = None
    """When the sender last edited the text."""
    deleted_at: Annotated[Timestamp | None, CLIENT] = None
    """When the sender deleted the message (its body is cleared, the document kept)."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Moderation state."""

    @model_validator(mode="after")
    def _body_matches_type(self) -> Self:
        if self.deleted_at is not None:
            if self.text is not None or self.attachment is not None or self.location is not None:
                raise ValueError(
                    "a deleted message (deletedAt) keeps no text, attachment or location"
                )
            return self
        kind = self.message_type
        if (kind is MessageType.LOCATION) != (self.location is not None):
            raise ValueError("location is set exactly on location messages")
        if kind is MessageType.TEXT and self.text is None:
            raise ValueError("a text message has text")
        if kind is MessageType.LOCATION and self.text is not None:
            raise ValueError("a location message has no text (use location.label)")
        allowed = _ATTACHMENT_TYPES.get(kind)
        if (allowed is not None) != (self.attachment is not None):
            raise ValueError("attachment is set exactly on image and document messages")
        if self.attachment is not None and allowed is not None:
            if self.attachment.content_type not in allowed:
                raise ValueError(
                    f"attachment of a {kind.value} message must be one of "
                    f"{sorted(t.value for t in allowed)}"
                )
            if self.attachment.owner_id != self.sender_id:
                raise ValueError("attachment must be uploaded by the sender (ownerId)")
        return self

    @model_validator(mode="after")
    def _members_are_participants(self) -> Self:
        members = set(self.participant_ids)
        if len(members) != len(self.participant_ids):
            raise ValueError("participantIds must not repeat a member")
        if self.sender_id not in members:
            raise ValueError("senderId must be one of participantIds")
        for emoji, uids in self.reactions.items():
            if len(set(uids)) != len(uids) or not set(uids) <= members:
                raise ValueError(f"reactions[{emoji!r}] lists distinct participantIds only")
        if not set(self.read_by) <= members:
            raise ValueError("readBy keys must be participantIds")
        if not set(self.delivered_to) <= members:
            raise ValueError("deliveredTo keys must be participantIds")
        return self

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        for name, value in (("editedAt", self.edited_at), ("deletedAt", self.deleted_at)):
            if value is not None and value < self.created_at:
                raise ValueError(f"{name} must not be earlier than createdAt")
        if self.edited_at is not None and self.message_type is MessageType.LOCATION:
            raise ValueError("editedAt applies to messages with text")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.MESSAGES,
    model=Message,
    id_field="messageId",
)
