"""Messages: each type carries its own body, and a deleted message is an empty tombstone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from google.cloud.firestore_v1 import GeoPoint
from pydantic import ValidationError

from mitche.models.messages import Message

SENT = datetime(2026, 11, 19, 15, 40, tzinfo=UTC)
PHOTO = {
    "storagePath": "uploads/a/messages/c1/m1/photo.png",
    "ownerId": "a",
    "contentType": "image/png",
    "sizeBytes": 10,
}
PDF = {
    "storagePath": "uploads/a/messages/c1/m1/form.pdf",
    "ownerId": "a",
    "contentType": "application/pdf",
    "sizeBytes": 10,
}
PLACE = {"point": GeoPoint(48.87, 2.37), "label": "Front door"}


def make_message(message_type: str, **body: Any) -> dict[str, Any]:
    return {
        "conversationId": "c1",
        "participantIds": ["a", "b"],
        "senderId": "a",
        "messageType": message_type,
        "createdAt": SENT,
        **body,
    }


@pytest.mark.parametrize(
    ("message_type", "body", "accepted"),
    [
        ("text", {"text": "hello"}, True),
        ("text", {}, False),
        ("text", {"text": ""}, False),
        ("text", {"text": "hi", "attachment": PHOTO}, False),
        ("image", {"attachment": PHOTO}, True),
        ("image", {"attachment": PHOTO, "text": "caption"}, True),
        ("image", {"attachment": PDF}, False),
        ("image", {"text": "no picture"}, False),
        ("document", {"attachment": PDF, "text": "the form"}, True),
        ("document", {"attachment": PHOTO}, False),
        ("location", {"location": PLACE}, True),
        ("location", {"location": PLACE, "text": "here"}, False),
        ("location", {"location": PLACE, "editedAt": SENT}, False),
        ("text", {"location": PLACE, "text": "x"}, False),
        ("text", {"deletedAt": SENT}, True),
        ("image", {"deletedAt": SENT}, True),
        ("text", {"deletedAt": SENT, "text": "still here"}, False),
        ("image", {"deletedAt": SENT, "attachment": PHOTO}, False),
    ],
)
def test_body_per_type(message_type: str, body: dict[str, Any], accepted: bool) -> None:
    """Text messages carry text; image and document messages an attachment of their kind (with
    an optional caption); location messages a place; deleted messages no body at all."""
    document = make_message(message_type, **body)
    if accepted:
        Message.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            Message.model_validate(document)


@pytest.mark.parametrize(
    ("reactions", "accepted"),
    [
        ({"👍": ["a", "b"]}, True),
        ({"❤️": []}, True),
        ({"👍🏽": ["b"], "😂": ["a"]}, True),
        ({"👍": ["a", "a"]}, False),
        ({"👍": ["c"]}, False),
        ({"+1": ["a"]}, False),
        ({"a.b": ["a"]}, False),
        ({"👍 ": ["a"]}, False),
        ({f"{chr(0x1F600 + n)}": ["a"] for n in range(21)}, False),
    ],
)
def test_reactions(reactions: dict[str, list[str]], accepted: bool) -> None:
    """Reactions map an emoji to distinct participants; keys are emoji, at most 20 of them."""
    document = make_message("text", text="hi", reactions=reactions)
    if accepted:
        assert Message.model_validate(document).reactions == reactions
    else:
        with pytest.raises(ValidationError):
            Message.model_validate(document)


@pytest.mark.parametrize(
    ("path", "accepted"),
    [
        ("uploads/a/messages/c1/m1/photo.png", True),
        ("uploads/a/messages/c2/m1/photo.png", False),
        ("uploads/a/requests/r1/photo.png", False),
        ("uploads/a/avatars/photo.png", False),
    ],
)
def test_an_attachment_sits_in_the_senders_folder_for_the_conversation(
    path: str, accepted: bool
) -> None:
    """A message's file is the sender's upload below the message's conversation, never a file
    filed for another conversation or another kind of document (whose readers differ)."""
    document = make_message("image", attachment={**PHOTO, "storagePath": path})
    if accepted:
        Message.model_validate(document)
    else:
        with pytest.raises(ValidationError, match="below 'uploads/a/messages/c1/'"):
            Message.model_validate(document)
