"""`tapestryThreads/{threadId}` written: the nominator's award when a story is approved."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import award_thread, screen_content
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "on_thread_written"]

DOCUMENT = "tapestryThreads/{threadId}"


def on_thread_written(event: WrittenEvent) -> None:
    """A story was submitted, approved or rejected."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_TAPESTRY: award_thread,
        },
    )
