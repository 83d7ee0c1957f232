"""The resource hub's rules as plain Python: a resource's rating from its reviews.

The rating is recomputed from the reviews as stored, not moved by increments: a review written,
edited, deleted and written again, a redelivered trigger or two reviews landing at once all
converge on the same figure. Reviews moderation took away (hidden, removed) do not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from mitche.models import RatingSummary

__all__ = ["SHOWN_STATES", "rating_of"]

SHOWN_STATES: Final = frozenset({"pending", "approved", "flagged"})
"""Moderation states in which a review counts (the rules' `isShown`)."""


def _counts(review: Mapping[str, Any]) -> bool:
    moderation = review.get("moderation")
    state = moderation.get("status", "pending") if isinstance(moderation, dict) else "pending"
    return state in SHOWN_STATES


def rating_of(reviews: Iterable[Mapping[str, Any]]) -> RatingSummary:
    """The average stars of the reviews that count, rounded to two decimals."""
    stars = [
        review["rating"]
        for review in reviews
        if _counts(review)
        and isinstance(review.get("rating"), int)
        and not isinstance(review.get("rating"), bool)
        and 1 <= review["rating"] <= 5
    ]
    if not stars:
        return RatingSummary()
    return RatingSummary(count=len(stars), average=round(sum(stars) / len(stars), 2))
