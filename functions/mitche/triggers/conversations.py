"""`messages/{messageId}` and `conversations/{conversationId}` written: the sender's counter and
daily analytics (counts only, never content)."""

from __future__ import annotations

from mitche.handlers import Deps, DocumentChange, award_message, count_change
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["CONVERSATION", "MESSAGE", "on_conversation_written", "on_message_written"]

MESSAGE = "messages/{messageId}"
CONVERSATION = "conversations/{conversationId}"


def _message_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, "analytics.messages", change)


def _conversation_analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, "analytics.conversations", change)


def on_message_written(event: WrittenEvent) -> None:
    """A message was sent, edited or deleted."""
    run_handlers(
        event,
        {"gamification.messages": award_message, "analytics.messages": _message_analytics},
    )


def on_conversation_written(event: WrittenEvent) -> None:
    """A conversation was started or changed."""
    run_handlers(event, {"analytics.conversations": _conversation_analytics})
