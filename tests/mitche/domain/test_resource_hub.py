"""A resource's rating, recomputed from its reviews as stored."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mitche.domain.resource_hub import rating_of
from mitche.models import RatingSummary


def make_review(stars: object, state: str | None = "approved") -> dict[str, Any]:
    """A stored review with `stars` and, unless None, a moderation state."""
    review: dict[str, Any] = {"rating": stars}
    if state is not None:
        review["moderation"] = {"status": state}
    return review


def test_no_review_is_no_rating() -> None:
    """A resource nobody reviewed reads 0 reviews, average 0."""
    assert rating_of([]) == RatingSummary()


def test_reviews_moderation_took_away_do_not_count() -> None:
    """Hidden and removed reviews are left out; pending (not screened yet) ones count."""
    reviews = [
        make_review(5),
        make_review(2, None),
        make_review(1, "hidden"),
        make_review(1, "removed"),
        make_review(4, "flagged"),
    ]
    assert rating_of(reviews) == RatingSummary(count=3, average=3.67)


def test_stars_that_are_not_one_to_five_are_ignored() -> None:
    """A malformed review (a string, a boolean, 7 stars) never moves the rating."""
    assert rating_of([make_review("5"), make_review(True), make_review(7), make_review(3)]) == (
        RatingSummary(count=1, average=3.0)
    )


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=60))
def test_the_rating_is_the_mean_whatever_the_order(stars: list[int]) -> None:
    """Count and average match the stars, in any order (redeliveries converge)."""
    forward = rating_of(make_review(s) for s in stars)
    backward = rating_of(make_review(s) for s in reversed(stars))
    assert forward == backward
    assert forward.count == len(stars)
    if stars:
        assert abs(forward.average - sum(stars) / len(stars)) <= 0.005
