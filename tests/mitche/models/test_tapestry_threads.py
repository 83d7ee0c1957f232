"""The Hope Tapestry: story submission, editorial states, colours and the private nomination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from mitche.models.tapestry_threads import (
    CreditDisplay,
    TapestryColor,
    TapestryThread,
    ThreadNomination,
    ThreadStatus,
)

SUBMITTED = datetime(2026, 11, 2, 19, 30, tzinfo=UTC)
REVIEWED = datetime(2026, 11, 4, 10, 5, tzinfo=UTC)


def make_thread(**changes: Any) -> dict[str, Any]:
    """A story as the nominator submits it."""
    return {
        "nominatorId": "aminaUid01",
        "subject": "self",
        "title": "I drove a stranger to chemo",
        "story": "Three mornings a week for a month; now we have coffee on Sundays.",
        "category": "silentHero",
        "createdAt": SUBMITTED,
        "updatedAt": SUBMITTED,
        **changes,
    }


def test_a_submitted_story_is_pending_anonymous_and_unplaced() -> None:
    """What a nominator writes is enough: pending, anonymous, gold plain thread, no place yet."""
    thread = TapestryThread.model_validate(make_thread())
    assert thread.status is ThreadStatus.PENDING
    assert thread.nominator_credit is CreditDisplay.ANONYMOUS
    assert thread.appearance.color is TapestryColor.GOLD
    assert thread.placement is None
    assert thread.hearts == 0


@pytest.mark.parametrize(
    ("color", "accepted"),
    [
        ("ocean", True),
        ("#1a2B3c", True),
        ("#FFFFFF", True),
        ("Ocean", False),
        ("#FFF", False),
        ("#GGGGGG", False),
        ("1a2b3c", False),
        ("#1a2b3c00", False),
    ],
)
def test_thread_colour_is_a_palette_name_or_a_hex_code(color: str, accepted: bool) -> None:
    """A colour is one of the palette's names or exactly `#RRGGBB`."""
    document = make_thread(appearance={"color": color})
    if accepted:
        assert TapestryThread.model_validate(document).appearance.color == color
    else:
        with pytest.raises(ValidationError, match="color"):
            TapestryThread.model_validate(document)


_REVIEW = {"reviewerId": "modSamir03", "reviewedAt": REVIEWED}
_PLACEMENT = {"threadIndex": 12, "panel": "2026-11", "wovenAt": REVIEWED}


@pytest.mark.parametrize(
    ("status", "review", "placement", "accepted"),
    [
        ("pending", None, None, True),
        ("approved", _REVIEW, _PLACEMENT, True),
        ("rejected", {**_REVIEW, "reason": "identifiesSomeone"}, None, True),
        ("pending", _REVIEW, None, False),
        ("approved", _REVIEW, None, False),
        ("approved", None, _PLACEMENT, False),
        ("rejected", _REVIEW, None, False),
        ("rejected", {**_REVIEW, "reason": "duplicate"}, _PLACEMENT, False),
    ],
)
def test_editorial_state_matches_review_and_placement(
    status: str, review: dict[str, Any] | None, placement: dict[str, Any] | None, accepted: bool
) -> None:
    """Pending stories have no review; approved ones a review without a reason and a place in
    the weave; rejected ones a reason and no place."""
    document = make_thread(status=status, review=review, placement=placement)
    if accepted:
        TapestryThread.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            TapestryThread.model_validate(document)


def test_credited_aliases_follow_the_credit_choices() -> None:
    """The nominator's alias appears only when they chose alias credit."""
    document = make_thread(nominatorCredit="alias", credits={"nominatorAlias": "Quiet Heron 42"})
    assert TapestryThread.model_validate(document).credits.nominator_alias == "Quiet Heron 42"


def make_nomination(**changes: Any) -> dict[str, Any]:
    return {
        "nominatorId": "aminaUid01",
        "subjectId": "otterUid07",
        "createdAt": SUBMITTED,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({}, True),
        ({"subjectConsent": "decline", "consentAt": REVIEWED}, True),
        ({"subjectConsent": "credit"}, False),
        ({"consentAt": REVIEWED}, False),
        ({"subjectId": None, "subjectConsent": "anonymous", "consentAt": REVIEWED}, False),
        ({"subjectId": "aminaUid01"}, False),
        ({"subjectId": None, "relatedPath": "communityEvents/ev_12"}, True),
        ({"relatedPath": "communityEvents"}, False),
    ],
)
def test_nomination_consent_is_answered_by_a_subject_member(
    changes: dict[str, Any], accepted: bool
) -> None:
    """Only a named subject, other than the nominator, answers; an answer carries its time."""
    document = make_nomination(**changes)
    if accepted:
        ThreadNomination.model_validate(document)
    else:
        with pytest.raises(ValidationError):
            ThreadNomination.model_validate(document)
