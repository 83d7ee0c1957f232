"""`messages/{messageId}` and `conversations/{conversationId}` written: screening, the chat
upkeep (inbox summary, counters, unread badges), the sender's counter and daily analytics
(counts only, never content)."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    award_message,
    count_change,
    count_message,
    message_notices,
    moderation_notices,
    recount_unread,
    screen_content,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["CONVERSATION", "MESSAGE", "on_conversation_written", "on_message_written"]

MESSAGE = "messages/{messageId}"
CONVERSATION = "conversations/{conversationId}"


def _message_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_MESSAGES, change)


def _conversation_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_CONVERSATIONS, change)


def on_message_written(event: WrittenEvent) -> None:
    """A message was sent, edited or deleted."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.CHAT_MESSAGE: count_message,
            HandlerName.GAMIFICATION_MESSAGES: award_message,
            HandlerName.ANALYTICS_MESSAGES: _message_analytics,
            HandlerName.NOTIFY_MESSAGES: message_notices,
            HandlerName.NOTIFY_MODERATION: moderation_notices,
        },
    )


def on_conversation_written(event: WrittenEvent) -> None:
    """A conversation was started or changed."""
    run_handlers(
        event,
        {
            HandlerName.CHAT_RECEIPTS: recount_unread,
            HandlerName.ANALYTICS_CONVERSATIONS: _conversation_analytics,
        },
    )
