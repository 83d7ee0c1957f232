"""The Hope Tapestry's rules: consent before publication, credits as each person chose, the
thread's place, and impact counted from the facts the story cites."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitche.domain.tapestry import consent_problem, impact_of, placement_at, thread_credits
from mitche.models import (
    CreditDisplay,
    SubjectConsent,
    ThreadImpact,
    ThreadNomination,
    ThreadSubject,
)

AT = dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)


def make_nomination(
    consent: SubjectConsent = SubjectConsent.UNANSWERED, **changes: Any
) -> ThreadNomination:
    """A nomination naming bob as the subject of alice's story."""
    fields: dict[str, Any] = {
        "nominator_id": "aliceUid01",
        "subject_id": "bobUid02",
        "created_at": AT,
        "subject_consent": consent,
        "consent_at": None if consent is SubjectConsent.UNANSWERED else AT,
        **changes,
    }
    return ThreadNomination(**fields)


@pytest.mark.parametrize(
    ("subject", "nomination", "publishable"),
    [
        (ThreadSubject.SELF, None, True),
        (ThreadSubject.SOMEONE_ELSE, None, True),
        (ThreadSubject.MEMBER, None, False),
        (ThreadSubject.MEMBER, make_nomination(subject_id=None), False),
        (ThreadSubject.MEMBER, make_nomination(), False),
        (ThreadSubject.MEMBER, make_nomination(SubjectConsent.DECLINE), False),
        (ThreadSubject.MEMBER, make_nomination(SubjectConsent.CREDIT), True),
        (ThreadSubject.MEMBER, make_nomination(SubjectConsent.ANONYMOUS), True),
    ],
)
def test_a_story_about_a_member_is_published_only_with_their_consent(
    subject: ThreadSubject, nomination: ThreadNomination | None, publishable: bool
) -> None:
    """Only a member's `credit` or `anonymous` answer lets a story about them be woven."""
    assert (consent_problem(subject, nomination) is None) is publishable


def test_a_declined_story_says_it_can_only_be_rejected() -> None:
    """The refusal names the way out: a rejection with reason subjectDeclined."""
    problem = consent_problem(ThreadSubject.MEMBER, make_nomination(SubjectConsent.DECLINE))
    assert problem is not None
    assert "subjectDeclined" in problem


@pytest.mark.parametrize(
    ("nominator_credit", "consent", "expected"),
    [
        (CreditDisplay.ALIAS, SubjectConsent.CREDIT, ("Calm Owl", "Brave Fox")),
        (CreditDisplay.ALIAS, SubjectConsent.ANONYMOUS, ("Calm Owl", None)),
        (CreditDisplay.ANONYMOUS, SubjectConsent.CREDIT, (None, "Brave Fox")),
        (CreditDisplay.ANONYMOUS, SubjectConsent.ANONYMOUS, (None, None)),
    ],
)
def test_credits_name_only_who_chose_to_be_named(
    nominator_credit: CreditDisplay, consent: SubjectConsent, expected: tuple[str | None, ...]
) -> None:
    """Each alias appears exactly when its owner chose to be credited."""
    credits = thread_credits(nominator_credit, "Calm Owl", make_nomination(consent), "Brave Fox")
    assert (credits.nominator_alias, credits.subject_alias) == expected


def test_the_panel_is_the_month_of_the_approval_in_utc() -> None:
    """A thread approved on 1 January 00:30 in Paris belongs to December's panel (UTC)."""
    paris = dt.timezone(dt.timedelta(hours=1))
    placement = placement_at(41, dt.datetime(2027, 1, 1, 0, 30, tzinfo=paris))
    assert (placement.thread_index, placement.panel) == (41, "2026-12")


@pytest.mark.parametrize(
    ("path", "document", "expected"),
    [
        (None, None, ThreadImpact()),
        ("requests/r1", None, ThreadImpact()),
        (
            "requests/r1",
            {"acceptedHelperIds": ["bob", "carol"], "completion": {"fulfilledBy": ["bob"]}},
            ThreadImpact(helpers=2, people_helped=1, related_acts=2),
        ),
        ("requests/r1", {"acceptedHelperIds": []}, ThreadImpact()),
        (
            "offerings/o1",
            {"status": "completed", "requesterId": "alice"},
            ThreadImpact(helpers=1, people_helped=1, related_acts=1),
        ),
        ("offerings/o1", {"status": "offered", "requesterId": "alice"}, ThreadImpact()),
        (
            "communityEvents/e1",
            {"organizerId": "org", "coOrganizerIds": ["co"], "registrations": {"attended": 12}},
            ThreadImpact(helpers=2, people_helped=12, related_acts=12),
        ),
        ("communityEvents/e1", {"organizerId": "org", "registrations": {}}, ThreadImpact()),
        ("resources/x1", {"rating": {"count": 3}}, ThreadImpact()),
    ],
)
def test_impact_is_counted_from_the_cited_document(
    path: str | None, document: dict[str, Any] | None, expected: ThreadImpact
) -> None:
    """Helpers, people helped and related acts come from confirmed facts, nothing else."""
    assert impact_of(path, document) == expected


_FIELDS = st.sampled_from(
    [
        "acceptedHelperIds",
        "completion",
        "status",
        "requesterId",
        "organizerId",
        "coOrganizerIds",
        "registrations",
        "other",
    ]
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(_FIELDS | st.just("attended") | st.just("fulfilledBy"), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(st.dictionaries(_FIELDS, _VALUES, max_size=6))
def test_impact_never_fails_on_a_malformed_document(document: dict[str, Any]) -> None:
    """Whatever the cited document holds, the figures are consistent (and never an exception)."""
    request = impact_of("requests/r", document)
    assert request.related_acts == request.helpers
    assert request.people_helped == min(request.helpers, 1)
    offering = impact_of("offerings/o", document)
    assert offering.helpers == offering.people_helped == offering.related_acts <= 1
    event = impact_of("communityEvents/e", document)
    assert event.people_helped == event.related_acts
