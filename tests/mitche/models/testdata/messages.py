"""Example `messages` documents: an image reply with reactions and receipts, and refused ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

SENT = datetime(2026, 11, 19, 15, 40, tzinfo=UTC)

VALID: dict[str, Any] = {
    "conversationId": "conv_req_51",
    "participantIds": ["jonasUid77", "aminaUid01", "leaUid12"],
    "senderId": "aminaUid01",
    "messageType": "image",
    "text": "Everything from the list except the rye bread (sold out).",
    "attachment": {
        "storagePath": "uploads/aminaUid01/messages/conv_req_51/msg_a2/receipt.jpg",
        "ownerId": "aminaUid01",
        "contentType": "image/jpeg",
        "sizeBytes": 220_431,
        "altText": "Shop receipt",
        "width": 900,
        "height": 1600,
    },
    "replyTo": "msg_9e7",
    "reactions": {"❤️": ["jonasUid77", "leaUid12"], "🙏🏽": ["jonasUid77"]},
    "readBy": {
        "jonasUid77": datetime(2026, 11, 19, 15, 41, tzinfo=UTC),
        "leaUid12": datetime(2026, 11, 19, 18, 3, tzinfo=UTC),
    },
    "deliveredTo": {
        "jonasUid77": datetime(2026, 11, 19, 15, 40, 2, tzinfo=UTC),
        "leaUid12": datetime(2026, 11, 19, 15, 40, 3, tzinfo=UTC),
    },
    "createdAt": SENT,
    "editedAt": datetime(2026, 11, 19, 15, 42, tzinfo=UTC),
    "moderation": {"status": "approved", "reportCount": 0},
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name != key}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", _with(readBy=["jonasUid77"]), "readBy"),
    ("unknown field", _with(forwardedFrom="msg_1"), "forwardedFrom"),
    ("oversized string", _with(text="x" * 4001), "text"),
    ("bad enum", _with(messageType="video"), "messageType"),
    ("missing required field", _without("conversationId"), "conversationId"),
    (
        "sender outside the conversation",
        _with(messageType="text", attachment=None, senderId="strangerUid"),
        "senderId",
    ),
    ("image without attachment", _with(attachment=None), "attachment"),
    (
        "image message with a PDF",
        _with(
            attachment={
                **VALID["attachment"],
                "contentType": "application/pdf",
                "width": None,
                "height": None,
            }
        ),
        "attachment",
    ),
    (
        "attachment of another member",
        _with(
            attachment={
                **VALID["attachment"],
                "ownerId": "jonasUid77",
                "storagePath": "uploads/jonasUid77/x.jpg",
            }
        ),
        "attachment",
    ),
    ("text message without text", _with(messageType="text", attachment=None, text=None), "text"),
    (
        "location message without place",
        _with(messageType="location", attachment=None, text=None),
        "location",
    ),
    (
        "deleted message keeps its body",
        _with(deletedAt=datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
        "deletedAt",
    ),
    ("reaction by a stranger", _with(reactions={"❤️": ["strangerUid"]}), "reactions"),
    ("reaction key is a word", _with(reactions={"love": ["jonasUid77"]}), "reactions"),
    ("read receipt of a stranger", _with(readBy={"strangerUid": SENT}), "readBy"),
    (
        "edited before sent",
        _with(editedAt=datetime(2026, 11, 19, 15, 0, tzinfo=UTC)),
        "editedAt",
    ),
    ("conversation id with a slash", _with(conversationId="conversations/c1"), "conversationId"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {}
