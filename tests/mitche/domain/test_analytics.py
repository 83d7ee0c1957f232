"""Document changes increment the daily counters, shards spread the writes, and merging the
shards gives the day's analytics document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.cloud.firestore_v1 import GeoPoint
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.analytics import (
    CounterDeltas,
    CounterKey,
    Tracked,
    UnsupportedChangeError,
    analytics_day,
    apply_deltas,
    choose_shard,
    counter_deltas,
    merge_shards,
)
from mitche.errors import InvalidArgumentError
from mitche.models.analytics import CounterShard
from mitche.models.common import Feedback, PublicArea, public_location
from mitche.models.community_events import (
    AttendanceState,
    CommunityEvent,
    EventCategory,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from mitche.models.conversations import Conversation, ConversationType, MessageType
from mitche.models.messages import Message
from mitche.models.offerings import Offering, OfferingStatus, OfferingType
from mitche.models.reports import (
    Report,
    ReportReason,
    ReportResolution,
    ReportSeverity,
    ReportStatus,
    ReportTargetType,
    ReportTriage,
    ResolutionAction,
)
from mitche.models.requests import (
    HelpCategory,
    HelpRequest,
    RequestCompletion,
    RequestStatus,
    UrgencyLevel,
)
from mitche.models.system_settings import AnalyticsSettings
from mitche.models.users import (
    AccountStatus,
    Gamification,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    Profile,
    Security,
    Streak,
    User,
)

AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LATER = AT + dt.timedelta(hours=5)
BELLEVILLE = public_location(GeoPoint(48.8699, 2.3785), "Belleville, Paris")
CELL = BELLEVILLE.geohash[:4]


def make_user(last_day: str | None = None, status: AccountStatus = AccountStatus.ACTIVE) -> User:
    days = 1 if last_day else 0
    return User(
        profile=Profile(
            display_name="Amina",
            anonymous_alias="Quiet Heron 42",
            home_area=PublicArea(geohash=BELLEVILLE.area.geohash, label="Belleville"),
        ),
        gamification=Gamification(
            streak=Streak(current_days=days, longest_days=days, last_active_day=last_day)
        ),
        security=Security(
            account_status=status,
            suspended_until=LATER if status is AccountStatus.SUSPENDED else None,
        ),
        created_at=AT,
        updated_at=AT,
    )


def make_request(status: RequestStatus = RequestStatus.OPEN) -> HelpRequest:
    helpers = ["helper1"] if status is not RequestStatus.OPEN else []
    completion = None
    if status is RequestStatus.FULFILLED:
        completion = RequestCompletion(completed_at=LATER, fulfilled_by=helpers)
    return HelpRequest(
        requester_id="jonas",
        title="Groceries this week",
        description="A weekly shop from the market.",
        category=HelpCategory.FOOD,
        urgency=UrgencyLevel.HIGH,
        location=BELLEVILLE,
        status=status,
        accepted_helper_ids=helpers,
        completion=completion,
        created_at=AT,
        updated_at=LATER,
    )


def make_offering(status: OfferingStatus = OfferingStatus.OFFERED) -> Offering:
    responded = status is not OfferingStatus.OFFERED
    return Offering(
        helper_id="amina",
        offering_type=OfferingType.HELP,
        title="I can do the shopping",
        category=HelpCategory.FOOD,
        location=BELLEVILLE,
        status=status,
        responded_at=LATER if responded else None,
        completed_at=LATER if status is OfferingStatus.COMPLETED else None,
        created_at=AT,
        updated_at=LATER,
    )


def make_event(status: EventStatus = EventStatus.SCHEDULED) -> CommunityEvent:
    return CommunityEvent(
        organizer_id="olga",
        title="Soup kitchen",
        description="Cooking together for the neighbourhood.",
        category=EventCategory.MEAL_SHARE,
        starts_at=AT,
        ends_at=LATER,
        time_zone="Europe/Paris",
        format=EventFormat.IN_PERSON,
        location=BELLEVILLE,
        status=status,
        created_at=AT,
        updated_at=AT,
    )


def make_registration(
    status: RegistrationStatus = RegistrationStatus.REGISTERED, attended: bool = False
) -> Registration:
    return Registration(
        user_id="amina",
        status=status,
        attendance=AttendanceState.ATTENDED if attended else AttendanceState.UNKNOWN,
        checked_in_at=LATER if attended else None,
        feedback=Feedback(rating=5, author_id="amina", created_at=LATER) if attended else None,
        created_at=AT,
        updated_at=LATER,
    )


def make_report(
    severity: ReportSeverity | None = None,
    status: ReportStatus = ReportStatus.OPEN,
    legacy_hidden: bool = False,
) -> Report:
    triage = None
    if legacy_hidden:
        triage = ReportTriage(
            classified_at=AT, reason_severity=ReportSeverity.HIGH, auto_hidden=True
        )
    resolution = None
    if status is ReportStatus.DISMISSED:
        resolution = ReportResolution(
            action=ResolutionAction.DISMISS, resolved_by="mo", resolved_at=LATER
        )
    return Report(
        reporter_id="rita",
        target_type=ReportTargetType.OFFERING,
        target_path="offerings/o1",
        reason=ReportReason.SCAM,
        created_at=AT,
        severity=severity,
        triage=triage,
        status=status,
        resolution=resolution,
    )


def make_entry(amount: int, capped: bool = False) -> HopeLedgerEntry:
    return HopeLedgerEntry(
        action=HopeAction.REQUEST_FULFILLED,
        category=HopeCategory.SILENT_HERO,
        event_id="evt",
        base=amount + (5 if capped else 0),
        amount=amount,
        capped=capped,
        created_at=AT,
    )


CONVERSATION = Conversation(
    conversation_type=ConversationType.DM,
    created_by="amina",
    participant_ids=["amina", "jonas"],
    created_at=AT,
    updated_at=AT,
)
MESSAGE = Message(
    conversation_id="c1",
    participant_ids=["amina", "jonas"],
    sender_id="amina",
    message_type=MessageType.TEXT,
    text="On my way!",
    created_at=AT,
)

CHANGES: list[tuple[str, Tracked | None, Tracked | None, dict[CounterKey, int]]] = [
    ("new-user", None, make_user(), {("users", "newUsers"): 1}),
    (
        "first-activity-of-the-day",
        make_user("2026-11-22"),
        make_user("2026-11-23"),
        {("users", "activeUsers"): 1, ("geography", CELL, "activeUsers"): 1},
    ),
    ("same-day-activity", make_user("2026-11-23"), make_user("2026-11-23"), {}),
    (
        "suspended",
        make_user(),
        make_user(status=AccountStatus.SUSPENDED),
        {("users", "suspendedUsers"): 1},
    ),
    (
        "deactivated",
        make_user(),
        make_user(status=AccountStatus.DEACTIVATED),
        {("users", "deactivatedUsers"): 1},
    ),
    (
        "request-created",
        None,
        make_request(),
        {
            ("requests", "created"): 1,
            ("requests", "byCategory", "food"): 1,
            ("requests", "byUrgency", "high"): 1,
            ("requests", "byStatus", "open"): 1,
            ("geography", CELL, "requests"): 1,
        },
    ),
    (
        "request-in-progress",
        make_request(),
        make_request(RequestStatus.IN_PROGRESS),
        {("requests", "byStatus", "inProgress"): 1},
    ),
    (
        "request-fulfilled",
        make_request(RequestStatus.IN_PROGRESS),
        make_request(RequestStatus.FULFILLED),
        {("requests", "byStatus", "fulfilled"): 1, ("requests", "fulfilled"): 1},
    ),
    ("request-edited", make_request(), make_request(), {}),
    (
        "offering-made",
        None,
        make_offering(),
        {
            ("offerings", "created"): 1,
            ("offerings", "byType", "help"): 1,
            ("geography", CELL, "offerings"): 1,
        },
    ),
    (
        "offering-accepted",
        make_offering(),
        make_offering(OfferingStatus.ACCEPTED),
        {("offerings", "accepted"): 1},
    ),
    (
        "offering-completed",
        make_offering(OfferingStatus.ACCEPTED),
        make_offering(OfferingStatus.COMPLETED),
        {("offerings", "completed"): 1},
    ),
    (
        "event-created",
        None,
        make_event(),
        {("events", "created"): 1, ("events", "byCategory", "mealShare"): 1},
    ),
    (
        "event-held",
        make_event(),
        make_event(EventStatus.COMPLETED),
        {("events", "held"): 1, ("geography", CELL, "events"): 1},
    ),
    ("registered", None, make_registration(), {("events", "registrations"): 1}),
    (
        "registration-cancelled",
        make_registration(),
        make_registration(RegistrationStatus.CANCELLED),
        {("events", "cancellations"): 1},
    ),
    (
        "checked-in",
        make_registration(),
        make_registration(attended=True),
        {("events", "attendances"): 1},
    ),
    ("conversation-started", None, CONVERSATION, {("messages", "conversationsStarted"): 1}),
    ("message-sent", None, MESSAGE, {("messages", "sent"): 1}),
    ("message-edited", MESSAGE, MESSAGE, {}),
    (
        "report-made",
        None,
        make_report(),
        {("reports", "created"): 1, ("reports", "byReason", "scam"): 1},
    ),
    (
        "report-classified",
        make_report(),
        make_report(ReportSeverity.HIGH),
        {("reports", "bySeverity", "high"): 1},
    ),
    (
        # The triage counts an automatic hiding itself (it is on the moderators' case); a
        # report's legacy triage moved away by migration 0015 counts nothing.
        "legacy-triage-moved",
        make_report(ReportSeverity.HIGH, legacy_hidden=True),
        make_report(ReportSeverity.HIGH),
        {},
    ),
    (
        "report-dismissed",
        make_report(ReportSeverity.LOW),
        make_report(ReportSeverity.LOW, status=ReportStatus.DISMISSED),
        {("reports", "dismissed"): 1},
    ),
    (
        "points-awarded",
        None,
        make_entry(25),
        {
            ("hopePoints", "entries"): 1,
            ("hopePoints", "awarded"): 25,
            ("hopePoints", "byCategory", "silentHero"): 25,
            ("hopePoints", "byAction", "requestFulfilled"): 25,
        },
    ),
    (
        "capped-to-zero",
        None,
        make_entry(0, capped=True),
        {("hopePoints", "entries"): 1, ("hopePoints", "cappedEntries"): 1},
    ),
    ("request-deleted", make_request(), None, {}),
]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [change[1:] for change in CHANGES],
    ids=[change[0] for change in CHANGES],
)
def test_counter_deltas(
    before: Tracked | None, after: Tracked | None, expected: dict[CounterKey, int]
) -> None:
    """Each kind of change increments exactly the counters of the day's events it is."""
    assert dict(counter_deltas(before, after).increments) == expected


def test_geography_follows_the_configured_precision() -> None:
    """Cells are the documents' public geohash cut to the configured precision."""
    deltas = counter_deltas(None, make_request(), geohash_precision=2)
    assert deltas.increments[("geography", CELL[:2], "requests")] == 1


def test_changes_between_types_are_refused() -> None:
    """A change from one document type to another cannot be counted."""
    with pytest.raises(UnsupportedChangeError, match="HelpRequest to Offering"):
        counter_deltas(make_request(), make_offering())


def test_deltas_add_up() -> None:
    """Deltas of several changes combine key by key; zero counts disappear."""
    one = CounterDeltas({("messages", "sent"): 1})
    assert (one + one).increments == {("messages", "sent"): 2}
    assert not CounterDeltas({("messages", "sent"): 0})


def test_every_counter_is_a_field_of_the_shard_model() -> None:
    """Applying every change's increments to an empty shard yields a valid shard document, so
    every key names a real field of the model."""
    data: dict[str, Any] = {"day": "2026-11-23", "shard": 3, "updatedAt": LATER}
    for _, before, after, _ in CHANGES:
        data = apply_deltas(data, counter_deltas(before, after))
    shard = CounterShard.model_validate(data)
    assert (shard.requests.created, shard.hope_points.awarded) == (1, 25)


def test_shard_choice_is_deterministic_and_in_range() -> None:
    """The same event always picks the same shard, within the shard count."""
    assert choose_shard("evt-1", 10) == choose_shard("evt-1", 10)
    assert {choose_shard(f"evt-{i}", 10) for i in range(200)} == set(range(10))
    with pytest.raises(ValueError, match="shard count"):
        choose_shard("evt-1", 0)


def test_shards_spread_evenly() -> None:
    """Over many events each of ten shards takes roughly a tenth of the writes."""
    counts = [0] * 10
    for i in range(5_000):
        counts[choose_shard(f"projects/p/events/{i}", 10)] += 1
    assert all(400 <= n <= 600 for n in counts)


@pytest.mark.parametrize(
    ("time_zone", "day"), [("UTC", "2026-11-23"), ("Pacific/Kiritimati", "2026-11-24")]
)
def test_analytics_day_uses_the_configured_time_zone(time_zone: str, day: str) -> None:
    """A moment belongs to the day of the configured analytics time zone."""
    late = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
    assert analytics_day(late, AnalyticsSettings(time_zone=time_zone)) == day


def make_shard(index: int, deltas: CounterDeltas, precision: int = 4) -> CounterShard:
    data = {"day": "2026-11-23", "shard": index, "updatedAt": LATER, "geohashPrecision": precision}
    return CounterShard.model_validate(apply_deltas(data, deltas))


def test_merge_sums_the_shards() -> None:
    """The day's document is the sum of its shards, with how many were merged."""
    created = counter_deltas(None, make_request())
    day = merge_shards(
        "2026-11-23",
        [make_shard(0, created), make_shard(1, created + counter_deltas(None, MESSAGE))],
        settings=AnalyticsSettings(),
        computed_at=AT + dt.timedelta(days=1),
    )
    assert (day.requests.created, day.requests.by_category, day.messages.sent) == (
        2,
        {HelpCategory.FOOD: 2},
        1,
    )
    assert (day.shards_merged, day.geography[CELL].requests) == (2, 2)


def test_merge_regrids_to_the_smallest_precision() -> None:
    """Shards written with a finer precision are cut to the coarsest one seen."""
    fine = make_shard(0, counter_deltas(None, make_request(), geohash_precision=5), precision=5)
    coarse = make_shard(1, counter_deltas(None, make_request(), geohash_precision=3), precision=3)
    day = merge_shards(
        "2026-11-23",
        [fine, coarse],
        settings=AnalyticsSettings(),
        computed_at=LATER.replace(day=24),
    )
    assert day.geohash_precision == 3
    assert day.geography == {CELL[:3]: day.geography[CELL[:3]]}
    assert day.geography[CELL[:3]].requests == 2


def test_merge_refuses_shards_of_another_day() -> None:
    """Only shards of the day itself are merged into it."""
    other = make_shard(0, CounterDeltas()).model_copy(update={"day": "2026-11-22"})
    with pytest.raises(InvalidArgumentError, match="must count 2026-11-23"):
        merge_shards("2026-11-23", [other], settings=AnalyticsSettings(), computed_at=LATER)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(len(CHANGES))), st.text(min_size=1, max_size=8)),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=12),
)
def test_sharding_never_changes_the_sum(events: list[tuple[int, str]], shard_count: int) -> None:
    """However events spread over shards, the merged day equals counting them in one place."""
    per_shard: dict[int, CounterDeltas] = {}
    everything = CounterDeltas()
    for change, event_id in events:
        _, before, after, _ = CHANGES[change]
        deltas = counter_deltas(before, after)
        index = choose_shard(event_id, shard_count)
        per_shard[index] = per_shard.get(index, CounterDeltas()) + deltas
        everything = everything + deltas
    computed = AT + dt.timedelta(days=1)
    merged = merge_shards(
        "2026-11-23",
        [make_shard(i, deltas) for i, deltas in per_shard.items()],
        settings=AnalyticsSettings(),
        computed_at=computed,
    )
    single = merge_shards(
        "2026-11-23",
        [make_shard(0, everything)],
        settings=AnalyticsSettings(),
        computed_at=computed,
    )
    exclude = {"shards_merged"}
    assert merged.model_dump(exclude=exclude) == single.model_dump(exclude=exclude)
