"""Conversations and their messages: Alice and Bob about the groceries (a request
conversation), Carol and Dan planning the repair café (a dm with an edit, a reaction and a
deleted message), and Sam's scam message to Alice that got him suspended, with the follow-up
the screen held (only Sam and the moderators read it; Alice never saw it).

Messages live in the top-level `messages` collection with their conversation id and a copy of
its participants; each conversation's `lastMessage` and `messageCount` summarise them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from mitche.models.common import Moderation, ModerationState
from mitche.models.conversations import (
    Conversation,
    ConversationType,
    LastMessage,
    MessageType,
    ParticipantState,
)
from mitche.models.messages import Message, SharedLocation
from mitche.models.names import Collection
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import CROIX_ROUSSE

__all__ = ["SCAM_TEXT", "URGING_TEXT", "conversation_documents"]

_PREVIEW_LENGTH = 140

SCAM_TEXT: Final = (
    "I can get you 500 euros from a charity fund for your bill. Just make a wire transfer of "
    "50 euros for the fees first."
)
"""Sam's message to Alice, kept as evidence in her report."""
URGING_TEXT: Final = "Hurry, the fund closes tonight: send the wire transfer now."
"""Sam's follow-up, held by the screen for a moderator."""


@dataclass(frozen=True, slots=True)
class _Thread:
    """A conversation being built: its id and messages (oldest first)."""

    conversation_id: str
    messages: tuple[tuple[str, Message], ...]

    def last_message(self) -> LastMessage:
        """The inbox summary the message trigger writes for the latest message."""
        message_id, message = self.messages[-1]
        shown = message.moderation.status in (ModerationState.APPROVED, ModerationState.FLAGGED)
        return LastMessage(
            message_id=message_id,
            sender_id=message.sender_id,
            message_type=message.message_type,
            preview=(message.text or "")[:_PREVIEW_LENGTH] if shown else "",
            sent_at=message.created_at,
        )

    def documents(self, conversation: Conversation) -> list[DemoDocument]:
        return [
            (path(Collection.CONVERSATIONS, self.conversation_id), conversation),
            *((path(Collection.MESSAGES, message_id), m) for message_id, m in self.messages),
        ]


def _screened(at: dt.datetime) -> Moderation:
    return Moderation(status=ModerationState.APPROVED, reviewed_at=at + dt.timedelta(seconds=2))


def _message(
    conversation_id: str,
    participants: Sequence[Actor],
    sender: Actor,
    at: dt.datetime,
    *,
    text: str | None = None,
    **fields: object,
) -> Message:
    """A message with the fields every message shares filled in; `fields` are the rest."""
    return Message.model_validate(
        {
            "conversation_id": conversation_id,
            "participant_ids": [actor.value for actor in participants],
            "sender_id": sender.value,
            "message_type": fields.pop("message_type", MessageType.TEXT),
            "text": text,
            "created_at": at,
            "moderation": fields.pop("moderation", _screened(at)),
            **fields,
        }
    )


def _groceries(t: Timeline) -> list[DemoDocument]:
    cid = ids.CONV_ALICE_BOB_GROCERIES
    people = (Actor.BOB, Actor.ALICE)
    thread = _Thread(
        cid,
        (
            (
                ids.MSG_BOB_HELLO,
                _message(
                    cid,
                    people,
                    Actor.BOB,
                    t.bob_hello_sent,
                    text="Hello! I can shop on Saturday morning. Send me your list whenever.",
                    read_by={Actor.ALICE: t.groceries_accepted},
                    delivered_to={Actor.ALICE: t.bob_hello_sent + dt.timedelta(seconds=2)},
                ),
            ),
            (
                ids.MSG_ALICE_ENTRANCE,
                _message(
                    cid,
                    people,
                    Actor.ALICE,
                    t.alice_entrance_sent,
                    message_type=MessageType.LOCATION,
                    location=SharedLocation(
                        point=CROIX_ROUSSE.point,
                        label="Entrance of my building",
                        address=CROIX_ROUSSE.address,
                    ),
                    read_by={Actor.BOB: t.alice_entrance_sent + dt.timedelta(minutes=7)},
                    delivered_to={Actor.BOB: t.alice_entrance_sent + dt.timedelta(seconds=1)},
                ),
            ),
            (
                ids.MSG_BOB_ON_MY_WAY,
                _message(
                    cid,
                    people,
                    Actor.BOB,
                    t.bob_on_my_way_sent,
                    text="Got everything except the oat milk. On my way!",
                    reactions={"🙏": [Actor.ALICE]},
                    read_by={Actor.ALICE: t.bob_on_my_way_sent + dt.timedelta(minutes=3)},
                    delivered_to={Actor.ALICE: t.bob_on_my_way_sent + dt.timedelta(seconds=1)},
                ),
            ),
            (
                ids.MSG_ALICE_THANKS,
                _message(
                    cid,
                    people,
                    Actor.ALICE,
                    t.alice_thanks_sent,
                    text="Thank you so much, Bob. The soup is already on the stove.",
                    reply_to=ids.MSG_BOB_ON_MY_WAY,
                    edited_at=t.alice_thanks_sent + dt.timedelta(minutes=2),
                    delivered_to={Actor.BOB: t.alice_thanks_sent + dt.timedelta(seconds=1)},
                ),
            ),
        ),
    )
    conversation = Conversation(
        conversation_type=ConversationType.REQUEST,
        created_by=Actor.BOB,
        participant_ids=list(people),
        participant_state={
            Actor.BOB: ParticipantState(
                joined_at=t.groceries_offered, last_read_at=t.bob_on_my_way_sent
            ),
            Actor.ALICE: ParticipantState(
                joined_at=t.groceries_offered, last_read_at=t.alice_thanks_sent
            ),
        },
        title="Groceries after knee surgery",
        context=path(Collection.REQUESTS, ids.REQ_ALICE_GROCERIES),
        last_message=thread.last_message(),
        message_count=len(thread.messages),
        moderation=_screened(t.groceries_offered),
        created_at=t.groceries_offered,
        updated_at=t.alice_thanks_sent,
    )
    return thread.documents(conversation)


def _carol_dan(t: Timeline) -> list[DemoDocument]:
    cid = ids.CONV_CAROL_DAN
    people = (Actor.CAROL, Actor.DAN)
    thread = _Thread(
        cid,
        (
            (
                ids.MSG_CAROL_FLYER,
                _message(
                    cid,
                    people,
                    Actor.CAROL,
                    t.carol_flyer_sent,
                    text="The repair café flyer is ready. Could you bring the soldering kit?",
                    read_by={Actor.DAN: t.dan_tools_sent - dt.timedelta(minutes=1)},
                ),
            ),
            (
                ids.MSG_DAN_TOOLS,
                _message(
                    cid,
                    people,
                    Actor.DAN,
                    t.dan_tools_sent,
                    text="Yes, and two bike stands.",
                    reply_to=ids.MSG_CAROL_FLYER,
                    reactions={"👍": [Actor.CAROL]},
                    read_by={Actor.CAROL: t.dan_tools_sent + dt.timedelta(minutes=4)},
                ),
            ),
            (
                ids.MSG_CAROL_DELETED,
                _message(
                    cid,
                    people,
                    Actor.CAROL,
                    t.carol_deleted_sent,
                    deleted_at=t.carol_deleted_sent + dt.timedelta(minutes=1),
                ),
            ),
        ),
    )
    conversation = Conversation(
        conversation_type=ConversationType.DM,
        created_by=Actor.CAROL,
        participant_ids=list(people),
        participant_state={
            Actor.CAROL: ParticipantState(
                joined_at=t.carol_flyer_sent, last_read_at=t.carol_deleted_sent
            ),
            Actor.DAN: ParticipantState(
                joined_at=t.carol_flyer_sent, last_read_at=t.carol_deleted_sent, muted=True
            ),
        },
        last_message=thread.last_message(),
        message_count=len(thread.messages),
        moderation=_screened(t.carol_flyer_sent),
        created_at=t.carol_flyer_sent,
        updated_at=t.carol_deleted_sent,
    )
    return thread.documents(conversation)


def _sam_alice(t: Timeline) -> list[DemoDocument]:
    cid = ids.CONV_SAM_ALICE
    people = (Actor.SAM, Actor.ALICE)
    thread = _Thread(
        cid,
        (
            (
                ids.MSG_SAM_SCAM,
                _message(
                    cid,
                    people,
                    Actor.SAM,
                    t.sam_scam_sent,
                    text=SCAM_TEXT,
                    read_by={Actor.ALICE: t.scam_reported - dt.timedelta(minutes=5)},
                    moderation=Moderation(
                        status=ModerationState.REMOVED,
                        reason="Removed by a moderator: asking for money under false pretences.",
                        reviewed_at=t.scam_resolved,
                    ),
                ),
            ),
            (
                ids.MSG_SAM_URGING,
                _message(
                    cid,
                    people,
                    Actor.SAM,
                    t.sam_urging_sent,
                    text=URGING_TEXT,
                    moderation=Moderation(
                        status=ModerationState.HIDDEN,
                        reason="Held for a moderator: it asks for a money transfer.",
                        reviewed_at=t.sam_urging_sent + dt.timedelta(seconds=2),
                        screened_at=t.sam_urging_sent + dt.timedelta(seconds=2),
                    ),
                ),
            ),
        ),
    )
    conversation = Conversation(
        conversation_type=ConversationType.DM,
        created_by=Actor.SAM,
        participant_ids=list(people),
        participant_state={
            Actor.SAM: ParticipantState(joined_at=t.sam_scam_sent),
            Actor.ALICE: ParticipantState(
                joined_at=t.sam_scam_sent, last_read_at=t.sam_scam_sent, archived=True
            ),
        },
        last_message=thread.last_message(),
        message_count=len(thread.messages),
        moderation=_screened(t.sam_scam_sent),
        created_at=t.sam_scam_sent,
        updated_at=t.scam_reported,
    )
    return thread.documents(conversation)


def conversation_documents(t: Timeline) -> list[DemoDocument]:
    """Each conversation, then its messages."""
    return [*_groceries(t), *_carol_dan(t), *_sam_alice(t)]
