"""Which acts a document change records, per source: the table of `_activities`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from mitche.handlers import (
    event_activities,
    message_activities,
    needs_request,
    offering_activities,
    registration_activities,
    report_activities,
    request_activities,
    resource_activities,
    review_activities,
    thread_activities,
)
from mitche.handlers._member import MemberActivity
from mitche.models import (
    EventStatus,
    HopeAction,
    ReportOutcome,
    ReportStatus,
    ResolutionAction,
    UserStat,
)
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    approved,
    checked_in,
    fulfilled,
    make_event,
    make_message,
    make_offering,
    make_registration,
    make_report,
    make_request,
    make_resource,
    make_review,
    make_thread,
    published,
)

Summary = list[tuple[str, tuple[str, ...], dict[str, int]]]


def summary(activities: list[MemberActivity]) -> Summary:
    return [
        (a.user_id, tuple(x.value for x in a.actions), {k.value: v for k, v in a.stats.items()})
        for a in activities
    ]


def _offering(before: Any, after: Any, request: Any = None) -> Summary:
    return summary(offering_activities("offerings/off1", before, after, request=request, at=T0))


_, OFFER = make_offering()
_, URGENT = make_request(urgency="critical", deadline=T0 + dt.timedelta(hours=1))
_, LATE = make_request(
    urgency="high", deadline=T0 - dt.timedelta(minutes=1), createdAt=T0 - dt.timedelta(hours=5)
)
_, REQUEST = make_request()
_, EVENT = make_event(co_organizer_ids=["jonas"])
_, REGISTRATION = make_registration()
_, THREAD = make_thread()
_, RESOURCE = make_resource()
_, REPORT = make_report()


def _resolved(action: ResolutionAction) -> Any:
    status = ReportStatus.DISMISSED if action is ResolutionAction.DISMISS else ReportStatus.RESOLVED
    outcome = ReportOutcome(upheld=action.upholds, decided_at=T0)
    return REPORT.model_copy(update={"status": status, "outcome": outcome, "severity": "low"})


CASES: list[tuple[str, Callable[[], Summary], Summary]] = [
    (
        "offering created",
        lambda: _offering(None, OFFER),
        [("amina", ("offeringMade",), {"offeringsMade": 1})],
    ),
    (
        "offering accepted on an urgent request in time",
        lambda: _offering(OFFER, accepted(OFFER), URGENT),
        [
            (
                "amina",
                ("offeringAccepted", "urgentResponse"),
                {"offeringsAccepted": 1, "urgentResponses": 1},
            )
        ],
    ),
    (
        "offering accepted after the deadline",
        lambda: _offering(OFFER, accepted(OFFER), LATE),
        [("amina", ("offeringAccepted",), {"offeringsAccepted": 1})],
    ),
    (
        "offering edited",
        lambda: _offering(OFFER, OFFER.model_copy(update={"title": "Other title"})),
        [],
    ),
    ("offering deleted", lambda: _offering(OFFER, None), []),
    (
        "request created",
        lambda: summary(request_activities("requests/req1", None, REQUEST)),
        [("samira", (), {"requestsCreated": 1})],
    ),
    (
        "request fulfilled",
        lambda: summary(
            request_activities("requests/req1", REQUEST, fulfilled(REQUEST, ["amina"]))
        ),
        [("amina", ("requestFulfilled",), {"requestsFulfilled": 1})],
    ),
    (
        "event completed",
        lambda: summary(
            event_activities(
                "communityEvents/ev1",
                EVENT,
                EVENT.model_copy(update={"status": EventStatus.COMPLETED}),
            )
        ),
        [
            ("lina", ("eventOrganized",), {"eventsOrganized": 1}),
            ("jonas", ("eventCoOrganized",), {"eventsOrganized": 1}),
        ],
    ),
    (
        "event cancelled",
        lambda: summary(
            event_activities(
                "communityEvents/ev1",
                EVENT,
                EVENT.model_copy(update={"status": EventStatus.CANCELLED}),
            )
        ),
        [],
    ),
    (
        "attendee checked in",
        lambda: summary(
            registration_activities("communityEvents/ev1", REGISTRATION, checked_in(REGISTRATION))
        ),
        [("amina", ("eventAttended",), {"eventsAttended": 1})],
    ),
    (
        "story approved",
        lambda: summary(thread_activities("tapestryThreads/th1", THREAD, approved(THREAD))),
        [("amina", ("storyApproved",), {"storiesApproved": 1})],
    ),
    (
        "story approved again (already approved)",
        lambda: summary(
            thread_activities("tapestryThreads/th1", approved(THREAD), approved(THREAD))
        ),
        [],
    ),
    (
        "report upheld with a warning",
        lambda: summary(report_activities("reports/x", REPORT, _resolved(ResolutionAction.WARN))),
        [("samira", ("reportUpheld",), {"reportsUpheld": 1})],
    ),
    (
        "report dismissed",
        lambda: summary(
            report_activities("reports/x", REPORT, _resolved(ResolutionAction.DISMISS))
        ),
        [],
    ),
    (
        "report resolved by restoring the content",
        lambda: summary(
            report_activities("reports/x", REPORT, _resolved(ResolutionAction.RESTORE))
        ),
        [],
    ),
    (
        "resource published and verified",
        lambda: summary(resource_activities("resources/res1", RESOURCE, published(RESOURCE))),
        [("amina", ("resourcePublished",), {"resourcesPublished": 1})],
    ),
    (
        "resource published again after a closure",
        lambda: summary(
            resource_activities("resources/res1", published(RESOURCE), published(RESOURCE))
        ),
        [],
    ),
    (
        "review created",
        lambda: summary(review_activities("resources/res1", None, make_review()[1])),
        [("samira", ("resourceReviewed",), {"reviewsWritten": 1})],
    ),
    (
        "message sent",
        lambda: summary(message_activities("messages/m1", None, make_message()[1])),
        [("amina", (), {"messagesSent": 1})],
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_change_records_its_acts(change: Callable[[], Summary], expected: Summary) -> None:
    """A change records exactly the acts and counters the table documents."""
    assert change() == expected


def test_positive_feedback_rates_the_helper() -> None:
    """A requester's five-star feedback on a completed offering pays positiveFeedback and
    carries the stars for the helper's rating."""
    done = OFFER.model_validate(
        {
            **accepted(OFFER).model_dump(by_alias=True, exclude_none=True),
            "status": "completed",
            "completedAt": T0,
            "requesterFeedback": {"rating": 5, "authorId": "samira", "createdAt": T0},
        }
    )
    completed, rated = offering_activities(
        "offerings/off1", accepted(OFFER), done, request=None, at=T0
    )
    assert completed.stats[UserStat.OFFERINGS_COMPLETED] == 1
    assert rated.actions == (HopeAction.POSITIVE_FEEDBACK,)
    assert rated.rating == 5


def test_every_act_on_one_request_is_one_fact_per_helper() -> None:
    """Acceptance, completion and feedback of an answer are facts about the request it
    answers, so a second offering by the same helper on the same request is the same fact
    (paid once); an offering made is a fact about the offering itself, performed alone."""
    first = offering_activities("offerings/off1", OFFER, accepted(OFFER), request=None, at=T0)
    second = offering_activities("offerings/off2", OFFER, accepted(OFFER), request=None, at=T0)
    assert [a.fact_key for a in first] == [a.fact_key for a in second]
    assert first[0].fact_key == (OFFER.request_path, "offeringAccepted")
    [made] = offering_activities("offerings/off1", None, OFFER, request=None, at=T0)
    assert made.fact_key == ("offerings/off1", "offeringMade")
    assert made.self_triggered


@pytest.mark.parametrize(
    ("before", "after", "needed"),
    [
        (None, OFFER, False),
        (OFFER, accepted(OFFER), True),
        (accepted(OFFER), accepted(OFFER), False),
    ],
)
def test_the_request_is_read_only_when_an_answer_is_accepted(
    before: Any, after: Any, needed: bool
) -> None:
    """Pricing needs the request (urgency, deadline) only when an answer enters accepted."""
    assert needs_request(before, after) is needed


def _rated(offering: Any, stars: int = 5) -> Any:
    """The offering completed and rated by its requester (accepted first, as the rules make it)."""
    data = accepted(offering).model_dump(by_alias=True, exclude_none=True)
    requester = data["requesterId"]
    data.update(
        status="completed",
        completedAt=T0,
        requesterFeedback={"rating": stars, "authorId": requester, "createdAt": T0},
    )
    return type(offering).model_validate(data)


def _claimed(category: str) -> Any:
    """A standing offering of `category`, claimed by samira."""
    _, standing = make_offering(requestPath=None, requesterId=None, category=category)
    data = standing.model_dump(by_alias=True, exclude_none=True)
    data.update(requesterId="samira", status="accepted", respondedAt=T0)
    return type(standing).model_validate(data)


def test_the_request_is_read_when_an_answer_is_rated_and_never_again() -> None:
    """Feedback given on an answer needs its request (the category rated); a later change of
    the rated offering, or feedback on a standing offering, reads nothing."""
    rated = _rated(OFFER)
    assert needs_request(accepted(OFFER), rated)
    assert not needs_request(rated, rated)
    assert not needs_request(_claimed("transport"), _rated(_claimed("transport")))


@pytest.mark.parametrize(
    ("offered", "asked", "expected"),
    [
        # The answer says "household"; samira asked for transport: transport is rated.
        ("household", "transport", "transport"),
        ("food", "food", "food"),
        ("legal", "housing", "housing"),
    ],
)
def test_feedback_on_an_answer_rates_the_requests_category(
    offered: str, asked: str, expected: str
) -> None:
    """The requester rates the help given for their request: the rating's category is the
    request's (the requester's fact), never the category the helper gave their answer."""
    _, request = make_request(category=asked)
    _, offering = make_offering(category=offered)
    activities = offering_activities(
        "offerings/off1", accepted(offering), _rated(offering), request=request, at=T0
    )
    [rated] = [a for a in activities if a.rating is not None]
    assert (rated.rating, rated.rating_category) == (5, expected)


def test_feedback_on_an_answer_whose_request_is_gone_rates_overall_only() -> None:
    """When the request cannot be read, the rating moves the overall summary alone (never the
    category the helper chose)."""
    activities = offering_activities(
        "offerings/off1", accepted(OFFER), _rated(OFFER), request=None, at=T0
    )
    [rated] = [a for a in activities if a.rating is not None]
    assert rated.rating_category is None


def test_feedback_on_a_claimed_standing_offer_rates_its_category() -> None:
    """A standing offering's category is what its requester accepted (the rules freeze it
    from then on), so their rating counts in it."""
    claimed = _claimed("companionship")
    activities = offering_activities(
        "offerings/standing", claimed, _rated(claimed, 4), request=None, at=T0
    )
    [rated] = [a for a in activities if a.rating is not None]
    assert (rated.rating, rated.rating_category) == (4, "companionship")
    assert rated.fact_key == ("offerings/standing", "feedbackReceived")
