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

End-to-end encryption: in a direct conversation created `sensitive`, every message is of type
`sealed`: the sender's app encrypts the text once under a fresh content key (AES-256-GCM) and wraps
that key for each participant's public key (`users/{uid}/publicKeys/{keyId}`: X25519, HKDF-SHA256,
AES-256-GCM; see the client library's `e2e` module). The document holds ciphertext and the wrapped
keys only; the backend never sees a key or the text, so the screen has nothing to read and such
messages are judged on reports, where the reporter discloses what they choose.

Lifecycle: sent → (edited: `editedAt`, text only) → (deleted: `deletedAt`; the document stays as
a tombstone with its body cleared, so replies and read receipts keep pointing at something).
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
    FirestoreGeoPoint,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import ATTACHMENT_ROOT, Attachment, AttachmentContentType, Moderation
from mitche.models.conversations import MAX_PARTICIPANTS, MessageType
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "MAX_REACTION_KINDS",
    "SPEC",
    "Emoji",
    "Message",
    "SealedMessage",
    "SealedRecipient",
    "SealingScheme",
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


Base64Url = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]*$")]


class SealingScheme(StrEnum):
    """How a sealed message was encrypted (see the module docstring)."""

    X25519_HKDF_SHA256_AES256GCM_V1 = "x25519-hkdf-sha256-aes256gcm/v1"


class SealedRecipient(MitcheModel):
    """The message's content key wrapped for one participant's public key."""

    key_id: DocumentId
    """The participant's public key (`users/{uid}/publicKeys/{keyId}`)."""
    ephemeral_key: Annotated[Base64Url, Field(min_length=43, max_length=43)]
    """The sender's one-time X25519 public key for this wrap."""
    nonce: Annotated[Base64Url, Field(min_length=16, max_length=16)]
    """The wrap's 12-byte AES-GCM nonce."""
    wrapped_key: Annotated[Base64Url, Field(min_length=64, max_length=64)]
    """The 32-byte content key sealed with AES-256-GCM (with its 16-byte tag)."""


class SealedMessage(MitcheModel):
    """The end-to-end encrypted body of a `sealed` message."""

    scheme: SealingScheme
    """How it was sealed."""
    nonce: Annotated[Base64Url, Field(min_length=16, max_length=16)]
    """The 12-byte AES-GCM nonce of the ciphertext."""
    ciphertext: Annotated[Base64Url, Field(min_length=22, max_length=22_000)]
    """The UTF-8 text sealed with the content key (tag included), base64url."""
    recipients: Annotated[
        dict[Uid, SealedRecipient], Field(min_length=1, max_length=MAX_PARTICIPANTS)
    ]
    """Participant → the content key wrapped for them (every participant, the sender too)."""


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
    """File of an image or document message, uploaded by the sender below the message's own
    folder, `uploads/{senderId}/messages/{conversationId}/{messageId}/` (read by the message's
    participants)."""
    location: Annotated[SharedLocation | None, CLIENT] = None
    """Place of a location message."""
    sealed: Annotated[SealedMessage | None, CLIENT] = None
    """Body of a sealed message (end-to-end encrypted; only cleared, by deleting)."""
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
            folder = f"{ATTACHMENT_ROOT}/{self.sender_id}/messages/{self.conversation_id}/"
            if self.attachment.owner_id != self.sender_id or not (
                self.attachment.storage_path.startswith(folder)
            ):
                raise ValueError(
                    f"attachment must be uploaded by the sender (ownerId), below {folder!r}"
                )
        return self

    @model_validator(mode="after")
    def _sealed_body(self) -> Self:
        if self.deleted_at is not None:
            if self.sealed is not None:
                raise ValueError("a deleted message (deletedAt) keeps no sealed body")
            return self
        if (self.message_type is MessageType.SEALED) != (self.sealed is not None):
            raise ValueError("sealed is set exactly on sealed messages")
        if self.sealed is not None:
            if self.text is not None:
                raise ValueError("a sealed message has no text in the clear")
            if len(self.participant_ids) != 2:
                raise ValueError("a sealed message has two participants (a sensitive dm)")
            if set(self.sealed.recipients) != set(self.participant_ids):
                raise ValueError("sealed.recipients wraps the key for exactly the participantIds")
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
