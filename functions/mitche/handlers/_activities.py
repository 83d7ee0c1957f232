"""Which acts of help a document change records, and for whom: the award table's actions and
the activity counters, per source collection.

Each function takes a document before and after one change (None: created or deleted) and
returns the members' activities; a change that records nothing returns an empty list (and the
trigger then reads nothing at all). A transition is recognised when the document *enters* a
state (`before` was not in it), so a redelivered or a later unrelated update of the same
document never records the act again.

source: change → member: actions [counters]
* offering: created → helper: offeringMade [offeringsMade];
* offering: enters accepted → helper: offeringAccepted, plus urgentResponse when the request
  is high or critical and the answer came before its deadline [offeringsAccepted,
  urgentResponses];
* offering: enters completed → helper: mentorshipSession for a help offering tagged
  `mentorship` [offeringsCompleted, financialOfferings for money];
* offering: requester feedback given → helper: positiveFeedback at 4 stars or more
  [positiveFeedback, rating, and the rating of the kind of help: the answered request's
  category (the requester's fact, read from the request: the helper chooses their answer's
  category), or a claimed standing offering's own category (what the requester accepted; the
  rules freeze it once accepted)];
* request: created → requester: nothing [requestsCreated];
* request: enters fulfilled → each helper in fulfilledBy (accepted helpers only: a function
  writes them from accepted offerings): requestFulfilled [requestsFulfilled]; feedback is paid
  on the offering alone, the one place an exchange is rated;
* event: enters completed while approved → organiser: eventOrganized, co-organisers:
  eventCoOrganized [eventsOrganized];
* registration: attendance enters attended → the member: eventAttended [eventsAttended];
* tapestry thread: enters approved → nominator: storyApproved [storiesApproved];
* report: enters resolved with hide, warn, suspend or ban → reporter: reportUpheld
  [reportsUpheld];
* resource: first active and provider-verified → submitter: resourcePublished
  [resourcesPublished];
* resource review: created → author: resourceReviewed [reviewsWritten];
* message: created → sender: nothing [messagesSent].

Each activity names its fact (by default its first action): the reward is paid once per
(document the fact is about, fact, member) however often the documents change (see
`_awards`). Offerings made, reviews written and resources published are acts a member
performs alone (`self_triggered`): counted a few times a day at most and paid only out of
what acts confirmed by others earned (see `_member`).

Not recorded automatically yet: `anonymousHelp`, `supportGiven` and `referralMade` (they need
signals the data model does not carry; admins can still credit them with an adjustment).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from mitche.domain.privileges import MENTORSHIP_TAG
from mitche.handlers._member import MemberActivity
from mitche.models import (
    AttendanceState,
    CommunityEvent,
    EventStatus,
    Feedback,
    HelpCategory,
    HelpRequest,
    HopeAction,
    Message,
    Offering,
    OfferingStatus,
    OfferingType,
    Registration,
    Report,
    ReportStatus,
    RequestStatus,
    Resource,
    ResourceReview,
    ResourceStatus,
    TapestryThread,
    ThreadStatus,
    UrgencyLevel,
    UserStat,
    VerificationState,
)
from mitche.models.common import ApprovalState

__all__ = [
    "MENTORSHIP_TAG",
    "POSITIVE_STARS",
    "event_activities",
    "message_activities",
    "needs_request",
    "offering_activities",
    "rated_category",
    "registration_activities",
    "report_activities",
    "request_activities",
    "resource_activities",
    "review_activities",
    "thread_activities",
]

POSITIVE_STARS: Final = 4
"""Feedback of this many stars or more is positive (UserStats.positiveFeedback)."""
_URGENT: Final = frozenset({UrgencyLevel.HIGH, UrgencyLevel.CRITICAL})


def _entered(before: object | None, after: object, attribute: str, value: object) -> bool:
    now = getattr(after, attribute)
    return bool(now == value and (before is None or getattr(before, attribute) != now))


def _feedback_activity(feedback: Feedback) -> tuple[tuple[HopeAction, ...], dict[UserStat, int]]:
    if feedback.rating >= POSITIVE_STARS:
        return (HopeAction.POSITIVE_FEEDBACK,), {UserStat.POSITIVE_FEEDBACK: 1}
    return (), {}


def _feedback_given(before: Offering | None, after: Offering) -> bool:
    return after.requester_feedback is not None and (
        before is None or before.requester_feedback is None
    )


def needs_request(before: Offering | None, after: Offering | None) -> bool:
    """Whether this offering change needs its request: the urgency and deadline of an answer
    accepted, the category of an answer rated (one read, on those two changes only)."""
    return (
        after is not None
        and after.request_path is not None
        and (
            _entered(before, after, "status", OfferingStatus.ACCEPTED)
            or _feedback_given(before, after)
        )
    )


def rated_category(offering: Offering, request: HelpRequest | None) -> HelpCategory | None:
    """The kind of help a requester's feedback rates: their request's category for an answer
    (None when the request cannot be read), the standing offering's for a claimed one."""
    if offering.request_path is None:
        return offering.category
    return request.category if request is not None else None


def _urgent(offering: Offering, request: HelpRequest | None, at: dt.datetime) -> bool:
    if request is None or request.urgency not in _URGENT:
        return False
    answered = offering.responded_at or at
    return request.deadline is None or answered < request.deadline


def offering_activities(
    path: str,
    before: Offering | None,
    after: Offering | None,
    *,
    request: HelpRequest | None,
    at: dt.datetime,
) -> list[MemberActivity]:
    """The helper's activity from an offering change (`request`: the answered request, read
    only when `needs_request`)."""
    if after is None:
        return []
    helper = after.helper_id
    # The exchange between a helper and a requester is one fact per request, however many
    # offerings the helper makes on it; a standing offering is its own exchange.
    exchange = after.request_path or path
    found: list[MemberActivity] = []
    if before is None:
        found.append(
            MemberActivity(
                helper,
                path,
                (HopeAction.OFFERING_MADE,),
                {UserStat.OFFERINGS_MADE: 1},
                fact="offeringMade",
                self_triggered=True,
            )
        )
    if _entered(before, after, "status", OfferingStatus.ACCEPTED):
        actions = [HopeAction.OFFERING_ACCEPTED]
        stats = {UserStat.OFFERINGS_ACCEPTED: 1}
        if _urgent(after, request, at):
            actions.append(HopeAction.URGENT_RESPONSE)
            stats[UserStat.URGENT_RESPONSES] = 1
        found.append(
            MemberActivity(
                helper, path, tuple(actions), stats, fact="offeringAccepted", subject=exchange
            )
        )
    if _entered(before, after, "status", OfferingStatus.COMPLETED):
        completed: list[HopeAction] = []
        counters = {UserStat.OFFERINGS_COMPLETED: 1}
        if after.offering_type is OfferingType.FINANCIAL:
            counters[UserStat.FINANCIAL_OFFERINGS] = 1
        if after.offering_type is OfferingType.HELP and MENTORSHIP_TAG in after.tags:
            completed.append(HopeAction.MENTORSHIP_SESSION)
        found.append(
            MemberActivity(
                helper,
                path,
                tuple(completed),
                counters,
                fact="offeringCompleted",
                subject=exchange,
            )
        )
    feedback = after.requester_feedback
    if feedback is not None and _feedback_given(before, after):
        extra_actions, extra_stats = _feedback_activity(feedback)
        found.append(
            MemberActivity(
                helper,
                path,
                extra_actions,
                extra_stats,
                feedback.rating,
                rated_category(after, request),
                fact="feedbackReceived",
                subject=exchange,
            )
        )
    return [activity for activity in found if not activity.empty]


def request_activities(
    path: str, before: HelpRequest | None, after: HelpRequest | None
) -> list[MemberActivity]:
    """The requester's and the helpers' activities from a request change."""
    if after is None:
        return []
    activities: list[MemberActivity] = []
    if before is None:
        activities.append(
            MemberActivity(after.requester_id, path, stats={UserStat.REQUESTS_CREATED: 1})
        )
    completion = after.completion
    if completion is not None and _entered(before, after, "status", RequestStatus.FULFILLED):
        accepted = set(after.accepted_helper_ids)
        for helper in dict.fromkeys(completion.fulfilled_by):
            if helper not in accepted:
                continue
            activities.append(
                MemberActivity(
                    helper,
                    path,
                    (HopeAction.REQUEST_FULFILLED,),
                    {UserStat.REQUESTS_FULFILLED: 1},
                )
            )
    return activities


def event_activities(
    path: str, before: CommunityEvent | None, after: CommunityEvent | None
) -> list[MemberActivity]:
    """The organisers' activities when an approved event is completed."""
    if after is None or after.approval.state is not ApprovalState.APPROVED:
        return []
    if not _entered(before, after, "status", EventStatus.COMPLETED):
        return []
    organised = {UserStat.EVENTS_ORGANIZED: 1}
    activities = [
        MemberActivity(after.organizer_id, path, (HopeAction.EVENT_ORGANIZED,), organised)
    ]
    activities.extend(
        MemberActivity(member, path, (HopeAction.EVENT_CO_ORGANIZED,), organised)
        for member in dict.fromkeys(after.co_organizer_ids)
    )
    return activities


def registration_activities(
    event_path: str, before: Registration | None, after: Registration | None
) -> list[MemberActivity]:
    """The attendee's activity when an organiser checks them in."""
    if after is None or not _entered(before, after, "attendance", AttendanceState.ATTENDED):
        return []
    return [
        MemberActivity(
            after.user_id,
            event_path,
            (HopeAction.EVENT_ATTENDED,),
            {UserStat.EVENTS_ATTENDED: 1},
        )
    ]


def thread_activities(
    path: str, before: TapestryThread | None, after: TapestryThread | None
) -> list[MemberActivity]:
    """The nominator's activity when their story is approved."""
    if after is None or not _entered(before, after, "status", ThreadStatus.APPROVED):
        return []
    return [
        MemberActivity(
            after.nominator_id,
            path,
            (HopeAction.STORY_APPROVED,),
            {UserStat.STORIES_APPROVED: 1},
        )
    ]


def report_activities(
    path: str, before: Report | None, after: Report | None
) -> list[MemberActivity]:
    """The reporter's activity when a moderator upholds their report."""
    if after is None or after.outcome is None or not after.outcome.upheld:
        return []
    if not _entered(before, after, "status", ReportStatus.RESOLVED):
        return []
    return [
        MemberActivity(
            after.reporter_id,
            path,
            (HopeAction.REPORT_UPHELD,),
            {UserStat.REPORTS_UPHELD: 1},
        )
    ]


def _published(resource: Resource | None) -> bool:
    return (
        resource is not None
        and resource.status is ResourceStatus.ACTIVE
        and resource.provider_verification.status is VerificationState.VERIFIED
    )


def resource_activities(
    path: str, before: Resource | None, after: Resource | None
) -> list[MemberActivity]:
    """The submitter's activity when their resource is first active and verified."""
    if after is None or not _published(after) or _published(before):
        return []
    return [
        MemberActivity(
            after.submitted_by,
            path,
            (HopeAction.RESOURCE_PUBLISHED,),
            {UserStat.RESOURCES_PUBLISHED: 1},
            self_triggered=True,
        )
    ]


def review_activities(
    resource_path: str, before: ResourceReview | None, after: ResourceReview | None
) -> list[MemberActivity]:
    """The author's activity when they review a resource."""
    if after is None or before is not None:
        return []
    return [
        MemberActivity(
            after.author_id,
            resource_path,
            (HopeAction.RESOURCE_REVIEWED,),
            {UserStat.REVIEWS_WRITTEN: 1},
            self_triggered=True,
        )
    ]


def message_activities(
    path: str, before: Message | None, after: Message | None
) -> list[MemberActivity]:
    """The sender's counter when a message is sent (no points: talking is not an award)."""
    if after is None or before is not None:
        return []
    return [MemberActivity(after.sender_id, path, stats={UserStat.MESSAGES_SENT: 1})]
