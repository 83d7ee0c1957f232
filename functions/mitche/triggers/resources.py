"""`resources/{resourceId}` and its `reviews/{userId}` written: the submitter's award when a
resource is published, the reviewer's when they review one."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import award_resource, award_review, screen_content
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "REVIEW", "on_resource_written", "on_review_written"]

DOCUMENT = "resources/{resourceId}"
REVIEW = "resources/{resourceId}/reviews/{userId}"


def on_resource_written(event: WrittenEvent) -> None:
    """A resource was submitted, published, verified or closed."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_RESOURCES: award_resource,
        },
    )


def on_review_written(event: WrittenEvent) -> None:
    """A member reviewed a resource."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_REVIEWS: award_review,
        },
    )
