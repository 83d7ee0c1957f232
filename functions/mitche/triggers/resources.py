"""`resources/{resourceId}`, its `reviews/{userId}`, their helpful votes and its usage shards
written: the submitter's award when a resource is published, the reviewer's when they review
one, the rating, the helpful count and the usage sums."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    award_resource,
    award_review,
    count_helpful,
    rate_resource,
    screen_content,
    sum_usage,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = [
    "DOCUMENT",
    "HELPFUL",
    "REVIEW",
    "USAGE_SHARD",
    "on_helpful_written",
    "on_resource_written",
    "on_review_written",
    "on_usage_written",
]

DOCUMENT = "resources/{resourceId}"
REVIEW = "resources/{resourceId}/reviews/{userId}"
HELPFUL = "resources/{resourceId}/reviews/{userId}/helpful/{voterId}"
USAGE_SHARD = "resources/{resourceId}/usageShards/{shardId}"


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
    """A member reviewed a resource, edited or deleted their review."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_SCREEN: screen_content,
            HandlerName.GAMIFICATION_REVIEWS: award_review,
            HandlerName.RESOURCES_RATING: rate_resource,
        },
    )


def on_helpful_written(event: WrittenEvent) -> None:
    """A member found a review helpful, or took it back."""
    run_handlers(event, {HandlerName.RESOURCES_HELPFUL: count_helpful})


def on_usage_written(event: WrittenEvent) -> None:
    """A member counted a use of a resource on one of its shards (a view, a referral...)."""
    run_handlers(event, {HandlerName.RESOURCES_USAGE: sum_usage})
