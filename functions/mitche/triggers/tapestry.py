"""`tapestryThreads/{threadId}`, its hearts and its nomination written: the nominator's
award when a story is approved, the hearts count, the subject told."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    award_thread,
    count_heart,
    screen_content,
    tell_subject,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "DOCUMENT",
    "HEART",
    "NOMINATION",
    "on_heart_written",
    "on_nomination_written",
    "on_thread_written",
]

DOCUMENT = "tapestryThreads/{threadId}"
HEART = "tapestryThreads/{threadId}/hearts/{userId}"
NOMINATION = "tapestryThreads/{threadId}/private/nomination"


def on_thread_written(event: WrittenEvent) -> None:
    """A story was submitted, approved or rejected."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_TAPESTRY: award_thread,
        },
    )


def on_heart_written(event: WrittenEvent) -> None:
    """A member gave a story a heart, or took it back."""
    run_handlers(event, {HandlerName.TAPESTRY_HEARTS: count_heart})


def on_nomination_written(event: WrittenEvent) -> None:
    """A story named a member: they are told."""
    run_handlers(event, {HandlerName.TAPESTRY_NOMINATION: tell_subject})
